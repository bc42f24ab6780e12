"""The debrief's call-outs: doing nothing, customers' asks left undone, capacity left idle."""

from __future__ import annotations

from dataclasses import replace

import pytest

from game.model import Card, CardKind, Cause, Decision, RoundOutcome, Snapshot
from game.scenario.catalogue import find_scenario, load_scenario
from game.sim.playthrough import play
from game.sim.table import card_index
from game.views.callouts import call_outs

B, D, N = Decision.BUILD, Decision.DEFER, Decision.NO
SNAP = Snapshot(arr=100, customer_value=40, tech_debt=0, capacity=8, cash=500, accounts=3, churned_accounts=0)
CARDS = {
    "bulk": Card("bulk", CardKind.REQUEST, "Bulk edit", asker="Ember Dental", effort=3),
    "slack": Card("slack", CardKind.REQUEST, "Slack alerts", asker="Acme", effort=1),
    "sso": Card("sso", CardKind.DEAL, "SSO", asker="Northwind", effort=4, deal_size=80),
    "tests": Card("tests", CardKind.IMPROVEMENT, "Automated tests", effort=2),
}


def rnd(i: int, used: int, *decisions: tuple[str, Decision], left: str = "") -> RoundOutcome:
    causes = (Cause("arr", -50.0, left, "left", "defer"),) if left else ()
    return RoundOutcome(i, SNAP, SNAP, (), causes, used, 8, tuple(decisions))


CASES = [
    # (what the team did, round by round; the call-outs it earns; words the text must hold)
    pytest.param(
        [rnd(0, 6, ("sso", B), ("tests", B)), rnd(1, 7, ("bulk", B), ("slack", N))],
        set(),
        [],
        id="a team that did its job: built, said a plain no once",
    ),
    pytest.param(
        [rnd(i, 0, ("bulk", D), ("sso", N)) for i in range(5)],
        {"doing_nothing", "idle_capacity", "undone_asks"},
        [
            "Doing nothing is not product focus",
            "built nothing in 5 of 5 rounds",
            "Ember Dental waited for 'Bulk edit'",
        ],
        id="deferring everything, every round",
    ),
    pytest.param(
        [rnd(0, 0, ("sso", N), ("tests", N)), rnd(1, 0, ("sso", N)), rnd(2, 4, ("tests", B))],
        {"doing_nothing"},
        ["built nothing in 2 of 3 rounds (rounds 1 and 2)"],
        id="saying no to everything but once: no one waited, so no idle-capacity call-out",
    ),
    pytest.param(
        [rnd(0, 8, ("sso", B), ("bulk", D)), rnd(1, 8, ("tests", B), ("bulk", D)), rnd(2, 8, ("sso", B))],
        {"undone_asks"},
        ["Ember Dental asked for 'Bulk edit': you deferred it in rounds 1 and 2; they gave up waiting"],
        id="a request deferred until its asker gave up, while the capacity went to deals",
    ),
    pytest.param(
        [rnd(0, 7, ("sso", B), ("slack", N)), rnd(1, 8, ("tests", B), ("sso", B), left="slack")],
        {"undone_asks"},
        ["you said no to it in round 1; Acme left"],
        id="a refusal the asker left over",
    ),
    pytest.param(
        [rnd(0, 5, ("sso", B), ("bulk", D)), rnd(1, 8, ("bulk", B), ("tests", B))],
        {"idle_capacity"},
        ["In round 1 you used 5 of 8 points while Ember Dental waited for 'Bulk edit' (3 points)"],
        id="points left over while a request that fitted waited",
    ),
]


@pytest.mark.parametrize(("rounds", "keys", "words"), CASES)
def test_call_outs(rounds: list[RoundOutcome], keys: set[str], words: list[str]) -> None:
    found = call_outs(rounds, CARDS)
    assert {c.key for c in found} == keys
    text = " ".join(c.text for c in found)
    for w in words:
        assert w in text


