"""Two workers sharing redis-server behind nginx: one session across both, and a worker killed mid-round."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
import redis
import requests

from bench.cluster import Cluster
from tests.scaleout.conftest import Phone

pytestmark = pytest.mark.slow


def phone(url: str, phones: list[Phone]) -> Phone:
    p = Phone(url)
    phones.append(p)
    return p


def join(url: str, phones: list[Phone], code: str, n: int) -> list[tuple[Phone, dict[str, Any]]]:
    out = []
    for i in range(n):
        p = phone(url, phones)
        ack = p.call("player:join", {"id": f"join-{len(phones)}-{i}", "code": code, "name": f"P{i}"})
        assert ack["ok"], ack
        out.append((p, ack))
    return out


def first_card(p: Phone) -> str:
    return next(c["id"] for c in p.call("sync")["view"]["cards"] if c["kind"] != "event")


def test_one_session_across_two_workers_every_edit_seen_everywhere(
    cluster: Cluster, phones: list[Phone]
) -> None:
    one, two = (f"http://127.0.0.1:{p}" for p in cluster.worker_ports)
    host = phone(cluster.url, phones)
    created = host.call("host:create", {"scenario": "saas-startup", "teams": 2, "seed": 7})
    code = created["code"]
    # Alternate workers, so each team has phones on both.
    players = [join(one if i % 2 == 0 else two, phones, code, 1)[0] for i in range(6)]
    assert host.command("start")["ok"]
    for p, _ in players:
        p.wait_for("seat:view", lambda d: d["phase"] == "round_open")
    edits = []
    for i, (p, ack) in enumerate(players):
        done = p.command("set_card", card=first_card(p), decision=["build", "defer", "no"][i % 3])
        assert done["ok"], done
        edits.append((ack["view"]["you"]["team"], done["rev"]))
    for team, rev in edits:
        for p, ack in players:
            if ack["view"]["you"]["team"] == team:  # every teammate, on either worker, sees every edit
                p.wait_for("team:plan", lambda d, rev=rev: d["rev"] == rev)
    team_of = {ack["seat"]: ack["view"]["you"]["team"] for _, ack in players}
    host.wait_for("host:team", lambda d: d["team"]["decided"] >= 1)
    # Both workers' copies agree with the log: the same view from either side.
    views = [p.call("sync")["view"] for p, _ in players]
    for (_, ack), view in zip(players, views, strict=True):
        mate = next(
            q for q, a in players if a["seat"] != ack["seat"] and team_of[a["seat"]] == team_of[ack["seat"]]
        )
        assert mate.call("sync")["view"]["team"]["plan"] == view["team"]["plan"]
    assert host.command("close")["ok"] and host.command("reveal")["ok"]
    for p, _ in players:
        got = p.wait_for("seat:view", lambda d: d["phase"] == "revealed")
        assert got["team"]["outcome"] is not None
    # Pages and files come through nginx too, a large one buffered through its temp files.
    page = requests.get(f"{cluster.url}/join/{code}", timeout=5)
    assert page.ok and code in page.text
    vendor = requests.get(f"{cluster.url}/static/vendor/socket.io.esm.min.js", timeout=5)
    assert vendor.ok and len(vendor.content) > 32 * 1024


def test_a_worker_killed_mid_round_its_phones_carry_on_through_nginx(
    cluster: Cluster, phones: list[Phone]
) -> None:
    host = phone(cluster.url, phones)
    created = host.call(
        "host:create", {"scenario": "saas-startup", "teams": 2, "seed": 7, "round_seconds": 10}
    )
    code = created["code"]
    players = join(cluster.url, phones, code, 6)  # nginx round robin spreads them over both workers
    assert host.command("start")["ok"]
    for p, _ in players[:3]:
        assert p.command("set_card", card=first_card(p), decision="build")["ok"]
    before = {ack["seat"]: p.call("sync")["view"] for p, ack in players}
    cluster.kill_worker(cluster.worker_ports[0])
    deadline = time.monotonic() + 10
    while not any(p.drops for p, _ in players) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)  # every phone of the dead worker has seen its socket close by now
    for p, _ in players:
        p.wait_connected()
    host.wait_connected()
    dropped = [ack["seat"] for p, ack in players if p.drops]
    assert dropped, "nginx should have put some phones on the killed worker"
    assert host.call("host:attach", {"code": code, "secret": created["secret"]})["ok"]
    for p, ack in players:
        view = p.call("player:resume", {"token": ack["token"]})["view"]  # what a phone does on every connect
        old = before[ack["seat"]]
        assert view["team"]["plan"] == old["team"]["plan"]  # nothing lost
        assert view["rev"] >= old["rev"] and view["you"] == old["you"]
        assert view["timer"]["ends_at_ms"] == old["timer"]["ends_at_ms"]
    # The survivors carry on: edits still reach teammates, whichever worker they were on.
    for p, ack in players[3:]:
        done = p.command("set_card", card=first_card(p), decision="no")
        assert done["ok"], done
        for q, a in players:
            if a["view"]["you"]["team"] == ack["view"]["you"]["team"]:
                q.wait_for("team:plan", lambda d, rev=done["rev"]: d["rev"] == rev)
    # The timer closes the round on the surviving worker, exactly once.
    for p, _ in players:
        p.wait_for("seat:view", lambda d: d["phase"] == "round_closed", timeout=20)
    r = redis.Redis.from_url(cluster.redis_url)
    log = [json.loads(e) for e in r.lrange(f"curb:log:{code}", 0, -1)]
    r.close()
    assert sum(1 for e in log if e["c"]["type"] == "tick") == 1


def test_moves_and_removals_made_on_one_worker_reach_phones_on_the_other(
    cluster: Cluster, phones: list[Phone]
) -> None:
    one, two = (f"http://127.0.0.1:{p}" for p in cluster.worker_ports)
    host = phone(one, phones)
    created = host.call("host:create", {"scenario": "saas-startup", "teams": 2, "seed": 5})
    code = created["code"]
    (ann, a), (bob, b) = join(two, phones, code, 2)  # both on the other worker: t1 and t2
    assert {a["view"]["you"]["team"], b["view"]["you"]["team"]} == {"t1", "t2"}
    mover, stayer = (ann, bob) if a["view"]["you"]["team"] == "t1" else (bob, ann)
    moved = (a if mover is ann else b)["seat"]
    assert host.command("move_player", seat=moved, team="t2")["ok"]
    mover.wait_for("seat:view", lambda d: d["you"]["team"] == "t2")  # sent by its own worker
    assert host.command("start")["ok"]
    mover.wait_for("seat:view", lambda d: d["phase"] == "round_open")
    done = mover.command("set_card", card=first_card(mover), decision="build")
    assert done["ok"], done
    stayer.wait_for("team:plan", lambda d: d["rev"] == done["rev"])  # its socket moved rooms too
    gone = (b if mover is ann else a)["seat"]
    assert host.command("remove_player", seat=gone)["ok"]
    stayer.wait_for("seat:removed", lambda d: d["seat"] == gone)
    assert stayer.command("lock")["error"]["code"] in ("not_joined", "removed")


def test_phones_of_a_dead_worker_that_never_come_back_are_shown_away(
    quick_cluster: Cluster, phones: list[Phone]
) -> None:
    doomed, survivor = (f"http://127.0.0.1:{p}" for p in quick_cluster.worker_ports)
    host = phone(survivor, phones)
    created = host.call("host:create", {"scenario": "saas-startup", "teams": 1, "seed": 7})
    code = created["code"]
    lost = join(doomed, phones, code, 3)  # straight to the worker that dies: nowhere to come back to
    kept = join(survivor, phones, code, 2)

    def connected() -> dict[str, bool]:
        members = host.call("sync")["view"]["teams"][0]["members"]
        return {m["id"]: m["connected"] for m in members}

    assert all(connected().values()) and len(connected()) == 5
    quick_cluster.kill_worker(quick_cluster.worker_ports[0])
    gone = {ack["seat"] for _, ack in lost}
    deadline = time.monotonic() + 20
    while any(connected()[s] for s in gone) and time.monotonic() < deadline:
        time.sleep(0.2)
    now = connected()
    assert not any(now[s] for s in gone), now  # shown away, as a phone that closed its tab would be
    assert all(now[ack["seat"]] for _, ack in kept), now  # the survivor's phones stay connected
    assert host.call("sync")["view"]["counts"]["connected"] == 2


def test_play_again_reaches_the_phones_on_every_worker(cluster: Cluster, phones: list[Phone]) -> None:
    one, two = (f"http://127.0.0.1:{p}" for p in cluster.worker_ports)
    host = phone(two, phones)
    created = host.call("host:create", {"scenario": "saas-startup", "teams": 2, "seed": 7})
    players = [join(one if i % 2 == 0 else two, phones, created["code"], 1)[0] for i in range(4)]
    assert host.command("start")["ok"] and host.command("end")["ok"]
    went = host.call("host:next_game", {"scenario": "fierce-market"})
    assert went["ok"] and went["view"]["scenario"]["title"].startswith("Fierce Market")
    for p, ack in players:  # told by its own worker, whichever made the next game
        told = p.wait_for("seat:next", lambda d: d["code"] == went["code"])
        there = p.call("player:resume", {"token": told["token"]})
        assert there["ok"] and there["view"]["you"]["name"] == ack["view"]["you"]["name"]
        assert there["view"]["team"]["id"] == ack["view"]["you"]["team"]
