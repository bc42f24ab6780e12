"""Blocking work off the event loop: the serve entry passes eventlet's thread pool in; elsewhere
(threading mode, tests) the work runs where it is called, each request already in its own thread.

Work done here in place (threading mode) is not loop time either: the CPU it used is kept per
thread (or green thread) and left out of the client's CPU allowance (``budget``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
Runner = Callable[..., Any]


def _here(fn: Callable[..., T], *args: Any) -> T:
    return fn(*args)


class Offload:
    """``offload(fn, *args)``: fn's result, computed by ``runner`` (a thread pool) or in place."""

    def __init__(self, runner: Runner | None = None, cpu: Callable[[], float] = time.thread_time) -> None:
        self.runner: Runner = runner or _here
        self.cpu = cpu  # the calling (green) thread's CPU seconds
        self._waited = threading.local()

    def __call__(self, fn: Callable[..., T], *args: Any) -> T:
        result: T = self.aside(self.runner, fn, *args)
        return result

    def aside(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` where it is called, its time counted as waiting: for work that waits
        cooperatively by itself (a child process, under eventlet's green ``subprocess``)."""
        start = self.cpu()
        try:
            return fn(*args)
        finally:
            self._waited.seconds = self.waited() + self.cpu() - start

    def waited(self) -> float:
        """Seconds this thread (or green thread) has waited for offloaded work, in all."""
        return float(getattr(self._waited, "seconds", 0.0))
