"""The year after the game: quarters with no cards, played on one scratch copy of the company.

Nobody decides any more: every request still waiting is given up on, and upkeep, liabilities,
debt, erosion, word of mouth and churn run on; spare capacity goes into clean-up. The steps are
the round's own (``game.sim.mechanics``), in the round's order, with the figures rounded at the end
of each quarter exactly as a round's company is, so a quarter here is a round with an empty
table. One scratch copy serves the whole year: the balance check plays this for every game.
Pure: no I/O, no clock.
"""

from __future__ import annotations

from game.model import Company, RoundOutcome, Scenario, Snapshot
from game.sim import rules
from game.sim.dice import round_key
from game.sim.mechanics import churn, clean_up, erode_value, give_up_backlog, grow_organically, rot
from game.sim.narrative import Story
from game.sim.round_state import RoundState, freeze, open_round, reopen

__all__ = ["play_out_year"]


def play_out_year(
    scenario: Scenario,
    company: Company,
    seed: int,
    quarters: int,
    *,
    narrate: bool = True,
    scratch: RoundState | None = None,
) -> tuple[Company, tuple[RoundOutcome, ...]]:
    """The company after ``quarters`` quarters with no cards, and (narrated) each quarter's outcome.

    Quarter q rolls the dice of round ``len(scenario.rounds) + q``. A quiet year (``narrate=False``)
    returns no outcomes; the company is the same either way. ``scratch``: the scratch copy that
    was frozen into ``company`` (a whole game's loop), carried on instead of opening a new one.
    """
    first = len(scenario.rounds)
    base, burn = company.base_capacity, company.burn
    if scratch is None:
        st = open_round(scenario, company, first, seed, company.maintenance, None)
    else:
        st = scratch
        reopen(st, company, first, seed, None)
    cash = company.cash
    outcomes: list[RoundOutcome] = []
    for q in range(quarters):
        st.round_index = first + q
        st.dice = round_key(seed, first + q)
        st.extra_churn = 0.0
        story = st.story = Story() if narrate else None
        debt = st.debt
        capacity, short = rules.capacity_and_shortfall(base, st.maintenance, debt)
        before = _snapshot(st, capacity, cash) if narrate else None
        if q == 0 and company.backlog:
            give_up_backlog(st, company.backlog)
        if short:
            rot(st, short)
        clean_up(st, capacity)
        grow_organically(st)
        erode_value(st)
        revenue = churn(st) / 4.0
        st.value = round(st.value, 3)
        st.debt = round(st.debt, 3)
        paid = round(cash + revenue - burn, 3)
        if story is not None and before is not None:
            story.cash(revenue, burn)
            if paid < 0 <= cash:
                story.out_of_cash(paid)
            outcomes.append(_told(st, story, before, capacity, paid))
        cash = paid
    return freeze(st, cash, quarters), tuple(outcomes)


def _snapshot(st: RoundState, capacity: int, cash: float) -> Snapshot:
    return Snapshot(
        arr=sum(a.arr for a in st.accounts.values()),
        customer_value=st.value,
        tech_debt=st.debt,
        capacity=capacity,
        cash=cash,
        accounts=len(st.accounts),
        churned_accounts=len(st.churned),
    )


def _told(st: RoundState, story: Story, before: Snapshot, capacity: int, cash: float) -> RoundOutcome:
    """One narrated quarter: its story, its causes and the capacity it leaves."""
    now = freeze(st, cash)
    return RoundOutcome(
        round_index=st.round_index,
        before=before,
        after=_snapshot(st, rules.capacity_of(now), cash),
        lines=tuple(story.lines),
        headline=story.headline,
        causes=tuple(story.causes),
        effort_used=0,
        capacity=capacity,
        decisions=(),
        capacity_parts=rules.capacity_parts(now),
    )
