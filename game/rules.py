"""The simulation's formulas and constants, kept apart so balance can be read and tuned in one place."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache

from game.model import Account, Company, Feature

RUSH_DEBT_PER_POINT = 1.0  # debt added per effort point built past capacity
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
MAX_CHURN = 0.4
RENEWAL_RISK = 0.15  # extra churn for an account whose renewal comes up
NEGLECT_DEFERRED = 1.0
NEGLECT_REFUSED = 1.5
NEGLECT_GAVE_UP = 2.0
NEGLECT_CALMING = 0.6  # neglect kept each round when nothing of theirs is waiting

WIN_BASE = 0.55
WIN_CURB_WEIGHT = 0.35
WIN_VALUE_WEIGHT = 0.25


def clamp(x: float, lo: float, hi: float) -> float:
    return lo if x < lo else hi if x > hi else x


@cache  # called twice a round with one of a few base capacities
def capacity_floor(base_capacity: int) -> int:
    return max(1, math.ceil(base_capacity * CAPACITY_FLOOR_SHARE))


def capacity_of(company: Company) -> int:
    """Effort points this round: the base, less maintenance of what was built and drag from debt."""
    return capacity_for(company.base_capacity, company.maintenance, company.tech_debt)


def capacity_for(base_capacity: int, maintenance: float, tech_debt: float) -> int:
    lost = maintenance + tech_debt // DEBT_PER_LOST_POINT
    capacity = int(base_capacity - round(lost))
    floor = capacity_floor(base_capacity)
    return capacity if capacity > floor else floor


def product_curb_appeal(features: Sequence[Feature]) -> float:
    """How well the product demos: the mean curb appeal of what works (5 for an empty product)."""
    return mean_curb_appeal([f.curb_appeal for f in features if not f.liability])


def mean_curb_appeal(working: Sequence[float]) -> float:
    """``product_curb_appeal`` from the curb appeals of the working features, in build order."""
    return sum(working) / len(working) if working else 5.0


def win_probability(card_curb: float, product_curb: float, customer_value: float, pressure: float) -> float:
    """A built deal's chance to sign: curb appeal counts more under pressure, value under calm."""
    curb = clamp((0.5 * card_curb + 0.5 * product_curb - 5.0) / 5.0, -1.0, 1.0)
    value = clamp((customer_value - 50.0) / 50.0, -1.0, 1.0)
    p = WIN_BASE + WIN_CURB_WEIGHT * pressure * curb + WIN_VALUE_WEIGHT * (1.0 - pressure) * value
    return clamp(p, 0.05, 0.95)


def churn_pressure(tech_debt: float, customer_value: float, extra: float) -> float:
    """The part of churn every account shares this round: quality problems, value relief, events."""
    p = BASE_CHURN + extra
    if tech_debt > DEBT_FREE_ALLOWANCE:
        p += QUALITY_CHURN * (tech_debt - DEBT_FREE_ALLOWANCE)
    if customer_value > 50.0:
        p -= VALUE_CHURN_RELIEF * (customer_value - 50.0)
    return p


def churn_probability(account: Account, target_persona: str, pressure: float) -> float:
    """An account's chance to leave this round: neglect and persona misfit on top of the shared part."""
    p = pressure + NEGLECT_CHURN * account.neglect
    if account.persona != target_persona:
        p += MISFIT_CHURN
    return clamp(p, 0.0, MAX_CHURN)


def feature_value(lasting_value: float, persona: str, target_persona: str) -> float:
    """What a feature adds to customer value, weighted by fit with the target persona."""
    return lasting_value if persona == target_persona else lasting_value * OFF_PERSONA_FIT


def value_erosion(customer_value: float, tech_debt: float) -> float:
    """Customer value lost this round to fading relevance and to quality problems from debt."""
    return customer_value * VALUE_DECAY + DEBT_VALUE_EROSION * max(0.0, tech_debt - DEBT_FREE_ALLOWANCE)
