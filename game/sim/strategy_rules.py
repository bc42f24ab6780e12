"""Strategies written as rules (strategy files, a scenario's own), turned into players like the built-ins.

A ``StrategySpec`` is plain data (``game.scenario.strategy_files`` reads it from YAML); here it becomes a
``Strategy`` callable with the built-ins' signature, and names resolve to callables over the
reference strategies plus a scenario's own and any extra ones. No I/O: the engine side uses it.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from functools import cache
from operator import itemgetter

from game.errors import UnknownStrategy
from game.model import STRATEGY_NAMES, Card, CardKind, Company, Decision, Scenario, Scope, StrategySpec
from game.sim.strategies import STRATEGIES, Plan, Strategy

_EVENT = CardKind.EVENT
_BUILD, _DEFER = Decision.BUILD, Decision.DEFER

_Rule = tuple[frozenset[CardKind] | None, frozenset[Scope] | None, frozenset[int] | None, Decision]


def _first_match(
    rules: Sequence[_Rule], round_number: int, kind: CardKind, scope: Scope
) -> tuple[int, Decision]:
    """The index and decision of the first rule matching a card; unmatched cards are deferred."""
    for index, (kinds, scopes, rounds, decide) in enumerate(rules):
        if (
            (kinds is None or kind in kinds)
            and (scopes is None or scope in scopes)
            and (rounds is None or round_number in rounds)
        ):
            return index, decide
    return len(rules), _DEFER


@cache
def compile_strategy(spec: StrategySpec) -> Strategy:
    """The spec as a strategy: ``(company, table, capacity, rng) -> plan``.

    The plan lists the builds first, in the order of the rules that chose them and then in
    table order (the engine builds in plan order while they fit and defers the rest), then
    every other card. A rule only looks at a card's kind, scope and the round, so each
    (round, kind, scope) is matched once per strategy and remembered: the balance check
    calls this for every round of thousands of games.
    """
    rules: tuple[_Rule, ...] = tuple(
        (
            frozenset(r.kinds) or None,
            frozenset(r.scopes) or None,
            frozenset(r.rounds) or None,
            r.decide,
        )
        for r in spec.rules
    )
    matched: dict[tuple[int, CardKind, Scope], tuple[int, Decision]] = {}
    by_rule = itemgetter(0)

    def choose(company: Company, table: tuple[Card, ...], capacity: int, rng: random.Random) -> Plan:
        round_number = company.rounds_played + 1
        builds: list[tuple[int, str]] = []
        rest: Plan = {}
        for card in table:
            kind = card.kind
            if kind is _EVENT:
                continue
            key = (round_number, kind, card.scope)
            hit = matched.get(key)
            if hit is None:
                hit = matched[key] = _first_match(rules, round_number, kind, card.scope)
            if hit[1] is _BUILD:
                builds.append((hit[0], card.id))
            else:
                rest[card.id] = hit[1]
        builds.sort(key=by_rule)  # stable: table order within a rule
        plan: Plan = {cid: _BUILD for _, cid in builds}
        plan.update(rest)
        return plan

    choose.__doc__ = spec.description or f"The strategy '{spec.name}'."
    return choose


def strategy_specs(scenario: Scenario | None, extra: Sequence[StrategySpec] = ()) -> tuple[StrategySpec, ...]:
    """A scenario's own strategies, then the extra ones (a later one of the same name replaces an earlier)."""
    specs: dict[str, StrategySpec] = {}
    for spec in (*(scenario.strategies if scenario else ()), *extra):
        specs.pop(spec.name, None)
        specs[spec.name] = spec
    return tuple(specs.values())


def strategy_names(scenario: Scenario | None, extra: Sequence[StrategySpec] = ()) -> tuple[str, ...]:
    """Every strategy a game of this scenario can be compared with: the reference ones, then its own."""
    own = [s.name for s in strategy_specs(scenario, extra) if s.name not in STRATEGIES]
    return (*STRATEGY_NAMES, *own)


def find_strategy(scenario: Scenario | None, name: str, extra: Sequence[StrategySpec] = ()) -> Strategy:
    """The strategy called ``name``: a reference strategy, one of the scenario's own, or an extra one."""
    if name in STRATEGIES:
        return STRATEGIES[name]
    for spec in strategy_specs(scenario, extra):
        if spec.name == name:
            return compile_strategy(spec)
    known = ", ".join(strategy_names(scenario, extra))
    raise UnknownStrategy(f"unknown strategy {name!r}; choose one of: {known}")
