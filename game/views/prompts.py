"""Debrief prompts that cannot lie: a conditional prompt is shown only when this game bears it out."""

from __future__ import annotations

from collections.abc import Mapping

from game.model import Metric, Prompt, PromptCondition, Scenario
from game.sim import ahead

Figures = Mapping[Metric, float]
"""One game's end-of-game figures by metric (``game.sim.figures.figures_of``)."""


def prompts_for(
    scenario: Scenario,
    team_figures: Mapping[str, Figures],
    reference_figures: Mapping[str, Figures],
) -> list[str]:
    """The scenario's debrief prompts that fit this game, in the file's order.

    ``team_figures``: each team's figures by team name; ``reference_figures``: each strategy's
    figures (played on the same seed) by strategy name. A plain prompt is always shown. A
    conditional one only when its condition holds: ``team_beats`` when at least one team ended
    strictly ahead of that strategy on the metric, ``team_trails`` when at least one ended
    strictly behind it. When the strategy was not played, or there are no teams, it is not shown:
    a prompt is shown only when the game proves it.
    """
    prompts = scenario.prompts or tuple(Prompt(text) for text in scenario.debrief_prompts)
    return [
        p.text for p in prompts if p.condition is None or holds(p.condition, team_figures, reference_figures)
    ]


def holds(
    condition: PromptCondition, team_figures: Mapping[str, Figures], reference_figures: Mapping[str, Figures]
) -> bool:
    """Whether some team ended ahead of (``team_ahead``) or behind the condition's strategy on its metric."""
    reference = reference_figures.get(condition.strategy, {}).get(condition.metric)
    if reference is None:
        return False
    m = condition.metric
    for figures in team_figures.values():
        mine = figures.get(m)
        if mine is None:
            continue
        if condition.team_ahead and ahead(mine, reference, m):
            return True
        if not condition.team_ahead and ahead(reference, mine, m):
            return True
    return False
