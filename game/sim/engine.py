"""The simulation: one round of one company, as a pure function of state, plan and seed.

This module runs the round in order (market events, each card's decision, the end of the
round, cash) on a scratch copy (``game.sim.round_state``) and hands back the new company with its
outcome; ``game.sim.mechanics`` holds what each step does to the numbers and ``game.sim.narrative``
how the round is told.
"""

from __future__ import annotations

from collections.abc import Mapping

from game.errors import PlanError
from game.model import (
    COMEBACK_SUFFIX,
    Card,
    CardKind,
    Company,
    Decision,
    RoundOutcome,
    Scenario,
    Snapshot,
    quick_new,
)
from game.sim import rules
from game.sim.mechanics import (
    build,
    churn,
    clean_up,
    defer,
    erode_value,
    grow_organically,
    land_event,
    refuse,
    rot,
    rush,
)
from game.sim.narrative import Story, money
from game.sim.round_state import RoundState, freeze, open_round, reopen
from game.sim.table import cards_on_table

__all__ = ["money", "play_round", "resolve_round", "snapshot", "start_company"]

# Enum members read through module names: see game.mechanics.
_EVENT = CardKind.EVENT
_BUILD, _DEFER, _NO = Decision.BUILD, Decision.DEFER, Decision.NO
_snapshot, _outcome = quick_new(Snapshot), quick_new(RoundOutcome)  # made every round: see model.quick_new


def start_company(scenario: Scenario) -> Company:
    """The company every team starts the game with."""
    sc = scenario.company
    return Company(
        name=sc.name,
        base_capacity=sc.capacity,
        cash=sc.cash,
        burn=sc.burn,
        customer_value=min(sc.customer_value, rules.MAX_CUSTOMER_VALUE),
        tech_debt=sc.tech_debt,
        accounts=sc.accounts,
        next_account_id=max((a.id for a in sc.accounts), default=0) + 1,
    )


def snapshot(company: Company, capacity: int | None = None) -> Snapshot:
    """The headline figures; pass the capacity when it is already known (it costs a sum)."""
    return Snapshot(
        arr=company.arr,
        customer_value=company.customer_value,
        tech_debt=company.tech_debt,
        capacity=rules.capacity_of(company) if capacity is None else capacity,
        cash=company.cash,
        accounts=len(company.accounts),
        churned_accounts=len(company.churned),
    )


def resolve_round(
    scenario: Scenario,
    company: Company,
    plan: Mapping[str, Decision],
    round_index: int,
    seed: int,
    table: tuple[Card, ...] | None = None,
    before: Snapshot | None = None,
    *,
    narrate: bool = True,
) -> tuple[Company, RoundOutcome]:
    """Apply one round's plan to one company. Undecided cards count as Defer. Never mutates input.

    Builds are made in the plan's order (the order the team chose them) while they fit the
    round's build limit (capacity plus what the team can rush); a build that does not fit is
    deferred. ``table`` (``cards_on_table(...)``) and ``before`` (``snapshot(company)``) may be
    passed in when the caller already has them; a whole game loop does.

    ``narrate=False`` is for callers that read only the numbers (the balance check): the
    outcome then has no lines, headline or causes, and none of their strings are built.
    Every number -- the company, both snapshots, effort and decisions -- is the same either way.
    """
    if table is None:
        table = cards_on_table(scenario, company, round_index)
    decidable = _decidable(plan, table)
    st = open_round(scenario, company, round_index, seed, company.maintenance, Story() if narrate else None)
    return _resolve(st, plan, table, decidable, before)


