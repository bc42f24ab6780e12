"""How long a stranger can stall the room: a bystander phone's worst ``sync`` under each attack.

Run:  .venv/bin/python bench/stall.py [--only fragmented,binary,...] [--keep]

Starts ``python -m game serve`` (eventlet) on a free loopback port. A phone in one session sends
``sync`` every 100 ms on its own connection; meanwhile an attacker with no seat (or with its own
session) runs each attack of issue 13 in turn. For every attack it prints the bystander's worst
``sync`` round trip, the server's resident memory before the attack and 2 s after the attacker
hung up, and the server's log lines the attack produced (tracebacks counted).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import websocket

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.hardening.live import LiveServer, Wire  # noqa: E402

MB = 1024 * 1024


def rss_mb(live: LiveServer) -> float:
    assert live.proc is not None
    for line in Path(f"/proc/{live.proc.pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Bystander:
    """A phone in its own session, asking for its view every 100 ms; keeps the worst round trip."""

    def __init__(self, live: LiveServer) -> None:
        host = Wire(live.ws_url)
        created = host.call("host:create", {"teams": 2})
        self.host = host
        self.phone = Wire(live.ws_url)
        joined = self.phone.call("player:join", {"id": "by1", "code": created["code"], "name": "Bea"})
        assert joined["ok"], joined
        self.worst = 0.0
        self.missing = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            t = time.perf_counter()
            try:
                self.phone.call("sync", timeout=15)
            except AssertionError:
                self.missing += 1
            self.worst = max(self.worst, time.perf_counter() - t)
            self._stop.wait(max(0.0, 0.1 - (time.perf_counter() - t)))

    def measure(self, attack: Callable[[], None]) -> float:
        self.worst = 0.0
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        try:
            attack()
            time.sleep(0.5)
        finally:
            self._stop.set()
            self._thread.join(20)
        return self.worst


def raw_socket(live: LiveServer) -> websocket.WebSocket:
    ws = websocket.create_connection(live.ws_url, timeout=10)
    ws.recv()
    ws.send("40")
    ws.recv()
    return ws


def fragmented(live: LiveServer) -> None:
    """A text message as one non-final frame and ~470 continuation frames of 64 KB (30 MB)."""
    ws = raw_socket(live)
    chunk = "a" * (64 * 1024 - 16)
    with contextlib.suppress(Exception):
        ws.send_frame(websocket.ABNF.create_frame('42["x","', websocket.ABNF.OPCODE_TEXT, fin=0))
        for _ in range(470):
            ws.send_frame(websocket.ABNF.create_frame(chunk, websocket.ABNF.OPCODE_CONT, fin=0))
        ws.send_frame(websocket.ABNF.create_frame('"]', websocket.ABNF.OPCODE_CONT, fin=1))
    with contextlib.suppress(Exception):
        ws.close(timeout=0.5)


def binary(live: LiveServer) -> None:
    """A binary event announcing 1,000 attachments, then 450 of 64 KB, never completing."""
    ws = raw_socket(live)
    blob = b"\0" * (64 * 1024 - 16)
    with contextlib.suppress(Exception):
        ws.send('451000-["command",{"_placeholder":true,"num":0}]')
        for _ in range(450):
            ws.send_binary(blob)
    with contextlib.suppress(Exception):
        ws.close(timeout=0.5)


def legal_flood(live: LiveServer) -> None:
    """300 well-formed ~60 KB events with a name nobody handles."""
    ws = raw_socket(live)
    body = "42" + json.dumps(["nothing", "x" * (60 * 1024)])
    with contextlib.suppress(Exception):
        for _ in range(300):
            ws.send(body)
    with contextlib.suppress(Exception):
        ws.close(timeout=0.5)


def bracket_bomb(live: LiveServer) -> None:
    """Ten 5 KB scenario files of nested brackets, checked one after the other."""
    w = Wire(live.ws_url)
    for _ in range(10):
        w.call("scenario:check", {"scenario_yaml": "[" * 5000, "scenario_file": "bomb.yaml"}, timeout=30)
    w.close()


def disguised_bomb(live: LiveServer) -> None:
    """Ten files of brackets a quick count sees as shallow (``["]", ["]", ...`` nests 1,200 deep)."""
    w = Wire(live.ws_url)
    for _ in range(10):
        w.call("scenario:check", {"scenario_yaml": '["]", ' * 1200, "scenario_file": "bomb.yaml"}, timeout=30)
    w.close()


def locked_database(live: LiveServer) -> None:
    """Another process holds the database's write lock for 4 s while a facilitator edits."""
    w = Wire(live.ws_url)
    w.call("host:create", {"teams": 2})
    held = threading.Event()

    def hold() -> None:
        with contextlib.closing(sqlite3.connect(str(live.db), timeout=10, isolation_level=None)) as db:
            db.execute("BEGIN IMMEDIATE")
            held.set()
            time.sleep(4)
            db.execute("ROLLBACK")

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    answers = []
    for n in range(3):
        t = time.perf_counter()
        ack = w.call("command", {"id": f"c{n}", "type": "configure", "round_seconds": 60 + n}, timeout=20)
        answers.append((ack.get("error", {}).get("code", "ok"), round(time.perf_counter() - t, 2)))
    holder.join()
    print(f"    edits during the lock: {answers}")
    w.close()


def odd_names(live: LiveServer) -> None:
    """``disconnect`` (with an ack), ``connect``, ``*``, an object and an array as event names."""
    w = Wire(live.ws_url)
    for body in ('["disconnect"]', '["connect"]', '["*"]', '[{"a":1}]', '[["a"]]', "[7]"):
        cid = w.emit_json(body)
        w.read(time.monotonic() + 2, {cid} if cid else None)
    print(f"    acks: {[w.acks.get(i) for i in range(1, 7)]}")
    w.close()


ATTACKS: dict[str, Callable[[LiveServer], None]] = {
    "fragmented": fragmented,
    "binary": binary,
    "legal_flood": legal_flood,
    "bracket_bomb": bracket_bomb,
    "disguised_bomb": disguised_bomb,
    "locked_database": locked_database,
    "odd_names": odd_names,
}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--only", default="", help="comma-separated attacks: " + ",".join(ATTACKS))
    p.add_argument("--keep", action="store_true", help="keep the temp directory (database, log)")
    args = p.parse_args()
    chosen = [a for a in args.only.split(",") if a] or list(ATTACKS)
    work = Path(tempfile.mkdtemp(prefix="curb-stall-"))
    live = LiveServer(work)
    live.start()
    try:
        bystander = Bystander(live)
        bystander.measure(lambda: time.sleep(1))
        print(f"{'attack':16} {'worst sync':>10} {'RSS before':>10} {'RSS after':>10}  log lines")
        for name in chosen:
            before_log = len(live.log_text().splitlines())
            before = rss_mb(live)
            worst = bystander.measure(lambda name=name: ATTACKS[name](live))  # type: ignore[misc]
            time.sleep(2)
            after = rss_mb(live)
            lines = live.log_text().splitlines()[before_log:]
            tracebacks = sum(1 for line in lines if line.startswith("Traceback"))
            said = [line for line in lines if " WARNING " in line or " ERROR " in line]
            shown = [line.split(": ", 1)[-1][:110] for line in said]
            print(f"{name:16} {worst * 1000:8.0f} ms {before:7.1f} MB {after:7.1f} MB  {len(lines)} lines,")
            more = " ..." if len(shown) > 3 else ""
            print(f"    {tracebacks} tracebacks; warnings/errors: {shown[:3]}{more}")
    finally:
        live.stop()
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
