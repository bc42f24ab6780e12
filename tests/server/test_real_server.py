"""Against a real server process under eventlet, with python-socketio clients over websockets."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.live_phone import Phone

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerProcess:
    def __init__(self, db: Path) -> None:
        self.db = db
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[str] | None = None

    def start(self) -> None:
        env = {**os.environ, "CURB_ASYNC_MODE": "eventlet", "PYTHONUNBUFFERED": "1"}
        cmd = [sys.executable, "-m", "game", "serve", "--host", "127.0.0.1"]
        cmd += ["--port", str(self.port), "--db", str(self.db)]
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/healthz", timeout=0.5).ok:
                    return
            except requests.ConnectionError:
                time.sleep(0.05)
        raise AssertionError("the server did not start")

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(5)
        assert self.proc.stdout is not None
        self.proc.stdout.close()

    def stop(self) -> str:
        if self.proc is None or self.proc.poll() is not None:
            return ""
        self.proc.terminate()
        out, _ = self.proc.communicate(timeout=5)
        return out


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    proc = ServerProcess(tmp_path / "curb.db")
    proc.start()
    yield proc
    assert "Traceback" not in proc.stop()  # user input never produces a traceback


@pytest.fixture
def phones() -> Iterator[list[Phone]]:
    made: list[Phone] = []
    yield made
    for phone in made:
        phone.close()


def phone(server: ServerProcess, phones: list[Phone]) -> Phone:
    p = Phone(server.url)
    phones.append(p)
    return p


def setup_game(
    server: ServerProcess, phones: list[Phone], **settings: Any
) -> tuple[Phone, dict[str, Any], list[tuple[Phone, dict[str, Any]]]]:
    host = phone(server, phones)
    created = host.call("host:create", {"scenario": "saas-startup", "teams": 3, "seed": 7, **settings})
    assert created["ok"], created
    players = []
    for i in range(6):
        p = phone(server, phones)
        ack = p.call("player:join", {"id": f"join-{i}", "code": created["code"], "name": f"Player {i}"})
        assert ack["ok"], ack
        players.append((p, ack))
    assert host.command("start")["ok"]
    return host, created, players


def decide_all(players: list[tuple[Phone, dict[str, Any]]], decision: str) -> None:
    for p, _ack in players:
        view = p.call("sync")["view"]
        for card in view["cards"]:
            if card["kind"] != "event":
                assert p.command("set_card", card=card["id"], decision=decision)["ok"]


def test_a_full_game_of_three_teams(server: ServerProcess, phones: list[Phone]) -> None:
    host, created, players = setup_game(server, phones)
    teams = {ack["view"]["you"]["team"] for _, ack in players}
    assert teams == {"t1", "t2", "t3"}
    rounds = host.call("sync")["view"]["round"]["count"]
    for r in range(rounds):
        decide_all(players[:3], ["build", "defer", "no"][r % 3])
        for p, _ in players[:3]:
            p.command("lock")
        assert host.command("close")["ok"] and host.command("reveal")["ok"]
        p0 = players[0][0]
        p0.wait_for("seat:view", lambda d, r=r: d["phase"] == "revealed" and d["round"]["index"] == r)
        assert host.command("next")["ok"]
    for p, ack in players:
        p.wait_for("seat:view", lambda d: d["phase"] == "debrief")
        mine = p.call("debrief")["debrief"]
        assert [t["id"] for t in mine["teams"]] == [ack["view"]["you"]["team"]]
    got = requests.get(
        f"{server.url}/api/sessions/{created['code']}/export.csv",
        headers={"X-Curb-Secret": created["secret"]},
        timeout=5,
    )
    assert got.ok and got.text.count("\n") > 3 * rounds


def test_a_player_drops_and_rejoins_mid_round(server: ServerProcess, phones: list[Phone]) -> None:
    host, _, players = setup_game(server, phones)
    ann, joined = players[0]
    assert ann.command("set_card", card=ann.call("sync")["view"]["cards"][-1]["id"], decision="build")["ok"]
    ann.close()
    host.wait_for(
        "host:team", lambda d: any(m["id"] == "s1" and not m["connected"] for m in d["team"]["members"])
    )
    again = phone(server, phones)
    back = again.call("player:resume", {"token": joined["token"]})
    assert back["ok"] and back["view"]["you"]["name"] == "Player 0"
    assert back["view"]["team"]["plan"] and back["view"]["phase"] == "round_open"
    host.wait_for(
        "host:team", lambda d: any(m["id"] == "s1" and m["connected"] for m in d["team"]["members"])
    )


def test_kill_9_and_restart_mid_round_loses_nothing(server: ServerProcess, phones: list[Phone]) -> None:
    host, created, players = setup_game(server, phones, round_seconds=10)
    decide_all(players[:3], "build")
    players[0][0].command("lock")
    players[1][0].command(
        "set_card", card=players[1][0].call("sync")["view"]["cards"][-1]["id"], decision="no"
    )
    players[1][0].command("lock")
    before = {ack["seat"]: p.call("sync")["view"] for p, ack in players}
    host_before = host.call("sync")["view"]
    server.kill()
    server.start()
    for p, _ in players:
        p.wait_connected()
    host.wait_connected()
    assert host.call("host:attach", {"code": created["code"], "secret": created["secret"]})["ok"]
    for p, ack in players:
        view = p.call("player:resume", {"token": ack["token"]})["view"]
        old = before[ack["seat"]]
        assert view["team"]["plan"] == old["team"]["plan"]
        assert view["team"]["locked"] == old["team"]["locked"]
        assert view["timer"]["ends_at_ms"] == old["timer"]["ends_at_ms"]
        assert view["rev"] == old["rev"] and view["you"] == old["you"]
    assert host.call("sync")["view"]["timer"]["ends_at_ms"] == host_before["timer"]["ends_at_ms"]
    # The ticker runs again after the restart: the round closes on time, plans as they stood.
    closed = players[0][0].wait_for("seat:view", lambda d: d["phase"] == "round_closed", timeout=15)
    assert closed["team"]["plan"] == before[players[0][1]["seat"]]["team"]["plan"]
