"""The debrief each audience gets, built once per session state and handed to every phone that asks.

A finished game's state no longer changes, and at the end of a big game every phone asks for its
team's debrief at once: building it (the reference games, the causes, company value) costs
milliseconds, so a room of 2,000 phones would otherwise hold the event loop for seconds. A copy is
kept only while the session's state object is the one it was built from.
"""

from __future__ import annotations

from typing import Any

from game.session import Session
from game.views import Games, debrief

JSON = dict[str, Any]
KEEP = 4096  # (session, audience) pairs kept; a whole room's teams fit many times over


class Debriefs:
    """Built debriefs by (room code, team id or None for the facilitator), with the state they came from."""

    def __init__(self) -> None:
        self._built: dict[tuple[str, str | None], tuple[Session, JSON]] = {}
        self._games: dict[str, Games] = {}

    def games(self, state: Session) -> Games:
        """The session's replayed games (final results, debrief, exports, what-ifs), played once each."""
        games = self._games.get(state.code)
        if games is None or not games.serves(state):
            if len(self._games) >= KEEP:
                self._games.clear()
            games = self._games[state.code] = Games.of(state)
        return games

    def of(self, state: Session, team: str | None) -> JSON:
        """The debrief for one audience of this state; callers must not change what they get."""
        key = (state.code, team)
        kept = self._built.get(key)
        if kept is not None and kept[0] is state:
            return kept[1]
        data = debrief(state, team, self.games(state))
        if len(self._built) >= KEEP:
            self._built.clear()
        self._built[key] = (state, data)
        return data
