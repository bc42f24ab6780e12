"""The facilitator's updates under load: full host views and team summaries, coalesced per session
(and the lobby's team sizes every phone shows, coalesced the same way).

A big room changes many times a second (joins, presence, every plan edit). Sending the
facilitator a full host view after each change would cost the server time in proportion to the
room for every change — quadratic in a filling hall — and flood one screen with updates it cannot
show faster than it repaints. In a session with at least ``threshold`` seats, changes within
``interval`` seconds are gathered and sent once, built from the latest (durable) state: the last
update always arrives, and every update carries the ``rev`` it shows. Smaller sessions get every
update at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from game import views
from game.session import Session
from game.views import Games

Emit = Callable[[str, dict[str, Any], str], None]


@dataclass(slots=True)
class _Pending:
    view: bool = False
    teams: set[str] = field(default_factory=set)
    lobby: str = ""  # the session's room, when the lobby's team sizes changed


class HostFeed:
    """What the facilitator of each session still has to be told, and when."""

    def __init__(
        self,
        emit: Emit,
        latest: Callable[[str], Session | None],
        now: Callable[[], int],
        start: Callable[[Callable[[str], None], str], Any],
        sleep: Callable[[float], Any],
        threshold: int,
        interval: float,
        games: Callable[[Session], Games] | None = None,
    ) -> None:
        self._emit, self._latest, self._now = emit, latest, now
        self._games = games or Games.of  # the web's: each session's results played once, not per view
        self._start, self._sleep = start, sleep
        self.threshold, self.interval = threshold, interval
        self._pending: dict[str, _Pending] = {}
        self._lock = threading.Lock()

    def _busy(self, state: Session) -> bool:
        return self.threshold > 0 and len(state.seats) >= self.threshold

    def view(self, state: Session, room: str) -> None:
        """The host view changed (lobby, settings): send it now, or with the next coalesced batch."""
        if not self._busy(state):
            self._emit("host:view", views.host_view(state, self._now(), self._games(state)), room)
            return
        self._later(state.code, room, view=True)

    def team(self, state: Session, team_id: str, room: str) -> None:
        """One team changed: its summary now, or with the next coalesced batch."""
        if not self._busy(state):
            self._emit("host:team", views.host_team(state, team_id), room)
            return
        self._later(state.code, room, team=team_id)

    def lobby(self, state: Session, everyone: str, room: str) -> None:
        """Who sits where changed in the lobby: every phone (the room ``everyone``) gets the teams'
        sizes, now or with the next coalesced batch (a filling hall changes them many times a second).
        A room too big to list on a phone is told once that it is, and then nothing."""
        if not views.lobby_heard(state):
            return
        if not self._busy(state):
            self._emit("lobby:teams", views.lobby_teams(state), everyone)
            return
        self._later(state.code, room, lobby=everyone)

    def _later(self, code: str, room: str, *, view: bool = False, team: str = "", lobby: str = "") -> None:
        with self._lock:
            pending = self._pending.get(code)
            first = pending is None
            if pending is None:
                pending = self._pending[code] = _Pending()
            pending.view = pending.view or view
            pending.lobby = pending.lobby or lobby
            if team:
                pending.teams.add(team)
        if first:
            self._start(self._flush_after, f"{code}\n{room}")

    def _flush_after(self, key: str) -> None:
        code, room = key.split("\n", 1)
        self._sleep(self.interval)
        with self._lock:
            pending = self._pending.pop(code, None)
        state = self._latest(code)
        if pending is None or state is None:
            return
        if pending.lobby:
            self._emit("lobby:teams", views.lobby_teams(state), pending.lobby)
        if pending.view:
            self._emit("host:view", views.host_view(state, self._now(), self._games(state)), room)
            return
        for team_id in sorted(pending.teams):
            if team_id in state.teams:
                self._emit("host:team", views.host_team(state, team_id), room)
