"""Every effect has a named cause: a round's causes add up to the change of each figure."""

from __future__ import annotations

import random
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.model import CardKind, Decision, RoundOutcome, Scenario
from game.scenario.catalogue import list_scenarios, load_scenario
from game.sim.engine import resolve_round, start_company
from game.sim.playthrough import finish
from game.sim.table import cards_on_table

TRACED = ("arr", "customer_value", "tech_debt", "cash")


@cache
def shipped() -> tuple[Scenario, ...]:
    return tuple(load_scenario(p) for p in list_scenarios())


def assert_traced(outcome: RoundOutcome) -> None:
    """before + the causes of a figure = after, for every traced figure; capacity's parts = capacity."""
    for metric in TRACED:
        moved = sum(c.amount for c in outcome.causes if c.metric == metric)
        before, after = getattr(outcome.before, metric), getattr(outcome.after, metric)
        assert before + moved == pytest.approx(after, abs=2e-3), (metric, outcome.round_index, outcome.causes)
    parts = sum(c.amount for c in outcome.capacity_parts)
    assert parts == pytest.approx(outcome.after.capacity), outcome.capacity_parts


def play_random(scenario: Scenario, seed: int, choices: random.Random) -> list[RoundOutcome]:
    """A whole game with random decisions in a random order, then the year after."""
    company = start_company(scenario)
    outcomes, companies = [], []
    for r in range(len(scenario.rounds)):
        table = [c for c in cards_on_table(scenario, company, r) if c.kind is not CardKind.EVENT]
        choices.shuffle(table)
        plan = {c.id: choices.choice(list(Decision)) for c in table}
        company, outcome = resolve_round(scenario, company, plan, r, seed)
        outcomes.append(outcome)
        companies.append(company)
    game = finish(scenario, "random", seed, outcomes, companies)
    return [*game.outcomes, *game.year_after]


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=0, max_value=2),
    st.integers(min_value=0, max_value=2**32),
    st.integers(min_value=0, max_value=2**16),
)
def test_causes_add_up_for_any_plan_and_seed(which: int, seed: int, dice: int) -> None:
    for outcome in play_random(shipped()[which], seed, random.Random(dice)):
        assert_traced(outcome)


def test_a_churn_names_the_decisions_that_led_to_it() -> None:
    """Deferring a customer's asks until they leave puts those decisions in the churn's cause."""
    for scenario in shipped():
        for seed in range(60):
            company = start_company(scenario)
            for r in range(len(scenario.rounds)):
                table = cards_on_table(scenario, company, r)
                plan = {c.id: Decision.DEFER for c in table if c.kind is not CardKind.EVENT}
                company, outcome = resolve_round(scenario, company, plan, r, seed)
                for cause in outcome.causes:
                    if cause.metric == "arr" and "felt ignored" in cause.text:
                        assert cause.card_id and cause.decision == "defer"
                        assert "you deferred" in cause.text and " in round " in cause.text
                        return
    pytest.fail("no account ever left for being ignored")
