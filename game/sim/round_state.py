"""One company's scratch copy while a round resolves: opened from the company, frozen back into one.

The round's steps (``game.sim.mechanics``) change this copy in place, which is far cheaper than
building a new frozen ``Company`` after every card; the caller's company is never touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from game.model import Account, Company, Feature, Pending, Return, Scenario, quick_new
from game.sim import rules
from game.sim.dice import round_key
from game.sim.narrative import Story

_company = quick_new(Company)  # freeze makes one every round of every game


@dataclass(slots=True)
class RoundState:
    """Scratch state while one round resolves; frozen into a Company at the end."""

    scenario: Scenario
    company: Company
    round_index: int
    dice: int  # round_key(seed, round_index): every roll this round starts from it
    accounts: dict[str, Account]
    debt: float
    value: float
    pressure_shift: float
    pressure: float  # the market pressure now: the scenario's, moved by the events that have landed
    features: list[Feature]
    working_curb: list[float]  # curb appeal of every feature that is not a liability, in build order
    maintenance: float  # of every feature, kept up to date as features are added
    capacity: int  # this round's capacity (worked out again for the next round as this one ends)
    short: int  # the upkeep points the capacity floor leaves undone this round (they rot)
    churned: list[Account]
    next_account_id: int
    story: Story | None  # None: a quiet round, told to no one; the numbers are the same
    backlog: list[Pending] = field(default_factory=list)
    returns: list[Return] = field(default_factory=list)
    extra_churn: float = 0.0
    renewals: set[str] = field(default_factory=set)
    new_accounts: set[str] = field(default_factory=set)
    waiting: set[str] = field(default_factory=set)  # accounts with a request still in the backlog
    rushed: int = 0

    def shift_pressure(self, by: float) -> None:
        """A market event moves the pressure from now on."""
        self.pressure_shift += by
        self.pressure = market_pressure(self.scenario, self.pressure_shift)


def market_pressure(scenario: Scenario, shift: float) -> float:
    return rules.clamp(scenario.market.pressure + shift, 0.0, 1.0)


def open_round(
    scenario: Scenario, company: Company, round_index: int, seed: int, maintenance: float, story: Story | None
) -> RoundState:
    """The company's scratch copy for one round (``maintenance`` is ``company.maintenance``)."""
    capacity, short = rules.capacity_and_shortfall(company.base_capacity, maintenance, company.tech_debt)
    return RoundState(
        scenario=scenario,
        company=company,
        round_index=round_index,
        dice=round_key(seed, round_index),
        accounts={a.name: a for a in company.accounts},
        debt=company.tech_debt,
        value=company.customer_value,
        pressure_shift=company.market_pressure_shift,
        pressure=market_pressure(scenario, company.market_pressure_shift),
        features=list(company.features),
        working_curb=[f.curb_appeal for f in company.features if not f.liability],
        maintenance=maintenance,
        capacity=capacity,
        short=short,
        churned=list(company.churned),
        next_account_id=company.next_account_id,
        story=story,
    )


def reopen(st: RoundState, company: Company, round_index: int, seed: int, story: Story | None) -> None:
    """Carry the scratch copy on to the next round (or quarter): ``company`` is what ``freeze``
    made of it, and ``capacity``/``short`` were worked out for it as the round ended. Cheaper than
    ``open_round`` because the accounts, features and upkeep carry over as they are; the figures
    start from the company's, rounded as it rounds them."""
    st.company = company
    st.round_index = round_index
    st.dice = round_key(seed, round_index)
    st.debt = company.tech_debt
    st.value = company.customer_value
    st.story = story
    st.backlog = []
    st.returns = []
    st.extra_churn = 0.0
    st.renewals = set()
    st.new_accounts = set()
    st.waiting = set()
    st.rushed = 0


def freeze(st: RoundState, cash: float, rounds: int = 1) -> Company:
    """The company after the round (or after ``rounds`` rounds played on this one copy)."""
    c = st.company
    return _company(
        name=c.name,
        base_capacity=c.base_capacity,
        cash=round(cash, 3),
        burn=c.burn,
        customer_value=round(st.value, 3),
        tech_debt=round(st.debt, 3),
        accounts=tuple(st.accounts.values()),
        features=tuple(st.features),
        backlog=tuple(st.backlog),
        returns=tuple(st.returns),
        churned=tuple(st.churned),
        market_pressure_shift=st.pressure_shift,
        next_account_id=st.next_account_id,
        rounds_played=c.rounds_played + rounds,
    )
