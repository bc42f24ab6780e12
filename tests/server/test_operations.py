"""Running the server as an operator does: a clean stop, backups while it runs, a restore, health
that tells the truth, and the log one game writes."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from game.cli import main
from game.store import SqliteStore
from tests.live_phone import Phone
from tests.server.test_real_server import ROOT, free_port

pytestmark = pytest.mark.slow


class Server:
    def __init__(self, db: Path, *extra: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = db.parent / f"server-{self.port}.log"
        env = {**os.environ, "CURB_ASYNC_MODE": "eventlet", "PYTHONUNBUFFERED": "1"}
        cmd = [sys.executable, "-m", "game", "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        with open(self.log, "w") as out:
            self.proc = subprocess.Popen(
                [*cmd, "--db", str(db), *extra], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.text()
            try:
                if requests.get(self.url + "/livez", timeout=0.5).ok:
                    return
            except requests.ConnectionError:
                time.sleep(0.05)
        raise AssertionError("the server did not start")

    def text(self) -> str:
        return self.log.read_text()

    def stop(self, sig: int = signal.SIGTERM) -> tuple[int, float]:
        """Signal it; its exit code and how long it took to exit."""
        began = time.monotonic()
        self.proc.send_signal(sig)
        code = self.proc.wait(15)
        return code, time.monotonic() - began


@pytest.fixture
def phones() -> Iterator[list[Phone]]:
    made: list[Phone] = []
    yield made
    for p in made:
        p.close()


def game_with_a_player(url: str, phones: list[Phone]) -> tuple[str, Phone, dict[str, object]]:
    host, player = Phone(url), Phone(url)
    phones += [host, player]
    code = host.call("host:create", {"scenario": "saas-startup", "teams": 1, "seed": 4})["code"]
    joined = player.call("player:join", {"id": "j1", "code": code, "name": "Ann"})
    assert joined["ok"], joined
    assert host.command("start")["ok"]
    return code, player, joined


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_is_graceful_and_leaves_a_complete_database_file(
    tmp_path: Path, phones: list[Phone], sig: int
) -> None:
    db = tmp_path / "curb.db"
    server = Server(db)
    code, player, _ = game_with_a_player(server.url, phones)
    code_, took = server.stop(sig)
    assert code_ == 0 and took < 5, server.text()
    assert "Traceback" not in server.text()
    player.wait_for("server:restarting", timeout=5)  # told before the socket closed
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0
    alone = tmp_path / "copied" / "curb.db"  # the .db file by itself, as a naive backup copies it
    alone.parent.mkdir()
    shutil.copy(db, alone)
    kept = SqliteStore(alone)
    state = kept.get(code)
    assert state is not None and state.phase.value == "round_open" and len(state.seats) == 1
    kept.close()


def test_a_backup_taken_while_the_server_runs_restores_the_game(
    tmp_path: Path, phones: list[Phone], capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "live.db"
    server = Server(db)
    try:
        code, player, joined = game_with_a_player(server.url, phones)
        backup = tmp_path / "backup.db"
        assert main(["sessions", "backup", str(backup), "--db", str(db)]) == 0
        assert f"backed up 1 session(s) from {db} to {backup}" in capsys.readouterr().out
        assert main(["sessions", "backup", str(backup), "--db", str(db)]) == 2  # never overwrites
        assert "already exists" in capsys.readouterr().err
        edit = player.call("sync")["view"]["rev"]
        assert requests.get(server.url + "/healthz", timeout=5).ok  # the backup took no lock away
    finally:
        server.stop()
    # Restore: the copy is one self-contained file; a server started on it carries the game on.
    assert not Path(f"{backup}-wal").exists()
    restored = tmp_path / "restored" / "curb.db"
    restored.parent.mkdir()
    shutil.copy(backup, restored)
    again = Server(restored)
    try:
        phone = Phone(again.url)
        phones.append(phone)
        back = phone.call("player:resume", {"token": joined["token"]})
        assert back["ok"] and back["view"]["phase"] == "round_open" and back["view"]["rev"] == edit
        assert code in requests.get(f"{again.url}/join/{code}", timeout=5).text
    finally:
        again.stop()


def test_health_says_503_and_why_when_the_database_cannot_be_used(tmp_path: Path) -> None:
    db = tmp_path / "curb.db"
    server = Server(db)
    try:
        ok = requests.get(server.url + "/healthz", timeout=5)
        assert ok.status_code == 200 and ok.json()["ok"] is True
        assert requests.get(server.url + "/readyz", timeout=5).status_code == 200
        db.unlink()  # an operator's mistake, or a disk that went away
        gone = requests.get(server.url + "/healthz", timeout=5)
        assert gone.status_code == 503 and str(db) in gone.json()["reason"], gone.text
        assert requests.get(server.url + "/readyz", timeout=5).status_code == 503
        assert requests.get(server.url + "/livez", timeout=5).status_code == 200  # alive, though
    finally:
        server.stop()


def test_one_game_writes_a_readable_log_and_json_lines_on_request(
    tmp_path: Path, phones: list[Phone], capsys: pytest.CaptureFixture[str]
) -> None:
    server = Server(tmp_path / "curb.db", "--log-format", "json")
    try:
        url = server.url
        code, player, _ = game_with_a_player(url, phones)
        host = phones[0]
        assert host.command("close")["ok"] and host.command("end")["ok"]
        player.close()
        time.sleep(0.5)
    finally:
        server.stop()
    # The log names the session by its reference, which `sessions list` shows beside the code.
    assert main(["sessions", "list", "--db", str(tmp_path / "curb.db"), "--json"]) == 0
    ref = json.loads(capsys.readouterr().out)["sessions"][0]["log_ref"]
    lines = [json.loads(line) for line in server.text().splitlines() if line.startswith("{")]
    said = [f"{line['level']} {line['message']}" for line in lines if ref in line["message"]]
    assert said == [
        f"info session {ref}: created (scenario saas-startup)",
        f"info session {ref}: player s1 joined team t1 (1 players)",
        f"info session {ref}: player s1 connected (1 of 1 connected)",
        f"info session {ref}: round 1 of 7 started",
        f"info session {ref}: round 1 of 7 closed",
        f"info session {ref}: game ended",
        f"info session {ref}: player s1 left (away) (0 of 1 connected)",
    ], said
    text = server.text()  # never a name, a room code, a secret or a token
    assert "Ann" not in text and code not in text and "token" not in text.lower()
    with sqlite3.connect(tmp_path / "curb.db") as db:  # and the log of commands is all there
        assert db.execute("SELECT count(*) FROM commands WHERE code = ?", (code,)).fetchone()[0] >= 4
