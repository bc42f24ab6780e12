"""The balance check: every strategy over many seeds, how often each beats each, and whether the claims hold.

The strategies are the reference ones, the scenario's own (``strategies:``) and any extra ones
(strategy files given on the command line). Games are played without narration, and the five
signals are scored without their sentences.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from game.model import CLAIM_SHARE, STRATEGY_NAMES, Claim, Company, Metric, Scenario, StrategySpec
from game.sim.figures import figure, metric_of
from game.sim.playthrough import PlayedGame, play_with
from game.sim.signals import SIGNAL_NAMES, final_decisions, signal_scores
from game.sim.strategies import Strategy
from game.sim.strategy_rules import find_strategy, strategy_names

__all__ = [
    "CLAIM_THRESHOLD",
    "SUMMARY_METRICS",
    "BalanceReport",
    "ClaimResult",
    "Spread",
    "claim_holds",
    "finals_for_seed",
    "games_for_seed",
    "metric_of",
    "quantile",
    "report_json",
    "run_balance",
    "spread",
]

SUMMARY_METRICS: tuple[Metric, ...] = (
    Metric.COMPANY_VALUE,
    Metric.ARR,
    Metric.CUSTOMER_VALUE,
    Metric.TECH_DEBT,
    Metric.CHURNED_ACCOUNTS,
    Metric.CASH,
)
CLAIM_THRESHOLD = CLAIM_SHARE  # the default; each claim may ask for its own share


@dataclass(frozen=True, slots=True)
class Spread:
    mean: float
    p10: float
    p50: float
    p90: float


@dataclass(frozen=True, slots=True)
class ClaimResult:
    """How often a claim held, seed by seed; for an on-average claim, also the mean lead."""

    claim: Claim
    holds_rate: float
    mean_lead: float = 0.0  # the winner's mean minus the loser's, better-is-positive

    @property
    def holds(self) -> bool:
        c = self.claim
        if c.on_average:
            return self.mean_lead > 0 if c.margin == 0 else self.mean_lead >= c.margin
        return self.holds_rate >= c.share


@dataclass(frozen=True, slots=True)
class BalanceReport:
    """What the balance check found, per strategy in the order played, and per claim."""

    scenario_id: str
    games: int
    spreads: dict[str, dict[Metric, Spread]]  # strategy -> metric -> spread
    claims: tuple[ClaimResult, ...]
    arr_by_round: dict[str, tuple[float, ...]]  # strategy -> mean ARR after each round
    signals: dict[str, dict[str, float]]  # strategy -> signal key -> mean score (0-100)
    beats: dict[str, dict[str, float]]  # A -> B -> share of seeds where A's company value > B's

    @property
    def ok(self) -> bool:
        return all(c.holds for c in self.claims)


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


def claim_lead(claim: Claim, games: Mapping[str, PlayedGame]) -> float:
    """How far a comparison's winner is ahead of its loser on one seed (negative: behind)."""
    m, after = claim.metric, claim.after_round
    w = figure(games[claim.winner], m, after)
    lo = figure(games[claim.loser], m, after)
    return w - lo if m.higher_is_better else lo - w


def claim_holds(claim: Claim, games: Mapping[str, PlayedGame]) -> bool:
    """Does the claim hold for one seed, given each strategy's game on it?"""
    m, after = claim.metric, claim.after_round
    if claim.winner:
        lead = claim_lead(claim, games)
        return lead > 0 if claim.margin == 0 else lead >= claim.margin
    value = figure(games[claim.strategy], m, after)
    if claim.at_least is not None:
        return value >= claim.at_least
    return claim.at_most is None or value <= claim.at_most


def players(scenario: Scenario, extra: Sequence[StrategySpec] = ()) -> dict[str, Strategy]:
    """Every strategy the balance check plays, by name: reference, the scenario's own, then the extra ones."""
    return {name: find_strategy(scenario, name, extra) for name in strategy_names(scenario, extra)}


def games_for_seed(scenario: Scenario, seed: int, playing: Mapping[str, Strategy]) -> dict[str, PlayedGame]:
    """Each strategy's game on one seed, without narration: the balance check's unit of work.

    The numbers are the same as in a narrated game (tests/engine/test_quiet.py).
    """
    return {name: play_with(scenario, choose, name, seed, narrate=False) for name, choose in playing.items()}


