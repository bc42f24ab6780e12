"""An outage of what the store depends on (Redis, the database), logged once and summed up once.

While Redis is down every command, every timer tick and every heartbeat fails; logging each one
wrote thousands of lines and hundreds of tracebacks per worker in a 20 s outage. An ``Outage``
logs one line when the first failure comes, counts the rest, and logs one summary when an
operation succeeds again; then it tells whoever asked (``on_recovery``) so they can catch up.

It is also a circuit breaker. During an outage requests are refused at once (``refused``) instead
of each waiting for a Redis that may hang rather than refuse (a lost network, a stopped process):
only background work looks whether it is back, one probe at a time, every ``probe_seconds``
(``may_probe``: the Redis store's watcher pings, the queue publishes now and then).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger("game.outage")


class Outage:
    """Whether ``what`` is failing now, since when, and how many operations it refused meanwhile."""

    def __init__(
        self, what: str, clock: Callable[[], float] = time.monotonic, probe_seconds: float = 0.5
    ) -> None:
        self.what = what
        self.clock = clock
        self.probe_seconds = probe_seconds
        self._probed = 0.0
        self._probing = False
        self.since: float | None = None  # when the current outage started; None = working
        self.reason = ""
        self.failures = 0
        self._lock = threading.Lock()
        self._on_recovery: list[Callable[[], None]] = []

    @property
    def down(self) -> bool:
        return self.since is not None

    def on_recovery(self, fn: Callable[[], None]) -> None:
        """Call ``fn`` (once per outage) when an operation succeeds after failures."""
        self._on_recovery.append(fn)

    def refused(self) -> None:
        """A request turned away during the outage without trying (counted in the summary)."""
        with self._lock:
            self.failures += 1

    def may_probe(self) -> bool:
        """Whether to try the real thing now: always while it works; during an outage, one probe at
        a time, at most every ``probe_seconds``. A probe ends with ``ok`` or ``failed``."""
        if self.since is None:
            return True
        with self._lock:
            now = self.clock()
            if not self._probing and now - self._probed >= self.probe_seconds:
                self._probing, self._probed = True, now
                return True
            return False

    def failed(self, reason: str) -> None:
        with self._lock:
            self.failures += 1
            self.reason = reason
            self._probing = False
            if self.since is not None:
                return
            self.since = self._probed = self.clock()
        log.error(
            "%s is unavailable (%s): answering 'unavailable' until it is back; "
            "further failures are counted, not logged",
            self.what,
            reason,
        )

    def ok(self) -> None:
        if self.since is None:  # the hot path: one attribute read
            return
        with self._lock:
            self._probing = False
            if self.since is None:
                return
            lasted, failures = self.clock() - self.since, self.failures
            self.since, self.failures = None, 0
        log.warning("%s is back after %.1f s; %d operations failed meanwhile", self.what, lasted, failures)
        for fn in self._on_recovery:
            try:
                fn()
            except Exception:  # a listener's bug must not hide the recovery from the others
                log.exception("catching up after the %s outage failed", self.what)
