"""The games a session's results tell of, each played once: every team's own and every reference's.

The final results, the debrief, the exports and the what-if all rest on replaying games: each
team's from its recorded plans, each reference strategy's on the session's seed, each valued with
its year after. They depend only on the scenario, the seed and the plans, so one ``Games`` serves a
session for as long as those are the same. Whoever shows results holds one (the web keeps one per
session) and passes it in; without one, a fresh one is made for the call. Nothing is kept at
module level.
"""

from __future__ import annotations

from collections import OrderedDict

from game.model import Decision, Scenario
from game.session import Session, Team
from game.sim import Flip, PlanKey, PlayedGame, finish, plan_key, play, played, whatif

WhatIf = tuple[PlayedGame, PlayedGame, Decision]  # the real game, the flipped one, the decision replaced
WHATIFS_KEPT = 256  # flipped games kept per session: a room trying what-ifs together repeats them


def team_plans(team: Team) -> PlanKey:
    """The plans a team's rounds were played with, as the what-if and the valuation replay them."""
    return plan_key([{k: ch.decision for k, ch in plan.items()} for plan in team.plans])


class Games:
    """One session's replayed games, played the first time each is asked for."""

    def __init__(self, scenario: Scenario, seed: int) -> None:
        self.scenario, self.seed = scenario, seed
        self._teams: dict[PlanKey, PlayedGame] = {}
        self._references: dict[str, PlayedGame] = {}
        self._cut: dict[tuple[str, int], PlayedGame] = {}
        self._whatifs: OrderedDict[tuple[PlanKey, Flip], tuple[PlayedGame, PlayedGame, Decision]] = (
            OrderedDict()
        )

    @classmethod
    def of(cls, state: Session) -> Games:
        return cls(state.scenario, state.settings.seed)

    def serves(self, state: Session) -> bool:
        """Whether these games are the ones ``state`` would replay (same scenario value, same seed)."""
        return state.scenario is self.scenario and state.settings.seed == self.seed

    def team(self, team: Team) -> PlayedGame:
        """The team's game replayed from its plans (identical numbers), with the year after and its value."""
        key = team_plans(team)
        game = self._teams.get(key)
        if game is None:
            game = self._teams[key] = played(self.scenario, key, self.seed)
        return game

    def reference(self, name: str) -> PlayedGame:
        """A reference strategy's whole game on this seed."""
        game = self._references.get(name)
        if game is None:
            game = self._references[name] = play(self.scenario, name, self.seed)
        return game

    def reference_cut(self, name: str, rounds: int) -> PlayedGame:
        """A reference strategy's game over the rounds a game played (all of them, or fewer), valued."""
        whole = self.reference(name)
        if rounds >= len(whole.outcomes):
            return whole
        game = self._cut.get((name, rounds))
        if game is None:
            game = self._cut[(name, rounds)] = finish(
                self.scenario, name, self.seed, whole.outcomes[:rounds], whole.companies[:rounds]
            )
        return game

    def whatif(self, team: Team, flip: Flip) -> WhatIf:
        """The team's game with ``flip`` beside its real one; CommandRejected if the flip can't be."""
        plans = team_plans(team)
        kept = self._whatifs.get((plans, flip))
        if kept is not None:
            self._whatifs.move_to_end((plans, flip))
            return kept
        answer = whatif(self.scenario, plans, self.seed, flip, self.team(team))
        self._whatifs[(plans, flip)] = answer
        if len(self._whatifs) > WHATIFS_KEPT:
            self._whatifs.popitem(last=False)
        return answer
