"""Uploaded scenario files checked in a child process, so a hostile file costs the loop nothing.

Reading and checking a facilitator's file takes the YAML parser and the schema a quarter of a
second for a normal file and seconds for a crafted one; on the event loop that is time every
phone of every session waits. Here a child process does it, under a CPU and a memory limit and a
wall-clock timeout, at most ``WORKERS`` at a time; the loop only waits (cooperatively) for its
answer. Run as ``python -m game.web.scenario_worker``: a pickled (file name, bytes) on stdin, a
pickled scenario or refusal on stdout.
"""

from __future__ import annotations

import logging
import pickle
import resource
import subprocess
import sys
import threading
from typing import Any

from game.errors import CommandRejected
from game.inbound import uploaded_scenario
from game.model import Scenario

log = logging.getLogger(__name__)
WORKERS = 2  # files checked at once, server-wide
WAIT_SECONDS = 5.0  # for a free worker, before "try again"
CPU_SECONDS = 5  # a child's CPU limit
TIMEOUT_SECONDS = 10.0  # a child's wall-clock limit (it shares the machine)
MEMORY_BYTES = 1024 * 1024 * 1024
_slots = threading.BoundedSemaphore(WORKERS)


def _limit_child() -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


class Refused(CommandRejected):
    """The child's refusal, as it will be answered (problems and all)."""

    def __init__(self, error: dict[str, Any]) -> None:
        super().__init__(str(error.get("code", "bad_scenario")), str(error.get("message", "")))
        self.error = error

    def as_error(self) -> dict[str, Any]:
        return self.error


def _too_costly() -> CommandRejected:
    return CommandRejected(
        "bad_scenario", "This file took too long to check. Make it smaller or simpler and choose it again."
    )


def check_in_child(file_name: str, raw: bytes) -> Scenario:
    """The scenario in an uploaded file, checked in a child process; ``ScenarioRejected`` or a
    ``bad_scenario`` refusal when it has problems or costs too much to read."""
    if not _slots.acquire(timeout=WAIT_SECONDS):
        raise CommandRejected(
            "rate_limited", "The server is checking other scenario files. Try again in a moment."
        )
    try:
        done = subprocess.run(
            [sys.executable, "-m", "game.web.scenario_worker"],
            input=pickle.dumps((file_name, raw)),
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            preexec_fn=_limit_child,
            check=False,
        )
    except Exception as err:  # under eventlet the green module's TimeoutExpired is another class
        if type(err).__name__ != "TimeoutExpired":
            raise
        log.warning("a scenario file took over %.0f s to check; its check was stopped", TIMEOUT_SECONDS)
        raise _too_costly() from None
    finally:
        _slots.release()
    if done.returncode != 0:
        log.warning(
            "a scenario check ended with code %s: %.200s",
            done.returncode,
            done.stderr.decode(errors="replace"),
        )
        raise _too_costly()
    kind, value = pickle.loads(done.stdout)  # our own child's answer
    if kind == "scenario" and isinstance(value, Scenario):
        return value
    if kind == "refused" and isinstance(value, dict):
        raise Refused(value)
    raise _too_costly()


def _main() -> int:
    file_name, raw = pickle.load(sys.stdin.buffer)
    answer: tuple[str, Any]
    try:
        answer = ("scenario", uploaded_scenario(file_name, raw))
    except CommandRejected as err:
        answer = ("refused", err.as_error())
    sys.stdout.buffer.write(pickle.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(_main())
