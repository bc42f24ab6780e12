"""The simulation's formulas and constants, kept apart so balance can be read and tuned in one place."""

from __future__ import annotations

import math
from collections.abc import Sequence

from game.model import Account, Cause, Company

RUSH_LIMIT_SHARE = 0.3  # a team can rush at most this share of its capacity past it (at least 1 point)
RUSH_DEBT_PER_POINT = 1.5  # debt added per effort point built past capacity
RUSH_INCIDENT_VALUE = 1.5  # customer value lost per rushed point: the bugs reach users this quarter
RUSH_INCIDENT_CHURN = 0.005  # extra churn risk for every account this round, per rushed point
UNMAINTAINED_DEBT_PER_POINT = 1.0  # upkeep the capacity floor leaves undone rots into this much debt a round
LIMBO_DEBT_PER_CARD = 0.4  # debt a card adds each round it waits half-specified in the backlog
SLACK_PAYDOWN_PER_POINT = 0.5  # unused capacity quietly pays down debt
DEBT_PER_LOST_POINT = 8.0  # every this much debt costs one capacity point
CAPACITY_FLOOR_SHARE = 0.3  # capacity never drops below this share of the base
DEBT_FREE_ALLOWANCE = 6.0  # debt below this hurts nobody
DEBT_VALUE_EROSION = 0.25  # customer value lost per round per debt point above the allowance
VALUE_DECAY = 0.04  # share of customer value that fades each round if nothing is improved
MAX_CUSTOMER_VALUE = 100.0  # customer value is a 0-100 score
OFF_PERSONA_FIT = 0.3  # how much of a feature's lasting value reaches users it was not built for

BASE_CHURN = 0.02
NEGLECT_CHURN = 0.05  # per point of an account's neglect
QUALITY_CHURN = 0.002  # per debt point above the allowance
MISFIT_CHURN = 0.07  # accounts sold outside the target persona
VALUE_CHURN_RELIEF = 0.0015  # per customer-value point above 50
CURB_CHURN = (
    0.15  # under full pressure: churn added (relieved) when the product demos worse (better) than rivals
)
MAX_CHURN = 0.4
RENEWAL_RISK = 0.15  # extra churn for an account whose renewal comes up
NEGLECT_DEFERRED = 1.0
NEGLECT_REFUSED = 1.5
NEGLECT_GAVE_UP = 2.0
NEGLECT_CALMING = 0.6  # neglect kept each round when nothing of theirs is waiting
NEGLECT_FORGOTTEN = 0.1  # neglect calmed below this is forgotten

WIN_BASE = 0.55
WIN_CURB_WEIGHT = 0.35
WIN_VALUE_WEIGHT = 0.25


def clamp(x: float, lo: float, hi: float) -> float:
    return lo if x < lo else hi if x > hi else x


def capacity_floor(base_capacity: int) -> int:
    return max(1, math.ceil(base_capacity * CAPACITY_FLOOR_SHARE))


def rush_limit(capacity: int) -> int:
    """How many points past its capacity a team can rush in a round: beyond that, work does not fit."""
    return max(1, math.ceil(capacity * RUSH_LIMIT_SHARE))


def build_limit(capacity: int) -> int:
    """The most effort a team can build in a round: its capacity plus what it can rush."""
    return capacity + rush_limit(capacity)


def capacity_and_shortfall(base_capacity: int, maintenance: float, tech_debt: float) -> tuple[int, int]:
    """Capacity this round, and the points of upkeep the floor excuses: nobody has time for them,
    so they rot into debt. Only upkeep rots, not debt's own drag, so debt does not feed on itself."""
    lost = maintenance + tech_debt // DEBT_PER_LOST_POINT
    capacity = int(base_capacity - round(lost))
    if capacity > 1 and capacity > base_capacity * CAPACITY_FLOOR_SHARE + 1:  # clear of the floor
        return capacity, 0
    floor = capacity_floor(base_capacity)
    if capacity > floor:
        return capacity, 0
    upkeep = round(maintenance)
    short = floor - capacity
    return floor, short if short < upkeep else upkeep


def capacity_of(company: Company) -> int:
    """Effort points this round: the base, less maintenance of what was built and drag from debt."""
    return capacity_and_shortfall(company.base_capacity, company.maintenance, company.tech_debt)[0]


