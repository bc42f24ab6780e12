"""The year after the game and company value: what an investor's due diligence would pay for each company.

After the last round the same engine plays out a year of quarters with no new cards
(``game.sim.year_after``): upkeep, liabilities, debt, erosion and churn run on, so the
costs of the last rounds land inside the game. Company value then prices what is left:
recurring revenue at a multiple that rises with growth over that year, less the cost of
cleaning up the debt, of carrying the liabilities and of the revenue at risk from unhappy
customers, plus the cash in the bank. Pure: no I/O, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.model import Company, Scenario, quick_init, quick_new
from game.sim.narrative import money
from game.sim.rules import clamp

YEAR_AFTER_QUARTERS = 4  # quarters played out after the last round
REVENUE_MULTIPLE = 4.0  # x ARR after the year, for a company that holds its revenue flat
GROWTH_MULTIPLE = 6.0  # the multiple moves this much per 100% of growth (or shrinkage) over the year
MULTIPLE_RANGE = (1.0, 10.0)  # no investor pays less or more than this for a dollar of ARR
DEBT_COST = 20.0  # $k to clean up one point of technical debt
LIABILITY_COST = 120.0  # $k to carry or unwind one point of a liability's upkeep a round
AT_RISK_SHARE = 2.0  # x the ARR of unhappy or misfit customers: revenue investors don't trust
RESCUE_PENALTY = 2.0  # negative cash costs this much more: a rescue round on bad terms


@quick_init
@dataclass(frozen=True, slots=True)
class ValuePart:
    """One line of the valuation: what it is, its amount in $k, and why."""

    key: str
    label: str
    amount: float
    text: str


@quick_init
@dataclass(frozen=True, slots=True)
class Valuation:
    """Company value and its parts (they add up to the total)."""

    total: float
    parts: tuple[ValuePart, ...]
    arr_at_end: float  # ARR after the last round
    arr_after_year: float  # ARR after the year played out
    growth: float  # arr_after_year / arr_at_end - 1

    def part(self, key: str) -> float:
        for p in self.parts:
            if p.key == key:
                return p.amount
        return 0.0


def at_risk_arr(company: Company, target_persona: str) -> float:
    """Revenue from customers who feel ignored or were sold a product not built for them."""
    return sum(
        a.arr for a in company.accounts if not a.pooled and (a.neglect >= 1.0 or a.persona != target_persona)
    )


_part = quick_new(ValuePart)  # six a game, every game of the balance check
_PARTS = (
    ("revenue", "Recurring revenue"),
    ("growth", "Growth over the year"),
    ("debt", "Technical debt"),
    ("liabilities", "Liabilities"),
    ("unhappy_customers", "Unhappy customers"),
    ("cash", "Cash"),
)


def company_value(
    scenario: Scenario, at_end: Company, after_year: Company, *, narrate: bool = True
) -> Valuation:
    """What the company is worth after the year played out, in parts (see docs/simulation.md).

    ``narrate=False`` (the balance check) leaves each part's text empty; the amounts are the same.
    """
    arr0, arr1 = at_end.arr, after_year.arr
    growth = arr1 / arr0 - 1.0 if arr0 > 0 else 0.0
    multiple = clamp(REVENUE_MULTIPLE + GROWTH_MULTIPLE * growth, *MULTIPLE_RANGE)
    liabilities = after_year.liabilities
    upkeep = sum(f.maintenance for f in liabilities)
    risky = at_risk_arr(after_year, scenario.target_persona)
    debt, cash = after_year.tech_debt, after_year.cash
    amounts = (
        arr1 * REVENUE_MULTIPLE,
        arr1 * (multiple - REVENUE_MULTIPLE),
        -debt * DEBT_COST,
        -upkeep * LIABILITY_COST,
        -risky * AT_RISK_SHARE,
        cash if cash >= 0 else cash * RESCUE_PENALTY,
    )
    texts = (
        (
            f"{money(arr1)} ARR a year after the game, at {REVENUE_MULTIPLE:g}x",
            f"ARR {'grew' if growth >= 0 else 'shrank'} {abs(growth):.0%} in the year after: "
            f"the multiple becomes {multiple:.1f}x",
            f"{debt:.0f} debt points to clean up at {money(DEBT_COST)} each",
            f"{len(liabilities)} liabilit{'y' if len(liabilities) == 1 else 'ies'} "
            f"costing {upkeep:g} point{'' if upkeep == 1 else 's'} of upkeep a round",
            f"{money(risky)} ARR from customers who feel ignored or were never the product's users",
            f"{money(cash)} in the bank"
            if cash >= 0
            else f"{money(-cash)} short: a rescue round on bad terms",
        )
        if narrate
        else ("",) * len(_PARTS)
    )
    parts = tuple(
        [
            _part(key, label, amount, text)
            for (key, label), amount, text in zip(_PARTS, amounts, texts, strict=True)
        ]
    )
    return Valuation(sum(amounts), parts, arr0, arr1, growth)
