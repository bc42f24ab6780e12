"""The balance check: spreads per strategy, claims per seed, and the shipped scenarios' own claims."""

from __future__ import annotations

from dataclasses import replace

import pytest

from game.model import STRATEGY_NAMES, Claim, Company, Decision, Metric, StrategyRule, StrategySpec
from game.scenario.catalogue import list_scenarios, load_scenario
from game.sim.balance import claim_holds, quantile, report_json, run_balance
from game.sim.engine import start_company
from game.sim.playthrough import PlayedGame
from game.sim.signals import SIGNAL_NAMES
from game.sim.valuation import Valuation
from tests.engine.factory import scenario


def company(**kw: float) -> Company:
    base = start_company(scenario(()))
    return Company(
        name=base.name,
        base_capacity=base.base_capacity,
        cash=kw.get("cash", 0.0),
        burn=0.0,
        customer_value=kw.get("value", 0.0),
        tech_debt=kw.get("debt", 0.0),
        accounts=base.accounts,
    )


def game(*companies: Company, worth: float = 0.0) -> PlayedGame:
    """A played game with these companies after each round and this company value."""
    return PlayedGame("test", 1, "s", (), companies, (), Valuation(worth, (), 0.0, 0.0, 0.0))


@pytest.mark.parametrize(
    ("claim", "holds"),
    [
        (Claim("v", Metric.CUSTOMER_VALUE, winner="product-first", loser="always-yes", margin=10), True),
        (Claim("v", Metric.CUSTOMER_VALUE, winner="product-first", loser="always-yes", margin=30), False),
        (Claim("d", Metric.TECH_DEBT, winner="product-first", loser="always-yes"), True),
        (Claim("d", Metric.TECH_DEBT, winner="always-yes", loser="product-first"), False),
        (Claim("c", Metric.CASH, strategy="product-first", at_least=0), True),
        (Claim("c", Metric.CASH, strategy="always-yes", at_least=0), False),
        (Claim("c", Metric.CASH, strategy="always-yes", at_most=0), True),
        (Claim("tie", Metric.ARR, winner="product-first", loser="always-yes"), False),
        # Company value is the game's, after the year played out.
        (Claim("w", Metric.COMPANY_VALUE, winner="product-first", loser="always-yes"), True),
        (Claim("w", Metric.COMPANY_VALUE, winner="always-yes", loser="product-first"), False),
        (Claim("w", Metric.COMPANY_VALUE, strategy="always-yes", at_least=1000), True),
        # After round 1 always-yes had more cash; at the end it has less.
        (Claim("early", Metric.CASH, winner="always-yes", loser="product-first", after_round=1), True),
        (Claim("late", Metric.CASH, winner="always-yes", loser="product-first"), False),
        # A strategy from a file or the scenario is named like any other.
        (Claim("own", Metric.CASH, winner="late-yes", loser="always-yes"), True),
    ],
)
def test_a_claim_is_judged_on_one_seeds_games(claim: Claim, holds: bool) -> None:
    games = {
        "product-first": game(company(cash=50), company(value=80, debt=2, cash=100), worth=2000),
        "always-yes": game(company(cash=400), company(value=60, debt=40, cash=-50), worth=1500),
        "late-yes": game(company(cash=0), company(cash=10), worth=0),
    }
    assert claim_holds(claim, games) is holds


def test_quantiles_interpolate() -> None:
    assert quantile([0.0, 10.0], 0.5) == 5.0
    assert quantile([1.0, 2.0, 3.0, 4.0, 5.0], 0.1) == pytest.approx(1.4)
    assert quantile([], 0.5) == 0.0


