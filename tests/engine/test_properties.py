"""Properties that hold for every game: determinism, no mutation, and the engine's invariants."""

from __future__ import annotations

import copy
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from game.model import CardKind, Decision, Scenario
from game.scenario.catalogue import list_scenarios, load_scenario
from game.sim import rules
from game.sim.engine import resolve_round, start_company
from game.sim.table import cards_on_table


@cache
def shipped() -> tuple[Scenario, ...]:
    return tuple(load_scenario(p) for p in list_scenarios())


decisions = st.sampled_from(list(Decision))
games = st.tuples(
    st.integers(min_value=0, max_value=len(list_scenarios()) - 1),
    st.integers(min_value=0, max_value=2**32),
    st.lists(st.lists(decisions, min_size=12, max_size=12), min_size=8, max_size=8),
)


def run(scenario: Scenario, seed: int, choices: list[list[Decision]]):
    """Play a whole game, deciding the n-th card on the table with choices[round][n]."""
    company = start_company(scenario)
    trail = []
    for r in range(len(scenario.rounds)):
        table = [c for c in cards_on_table(scenario, company, r) if c.kind is not CardKind.EVENT]
        plan = {c.id: choices[r][i % 12] for i, c in enumerate(table)}
        frozen = copy.deepcopy(company)
        after, outcome = resolve_round(scenario, company, plan, r, seed)
        assert company == frozen, "resolve_round mutated its input"
        trail.append((after, outcome))
        company = after
    return trail


@settings(max_examples=60, deadline=None)
@given(games)
def test_the_same_decisions_and_seed_give_the_same_game(game: tuple[int, int, list[list[Decision]]]) -> None:
    index, seed, choices = game
    scenario = shipped()[index]
    assert run(scenario, seed, choices) == run(scenario, seed, choices)


@settings(max_examples=80, deadline=None)
@given(games)
def test_invariants_hold_every_round(game: tuple[int, int, list[list[Decision]]]) -> None:
    index, seed, choices = game
    scenario = shipped()[index]
    floor = rules.capacity_floor(scenario.company.capacity)
    for company, outcome in run(scenario, seed, choices):
        assert company.tech_debt >= 0
        assert company.customer_value >= 0
        assert company.arr >= 0 and all(a.arr >= 0 for a in company.accounts)
        assert floor <= rules.capacity_of(company) <= scenario.company.capacity
        assert outcome.after.churned_accounts >= outcome.before.churned_accounts
        names = [a.name for a in company.accounts]
        assert len(names) == len(set(names)), "an account appears twice"