def play_round(
    st: RoundState,
    company: Company,
    plan: Mapping[str, Decision],
    round_index: int,
    seed: int,
    table: tuple[Card, ...],
    before: Snapshot,
    *,
    narrate: bool = True,
) -> tuple[Company, RoundOutcome]:
    """``resolve_round`` on a scratch copy carried through a whole game: ``st`` was opened from the
    starting company (``open_round``) or frozen into ``company`` by the last round. The same
    company and outcome as ``resolve_round``, without rebuilding the scratch copy every round."""
    decidable = _decidable(plan, table)
    reopen(st, company, round_index, seed, Story() if narrate else None)
    return _resolve(st, plan, table, decidable, before)


def _decidable(plan: Mapping[str, Decision], table: tuple[Card, ...]) -> dict[str, Card]:
    """The cards a plan may decide, by id; a plan that names any other card is refused."""
    decidable = {c.id: c for c in table if c.kind is not _EVENT}
    if decidable.keys() >= plan.keys():
        return decidable
    unknown = [cid for cid in plan if cid not in decidable]
    if unknown:
        raise PlanError(f"not on the table this round: {', '.join(sorted(unknown))}")
    return decidable


def _resolve(
    st: RoundState,
    plan: Mapping[str, Decision],
    table: tuple[Card, ...],
    decidable: dict[str, Card],
    before: Snapshot | None,
) -> tuple[Company, RoundOutcome]:
    company = st.company
    round_index = st.round_index
    capacity, short = st.capacity, st.short
    story = st.story
    for card in table:
        if card.kind is _EVENT:
            land_event(st, card)
    limit = rules.build_limit(capacity)
    used = 0
    built: set[str] = set()
    for cid, decision in plan.items():
        if decision is not _BUILD:
            continue
        card = decidable[cid]
        effort = card.effort
        if used + effort > limit:
            continue
        rushed = used + effort - (capacity if capacity > used else used)
        used += effort
        build(st, card, rushed if rushed > 0 else 0)
        built.add(cid)
    if st.rushed:
        rush(st)
    waited = {p.card_id: p for p in company.backlog} if company.backlog else {}
    decisions: list[tuple[str, Decision]] = []
    bumped: list[str] = []
    for cid, card in decidable.items():
        if cid in built:
            decisions.append((cid, _BUILD))
            continue
        decision = plan.get(cid, _DEFER)
        if decision is _NO:
            refuse(st, card)
            decisions.append((cid, _NO))
            continue
        if decision is _BUILD:
            bumped.append(cid)
        defer(st, card, waited.get(cid), decision is _BUILD)
        decisions.append((cid, _DEFER))
    # Returning prospects that were not yet due stay in line (the year after sends them away).
    if company.returns:
        on_table = {c.id for c in table}
        st.returns.extend(r for r in company.returns if r.card_id + COMEBACK_SUFFIX not in on_table)
    if short:
        rot(st, short)
    clean_up(st, capacity - used)
    grow_organically(st)
    erode_value(st)
    arr = churn(st)
    revenue = arr / 4.0
    after = freeze(st, company.cash + revenue - company.burn)
    after_capacity, st.short = rules.capacity_and_shortfall(
        after.base_capacity, st.maintenance, after.tech_debt
    )
    st.capacity = after_capacity  # the next round's, if this scratch copy is carried on
    if story is not None:
        story.cash(revenue, company.burn)
        if after.cash < 0 <= company.cash:
            story.out_of_cash(after.cash)
    outcome = _outcome(
        round_index=round_index,
        before=snapshot(company, capacity) if before is None else before,
        after=_snapshot(
            arr=arr,
            customer_value=after.customer_value,
            tech_debt=after.tech_debt,
            capacity=after_capacity,
            cash=after.cash,
            accounts=len(after.accounts),
            churned_accounts=len(after.churned),
        ),
        lines=() if story is None else tuple(story.lines),
        headline="" if story is None else story.headline,
        causes=() if story is None else tuple(story.causes),
        effort_used=used,
        capacity=capacity,
        decisions=tuple(decisions),
        capacity_parts=() if story is None else rules.capacity_parts(after),
        bumped=tuple(bumped),
    )
    return after, outcome
