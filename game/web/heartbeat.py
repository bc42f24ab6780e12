"""With several workers: a dead worker's phones are shown away, not connected forever.

Each worker beats in Redis and lists the seats whose phones it holds. When a worker stops beating
(``kill -9``, a lost machine) its phones reconnect to the others, which hold them from then on;
the seats nobody holds after three missed beats are marked away by one of the survivors, exactly
as a phone that disconnects is. With one process there is nothing to do: a restart shows every
seat away until its phone resumes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from game.session import Act, Applied, Presence, Session

log = logging.getLogger(__name__)
MISSED_BEATS = 3


class Heartbeat:
    """This worker's beat, its held seats, and sweeping up after workers that stopped."""

    def __init__(
        self,
        store: Any,  # a RedisStore: hold, release, beat, orphans, get
        apply: Callable[[str, Act], Applied],
        held_here: Callable[[str, str], bool],
        every_seconds: float,
    ) -> None:
        self.store, self.apply, self.held_here = store, apply, held_here
        self.every_ms = int(every_seconds * 1000)
        self._next_ms = 0

    def held(self, code: str, seat: str) -> None:
        self.store.hold(code, seat)

    def released(self, code: str, seat: str) -> None:
        self.store.release(code, seat)

    def tick(self, now_ms: int) -> None:
        if now_ms < self._next_ms:
            return
        self._next_ms = now_ms + self.every_ms
        self.store.beat(self.every_ms * MISSED_BEATS)
        for code, seat in self.store.orphans():
            state: Session | None = self.store.get(code)
            if state is None or seat not in state.seats or self.held_here(code, seat):
                continue
            if state.seats[seat].connected and not state.seats[seat].removed:
                log.info("a worker stopped: seat %s of a session is away until its phone comes back", seat)
                self.apply(code, Act(seat, Presence(connected=False), "", now_ms))