def test_the_json_report_has_the_documented_shape() -> None:
    sc = load_scenario(list_scenarios()[0])
    data = report_json(run_balance(sc, 5))
    assert data["scenario"] == sc.id and data["games"] == 5
    strategies = data["strategies"]
    assert isinstance(strategies, dict)
    assert list(strategies) == [*STRATEGY_NAMES, *(s.name for s in sc.strategies)]
    for per in strategies.values():
        for key in ("company_value", "arr", "customer_value", "tech_debt", "churned_accounts", "cash"):
            assert set(per[key]) == {"mean", "p10", "p50", "p90"}
            assert per[key]["p10"] <= per[key]["p50"] <= per[key]["p90"]
        assert len(per["arr_by_round"]) == len(sc.rounds)
        assert list(per["signals"]) == list(SIGNAL_NAMES)
        assert all(0 <= v <= 100 for v in per["signals"].values())
    beats = data["beats"]
    assert isinstance(beats, dict) and list(beats) == list(strategies)
    for a, row in beats.items():
        assert list(row) == [b for b in strategies if b != a]
        for b, share in row.items():
            assert 0.0 <= share + beats[b][a] <= 1.0  # ties count for neither
    claims = data["claims"]
    assert isinstance(claims, list) and len(claims) == len(sc.claims)
    assert all(0.0 <= c["holds_rate"] <= 1.0 for c in claims)


def test_the_report_adds_up_what_the_games_did() -> None:
    """arr_by_round's last entry is the mean final ARR; always-no never builds anything."""
    sc = load_scenario(list_scenarios()[0])
    report = run_balance(sc, 4, first_seed=7)
    for name, per in report.spreads.items():
        assert report.arr_by_round[name][-1] == pytest.approx(per[Metric.ARR].mean)
    assert report.signals["always-no"]["curb_appeal"] == 0.0


def test_extra_strategies_play_beside_the_others_and_claims_can_name_them() -> None:
    sc = load_scenario(list_scenarios()[0])
    nothing = StrategySpec("say-no", (StrategyRule(Decision.NO),))
    claim = Claim("say-no is always-no", Metric.COMPANY_VALUE, strategy="say-no", at_least=-1e12)
    report = run_balance(replace(sc, claims=(claim,)), 5, extra_strategies=[nothing])
    assert "say-no" in report.spreads and report.claims[0].holds_rate == 1.0
    # Saying no to every card with rules plays exactly like the built-in always-no.
    assert report.spreads["say-no"] == report.spreads["always-no"]
    assert report.beats["say-no"]["always-no"] == report.beats["always-no"]["say-no"] == 0.0


@pytest.mark.slow
@pytest.mark.parametrize("path", list_scenarios(), ids=lambda p: p.stem)
def test_every_shipped_scenario_passes_its_own_claims_at_1000_games(path: object) -> None:
    sc = load_scenario(path)  # type: ignore[arg-type]
    assert sc.claims, "a shipped scenario must say what it teaches"
    report = run_balance(sc, 1000)
    failing = [(c.claim.text, c.holds_rate) for c in report.claims if not c.holds]
    assert not failing


@pytest.mark.slow
def test_it_is_the_market_that_makes_selling_win_in_the_fierce_market() -> None:
    """Turn market pressure down and always-yes stops beating product-first on company value."""
    fierce = next(p for p in list_scenarios() if p.stem == "fierce-market")
    loud = run_balance(load_scenario(fierce), 300)
    calm = run_balance(load_scenario(fierce, settings=["market.pressure=0.2"]), 300)
    assert loud.beats["always-yes"]["product-first"] >= 0.9
    assert calm.beats["always-yes"]["product-first"] <= 0.5


@pytest.mark.slow
@pytest.mark.parametrize("path", list_scenarios(), ids=lambda p: p.stem)
def test_no_strategy_is_best_on_every_measure(path: object) -> None:
    """Each scenario leaves a discussion: whoever leads on company value trails somewhere else."""
    report = run_balance(load_scenario(path), 200)  # type: ignore[arg-type]
    reference = [n for n in report.spreads if n != "random"]
    for name in reference:
        best_everywhere = all(
            all(
                (report.spreads[name][m].mean >= report.spreads[o][m].mean) == m.higher_is_better
                or report.spreads[name][m].mean == report.spreads[o][m].mean
                for o in reference
                if o != name
            )
            for m in report.spreads[name]
        )
        assert not best_everywhere, name


def test_every_reference_strategy_has_a_player_and_a_blurb_in_the_published_order() -> None:
    from game.sim.strategies import STRATEGIES, STRATEGY_BLURBS

    assert tuple(STRATEGIES) == STRATEGY_NAMES == tuple(STRATEGY_BLURBS)
