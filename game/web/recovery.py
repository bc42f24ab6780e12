"""After a Redis outage: presence made to match the sockets again, and every screen sent its view.

While Redis is down nothing can be saved: a phone that leaves cannot be shown away, a phone that
stays cannot be confirmed, and room emits through the message queue are lost. Once this worker
hears the others again (``ResilientRedisManager.on_listening``) ``catch_up`` puts that right:
every seat with a phone on this worker is shown connected, every seat whose phone left here
during the outage is shown away (unless it came back), and every phone and facilitator screen on
this worker gets its full view again. With one process and SQLite there is nothing to do:
presence is not saved there, so it never fails.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from game.session import Act, Applied, Presence, Session
from game.store import StoreUnavailable

log = logging.getLogger(__name__)


class Recovery:
    """The seats that left while the store was down, and catching up once it is back."""

    def __init__(
        self,
        get: Callable[[str], Session | None],
        apply: Callable[[str, Act], Applied],
        holds: Callable[[str, str], bool],
        now: Callable[[], int],
    ) -> None:
        self.get, self.apply, self.holds, self.now = get, apply, holds, now
        self._left: set[tuple[str, str]] = set()
        self._lock = threading.Lock()

    def left_while_down(self, code: str, seat: str) -> None:
        """A seat's last phone here went away but the store could not record it."""
        with self._lock:
            self._left.add((code, seat))

    def catch_up(
        self,
        held: dict[str, list[str]],
        hosts: dict[str, list[str]],
        send: Callable[[Session, list[str], list[str], int], None],
    ) -> None:
        """``held``: this worker's seats by session; ``hosts``: its facilitator sockets by session;
        ``send(state, seats, host_sids, now)`` sends them their views."""
        with self._lock:
            left, self._left = self._left, set()
        codes = set(held) | {code for code, _ in left} | set(hosts)
        now = self.now()
        try:
            for code in sorted(codes):
                state = self._presence(code, held.get(code, []), {s for c, s in left if c == code}, now)
                if state is not None:
                    send(state, held.get(code, []), hosts.get(code, []), now)
        except StoreUnavailable:  # down again: the next recovery tries again
            with self._lock:
                self._left |= left
            return
        if codes:
            log.info(
                "caught up after the outage: views sent again to this worker's screens in %d session(s)",
                len(codes),
            )

    def _presence(self, code: str, held: list[str], left: set[str], now: int) -> Session | None:
        state = self.get(code)
        if state is None:
            return None
        for seat in held:
            found = state.seats.get(seat)
            if found is not None and not found.connected and not found.removed and self.holds(code, seat):
                self.apply(code, Act(seat, Presence(connected=True), "", now))
        for seat in left:
            found = state.seats.get(seat)
            if found is not None and found.connected and not found.removed and not self.holds(code, seat):
                self.apply(code, Act(seat, Presence(connected=False), "", now))
        return self.get(code)
