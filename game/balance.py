"""The balance check: every reference strategy over many seeds, and whether the scenario's claims hold."""

from __future__ import annotations

from dataclasses import dataclass

from game.model import STRATEGY_NAMES, Claim, Company, Metric, Scenario
from game.playthrough import play

SUMMARY_METRICS: tuple[Metric, ...] = (
    Metric.ARR,
    Metric.CUSTOMER_VALUE,
    Metric.TECH_DEBT,
    Metric.CHURNED_ACCOUNTS,
    Metric.CASH,
)
CLAIM_THRESHOLD = 0.9


@dataclass(frozen=True, slots=True)
class Spread:
    mean: float
    p10: float
    p50: float
    p90: float


@dataclass(frozen=True, slots=True)
class ClaimResult:
    claim: Claim
    holds_rate: float

    @property
    def holds(self) -> bool:
        return self.holds_rate >= CLAIM_THRESHOLD


@dataclass(frozen=True, slots=True)
class BalanceReport:
    scenario_id: str
    games: int
    spreads: dict[str, dict[Metric, Spread]]  # strategy -> metric -> spread
    claims: tuple[ClaimResult, ...]

    @property
    def ok(self) -> bool:
        return all(c.holds for c in self.claims)


def metric_of(company: Company, metric: Metric) -> float:
    """An end-of-game figure by name."""
    if metric is Metric.ARR:
        return company.arr
    if metric is Metric.CUSTOMER_VALUE:
        return company.customer_value
    if metric is Metric.TECH_DEBT:
        return company.tech_debt
    if metric is Metric.CHURNED_ACCOUNTS:
        return float(len(company.churned))
    return company.cash


def quantile(sorted_values: list[float], q: float) -> float:
    """Linear-interpolated quantile of an already sorted list."""
    if not sorted_values:
        return 0.0
    pos = q * (len(sorted_values) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def spread(values: list[float]) -> Spread:
    s = sorted(values)
    mean = sum(s) / len(s) if s else 0.0
    return Spread(mean, quantile(s, 0.1), quantile(s, 0.5), quantile(s, 0.9))


def claim_holds(claim: Claim, finals: dict[str, Company]) -> bool:
    """Does the claim hold for one seed, given each strategy's final company?"""
    m = claim.metric
    if claim.winner:
        w, lo = metric_of(finals[claim.winner], m), metric_of(finals[claim.loser], m)
        lead = w - lo if m.higher_is_better else lo - w
        return lead > 0 if claim.margin == 0 else lead >= claim.margin
    value = metric_of(finals[claim.strategy], m)
    if claim.at_least is not None:
        return value >= claim.at_least
    return claim.at_most is None or value <= claim.at_most


def finals_for_seed(scenario: Scenario, seed: int) -> dict[str, Company]:
    """Every reference strategy's final company on one seed: the balance check's unit of work.

    Games are played without narration (no story lines or causes): the check reads only the
    numbers, which are the same as in a narrated game (tests/engine/test_quiet.py).
    """
    return {name: play(scenario, name, seed, narrate=False).final for name in STRATEGY_NAMES}


def run_balance(scenario: Scenario, games: int, first_seed: int = 1) -> BalanceReport:
    """Play every strategy on seeds first_seed.. first_seed+games-1 and tally the claims."""
    values: dict[str, dict[Metric, list[float]]] = {
        name: {m: [] for m in SUMMARY_METRICS} for name in STRATEGY_NAMES
    }
    held = [0] * len(scenario.claims)
    for seed in range(first_seed, first_seed + games):
        finals = finals_for_seed(scenario, seed)
        for name, company in finals.items():
            for m in SUMMARY_METRICS:
                values[name][m].append(metric_of(company, m))
        for i, claim in enumerate(scenario.claims):
            held[i] += claim_holds(claim, finals)
    spreads = {name: {m: spread(v) for m, v in per.items()} for name, per in values.items()}
    claims = tuple(ClaimResult(c, held[i] / games if games else 0.0) for i, c in enumerate(scenario.claims))
    return BalanceReport(scenario.id, games, spreads, claims)


def report_json(report: BalanceReport) -> dict[str, object]:
    """The documented JSON shape of a balance report."""
    return {
        "scenario": report.scenario_id,
        "games": report.games,
        "strategies": {
            name: {
                m.value: {
                    "mean": round(s.mean, 2),
                    "p10": round(s.p10, 2),
                    "p50": round(s.p50, 2),
                    "p90": round(s.p90, 2),
                }
                for m, s in per.items()
            }
            for name, per in report.spreads.items()
        },
        "claims": [
            {"text": c.claim.text, "holds_rate": round(c.holds_rate, 4), "holds": c.holds}
            for c in report.claims
        ],
    }
