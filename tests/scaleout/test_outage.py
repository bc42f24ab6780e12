"""Redis stopped for 20 s mid-round under two workers and nginx: what phones, the facilitator and
the operator see during the outage and after it."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest
import redis
import requests
import socketio

from bench.cluster import Cluster
from tests.scaleout.conftest import Phone
from tests.scaleout.test_cluster import first_card, join, phone

pytestmark = pytest.mark.slow
OUTAGE_SECONDS = 20


def answered_within(p: Phone, event: str, payload: Any, limit: float) -> tuple[Any, float]:
    """One acknowledged emit, not retried: the answer and how long it took."""
    began = time.monotonic()
    try:
        answer = p.sio.call(event, payload, timeout=limit)
    except socketio.exceptions.TimeoutError:
        raise AssertionError(f"{event} got no answer within {limit} s") from None
    return answer, time.monotonic() - began


def seen_by(p: Phone, rev: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if p.count("team:plan", lambda d: d["rev"] >= rev) or p.count("seat:view", lambda d: d["rev"] >= rev):
            return
        time.sleep(0.05)
    raise AssertionError(f"revision {rev} never reached the phone")


def presence_log(cluster: Cluster, code: str) -> list[dict[str, Any]]:
    r = redis.Redis.from_url(cluster.redis_url)
    try:
        entries = [json.loads(e) for e in r.lrange(f"curb:log:{code}", 0, -1)]
    finally:
        r.close()
    return [e for e in entries if e["c"]["type"] == "presence"]


def test_a_redis_outage_is_answered_unavailable_and_everything_comes_back(
    cluster: Cluster, phones: list[Phone]
) -> None:
    one, two = (f"http://127.0.0.1:{p}" for p in cluster.worker_ports)
    timeline: list[str] = []
    began = time.monotonic()

    def mark(what: str) -> None:
        timeline.append(f"{time.monotonic() - began:6.1f} s  {what}")

    host = phone(one, phones)
    created = host.call("host:create", {"scenario": "saas-startup", "teams": 1, "seed": 3})
    code = created["code"]
    on_one = join(one, phones, code, 2)
    on_two = join(two, phones, code, 2)
    players = on_one + on_two
    assert host.command("start")["ok"]
    for p, _ in players:
        p.wait_for("seat:view", lambda d: d["phase"] == "round_open")
    card = first_card(on_one[0][0])
    away_before = sum(1 for e in presence_log(cluster, code) if not e["c"]["connected"])
    lines_before = {port: len(cluster.log(f"worker-{port}").splitlines()) for port in cluster.worker_ports}

    cluster.stop_redis()
    mark("Redis stopped")
    outage_began = time.monotonic()
    # Every request is answered, at once, with 'unavailable': edits, joins and views alike.
    for p, _ in players:
        done, took = answered_within(p, "command", {"id": f"out-{id(p)}", "type": "lock"}, 5)
        assert done["ok"] is False and done["error"]["code"] == "unavailable", done
        assert took < 3, took
    mark("first 'unavailable' answered")
    for url in (one, two):
        newcomer = phone(url, phones)
        joined, took = answered_within(
            newcomer, "player:join", {"id": "late", "code": code, "name": "Late"}, 5
        )
        assert joined["ok"] is False and joined["error"]["code"] == "unavailable", joined
        assert took < 3, took
        health = requests.get(f"{url}/healthz", timeout=5)
        assert health.status_code == 503 and "Redis" in health.json()["reason"], health.text
    synced, _ = answered_within(host, "sync", {}, 5)
    assert synced["error"]["code"] == "unavailable"
    assert requests.get(f"{cluster.url}/join/{code}", timeout=5).status_code == 503
    time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - outage_began)))

    cluster.start_redis()
    mark("Redis back")
    back = time.monotonic()
    # An edit on one worker reaches a teammate on the other, live, within a few seconds.
    mover, watcher = on_one[0][0], on_two[0][0]
    while True:
        done, _ = answered_within(mover, "command", {"id": "after-1", "type": "set_card", "card": card,
                                                     "decision": "build"}, 5)  # fmt: skip
        if done["ok"]:
            break
        assert time.monotonic() - back < 10, done
        time.sleep(0.2)
    mark("first edit accepted after the outage")
    # Live, or in the view every phone is sent again once its worker hears the others again.
    seen_by(watcher, done["rev"], timeout=10)
    mark("that edit seen on the other worker")
    # The queue listens again within a second or two: an edit is pushed live to the other worker.
    for n in range(20):
        again, _ = answered_within(watcher, "command", {"id": f"again-{n}", "type": "set_card", "card": card,
                                                        "decision": ["no", "build"][n % 2]}, 5)  # fmt: skip
        assert again["ok"], again
        live = time.monotonic()
        while time.monotonic() - live < 1 and not mover.count(
            "team:plan", lambda d, rev=again["rev"]: d["rev"] >= rev
        ):
            time.sleep(0.02)
        if mover.count("team:plan", lambda d, rev=again["rev"]: d["rev"] >= rev):
            break
    else:
        raise AssertionError("no edit was pushed live across workers after the outage")
    mark("an edit pushed live across workers")
    assert time.monotonic() - back < 8
    # Every phone was sent its view again after the gap (it may have missed emits meanwhile).
    for p, _ in players:
        p.wait_for("seat:view", lambda d: d["rev"] >= done["rev"] - 1, timeout=10)
    mark("every phone resynced")
    # Nobody is ever shown away: watch through the heartbeat's sweep (three 5 s beats).
    watched_until = time.monotonic() + 20
    while time.monotonic() < watched_until:
        counts = host.call("sync")["view"]["counts"]
        assert counts["connected"] == 4, counts
        time.sleep(1)
    assert sum(1 for e in presence_log(cluster, code) if not e["c"]["connected"]) == away_before
    mark("all 4 phones shown connected throughout, 20 s after")
    for url in (one, two):
        assert requests.get(f"{url}/healthz", timeout=5).status_code == 200
    latecomer = phone(cluster.url, phones)
    assert latecomer.call("player:join", {"id": "later", "code": code, "name": "Later"})["ok"]
    # The operator's log: one line when the outage began, one summary when it ended, per worker.
    for port in cluster.worker_ports:
        new = cluster.log(f"worker-{port}").splitlines()[lines_before[port] :]
        assert any("is unavailable" in line for line in new), new
        assert any("is back after" in line for line in new), new
        assert len(new) < 30, "\n".join(new)
    print("\n".join(timeline))


def test_a_redis_that_hangs_instead_of_refusing_is_noticed_and_then_refused_at_once(
    tmp_path: Path, phones: list[Phone]
) -> None:
    """A stopped process (or a lost network) accepts connections and never answers: the first
    requests wait for the timeouts, then every request is refused at once, and when Redis answers
    again the worker finds out by itself within a second."""
    cluster = Cluster(tmp_path, workers=1)
    try:
        cluster.start()
        url = f"http://127.0.0.1:{cluster.worker_ports[0]}"
        host = phone(url, phones)
        code = host.call("host:create", {"scenario": "saas-startup", "teams": 1, "seed": 3})["code"]
        ((player, _),) = join(url, phones, code, 1)
        assert cluster.redis is not None
        os.kill(cluster.redis.pid, signal.SIGSTOP)
        try:
            first, _ = answered_within(player, "command", {"id": "h0", "type": "lock"}, 15)
            assert first["error"]["code"] == "unavailable", first
            for n in range(5):
                later, took = answered_within(player, "command", {"id": f"h{n + 1}", "type": "lock"}, 5)
                assert later["error"]["code"] == "unavailable" and took < 1, (later, took)
        finally:
            os.kill(cluster.redis.pid, signal.SIGCONT)
        back = time.monotonic()
        # In the lobby a lock is refused as wrong_phase: which means the store read the session again.
        while player.call("command", {"id": "after", "type": "lock"})["error"]["code"] == "unavailable":
            assert time.monotonic() - back < 5, "Redis answers again, but the worker did not notice"
            time.sleep(0.1)
    finally:
        cluster.stop()
    assert "Traceback" not in cluster.log(f"worker-{cluster.worker_ports[0]}")
