"""The balance check's fast path gives exactly the numbers of a narrated game.

The balance check plays games with ``narrate=False`` (no story lines, no causes) and leans on a
few precomputed shortcuts (a round's dice key, each round's table filters, one shared feature
per card and round). None of that may change a single figure: every company and every snapshot
must equal the narrated game's, and the shortcuts must equal the plain rules.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.model import (
    COMEBACK_SUFFIX,
    STRATEGY_NAMES,
    Card,
    CardKind,
    Company,
    Decision,
    Feature,
    RoundOutcome,
    Scenario,
)
from game.scenario.catalogue import list_scenarios, load_scenario
from game.sim.balance import finals_for_seed
from game.sim.engine import resolve_round, snapshot, start_company
from game.sim.playthrough import PlayedGame, play
from game.sim.table import card_index, cards_on_table
from game.sim.valuation import YEAR_AFTER_QUARTERS

SEEDS = (*range(40), 1_000, 65_537, 2**31 - 1, 2**32, 2**40 + 7)


@cache
def shipped() -> tuple[Scenario, ...]:
    return tuple(load_scenario(p) for p in list_scenarios())


def numbers(outcome: RoundOutcome) -> tuple[object, ...]:
    """Everything in an outcome except the story: what a quiet round must reproduce."""
    return (
        outcome.round_index,
        outcome.before,
        outcome.after,
        outcome.effort_used,
        outcome.capacity,
        outcome.decisions,
    )


def assert_same_numbers(narrated: PlayedGame, quiet: PlayedGame) -> None:
    assert quiet.companies == narrated.companies
    assert [numbers(o) for o in quiet.outcomes] == [numbers(o) for o in narrated.outcomes]
    assert all(not o.lines and not o.causes and not o.headline for o in quiet.outcomes)
    # the year after: the same company value and parts, and a quiet year tells nothing
    assert quiet.valuation == replace(
        narrated.valuation, parts=tuple(replace(p, text="") for p in narrated.valuation.parts)
    )
    assert all(p.text for p in narrated.valuation.parts)
    assert quiet.year_after == () and len(narrated.year_after) == YEAR_AFTER_QUARTERS


@pytest.mark.parametrize("name", STRATEGY_NAMES)
@pytest.mark.parametrize("index", range(len(list_scenarios())), ids=[p.stem for p in list_scenarios()])
def test_a_quiet_game_has_the_narrated_games_numbers(index: int, name: str) -> None:
    sc = shipped()[index]
    for seed in SEEDS:
        narrated = play(sc, name, seed)
        assert narrated.outcomes[0].lines, "a narrated game tells its story"
        assert_same_numbers(narrated, play(sc, name, seed, narrate=False))


@pytest.mark.parametrize("index", range(len(list_scenarios())), ids=[p.stem for p in list_scenarios()])
def test_the_balance_check_sees_the_narrated_final_companies(index: int) -> None:
    sc = shipped()[index]
    for seed in (1, 2, 3, 500, 999):
        assert finals_for_seed(sc, seed) == {name: play(sc, name, seed).final for name in STRATEGY_NAMES}


decisions = st.sampled_from(list(Decision))
games = st.tuples(
    st.integers(min_value=0, max_value=len(list_scenarios()) - 1),
    st.integers(min_value=0, max_value=2**32),
    st.lists(st.lists(decisions, min_size=12, max_size=12), min_size=8, max_size=8),
)


@settings(max_examples=150, deadline=None)
@given(games)
def test_any_plans_give_the_same_numbers_quiet_or_narrated(
    game: tuple[int, int, list[list[Decision]]],
) -> None:
    """Not only the reference strategies: any decisions, round by round, on any seed."""
    index, seed, choices = game
    sc = shipped()[index]
    company = start_company(sc)
    for r in range(len(sc.rounds)):
        table = [c for c in cards_on_table(sc, company, r) if c.kind is not CardKind.EVENT]
        plan = {c.id: choices[r][i % 12] for i, c in enumerate(table)}
        narrated, told = resolve_round(sc, company, plan, r, seed)
        quiet, bare = resolve_round(sc, company, plan, r, seed, narrate=False)
        assert quiet == narrated
        assert numbers(bare) == numbers(told)
        company = narrated


def plain_cards_on_table(scenario: Scenario, company: Company, round_index: int) -> tuple[Card, ...]:
    """The table rule written out directly, to check the precomputed version against."""
    index = card_index(scenario)
    customers = {a.name for a in company.accounts}

    def concerns(card: Card) -> bool:
        if card.kind is CardKind.REQUEST:
            return card.asker in customers
        if card.kind is CardKind.EVENT and card.effects is not None and card.effects.renewal:
            return card.effects.renewal in customers
        return True

    cards = [c for c in scenario.rounds[round_index].cards if concerns(c)]
    cards += [index[p.card_id] for p in company.backlog if concerns(index[p.card_id])]
    back = [r for r in company.returns if r.due_round <= round_index]
    cards += [
        index[r.card_id + COMEBACK_SUFFIX]
        for r in back
        if (cb := index[r.card_id].comes_back) is None or company.customer_value >= cb.min_customer_value
    ]
    return tuple(cards)


@pytest.mark.parametrize("index", range(len(list_scenarios())), ids=[p.stem for p in list_scenarios()])
def test_the_precomputed_table_is_the_plain_rule(index: int) -> None:
    sc = shipped()[index]
    for seed in range(25):
        for name in STRATEGY_NAMES:
            company = start_company(sc)
            for r, after in enumerate(play(sc, name, seed, narrate=False).companies):
                assert cards_on_table(sc, company, r) == plain_cards_on_table(sc, company, r)
                company = after


@pytest.mark.parametrize("index", range(len(list_scenarios())), ids=[p.stem for p in list_scenarios()])
def test_a_shared_feature_is_the_one_its_card_becomes(index: int) -> None:
    sc = shipped()[index]
    cards = card_index(sc)
    for seed in range(10):
        for name in STRATEGY_NAMES:
            for f in play(sc, name, seed, narrate=False).final.features:
                card = cards[f.card_id]
                h = card.hidden
                assert f == Feature(
                    card_id=card.id,
                    title=card.title,
                    round_built=f.round_built,
                    lasting_value=0.0 if f.liability else h.lasting_value,
                    curb_appeal=h.curb_appeal,
                    persona=h.persona,
                    maintenance=h.maintenance,
                    scope=card.scope,
                    for_whom=card.asker,
                    liability=f.liability,
                )


@given(st.integers(min_value=0, max_value=2**40))
def test_a_games_dice_seeded_on_demand_roll_as_the_strategy_dice_do(seed: int) -> None:
    from game.sim.playthrough import _DiceOnDemand, strategy_rng

    eager, lazy = strategy_rng(seed), _DiceOnDemand(seed)
    assert [lazy.choice("abc") for _ in range(12)] == [eager.choice("abc") for _ in range(12)]
    assert lazy.random() == eager.random() and lazy.getstate() == eager.getstate()
    untouched = _DiceOnDemand(seed)
    assert untouched.getstate() == strategy_rng(seed).getstate()  # asking for the state seeds it


@pytest.mark.parametrize("name", STRATEGY_NAMES)
def test_a_game_on_one_scratch_copy_is_the_game_round_by_round(name: str) -> None:
    """``play_round`` carries one scratch copy through the game; ``resolve_round`` opens a new one
    every round from the company alone. Every round's company and outcome must be the same."""
    from game.sim.engine import play_round
    from game.sim.playthrough import strategy_rng
    from game.sim.round_state import open_round
    from game.sim.strategy_rules import find_strategy

    for sc in shipped():
        choose = find_strategy(sc, name)
        for seed in (1, 7, 2**33):
            company = start_company(sc)
            scratch = open_round(sc, company, 0, seed, company.maintenance, None)
            rng = strategy_rng(seed)
            before = snapshot(company)
            for r in range(len(sc.rounds)):
                table = cards_on_table(sc, company, r)
                plan = choose(company, table, before.capacity, rng)
                fresh = resolve_round(sc, company, plan, r, seed, table, before)
                carried = play_round(scratch, company, plan, r, seed, table, before)
                assert carried == fresh, (sc.id, name, seed, r)
                company, before = carried[0], carried[1].after
