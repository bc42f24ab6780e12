"""The simulation: one round of one company, as a pure function of state, plan and seed.

This module runs the round in order (market events, each card's decision, the end of the
round, cash) on a scratch copy (``game.round_state``) and hands back the new company with its
outcome; ``game.mechanics`` holds what each step does to the numbers and ``game.narrative``
how the round is told.
"""

from __future__ import annotations

from collections.abc import Mapping

from game import rules
from game.errors import PlanError
from game.mechanics import build, churn, clean_up, defer, erode_value, grow_organically, land_event, refuse
from game.model import Card, CardKind, Company, Decision, RoundOutcome, Scenario, Snapshot
from game.narrative import Story, money
from game.round_state import freeze, open_round
from game.table import COMEBACK_SUFFIX, cards_on_table

__all__ = ["money", "resolve_round", "snapshot", "start_company"]

# Enum members read through module names: see game.mechanics.
_EVENT = CardKind.EVENT
_BUILD, _DEFER, _NO = Decision.BUILD, Decision.DEFER, Decision.NO


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

    ``table`` (``cards_on_table(...)``) and ``before`` (``snapshot(company)``) may be passed in
    when the caller already has them; a whole game loop does.

    ``narrate=False`` is for callers that read only the numbers (the balance check): the
    outcome then has no lines, headline or causes, and none of their strings are built.
    Every number -- the company, both snapshots, effort and decisions -- is the same either way.
    """
    if table is None:
        table = cards_on_table(scenario, company, round_index)
    decidable = {c.id for c in table if c.kind is not _EVENT}
    unknown = [cid for cid in plan if cid not in decidable]
    if unknown:
        raise PlanError(f"not on the table this round: {', '.join(sorted(unknown))}")
    maintenance = company.maintenance
    capacity = rules.capacity_for(company.base_capacity, maintenance, company.tech_debt)
    story = Story() if narrate else None
    st = open_round(scenario, company, round_index, seed, maintenance, story)
    waited = {p.card_id: p for p in company.backlog} if company.backlog else {}
    for card in table:
        if card.kind is _EVENT:
            land_event(st, card)
    decisions: list[tuple[str, Decision]] = []
    used = 0
    for card in table:
        if card.kind is _EVENT:
            continue
        decision = plan.get(card.id, _DEFER)
        decisions.append((card.id, decision))
        if decision is _BUILD:
            rushed = used + card.effort - (capacity if capacity > used else used)
            rushed = rushed if rushed > 0 else 0
            used += card.effort
            build(st, card, rushed)
        elif decision is _NO:
            refuse(st, card)
        else:
            defer(st, card, waited.get(card.id))
    if st.rushed and story is not None:
        story.rushed(st.rushed)
    # Returning prospects that were not yet due stay in line.
    if company.returns:
        on_table = {c.id for c in table}
        st.returns.extend(r for r in company.returns if r.card_id + COMEBACK_SUFFIX not in on_table)
    clean_up(st, capacity - used)
    grow_organically(st)
    erode_value(st)
    churn(st)
    arr = sum(a.arr for a in st.accounts.values())
    revenue = arr / 4.0
    after = freeze(st, company.cash + revenue - company.burn)
    if story is not None:
        story.cash(revenue, company.burn)
        if after.cash < 0 <= company.cash:
            story.out_of_cash(after.cash)
    outcome = RoundOutcome(
        round_index=round_index,
        before=snapshot(company, capacity) if before is None else before,
        after=Snapshot(
            arr=arr,
            customer_value=after.customer_value,
            tech_debt=after.tech_debt,
            capacity=rules.capacity_for(after.base_capacity, st.maintenance, after.tech_debt),
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
    )
    return after, outcome
