"""The debrief each audience gets, built once per session state and handed to every phone that asks.

A finished game's state no longer changes, and at the end of a big game every phone asks for its
team's debrief at once: building it (the reference games, the causes, company value) costs
milliseconds, so a room of 2,000 phones would otherwise hold the event loop for seconds. A copy is
kept only while the session's state object is the one it was built from.
"""

from __future__ import annotations

from typing import Any

from game.session import Session
from game.views import debrief

JSON = dict[str, Any]
KEEP = 4096  # (session, audience) pairs kept; a whole room's teams fit many times over


class Debriefs:
    """Built debriefs by (room code, team id or None for the facilitator), with the state they came from."""

    def __init__(self) -> None:
        self._built: dict[tuple[str, str | None], tuple[Session, JSON]] = {}

    def of(self, state: Session, team: str | None) -> JSON:
        """The debrief for one audience of this state; callers must not change what they get."""
        key = (state.code, team)
        kept = self._built.get(key)
        if kept is not None and kept[0] is state:
            return kept[1]
        data = debrief(state, team)
        if len(self._built) >= KEEP:
            self._built.clear()
        self._built[key] = (state, data)
        return data