def finals_for_seed(scenario: Scenario, seed: int) -> dict[str, Company]:
    """Every reference strategy's company after the last round on one seed."""
    playing = {name: find_strategy(scenario, name) for name in STRATEGY_NAMES}
    return {name: game.final for name, game in games_for_seed(scenario, seed, playing).items()}


class _Signals:
    """Mean signal scores per strategy (the scores read only each game's decisions)."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.totals: dict[str, list[float]] = {}

    def add(self, name: str, game: PlayedGame) -> None:
        scores = signal_scores(self.scenario, final_decisions(game.outcomes))
        totals = self.totals.setdefault(name, [0.0] * len(scores))
        for i, score in enumerate(scores):
            totals[i] += score

    def means(self, games: int) -> dict[str, dict[str, float]]:
        keys = list(SIGNAL_NAMES)
        return {
            name: {k: t / games for k, t in zip(keys, totals, strict=True)}
            for name, totals in self.totals.items()
        }


def run_balance(
    scenario: Scenario, games: int, first_seed: int = 1, extra_strategies: Sequence[StrategySpec] = ()
) -> BalanceReport:
    """Play every strategy on seeds first_seed.. first_seed+games-1 and tally the figures and the claims.

    ``extra_strategies`` (e.g. from ``game.scenario.strategy_files.load_strategy_file``) play beside the
    reference strategies and the scenario's own; a what-if setting is applied when loading the
    scenario (``load_scenario(path, settings=[...])``).
    """
    playing = players(scenario, extra_strategies)
    names = list(playing)
    values: dict[str, dict[Metric, list[float]]] = {n: {m: [] for m in SUMMARY_METRICS} for n in names}
    rounds = len(scenario.rounds)
    arr_sums = {n: [0.0] * rounds for n in names}
    wins = {a: dict.fromkeys((b for b in names if b != a), 0) for a in names}
    signals = _Signals(scenario)
    held = [0] * len(scenario.claims)
    leads = [0.0] * len(scenario.claims)
    for seed in range(first_seed, first_seed + games):
        played = games_for_seed(scenario, seed, playing)
        worth = {n: g.valuation.total for n, g in played.items()}
        for name, game in played.items():
            per = values[name]
            per[Metric.COMPANY_VALUE].append(worth[name])
            final = game.final
            for m in SUMMARY_METRICS[1:]:
                per[m].append(metric_of(final, m))
            sums = arr_sums[name]
            for r, outcome in enumerate(game.outcomes):
                sums[r] += outcome.after.arr  # the company's ARR after the round, already summed
            signals.add(name, game)
            mine, beaten = worth[name], wins[name]
            for other in beaten:
                if mine > worth[other]:
                    beaten[other] += 1
        for i, claim in enumerate(scenario.claims):
            held[i] += claim_holds(claim, played)
            if claim.on_average:
                leads[i] += claim_lead(claim, played)
    share = 1 / games if games else 0.0
    return BalanceReport(
        scenario_id=scenario.id,
        games=games,
        spreads={n: {m: spread(v) for m, v in per.items()} for n, per in values.items()},
        claims=tuple(
            ClaimResult(c, held[i] * share, leads[i] * share) for i, c in enumerate(scenario.claims)
        ),
        arr_by_round={n: tuple(s * share for s in sums) for n, sums in arr_sums.items()},
        signals=signals.means(games) if games else {},
        beats={a: {b: count * share for b, count in row.items()} for a, row in wins.items()},
    )


def report_json(report: BalanceReport) -> dict[str, object]:
    """The documented JSON shape of a balance report (docs/scenarios.md)."""
    return {
        "scenario": report.scenario_id,
        "games": report.games,
        "strategies": {
            name: {
                **{
                    m.value: {
                        "mean": round(s.mean, 2),
                        "p10": round(s.p10, 2),
                        "p50": round(s.p50, 2),
                        "p90": round(s.p90, 2),
                    }
                    for m, s in per.items()
                },
                "arr_by_round": [round(a, 2) for a in report.arr_by_round.get(name, ())],
                "signals": {k: round(v, 2) for k, v in report.signals.get(name, {}).items()},
            }
            for name, per in report.spreads.items()
        },
        "beats": {a: {b: round(v, 4) for b, v in row.items()} for a, row in report.beats.items()},
        "claims": [
            {
                "text": c.claim.text,
                "holds_rate": round(c.holds_rate, 4),
                "needs": "on average" if c.claim.on_average else c.claim.share,
                **({"mean_lead": round(c.mean_lead, 2)} if c.claim.on_average else {}),
                "holds": c.holds,
            }
            for c in report.claims
        ],
    }
