"""What if we had...? A team's game replayed with the same seed and one of its decisions flipped.

The engine is deterministic, so the team's recorded plans replayed give its real game again;
change one decision and every round after it may differ: a card built earlier, a customer who
stayed, a prospect who never came back. Later plans are kept for the cards that are still on
the replayed table (a card newly on it counts as deferred, as any undecided card does), in the
order the team chose them. Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from game.errors import CommandRejected
from game.model import Company, Decision, RoundOutcome, Scenario
from game.sim.engine import resolve_round, start_company
from game.sim.playthrough import PlayedGame, finish
from game.sim.table import cards_on_table, decidable_ids

__all__ = ["Flip", "PlanKey", "chosen", "plan_key", "played", "whatif"]

PlanKey = tuple[tuple[tuple[str, Decision], ...], ...]
"""A team's plans as hashable data: each round's (card, decision) pairs in the order chosen."""


@dataclass(frozen=True, slots=True)
class Flip:
    """One decision changed: in ``round_index``, ``card_id`` gets ``decision`` instead."""

    round_index: int
    card_id: str
    decision: Decision


def plan_key(plans: Sequence[Mapping[str, Decision]]) -> PlanKey:
    return tuple(tuple(plan.items()) for plan in plans)


def chosen(plan: Mapping[str, Decision], card_id: str) -> Decision:
    """What the team chose for a card (undecided counts as Defer, as the engine takes it)."""
    return plan.get(card_id, Decision.DEFER)


def _replay(scenario: Scenario, plans: PlanKey, seed: int, flip: Flip | None, label: str) -> PlayedGame:
    company: Company = start_company(scenario)
    outcomes: list[RoundOutcome] = []
    companies: list[Company] = []
    for r, pairs in enumerate(plans):
        on_table = set(decidable_ids(cards_on_table(scenario, company, r)))
        plan = {k: d for k, d in pairs if k in on_table}
        if flip is not None and r == flip.round_index:
            plan[flip.card_id] = flip.decision  # keeps its place in the order; a new build goes last
        company, outcome = resolve_round(scenario, company, plan, r, seed)
        outcomes.append(outcome)
        companies.append(company)
    return finish(scenario, label, seed, outcomes, companies)


def played(scenario: Scenario, plans: PlanKey, seed: int) -> PlayedGame:
    """The team's real game, replayed from its plans (the same numbers the session holds), valued."""
    return _replay(scenario, plans, seed, None, "played")


def _check(plans: PlanKey, real: PlayedGame, flip: Flip) -> Decision:
    """The decision being flipped, or a clear refusal for a round, card or decision that doesn't fit."""
    if not 0 <= flip.round_index < len(plans):
        raise CommandRejected("not_found", f"round {flip.round_index + 1} was not played")
    outcome = real.outcomes[flip.round_index]
    if flip.card_id not in dict(outcome.decisions):
        raise CommandRejected(
            "not_found", f"{flip.card_id!r} was not on the team's table in round {flip.round_index + 1}"
        )
    was = chosen(dict(plans[flip.round_index]), flip.card_id)
    if was is flip.decision:
        raise CommandRejected("bad_request", f"that is what the team decided: {was.value}")
    return was


def whatif(
    scenario: Scenario, plans: PlanKey, seed: int, flip: Flip, real: PlayedGame | None = None
) -> tuple[PlayedGame, PlayedGame, Decision]:
    """(the real game, the game with ``flip``, the decision it replaced); CommandRejected if it can't be.

    ``real`` is ``played(scenario, plans, seed)`` when the caller has it already.
    """
    game = played(scenario, plans, seed) if real is None else real
    was = _check(plans, game, flip)
    return game, _replay(scenario, plans, seed, flip, "what if"), was
