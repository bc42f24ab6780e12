"""Bounded work per client (issue 13), without a real server: allowances, the nesting count before
a scenario file is parsed, a forged ``disconnect`` event, the websocket unmasking."""

from __future__ import annotations

import logging
import random
import time
from pathlib import Path

import pytest

from game.errors import CommandRejected
from game.model import Scenario
from game.web import scenario_worker
from game.web.budget import Allowance, Budgets, GreenCpu, Purse
from game.web.frames import unmask
from game.web.gate import event_name
from tests.server.conftest import Server

ROOT = Path(__file__).resolve().parents[2]


class Ticks:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_an_allowance_runs_out_and_refills() -> None:
    clock = Ticks()
    purse = Purse(Allowance(burst=100, per_second=10), clock)
    assert purse.spend("a", 60) and purse.spend("a", 60)  # the second overdraws: it is already spent
    assert not purse.spend("a", 1)
    assert purse.spend("b", 1)  # another key has its own
    clock.now += 1  # 10 refilled: still overdrawn
    assert not purse.spend("a", 1)
    clock.now += 2  # 20 more: back in credit
    assert purse.spend("a", 1)


def test_a_client_over_its_cpu_allowance_is_disconnected_with_one_line(
    scenario: Scenario, caplog: pytest.LogCaptureFixture
) -> None:
    tiny = Budgets(connection_cpu=Allowance(1e-9, 0))
    server = Server(scenario, budgets=tiny)
    host, created = server.host(teams=1)
    assert host.emit("sync")["ok"] and host.sio_client.is_connected()  # the facilitator's work is the room's
    phone, _ = server.player(created["code"], "Ann")  # the join itself overdraws
    with caplog.at_level(logging.WARNING):
        phone.emit("sync")  # over: answered, then the connection goes
    assert not phone.sio_client.is_connected()
    said = [r.getMessage() for r in caplog.records if "disconnected a client" in r.getMessage()]
    assert said == ["disconnected a client at 127.0.0.1: it used up its connection's CPU allowance"]
    assert host.emit("sync")["ok"] and host.sio_client.is_connected()


def test_a_file_of_nested_brackets_is_refused_before_it_is_parsed(server: Server) -> None:
    host = server.client()
    answer = host.emit("scenario:check", {"scenario_yaml": "[" * 5000, "scenario_file": "bomb.yaml"})
    assert answer["error"]["code"] == "bad_request"
    assert "nests brackets more than 64 deep" in answer["error"]["message"]


def test_a_disconnect_event_from_a_phone_unbinds_nothing(server: Server) -> None:
    _, created = server.host(teams=1)
    phone, _ = server.player(created["code"], "Ann")
    assert phone.emit("disconnect")["error"]["code"] == "unknown_event"
    assert phone.emit("sync")["ok"]  # still its seat
    assert server.hub.state(created["code"]).seats["s1"].connected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('2["sync"]', ("/", None, "sync")),
        ('212["command",{}]', ("/", 12, "command")),
        ('2/admin,3["x"]', ("/admin", 3, "x")),
        ('27[{"a":1}]', ("/", 7, '[{"a":1}]')),
        ("2[7]", ("/", None, "[7]")),
        ('2["unterminated', ("/", None, '["unterminated')),
    ],
)
def test_the_gate_reads_an_events_name_without_decoding_its_payload(
    text: str, expected: tuple[str, int | None, object]
) -> None:
    assert event_name(text) == expected


def reference_unmask(data: bytes, mask: tuple[int, ...], offset: int) -> bytes:
    """RFC 6455, byte by byte (what eventlet does)."""
    return bytes(b ^ mask[(offset + i) % 4] for i, b in enumerate(data))


def test_unmasking_whole_integers_gives_the_same_bytes_as_byte_by_byte() -> None:
    rng = random.Random(13)
    for size in (0, 1, 3, 4, 5, 127, 4096, 65_000):
        data = rng.randbytes(size)
        mask = tuple(rng.randrange(256) for _ in range(4))
        offset = rng.randrange(8)
        assert unmask(data, mask, len(data), offset) == reference_unmask(data, mask, offset)


def test_a_green_threads_cpu_leaves_out_what_others_did_while_it_waited() -> None:
    import greenlet  # type: ignore[import-untyped]

    clock = GreenCpu(greenlet)
    try:
        seen: dict[str, float] = {}

        def burn() -> None:
            end = time.thread_time() + 0.05
            while time.thread_time() < end:
                pass
            waiter.switch()

        def wait() -> None:
            start = clock()
            burner.switch()  # another green thread runs 50 ms of CPU meanwhile
            seen["waiter"] = clock() - start

        waiter = greenlet.greenlet(wait)
        burner = greenlet.greenlet(burn)
        waiter.switch()
        assert seen["waiter"] < 0.02
        assert time.thread_time() >= 0.05  # the thread as a whole did use it
    finally:
        clock.close()


def test_a_scenario_file_is_checked_in_a_child_process_with_a_time_limit(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    raw = (ROOT / "scenarios" / "saas-startup.yaml").read_bytes()
    assert scenario_worker.check_in_child("ours.yaml", raw).title
    with pytest.raises(CommandRejected) as refused:
        scenario_worker.check_in_child("ours.yaml", b"rounds: [")
    assert refused.value.as_error()["code"] == "bad_scenario" and refused.value.as_error()["problems"]
    monkeypatch.setattr(scenario_worker, "TIMEOUT_SECONDS", 0.01)
    with caplog.at_level(logging.WARNING), pytest.raises(CommandRejected) as slow:
        scenario_worker.check_in_child("ours.yaml", raw)
    assert slow.value.code == "bad_scenario" and "took too long" in slow.value.message
    assert "its check was stopped" in caplog.text
