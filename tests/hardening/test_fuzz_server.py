"""Fuzzing a real server: over 12,000 malformed or hostile events against ``python -m game serve``
under eventlet. The server stays up, answers every event that asks for an answer with an error,
changes nothing (views, command logs, exports and the session count are compared before and after),
sends nothing to the strangers and logs no traceback, secret, token or room code.

``CURB_FUZZ_EVENTS`` changes the count (bench/fuzz.py runs bigger campaigns with more knobs).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from game.web.wire import MalformedPackets, from_the_wire
from tests.hardening.fuzzing import TwoSessions, check, fuzz
from tests.hardening.live import LiveServer

pytestmark = pytest.mark.slow
EVENTS = int(os.environ.get("CURB_FUZZ_EVENTS", "12000"))


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveServer]:
    server = LiveServer(tmp_path, "--trusted-proxies", "1")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def game(live: LiveServer) -> Iterator[TwoSessions]:
    g = TwoSessions(live)
    yield g
    g.close()


def test_ten_thousand_hostile_events_change_nothing(live: LiveServer, game: TwoSessions) -> None:
    before = game.snapshot()
    game.drain()
    out = fuzz(live, game.targets, EVENTS, seed=20240611, deadline=90)
    print("\n" + out.summary())
    problems = check(live, game, before, out, expected=min(EVENTS, 10_000))
    assert not problems, problems


def test_the_packet_filter_keeps_tracebacks_of_our_own_bugs() -> None:
    import logging

    def raise_in(where: str) -> BaseException:
        code = compile("raise ValueError('boom')", where, "exec")
        try:
            exec(code)
        except ValueError as err:
            return err
        raise AssertionError

    wire_error = raise_in("/venv/site-packages/socketio/packet.py")
    ours = raise_in(str(Path(__file__).resolve().parents[2] / "game" / "web" / "events.py"))
    assert from_the_wire(wire_error) and not from_the_wire(ours)
    record = logging.LogRecord("engineio.server", logging.ERROR, "x", 1, "message handler error", None, None)
    record.exc_info = (ValueError, wire_error, wire_error.__traceback__)
    assert MalformedPackets().filter(record) and record.exc_info is None and record.levelname == "WARNING"
    record = logging.LogRecord("engineio.server", logging.ERROR, "x", 1, "message handler error", None, None)
    record.exc_info = (ValueError, ours, ours.__traceback__)
    assert MalformedPackets().filter(record) and record.exc_info is not None and record.levelname == "ERROR"
