"""Conditional debrief prompts: shown only when this game's own results bear them out."""

from __future__ import annotations

from dataclasses import replace

import pytest

from game.model import Metric, Prompt, PromptCondition
from game.sim.figures import figures_of
from game.sim.playthrough import play
from game.views.prompts import prompts_for
from tests.engine.factory import deal, request, scenario

BEAT_PF_ON_CASH = Prompt(
    "Where did you make money that product-first did not?",
    PromptCondition("product-first", Metric.CASH, True),
)
TRAIL_PF_ON_DEBT = Prompt(
    "Why did you end with more debt than product-first?",
    PromptCondition("product-first", Metric.TECH_DEBT, False),
)
SC = replace(scenario(()), prompts=(Prompt("Which deal do you regret?"), BEAT_PF_ON_CASH, TRAIL_PF_ON_DEBT))
PF = {"product-first": {Metric.CASH: 500.0, Metric.TECH_DEBT: 5.0}}


@pytest.mark.parametrize(
    ("teams", "references", "shown"),
    [
        # Every team made less money and carried less debt: neither condition holds.
        ({"Red": {Metric.CASH: 400.0, Metric.TECH_DEBT: 2.0}}, PF, ["Which deal do you regret?"]),
        # One team out of two made more money than product-first.
        (
            {
                "Red": {Metric.CASH: 400.0, Metric.TECH_DEBT: 2.0},
                "Blue": {Metric.CASH: 600.0, Metric.TECH_DEBT: 5.0},
            },
            PF,
            ["Which deal do you regret?", BEAT_PF_ON_CASH.text],
        ),
        # More debt is worse: a team with more debt trails product-first on it.
        (
            {"Red": {Metric.CASH: 500.0, Metric.TECH_DEBT: 9.0}},
            PF,
            ["Which deal do you regret?", TRAIL_PF_ON_DEBT.text],
        ),
        # A tie is not a lead.
        ({"Red": {Metric.CASH: 500.0, Metric.TECH_DEBT: 5.0}}, PF, ["Which deal do you regret?"]),
        # Product-first was not played: nothing proves the condition, so it is not shown.
        ({"Red": {Metric.CASH: 900.0, Metric.TECH_DEBT: 9.0}}, {}, ["Which deal do you regret?"]),
        # No teams, nothing to compare.
        ({}, PF, ["Which deal do you regret?"]),
    ],
)
def test_a_conditional_prompt_is_shown_only_when_the_game_bears_it_out(
    teams: dict[str, dict[Metric, float]], references: dict[str, dict[Metric, float]], shown: list[str]
) -> None:
    assert prompts_for(SC, teams, references) == shown


def test_a_scenario_built_by_hand_with_plain_prompts_shows_them_all() -> None:
    sc = replace(scenario(()), debrief_prompts=("One?", "Two?"))
    assert prompts_for(sc, {}, {}) == ["One?", "Two?"]


def test_company_value_works_from_played_games() -> None:
    sc = scenario((deal("d"), request("r")), (deal("e"),))
    prompt = Prompt(
        "You beat always-no on company value.", PromptCondition("always-no", Metric.COMPANY_VALUE, True)
    )
    sc = replace(sc, prompts=(prompt,))
    team, reference = play(sc, "balanced", 3), play(sc, "always-no", 3)
    assert figures_of(team)[Metric.COMPANY_VALUE] == team.valuation.total
    beaten = team.valuation.total > reference.valuation.total
    shown = prompts_for(sc, {"Red": figures_of(team)}, {"always-no": figures_of(reference)})
    assert shown == ([prompt.text] if beaten else [])
