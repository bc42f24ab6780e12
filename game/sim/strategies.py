"""Reference strategies that play any scenario with no people, using only what a team can see."""

from __future__ import annotations

import random
from collections.abc import Callable

from game.errors import UnknownStrategy
from game.model import STRATEGY_NAMES, Card, CardKind, Company, Decision, Scope

Plan = dict[str, Decision]
Strategy = Callable[[Company, tuple[Card, ...], int, random.Random], Plan]
"""(company, cards on the table, capacity this round, the strategy's own dice) -> plan."""


# Built once: Python 3.11 looks enum members up through their class on every use, and the
# strategies run for every card of every round of every balance-check game.
_EVENT = CardKind.EVENT
_REQUEST, _DEAL = CardKind.REQUEST, CardKind.DEAL
_BUILD, _DEFER, _NO = Decision.BUILD, Decision.DEFER, Decision.NO
_CORE, _CUSTOM, _ADD_ON = Scope.CORE, Scope.CUSTOM, Scope.ADD_ON
_PRODUCT_ORDER = {CardKind.REQUEST: 0, CardKind.IMPROVEMENT: 1, CardKind.DEAL: 2}
_RANDOM_CHOICES = (Decision.BUILD, Decision.DEFER, Decision.NO)
_DEBT_WORRY = 8.0  # the debt at which the balanced strategy pays it down before taking new deals


def _decidable(table: tuple[Card, ...]) -> list[Card]:
    return [c for c in table if c.kind is not _EVENT]


def always_yes(company: Company, table: tuple[Card, ...], capacity: int, rng: random.Random) -> Plan:
    """Say yes to every deal and every ask, whatever it costs: the biggest deals first, then the asks."""
    cards = _decidable(table)
    cards.sort(key=lambda c: (c.kind is not _DEAL, -c.deal_size))
    return {c.id: _BUILD for c in cards}


def product_first(company: Company, table: tuple[Card, ...], capacity: int, rng: random.Random) -> Plan:
    """Existing users and the core product first; never rush; no to custom work and add-ons."""
    plan: Plan = {}
    wanted: list[Card] = []
    for c in _decidable(table):
        if c.scope is not _CORE:
            plan[c.id] = _NO
        else:
            wanted.append(c)
    wanted.sort(key=lambda c: (_PRODUCT_ORDER[c.kind], c.effort))
    _fill(plan, wanted, capacity)
    return plan


def balanced(company: Company, table: tuple[Card, ...], capacity: int, rng: random.Random) -> Plan:
    """Sell, but keep existing customers happy: good deals first, little rushing, few add-ons."""
    plan: Plan = {}
    wanted: list[Card] = []
    for c in _decidable(table):
        ratio = c.deal_size / max(1, c.effort)
        if (c.kind is _DEAL and c.scope is _CUSTOM and ratio < 25) or (c.scope is _ADD_ON and c.effort > 1):
            plan[c.id] = _NO
        else:
            wanted.append(c)

    indebted = company.tech_debt >= _DEBT_WORRY

    def priority(c: Card) -> tuple[int, float]:
        if c.kind is _REQUEST:
            return (0, c.effort)
        if c.kind is _DEAL:
            return (1, -c.deal_size / max(1, c.effort))
        return (0 if indebted else 2, c.effort)  # improvements jump the queue once debt starts to bite

    wanted.sort(key=priority)
    _fill(plan, wanted, capacity + 1)
    return plan


def random_choice(company: Company, table: tuple[Card, ...], capacity: int, rng: random.Random) -> Plan:
    """Decide every card at random: the baseline any thoughtful team should beat."""
    return {c.id: rng.choice(_RANDOM_CHOICES) for c in _decidable(table)}


def always_no(company: Company, table: tuple[Card, ...], capacity: int, rng: random.Random) -> Plan:
    """Say no to everything: all focus, no customers served. Doing nothing is a failure of its own."""
    return {c.id: _NO for c in _decidable(table)}


def always_defer(company: Company, table: tuple[Card, ...], capacity: int, rng: random.Random) -> Plan:
    """Decide nothing: every card waits until its asker gives up."""
    return {c.id: _DEFER for c in _decidable(table)}


def _fill(plan: Plan, wanted: list[Card], budget: int) -> None:
    """Build in order while the effort fits the budget; defer the rest."""
    used = 0
    for c in wanted:
        if used + c.effort <= budget:
            plan[c.id] = _BUILD
            used += c.effort
        else:
            plan[c.id] = _DEFER


STRATEGIES: dict[str, Strategy] = {
    "always-yes": always_yes,
    "product-first": product_first,
    "balanced": balanced,
    "random": random_choice,
    "always-no": always_no,
    "always-defer": always_defer,
}

STRATEGY_BLURBS: dict[str, str] = {
    "always-yes": "Says yes to every deal and every ask.",
    "product-first": "Serves existing users and the core product first; no custom work, no rushing.",
    "balanced": "Takes good deals, keeps customers happy, pays debt down when it bites, rushes a little.",
    "random": "Decides every card at random.",
    "always-no": "Says no to every deal and every ask.",
    "always-defer": "Decides nothing: every card waits until its asker gives up.",
}


def strategy(name: str) -> Strategy:
    try:
        return STRATEGIES[name]
    except KeyError:
        known = ", ".join(STRATEGY_NAMES)
        raise UnknownStrategy(f"unknown strategy {name!r}; choose one of: {known}") from None