def test_a_call_out_names_its_cards_and_rounds() -> None:
    [idle] = call_outs([rnd(0, 5, ("sso", B), ("bulk", D)), rnd(1, 8, ("bulk", B))], CARDS)
    assert idle.cards == ("bulk",) and idle.rounds == (0,)


@pytest.mark.parametrize("strategy", ["always-no", "always-defer"])
def test_doing_nothing_is_called_out_whatever_the_signals_say(strategy: str) -> None:
    sc = load_scenario(find_scenario("saas-startup"))
    game = play(sc, strategy, 3)
    keys = {c.key for c in call_outs(game.outcomes, card_index(sc))}
    assert "doing_nothing" in keys


def test_building_is_not_doing_nothing() -> None:
    sc = load_scenario(find_scenario("saas-startup"))
    for strategy in ("always-yes", "balanced", "product-first"):
        keys = {c.key for c in call_outs(play(sc, strategy, 3).outcomes, card_index(sc))}
        assert "doing_nothing" not in keys, strategy


def quarter(i: int, before: float, after: float, *losses: tuple[str, float, str]) -> RoundOutcome:
    """A quarter of the year after: ARR from ``before`` to ``after``, with (who, ARR lost, card) causes."""
    causes = tuple(
        Cause("arr", -amount, card, text, "defer" if card else "") for text, amount, card in losses
    )
    return RoundOutcome(
        7 + i,
        replace(SNAP, arr=before),
        replace(SNAP, arr=after),
        (),
        causes,
        0,
        8,
        (),
    )


YEAR_AFTER_CASES = [
    pytest.param(
        [
            quarter(
                0,
                600.0,
                450.0,
                ("Acme left: they felt ignored: you deferred 'Bulk edit' in round 2", 150.0, "bulk"),
            ),
            quarter(
                1,
                450.0,
                300.0,
                ("Harbor left: quality problems from 40 tech debt", 140.0, ""),
                ("Self-serve customers churned", 10.0, ""),
            ),
            quarter(2, 300.0, 290.0, ("Self-serve customers churned", 10.0, "")),
        ],
        [
            "Your ARR fell from $600k to $290k (-52%) in the year after the game",
            "Acme left: they felt ignored: you deferred 'Bulk edit' in round 2 ($150k)",
            "Harbor left: quality problems from 40 tech debt ($140k)",
            "And 1 more.",
        ],
        ("bulk",),
        id="half the revenue gone: the biggest departures, with why, and the rest counted",
    ),
    pytest.param(
        [quarter(0, 600.0, 420.0, ("Self-serve customers churned", 180.0, ""))],
        [],
        None,
        id="a loss under a third is the market, not a bill",
    ),
    pytest.param([], [], None, id="no year after (a game ended early is valued as it stands)"),
]


@pytest.mark.parametrize(("year", "words", "cards"), YEAR_AFTER_CASES)
def test_revenue_lost_in_the_year_after_is_called_out(
    year: list[RoundOutcome], words: list[str], cards: tuple[str, ...] | None
) -> None:
    found = [c for c in call_outs([rnd(0, 8, ("sso", B))], CARDS, year) if c.key == "year_after_loss"]
    if cards is None:
        assert found == []
        return
    [bill] = found
    assert bill.title == "The bill came after the game"
    for w in words:
        assert w in bill.text
    assert bill.cards == cards


def test_saying_yes_to_everything_gets_the_bill_and_product_first_does_not() -> None:
    sc = load_scenario(find_scenario("persona-drift"))
    billed = {
        strategy: sum(
            any(c.key == "year_after_loss" for c in call_outs(g.outcomes, card_index(sc), g.year_after))
            for g in (play(sc, strategy, seed) for seed in range(20))
        )
        for strategy in ("always-yes", "product-first")
    }
    assert billed["always-yes"] >= 12 and billed["product-first"] == 0, billed
