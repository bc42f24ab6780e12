"""Strategies written as rules: what they decide, and the order in which they ask for builds."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from game.errors import UnknownStrategy
from game.model import STRATEGY_NAMES, CardKind, Decision, Scope, StrategyRule, StrategySpec
from game.sim.engine import resolve_round, start_company
from game.sim.playthrough import play
from game.sim.strategies import STRATEGIES
from game.sim.strategy_rules import compile_strategy, find_strategy, strategy_names
from tests.engine.factory import deal, event, improvement, request, scenario

B, D, N = Decision.BUILD, Decision.DEFER, Decision.NO

TABLE = (
    deal("big", deal_size=90.0, scope=Scope.CUSTOM),
    request("ask"),
    event("news", churn=0.0),
    improvement("tidy", paydown=1.0),
    deal("addon", scope=Scope.ADD_ON),
    deal("core"),
)

LATE_YES = StrategySpec(
    "late-yes",
    (
        StrategyRule(B, rounds=(3,)),
        StrategyRule(N, scopes=(Scope.CUSTOM, Scope.ADD_ON)),
        StrategyRule(B),
    ),
)


def plan_of(spec: StrategySpec, round_number: int = 1) -> list[tuple[str, Decision]]:
    company = replace(start_company(scenario(TABLE)), rounds_played=round_number - 1)
    return list(compile_strategy(spec)(company, TABLE, 10, random.Random(1)).items())


@pytest.mark.parametrize(
    ("rules", "round_number", "expected"),
    [
        # No rule: every card waits; events are news, never decided.
        ((), 1, [("big", D), ("ask", D), ("tidy", D), ("addon", D), ("core", D)]),
        # Builds come first, in table order within one rule; then everything else.
        (
            (StrategyRule(N, scopes=(Scope.CUSTOM,)), StrategyRule(B)),
            1,
            [("ask", B), ("tidy", B), ("addon", B), ("core", B), ("big", N)],
        ),
        # Builds in the order of the rules that chose them: requests, then deals, then the rest.
        (
            (
                StrategyRule(B, kinds=(CardKind.REQUEST,)),
                StrategyRule(B, kinds=(CardKind.DEAL,)),
                StrategyRule(B),
            ),
            1,
            [("ask", B), ("big", B), ("addon", B), ("core", B), ("tidy", B)],
        ),
        # A rule must match on every field it names.
        (
            (
                StrategyRule(B, kinds=(CardKind.DEAL,), scopes=(Scope.CORE,)),
                StrategyRule(N, kinds=(CardKind.DEAL,)),
            ),
            1,
            [("core", B), ("big", N), ("ask", D), ("tidy", D), ("addon", N)],
        ),
        # Rounds count from 1: late-yes builds everything in round 3 only.
        (LATE_YES.rules, 2, [("ask", B), ("tidy", B), ("core", B), ("big", N), ("addon", N)]),
        (LATE_YES.rules, 3, [("big", B), ("ask", B), ("tidy", B), ("addon", B), ("core", B)]),
    ],
)
def test_the_first_matching_rule_decides_and_builds_come_in_rule_order(
    rules: tuple[StrategyRule, ...], round_number: int, expected: list[tuple[str, Decision]]
) -> None:
    assert plan_of(StrategySpec("s", rules), round_number) == expected


def test_the_engine_builds_in_rule_order_and_defers_what_does_not_fit() -> None:
    """Requests first: with room for one build only, the request is built and the deal deferred."""
    cards = (deal("d", effort=3), request("r", effort=3))
    sc = scenario(cards, capacity=3)
    spec = StrategySpec("asks-first", (StrategyRule(B, kinds=(CardKind.REQUEST,)), StrategyRule(B)))
    company = start_company(sc)
    plan = compile_strategy(spec)(company, cards, 3, random.Random(1))
    assert list(plan) == ["r", "d"]
    _, outcome = resolve_round(sc, company, plan, 0, seed=1)
    decided = dict(outcome.decisions)
    assert decided["r"] is B
    assert decided["d"] is D and outcome.bumped == ("d",)


def test_a_scenarios_own_strategy_plays_by_name() -> None:
    sc = replace(scenario(TABLE, TABLE, TABLE), strategies=(LATE_YES,))
    assert strategy_names(sc) == (*STRATEGY_NAMES, "late-yes")
    assert find_strategy(sc, "balanced") is STRATEGIES["balanced"]
    game = play(sc, "late-yes", seed=4, narrate=False)
    assert game.strategy == "late-yes" and len(game.outcomes) == 3
    assert dict(game.outcomes[0].decisions)["big"] is N


def test_extra_strategies_join_the_scenarios_own() -> None:
    other = StrategySpec("other", (StrategyRule(N),))
    sc = replace(scenario(TABLE), strategies=(LATE_YES,))
    assert strategy_names(sc, [other]) == (*STRATEGY_NAMES, "late-yes", "other")
    assert find_strategy(sc, "other", [other]) is compile_strategy(other)


def test_an_unknown_strategy_names_every_known_one() -> None:
    sc = replace(scenario(TABLE), strategies=(LATE_YES,))
    with pytest.raises(UnknownStrategy, match="late-yes"):
        find_strategy(sc, "late-no")
