"""With several workers: a dead worker's phones are shown away, not connected forever.

Each worker beats in Redis and lists the seats whose phones it holds. When a worker stops beating
(``kill -9``, a lost machine) its phones reconnect to the others, which hold them from then on;
the seats nobody holds after three missed beats are marked away by one of the survivors, exactly
as a phone that disconnects is. With one process there is nothing to do: a restart shows every
seat away until its phone resumes.

A Redis outage stops every worker's beat at once, so when Redis returns nobody seems alive. A
worker whose beat failed therefore first writes its held seats afresh and then waits three beats
before sweeping, so every live worker has beaten again and only a worker that really stopped is
swept: a phone that stayed connected is never shown away.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from game.session import Act, Applied, Presence, Session
from game.store import StoreUnavailable

log = logging.getLogger(__name__)
MISSED_BEATS = 3


class Heartbeat:
    """This worker's beat, its held seats, and sweeping up after workers that stopped."""

    def __init__(
        self,
        store: Any,  # a RedisStore: hold, release, beat, orphans, get
        apply: Callable[[str, Act], Applied],
        held_here: Callable[[str, str], bool],
        held_seats: Callable[[], list[tuple[str, str]]],
        every_seconds: float,
    ) -> None:
        self.store, self.apply, self.held_here, self.held_seats = store, apply, held_here, held_seats
        self.every_ms = int(every_seconds * 1000)
        self._next_ms = 0
        self._lost = False  # a beat failed (Redis away): the held seats are written again first
        self._last_beat_ms = 0
        self._sweep_after_ms = 0

    def held(self, code: str, seat: str) -> None:
        self.store.hold(code, seat)

    def released(self, code: str, seat: str) -> None:
        self.store.release(code, seat)

    def tick(self, now_ms: int) -> None:
        if now_ms < self._next_ms:
            return
        self._next_ms = now_ms + self.every_ms
        # A beat missed (Redis away, or this process stalled): the others may have missed theirs too.
        missed = self._last_beat_ms and now_ms - self._last_beat_ms > 2 * self.every_ms
        try:
            self.store.beat(self.every_ms * MISSED_BEATS)
            if self._lost or missed:
                self.store.hold_only(self.held_seats())
                self._lost = False
                self._sweep_after_ms = now_ms + self.every_ms * MISSED_BEATS
        except StoreUnavailable:
            self._lost = True
            raise
        self._last_beat_ms = now_ms
        if now_ms < self._sweep_after_ms:
            return
        for code, seat in self.store.orphans():
            state: Session | None = self.store.get(code)
            if state is None or seat not in state.seats or self.held_here(code, seat):
                continue
            if state.seats[seat].connected and not state.seats[seat].removed:
                log.info("a worker stopped: seat %s of a session is away until its phone comes back", seat)
                self.apply(code, Act(seat, Presence(connected=False), "", now_ms))
