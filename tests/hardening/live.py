"""A real server process (``python -m game serve`` under eventlet) and a raw Engine.IO/Socket.IO
client, for the fuzzing and soak tests and their bench scripts. Loopback only; every wait is bounded."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import requests
import websocket

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """The game server in its own process; its stdout and stderr go to a log file, read at the end."""

    def __init__(self, workdir: Path, *args: str) -> None:
        self.db = workdir / "curb.db"
        self.log = workdir / "server.log"
        self.args = list(args)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}/socket.io/?EIO=4&transport=websocket"
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self, timeout: float = 45) -> None:
        env = {**os.environ, "CURB_ASYNC_MODE": "eventlet", "PYTHONUNBUFFERED": "1"}
        cmd = [sys.executable, "-m", "game", "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        cmd += ["--db", str(self.db), *self.args]
        with open(self.log, "ab") as out:
            out.write(f"--- start {self.starts + 1} ---\n".encode())
            out.flush()
            self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        self.starts += 1
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"the server exited:\n{self.log_text()[-3000:]}")
            try:
                if requests.get(self.url + "/healthz", timeout=0.5).ok:
                    return
            except requests.RequestException:
                time.sleep(0.05)
        raise AssertionError("the server did not start")

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """``kill -9``: no goodbye, no flush beyond what each command already wrote."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def logged_commands(self, code: str) -> int:
        """How many commands the session's log holds, read straight from the database file."""
        with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=5) as db:
            row = db.execute("SELECT COUNT(*) FROM commands WHERE code = ?", (code,)).fetchone()
        return int(row[0])

    def command_log(self, code: str) -> list[tuple[str, str, dict[str, Any]]]:
        """(actor, command id, command) for every logged command of a session, in order."""
        with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=5) as db:
            rows = db.execute(
                "SELECT actor, command_id, command FROM commands WHERE code = ? ORDER BY seq", (code,)
            ).fetchall()
        return [(a, cid, json.loads(cmd)) for a, cid, cmd in rows]


class Wire:
    """One Socket.IO connection spoken by hand over a websocket: frames in, acks and pushes out.

    Lets a test send what no well-behaved client library would (bad packets, binary attachments,
    many events in flight at once) and read every answer by its ack id.
    """

    def __init__(self, ws_url: str, forwarded_for: str = "", timeout: float = 10) -> None:
        headers = [f"X-Forwarded-For: {forwarded_for}"] if forwarded_for else []
        self.ws = websocket.create_connection(ws_url, timeout=timeout, header=headers)
        opened = self.ws.recv()
        assert isinstance(opened, str) and opened.startswith("0"), opened
        self.ws.send("40")
        connected = self.recv_frame()
        assert isinstance(connected, str) and connected.startswith("40"), connected
        self.next_id = 1
        self.acks: dict[int, Any] = {}
        self.pushed: list[tuple[str, Any]] = []
        self.closed = False

    def recv_frame(self) -> str | bytes:
        while True:
            frame = self.ws.recv()
            if frame == "2":  # Engine.IO ping
                self.ws.send("3")
                continue
            return frame

    def send_raw(self, frame: str | bytes) -> None:
        if isinstance(frame, bytes):
            self.ws.send_binary(frame)
        else:
            self.ws.send(frame)

    def emit(self, event: str, *args: Any, ack: bool = True) -> int | None:
        """Send one event (args JSON-encoded); returns the ack id waited for, if any."""
        return self.emit_json(json.dumps([event, *args]), ack=ack)

    def emit_json(self, body: str, ack: bool = True, binary: list[bytes] | None = None) -> int | None:
        """Send an event whose ``[name, ...args]`` array is given as JSON text (may be malformed)."""
        cid = None
        if ack:
            cid = self.next_id
            self.next_id += 1
        head = f"45{len(binary)}-" if binary else "42"
        self.send_raw(f"{head}{'' if cid is None else cid}{body}")
        for attachment in binary or ():
            self.send_raw(attachment)
        return cid

    def read(self, deadline: float, want: set[int] | None = None) -> None:
        """Read frames until every ack in ``want`` has arrived (or just drain until the deadline)."""
        while time.monotonic() < deadline:
            if want is not None and want <= self.acks.keys():
                return
            self.ws.settimeout(max(0.05, min(1.0, deadline - time.monotonic())))
            try:
                frame = self.recv_frame()
            except websocket.WebSocketTimeoutException:
                if want is None:
                    return
                continue
            except (websocket.WebSocketConnectionClosedException, ConnectionError, OSError):
                self.closed = True
                return
            if not isinstance(frame, str) or not frame:
                continue
            if frame.startswith("43"):  # an ack: 43<id>[...]
                digits = len(frame) - len(frame[2:].lstrip("0123456789"))
                self.acks[int(frame[2:digits])] = json.loads(frame[digits:])
            elif frame.startswith("42"):
                event = json.loads(frame[2:])
                self.pushed.append((event[0], event[1] if len(event) > 1 else None))
            elif frame in ("1", "41"):
                self.closed = True
                return

    def call(self, event: str, *args: Any, timeout: float = 10) -> Any:
        cid = self.emit(event, *args)
        assert cid is not None
        self.read(time.monotonic() + timeout, {cid})
        answer = self.acks.pop(cid, None)
        assert answer is not None, f"no answer to {event}"
        return answer[0] if isinstance(answer, list) and answer else answer

    def close(self) -> None:
        with contextlib.suppress(Exception):  # already gone: no closing handshake to do
            self.ws.close(timeout=0.5)
        with contextlib.suppress(Exception):
            self.ws.shutdown()  # and the socket itself is closed either way
        self.closed = True
