"""A game's figures by metric name: what claims, the balance check and conditional prompts compare."""

from __future__ import annotations

from game.model import Company, Metric
from game.sim.playthrough import PlayedGame


def metric_of(company: Company, metric: Metric) -> float:
    """A company's figure by name; company value is a game's, not a company's (see ``figure``)."""
    if metric is Metric.ARR:
        return company.arr
    if metric is Metric.CUSTOMER_VALUE:
        return company.customer_value
    if metric is Metric.TECH_DEBT:
        return company.tech_debt
    if metric is Metric.CHURNED_ACCOUNTS:
        return float(len(company.churned))
    if metric is Metric.CASH:
        return company.cash
    raise ValueError(f"{metric.value} is a figure of a whole game, not of a company")


def figure(game: PlayedGame, metric: Metric, after_round: int | None = None) -> float:
    """A played game's figure: at the end, or after round ``after_round`` (1-based).

    Company value is only known at the end: the year after is played out from the last round.
    """
    if metric is Metric.COMPANY_VALUE:
        return game.valuation.total
    company = game.final if after_round is None else game.companies[after_round - 1]
    return metric_of(company, metric)


def figures_of(game: PlayedGame) -> dict[Metric, float]:
    """Every end-of-game figure of a played game (a team's or a strategy's), for ``prompts_for``."""
    return {m: figure(game, m) for m in Metric}


def ahead(mine: float, theirs: float, metric: Metric) -> bool:
    """Whether ``mine`` is strictly better than ``theirs`` (for debt and churn, lower is better)."""
    return mine > theirs if metric.higher_is_better else mine < theirs