def capacity_parts(company: Company) -> tuple[Cause, ...]:
    """What a company's capacity is made of: the base, each feature's upkeep, debt's drag, the floor.

    The parts add up to ``capacity_of(company)``.
    """
    base = company.base_capacity
    parts = [Cause("capacity", float(base), text="the team's base capacity")]
    for f in company.features:
        if f.maintenance:
            what = f"upkeep of {f.title}" + (f" (a liability: {f.liability})" if f.liability else "")
            parts.append(Cause("capacity", -f.maintenance, f.card_id, what, "build"))
    drag = company.tech_debt // DEBT_PER_LOST_POINT
    if drag:
        parts.append(Cause("capacity", -drag, text=f"drag from {company.tech_debt:.0f} tech debt"))
    raw = base - (company.maintenance + drag)
    whole = int(base - round(company.maintenance + drag))
    if whole != raw:
        parts.append(Cause("capacity", whole - raw, text="rounded to whole points"))
    floor = capacity_floor(base)
    if whole < floor:
        parts.append(
            Cause(
                "capacity",
                float(floor - whole),
                text="the floor: the team always has this much (the rest rots)",
            )
        )
    return tuple(parts)


def mean_curb_appeal(working: Sequence[float]) -> float:
    """How well the product demos: the mean curb appeal of its working features (not liabilities),
    in build order; a product with none demos like the average rival (5)."""
    return sum(working) / len(working) if working else 5.0


def market_weight(pressure: float) -> float:
    """How much customer value counts with buyers and users: 2 in a calm market, 1 at 0.5, 0 at full pressure.

    In a fierce, undifferentiated market buyers decide on the demo and the price, customers
    switch for a discount, and word of mouth is drowned out: value protects and attracts less.
    """
    return 2.0 * (1.0 - clamp(pressure, 0.0, 1.0))


def win_probability(card_curb: float, product_curb: float, customer_value: float, pressure: float) -> float:
    """A built deal's chance to sign: curb appeal counts more under pressure, value under calm."""
    curb = clamp((0.5 * card_curb + 0.5 * product_curb - 5.0) / 5.0, -1.0, 1.0)
    value = clamp((customer_value - 50.0) / 50.0, -1.0, 1.0)
    p = WIN_BASE + WIN_CURB_WEIGHT * pressure * curb + WIN_VALUE_WEIGHT * (1.0 - pressure) * value
    return clamp(p, 0.05, 0.95)


def churn_pressure(
    tech_debt: float, customer_value: float, extra: float, pressure: float = 0.5, product_curb: float = 5.0
) -> float:
    """The part of churn every account shares this round: quality problems, value relief, events.

    Value keeps customers in a calm market; under full market pressure it protects nobody, and
    customers compare demos instead: a product that demos worse than the average rival (curb
    appeal 5) loses them to the slicker one, a product that demos better keeps them.
    """
    p = BASE_CHURN + extra + CURB_CHURN * pressure * (5.0 - product_curb) / 5.0
    if tech_debt > DEBT_FREE_ALLOWANCE:
        p += QUALITY_CHURN * (tech_debt - DEBT_FREE_ALLOWANCE)
    if customer_value > 50.0:
        p -= VALUE_CHURN_RELIEF * (customer_value - 50.0) * market_weight(pressure)
    return p


def misfit_churn(pressure: float) -> float:
    """Extra churn for accounts sold outside the target persona; in an undifferentiated market
    (high pressure) no rival fits them better, so they have less reason to leave."""
    return MISFIT_CHURN * min(1.0, market_weight(pressure))


def churn_probability(
    account: Account, target_persona: str, shared: float, misfit: float = MISFIT_CHURN
) -> float:
    """An account's chance to leave this round: neglect and persona misfit on top of the shared part."""
    p = shared + NEGLECT_CHURN * account.neglect
    if account.persona != target_persona:
        p += misfit
    return clamp(p, 0.0, MAX_CHURN)


def feature_value(lasting_value: float, persona: str, target_persona: str) -> float:
    """What a feature adds to customer value, weighted by fit with the target persona."""
    return lasting_value if persona == target_persona else lasting_value * OFF_PERSONA_FIT


def value_erosion(customer_value: float, tech_debt: float) -> float:
    """Customer value lost this round to fading relevance and to quality problems from debt."""
    return customer_value * VALUE_DECAY + DEBT_VALUE_EROSION * max(0.0, tech_debt - DEBT_FREE_ALLOWANCE)
