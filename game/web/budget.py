"""What one connection and one address may spend: bytes sent to the server and server CPU.

Every session shares one event loop, so a second of CPU one client causes is a second every
phone waits. Each connection and each client address has an allowance of bytes and of CPU
seconds that refills at a steady rate; a client over either is disconnected, with one log line
(docs/security.md has the figures). The facilitator's own commands are the room's work, not a
stranger's, so a connection bound as facilitator spends no CPU allowance.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)
MAX_KEYS = 100_000
KB = 1024


@dataclass(frozen=True, slots=True)
class Allowance:
    """``burst`` at once, refilled at ``per_second``."""

    burst: float
    per_second: float


@dataclass(frozen=True, slots=True)
class Budgets:
    """The allowances (WebConfig.budgets); burst 0 turns one off."""

    connection_bytes: Allowance = Allowance(1024 * KB, 128 * KB)
    address_bytes: Allowance = Allowance(4096 * KB, 512 * KB)
    connection_cpu: Allowance = Allowance(2.0, 0.10)  # seconds of the loop; 10% sustained
    address_cpu: Allowance = Allowance(5.0, 0.25)  # connections not (yet) in a session: 25% sustained


class Purse:
    """Allowances by key (a connection or an address), bounded in memory."""

    def __init__(self, allowance: Allowance, clock: Callable[[], float] = time.monotonic) -> None:
        self.allowance = allowance
        self.clock = clock
        self._level: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def spend(self, key: str, amount: float) -> bool:
        """Take ``amount``; False (and nothing taken) once the key's allowance is used up."""
        burst, rate = self.allowance.burst, self.allowance.per_second
        if burst <= 0:
            return True
        now = self.clock()
        with self._lock:
            level, at = self._level.get(key, (burst, now))
            level = min(burst, level + (now - at) * rate)
            if level <= 0:
                self._level[key] = (level, now)
                return False
            self._level[key] = (level - amount, now)  # the last one may overdraw: it is already spent
            self._level.move_to_end(key)
            if len(self._level) > MAX_KEYS:
                self._level.popitem(last=False)
        return True

    def forget(self, key: str) -> None:
        with self._lock:
            self._level.pop(key, None)


class Spending:
    """The four purses, and one warning per client that runs out (per address: one a minute)."""

    def __init__(self, budgets: Budgets, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.connection_bytes = Purse(budgets.connection_bytes, clock)
        self.address_bytes = Purse(budgets.address_bytes, clock)
        self.connection_cpu = Purse(budgets.connection_cpu, clock)
        self.address_cpu = Purse(budgets.address_cpu, clock)
        self._said: OrderedDict[str, float] = OrderedDict()

    def bytes(self, connection: str, address: str, size: int) -> str:
        """ "" while both allowances hold, else why not."""
        if not self.connection_bytes.spend(connection, size):
            return "its connection's byte allowance"
        if not self.address_bytes.spend(address, size):
            return "its address's byte allowance"
        return ""

    def cpu(self, connection: str, address: str, seconds: float) -> str:
        """Loop time; ``address`` "" = not counted per address (a joined phone: a venue's whole room
        shares one address, and each phone is held to its connection's allowance and its seat's pace)."""
        if not self.connection_cpu.spend(connection, seconds):
            return "its connection's CPU allowance"
        if address and not self.address_cpu.spend(address, seconds):
            return "its address's CPU allowance"
        return ""

    def gone(self, connection: str) -> None:
        self.connection_bytes.forget(connection)
        self.connection_cpu.forget(connection)

    def say_once(self, address: str, message: str, *args: object) -> None:
        """One warning per address a minute, however many of its connections are turned away."""
        now = self.clock()
        if now - self._said.get(address, -1e9) < 60:
            return
        self._said[address] = now
        self._said.move_to_end(address)
        if len(self._said) > MAX_KEYS:
            self._said.popitem(last=False)
        log.warning(message, *args)


class GreenCpu:
    """Loop time per green thread: under eventlet every connection's handler runs in a green thread
    of one OS thread, so a plain clock would charge a handler with the work of every green thread
    that ran while it waited (for a lock, the database, a child process). A greenlet trace hook adds
    the time since the last switch to the green thread switched away from (kept on the greenlet).

    The serve entry passes the ``greenlet`` module in (it comes with eventlet); elsewhere each
    request has its own thread and ``time.thread_time`` is exact.
    """

    def __init__(self, greenlet: Any) -> None:
        self._mark = time.perf_counter()
        self._current = greenlet.getcurrent
        self._settrace = greenlet.settrace
        self._previous = greenlet.settrace(self._switch)

    def _switch(self, event: str, args: Any) -> None:
        if event == "switch" or event == "throw":
            now = time.perf_counter()
            origin = args[0]
            try:
                origin._curb_held += now - self._mark
            except AttributeError:
                with contextlib.suppress(AttributeError):  # a greenlet that takes no attributes
                    origin._curb_held = now - self._mark
            self._mark = now
        if self._previous is not None:
            self._previous(event, args)

    def close(self) -> None:
        """Put back the trace hook there was before (tests)."""
        self._settrace(self._previous)

    def __call__(self) -> float:
        """Seconds the calling green thread has held the loop so far."""
        held: float = getattr(self._current(), "_curb_held", 0.0)
        return held + time.perf_counter() - self._mark
