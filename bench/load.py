"""Load benchmark: N simulated phones play one session through the socket protocol.

Run:  .venv/bin/python bench/load.py --players 2000 [--url URL] [--workers K] [--json]
      .venv/bin/python bench/load.py --players 2000 --rounds 0 --json   # the joins only

Without ``--url`` it starts the game itself (``python -m game serve`` under eventlet on a free
loopback port, with a temp database); ``--workers K`` starts K workers + redis-server + nginx
instead (see ``bench/cluster.py``). It also starts the floor (``bench/floor_app.py``), a bare
Flask-SocketIO broadcast server, and every phone connects to both.

The phones are python-socketio ``AsyncClient``s over websockets, spread over ``--procs``
processes. The facilitator creates a session with teams of about eight; everyone joins; then
for each round: every phone edits its team's plan once at a random moment of the same
2-second burst; the facilitator closes and reveals; the floor broadcasts a payload as big as
a revealed seat view; next round. Figures are medians over rounds (see docs/performance.md).
``--rounds 0`` stops after the joins.

The joins (everyone joining, before round 1 starts) are measured on their own: ``join_s`` from
the first connect to the last join acknowledged; then, until the room is quiet (no phone has
had a message for half a second), the Engine.IO payload bytes every phone received on its game
connection (``join_bytes``, ``join_bytes_per_phone``: acks, seat views, lobby and team updates,
pings, each packet as the server encoded it; not the floor's connections, not WebSocket framing,
not the ~100-byte Engine.IO handshake), the facilitator's (``join_host_bytes``), and the game
server's CPU time (``join_server_cpu_s``, ``server_cpu_ms_per_join``). A room whose per-phone
bytes or CPU per join rise with its size is quadratic in total. ``join_dropped`` counts the
connections gone by then (a client gives up on a server that has not pinged it for 30 s).

Lost messages: every accepted edit must reach every phone of its team as a ``team:plan``
carrying exactly that edit's ``rev``; every phone must get the ``seat:view`` of every phase
change (start, close, reveal, next); the facilitator must end up with a summary of every team
at least as new as that team's last edit. Each one missing counts one.

Only loopback addresses are used; every wait is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import math
import multiprocessing as mp
import os
import platform
import random
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import requests
import socketio

ROOT = Path(__file__).resolve().parents[1]
TEAM_SIZE = 8
DECISIONS = ("build", "defer", "no")
WAIT = 60.0  # the longest any single step may take before it counts as lost


# -- small helpers ------------------------------------------------------------------------------------


def raise_nofile() -> None:
    """Each phone holds two sockets: lift the soft open-file limit to the hard one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(url + "/healthz", timeout=0.5).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.05)
    raise SystemExit(f"{url} did not come up")


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile, q in [0, 100]."""
    if not values:
        return math.nan
    xs = sorted(values)
    k = (len(xs) - 1) * q / 100
    lo, hi = math.floor(k), math.ceil(k)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_s(pid: int | None) -> float:
    """A process's CPU time so far (user + system), in seconds."""
    if pid is None:  # a process that has not started has used nothing
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pid_listening_on(port: int) -> int | None:
    """The process listening on a loopback TCP port (for --url on this machine), via /proc."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            if parts[3] == "0A" and int(parts[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(parts[9])
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
                if link.startswith("socket:[") and link[8:-1] in inodes:
                    return int(pid)
        except OSError:
            continue
    return None


class Received:
    """The Engine.IO payload bytes a python-socketio client (async or not) has received so far.

    Wraps the instance's ``eio._receive_packet`` (python-engineio's per-packet hook, called with
    every decoded packet after the handshake): a Socket.IO message keeps the server's text after
    its one-character packet type, so its size is exact, without encoding anything again.
    Install it before ``connect``.
    """

    def __init__(self, client: Any) -> None:
        self.bytes = 0
        self.messages = 0  # Engine.IO messages (Socket.IO's packets), not pings
        eio = client.eio
        inner = eio._receive_packet
        if asyncio.iscoroutinefunction(inner):

            async def tally_async(pkt: Any) -> None:
                self.tally(pkt)
                await inner(pkt)

            eio._receive_packet = tally_async
        else:

            def tally(pkt: Any) -> None:
                self.tally(pkt)
                inner(pkt)

            eio._receive_packet = tally

    def tally(self, pkt: Any) -> None:
        self.bytes += packet_bytes(pkt)
        self.messages += pkt.packet_type == MESSAGE


MESSAGE = 4  # Engine.IO's packet type for a message (the others are open, close, ping, pong, upgrade, noop)


def packet_bytes(pkt: Any) -> int:
    """An Engine.IO packet's size as sent: a text packet is its type digit and its text."""
    data = pkt.data
    if isinstance(data, str):  # Socket.IO messages: python-engineio leaves their text undecoded
        return 1 + (len(data) if data.isascii() else len(data.encode()))
    if isinstance(data, bytes):  # a binary WebSocket frame carries the bytes alone
        return len(data)
    return len(pkt.encode())  # pings, noops: a character or two


# -- the phones (one asyncio loop per process) ---------------------------------------------------------


class Phone:
    """One simulated phone: a game connection and a floor connection, recording what arrives."""

    def __init__(self, fleet: Fleet, index: int) -> None:
        self.fleet = fleet
        self.index = index
        self.sio = socketio.AsyncClient(reconnection=False)
        self.floor = socketio.AsyncClient(reconnection=False)
        self.received = Received(self.sio)  # the game connection's bytes (the floor's are not counted)
        self.seat = ""
        self.team = ""
        self.view: dict[str, Any] = {}
        self.reached: set[Any] = set()
        self.plans: list[tuple[int, float]] = []
        self.views: list[tuple[str, int, int, bool, float]] = []
        self.floors: list[tuple[int, float]] = []
        self.view_bytes = 0
        self.revealed: dict[str, Any] | None = None  # the first revealed view, a sample for the floor
        self.sio.on("seat:view", self.on_view)
        self.sio.on("team:plan", self.on_plan)
        self.floor.on("floor", self.on_floor)

    def on_view(self, data: dict[str, Any]) -> None:
        t = time.monotonic()
        self.view = data
        index = data.get("round", {}).get("index", -1)
        outcome = bool(data.get("team", {}).get("outcome"))
        self.views.append((data["phase"], index, data["rev"], outcome, t))
        if data["phase"] == "revealed" and not self.view_bytes:
            self.view_bytes = len(json.dumps(data, separators=(",", ":")))
            self.revealed = data
        self.fleet.reach(self, ("view", data["phase"], index), t)

    def on_plan(self, data: dict[str, Any]) -> None:
        self.plans.append((data["rev"], time.monotonic()))

    def on_floor(self, data: dict[str, Any]) -> None:
        t = time.monotonic()
        self.floors.append((data["seq"], t))
        self.fleet.reach(self, ("floor", data["seq"]), t)

    def edit(self, round_index: int) -> dict[str, Any]:
        cards = [c["id"] for c in self.view.get("cards", []) if c["kind"] != "event"]
        members = [m["id"] for m in self.view["team"]["members"]]
        pos = members.index(self.seat) if self.seat in members else self.index
        return {
            "id": f"e{round_index}-{self.index}",
            "type": "set_card",
            "card": cards[pos % len(cards)],
            "decision": DECISIONS[(pos + round_index) % 3],
        }


class Fleet:
    """The phones of one process, driven by the conductor through a pipe."""

    def __init__(self, first: int, count: int, url: str, floor_url: str) -> None:
        self.url, self.floor_url = url, floor_url
        self.phones = [Phone(self, i) for i in range(first, first + count)]
        self.counts: dict[Any, int] = defaultdict(int)
        self.last: dict[Any, float] = {}
        self.done: dict[Any, asyncio.Event] = defaultdict(asyncio.Event)
        self.joined = 0

    def reach(self, phone: Phone, key: Any, t: float) -> None:
        if key in phone.reached:
            return
        phone.reached.add(key)
        self.counts[key] += 1
        self.last[key] = max(self.last.get(key, 0.0), t)
        if self.counts[key] == self.joined:
            self.done[key].set()

    async def join(self, code: str, concurrency: int = 40) -> dict[str, Any]:
        gate = asyncio.Semaphore(concurrency)
        errors: list[str] = []

        async def one(p: Phone) -> None:
            async with gate:
                try:
                    await p.sio.connect(self.url, transports=["websocket"], wait_timeout=30)
                    await p.floor.connect(self.floor_url, transports=["websocket"], wait_timeout=30)
                    ack = await p.sio.call(
                        "player:join",
                        {"id": f"load-{p.index}", "code": code, "name": f"Phone {p.index}"},
                        timeout=WAIT,
                    )
                except Exception as err:  # a phone that cannot join is reported, not fatal
                    errors.append(f"{type(err).__name__}: {err}")
                    return
                if not ack.get("ok"):
                    errors.append(str(ack))
                    return
                p.seat, p.view = ack["seat"], ack["view"]
                p.team = ack["view"]["you"]["team"]

        await asyncio.gather(*(one(p) for p in self.phones))
        self.joined = sum(1 for p in self.phones if p.seat)
        return {"errors": errors, "joined": self.joined}

    async def wait(self, key: list[Any], within: float) -> dict[str, Any]:
        k = tuple(key)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.done[k].wait(), within)
        return {"missing": self.joined - self.counts[k], "last": self.last.get(k)}

    async def burst(self, t0: float, window: float, round_index: int) -> list[Any]:
        rng = random.Random(round_index * 100_003 + self.phones[0].index)

        async def one(p: Phone, offset: float) -> Any:
            await asyncio.sleep(max(0.0, t0 + offset - time.monotonic()))
            payload = p.edit(round_index)
            sent = time.monotonic()
            try:
                ack = await p.sio.call("command", payload, timeout=WAIT)
            except Exception as err:
                return [p.seat, p.team, None, sent, None, type(err).__name__]
            acked = time.monotonic()
            if not ack.get("ok"):
                return [p.seat, p.team, None, sent, acked, ack.get("error", {}).get("code")]
            return [p.seat, p.team, ack["rev"], sent, acked, None]

        live = [p for p in self.phones if p.seat]
        return list(await asyncio.gather(*(one(p, rng.uniform(0, window)) for p in live)))

    async def collect(self) -> list[dict[str, Any]]:
        out = []
        for p in self.phones:
            out.append(
                {
                    "seat": p.seat,
                    "team": p.team,
                    "plans": p.plans,
                    "views": p.views,
                    "bytes": p.view_bytes,
                    "sample": p.revealed if p is self.phones[0] else None,
                }
            )
            p.plans, p.views = [], []
        return out

    async def received(self) -> tuple[int, int]:
        """Payload bytes and messages this process's phones have received on their game connections."""
        return sum(p.received.bytes for p in self.phones), sum(p.received.messages for p in self.phones)

    async def dropped(self) -> dict[str, int]:
        """Joined phones whose game or floor connection has gone (python-engineio's client gives up on
        a connection that sends nothing for the ping interval + 5 s: a server too busy to ping)."""
        joined = [p for p in self.phones if p.seat]
        return {
            "game": sum(1 for p in joined if not p.sio.connected),
            "floor": sum(1 for p in joined if not p.floor.connected),
        }

    async def floors(self) -> list[list[tuple[int, float]]]:
        return [p.floors for p in self.phones]

    async def close(self) -> None:
        for p in self.phones:
            for client in (p.sio, p.floor):
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(client.disconnect(), 5)


def fleet_process(conn: Any, first: int, count: int, url: str, floor_url: str) -> None:
    raise_nofile()
    gc.freeze()  # as the game server does: no full collection may stall 500 phones mid-measurement
    gc.set_threshold(50_000, 50, 100)
    asyncio.run(_serve_fleet(conn, Fleet(first, count, url, floor_url)))


async def _serve_fleet(conn: Any, fleet: Fleet) -> None:
    loop = asyncio.get_running_loop()
    while True:
        op, kwargs = await loop.run_in_executor(None, conn.recv)
        if op == "quit":
            await fleet.close()
            conn.send(None)
            return
        try:
            conn.send(await getattr(fleet, op)(**kwargs))
        except Exception as err:  # report, keep serving: the conductor decides
            conn.send({"error": f"{type(err).__name__}: {err}"})


class Fleets:
    """The conductor's handle on every phone process."""

    def __init__(self, players: int, procs: int, url: str, floor_url: str) -> None:
        ctx = mp.get_context("spawn")
        self.pipes = []
        self.procs = []
        per = math.ceil(players / procs)
        for k in range(procs):
            first, count = k * per, min(per, players - k * per)
            if count <= 0:
                break
            here, there = ctx.Pipe()
            proc = ctx.Process(target=fleet_process, args=(there, first, count, url, floor_url), daemon=True)
            proc.start()
            self.pipes.append(here)
            self.procs.append(proc)

    def all(self, op: str, timeout: float = 3 * WAIT, **kwargs: Any) -> list[Any]:
        for pipe in self.pipes:
            pipe.send((op, kwargs))
        out = []
        for pipe in self.pipes:
            if not pipe.poll(timeout):
                raise SystemExit(f"a phone process did not answer {op} in {timeout:.0f} s")
            out.append(pipe.recv())
        return out

    def wait(self, key: list[Any], timeout: float = WAIT) -> tuple[int, float | None]:
        """How many phones missed ``key``, and when the last one got it."""
        res = self.all("wait", key=key, within=timeout)
        lasts = [r["last"] for r in res if r["last"] is not None]
        return sum(r["missing"] for r in res), max(lasts) if lasts else None

    def quit(self) -> None:
        try:
            self.all("quit", timeout=30)
        except (OSError, EOFError, SystemExit):
            pass
        finally:
            for proc in self.procs:
                proc.join(5)
                if proc.is_alive():
                    proc.kill()


# -- the facilitator ------------------------------------------------------------------------------------


class Host:
    """The facilitator's connection (a plain python-socketio client in the conductor)."""

    def __init__(self, url: str) -> None:
        self.sio = socketio.Client(reconnection=False)
        self.lock = threading.Lock()
        self.team_rev: dict[str, int] = {}
        self.view_rev = -1
        self.n = 0
        self.sio.on("host:team", self.on_team)
        self.sio.on("host:view", self.on_view)
        self.received = Received(self.sio)
        self.sio.connect(url, transports=["websocket"], wait_timeout=30)

    def on_team(self, data: dict[str, Any]) -> None:
        with self.lock:
            tid = data["team"]["id"]
            self.team_rev[tid] = max(self.team_rev.get(tid, -1), data["rev"])

    def on_view(self, data: dict[str, Any]) -> None:
        with self.lock:
            self.view_rev = max(self.view_rev, data["rev"])

    def seen(self, team: str) -> int:
        with self.lock:
            return max(self.team_rev.get(team, -1), self.view_rev)

    def call(self, event: str, payload: Any) -> Any:
        ack = self.sio.call(event, payload, timeout=WAIT)
        if not ack.get("ok"):
            raise SystemExit(f"{event} failed: {ack}")
        return ack

    def command(self, type_: str, **fields: Any) -> Any:
        self.n += 1
        return self.call("command", {"id": f"host-{self.n}", "type": type_, **fields})


# -- servers ----------------------------------------------------------------------------------------------


class Servers:
    """Whatever this run started: the game (or a cluster), the floor; stopped at the end."""

    def __init__(self) -> None:
        self.procs: list[subprocess.Popen[bytes]] = []
        self.tmp = tempfile.TemporaryDirectory(prefix="curb-load-")
        self.game_pids: list[int] = []
        self.cluster: Any = None
        self.floor_pid = 0
        self.code: dict[str, Any] | None = None  # which game code a server started here runs

    def spawn(self, cmd: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        log = open(Path(self.tmp.name) / f"proc{len(self.procs)}.log", "wb")  # noqa: SIM115
        proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=log, stderr=log)
        self.procs.append(proc)
        return proc

    def game(self) -> str:
        port = free_port()
        db = Path(self.tmp.name) / "curb.db"
        proc = self.spawn(
            [
                sys.executable,
                "-m",
                "game",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--db",
                str(db),
            ],
            {"CURB_ASYNC_MODE": "eventlet"},
        )
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url)
        self.game_pids = [proc.pid]
        self.code = game_code()
        return url

    def workers(self, count: int) -> str:
        sys.path.insert(0, str(ROOT / "bench"))
        from cluster import Cluster  # type: ignore[import-not-found]

        self.cluster = Cluster(Path(self.tmp.name), workers=count)
        self.cluster.start()
        self.code = game_code()
        self.game_pids = self.cluster.worker_pids() + self.cluster.service_pids()  # CPU and RSS of all
        return str(self.cluster.url)

    def labelled_pids(self) -> dict[str, int]:
        if self.cluster is None:
            return {f"game {pid}": pid for pid in self.game_pids}
        names = [f"worker {p}" for p in self.cluster.worker_ports] + ["redis", "nginx master"]
        names += [f"nginx worker {i}" for i in range(len(self.game_pids) - len(names))]
        return dict(zip(names, self.game_pids, strict=True))

    def floor(self) -> str:
        port = free_port()
        self.floor_pid = self.spawn(
            [sys.executable, str(ROOT / "bench" / "floor_app.py"), "--port", str(port)]
        ).pid
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url)
        return url

    def stop(self) -> None:
        if self.cluster is not None:
            self.cluster.stop()
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.tmp.cleanup()


def game_code() -> dict[str, Any]:
    """The game code a server started here runs. ``python -m game`` in ROOT (this file's tree) imports
    ROOT's ``game`` before any installed one, since the working directory comes first on sys.path; this
    asks the same interpreter from the same place, so a run from another worktree (an older commit,
    with this venv) says what it measured. ``dirty``: uncommitted changes under game/."""

    def run(*cmd: str) -> str:
        try:
            done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            return ""
        return done.stdout.strip()

    return {
        "module": run(sys.executable, "-c", "import game; print(game.__file__)"),
        "commit": run("git", "rev-parse", "--short", "HEAD"),
        "dirty": bool(run("git", "status", "--porcelain", "--", "game")),
    }


# -- the run -------------------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
    }


def log(args: argparse.Namespace, msg: str) -> None:
    if not args.quiet:
        print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> dict[str, Any]:
    raise_nofile()
    load_start = list(os.getloadavg())  # other work on this machine skews every figure: say how much
    servers = Servers()
    fleets: Fleets | None = None
    try:
        if args.url:
            url = args.url.rstrip("/")
            port = int(url.rsplit(":", 1)[1].split("/")[0]) if url.count(":") == 2 else 80
            pid = pid_listening_on(port)
            servers.game_pids = [pid] if pid else []
        elif args.workers:
            url = servers.workers(args.workers)
        else:
            url = servers.game()
        floor_url = servers.floor()
        log(args, f"game at {url}, floor at {floor_url}; starting {args.procs} phone processes")
        rss_idle = sum(rss_kb(p) for p in servers.game_pids)
        host = Host(url)
        conductor = socketio.Client(reconnection=False)
        conductor.connect(floor_url, transports=["websocket"], wait_timeout=30)
        teams = min(500, max(1, round(args.players / TEAM_SIZE)))  # a session has at most 500 teams
        created = host.call(
            "host:create", {"scenario": args.scenario, "teams": teams, "round_seconds": 0, "seed": 7}
        )
        code = created["code"]
        rounds = min(args.rounds, created["view"]["round"]["count"])
        fleets = Fleets(args.players, args.procs, url, floor_url)

        def received() -> tuple[int, int]:
            counts = fleets.all("received")
            return sum(c[0] for c in counts), sum(c[1] for c in counts)

        received()  # every phone process is up before the clock starts
        bytes0, host_bytes0 = received()[0], host.received.bytes
        join_cpu0 = sum(cpu_s(p) for p in servers.game_pids)
        t = time.monotonic()
        joined = fleets.all("join", timeout=max(3 * WAIT, args.players / 10), code=code)
        join_s = time.monotonic() - t
        errors = [e for j in joined for e in j["errors"]]
        players = sum(j["joined"] for j in joined)
        log(args, f"{players} joined in {join_s:.1f} s ({len(errors)} errors: {sorted(set(errors))[:3]})")
        # The join phase ends when the room is quiet: the last joins' views to their teammates and the
        # coalesced updates (half a second in a big room) have landed and no phone has had a message
        # for half a second (pings, one byte each every 25 s per connection, do not count as news).
        time.sleep(1.0)
        join_bytes, messages = received()
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            time.sleep(0.5)
            join_bytes, now_messages = received()
            if now_messages == messages:
                break
            messages = now_messages
        join_bytes -= bytes0
        join_cpu = sum(cpu_s(p) for p in servers.game_pids) - join_cpu0
        join_quiet_s = time.monotonic() - t
        join_host_bytes = host.received.bytes - host_bytes0
        dropped = {k: sum(d[k] for d in fleets.all("dropped")) for k in ("game", "floor")}
        dropped["facilitator"] = int(not host.sio.connected)
        dropped["conductor"] = int(not conductor.connected)
        log(
            args,
            f"joins: phones received {join_bytes / 1e6:.1f} MB ({join_bytes / max(players, 1):,.0f} B each), "
            f"the facilitator {join_host_bytes / 1e6:.2f} MB; server CPU {join_cpu:.2f} s "
            f"({join_cpu * 1000 / max(players, 1):.2f} ms per join); quiet after {join_quiet_s:.1f} s; "
            f"connections dropped: {dropped}",
        )
        rss_joined = sum(rss_kb(p) for p in servers.game_pids)

        lost = 0
        fanout_cpu: dict[str, list[float]] = defaultdict(list)
        lost_detail: dict[str, int] = defaultdict(int)

        def phase(cmd: str, key: list[Any]) -> float:
            nonlocal lost
            cpu0 = sum(cpu_s(p) for p in servers.game_pids)
            t0 = time.monotonic()
            host.command(cmd)
            missing, last = fleets.wait(key)
            fanout_cpu[cmd].append((sum(cpu_s(p) for p in servers.game_pids) - cpu0) * 1000)
            lost += missing
            lost_detail[f"{cmd} seat:view"] += missing
            return ((last or t0) - t0) * 1000

        if rounds:
            phase("start", ["view", "round_open", 0])
        acks: list[list[float]] = []
        mates: list[list[float]] = []
        reveals: list[float] = []
        closes: list[float] = []
        floors: list[float] = []
        edits = refused = 0
        busy: dict[str, list[float]] = {"server": [], "phones": []}
        per_edit: list[float] = []
        floor_bytes = 0
        sample: dict[str, Any] | None = None
        for r in range(rounds):
            time.sleep(0.5)
            t0 = time.monotonic() + 0.3
            cpu0 = [cpu_s(p) for p in servers.game_pids], [cpu_s(p.pid) for p in fleets.procs]
            wall0 = time.monotonic()
            parts = fleets.all("burst", t0=t0, window=args.burst, round_index=r)
            results = [x for part in parts for x in part]
            time.sleep(args.settle)
            wall = time.monotonic() - wall0
            cpu1 = [cpu_s(p) for p in servers.game_pids], [cpu_s(p.pid) for p in fleets.procs]
            busy["server"].append((sum(cpu1[0]) - sum(cpu0[0])) / wall)
            busy["phones"].append((sum(cpu1[1]) - sum(cpu0[1])) / wall)
            per_edit.append((sum(cpu1[0]) - sum(cpu0[0])) * 1000 / max(1, len(results)))
            got = [x for part in fleets.all("collect") for x in part]
            members: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for phone in got:
                members[phone["team"]].append(phone)
            index = {id(phone): dict(phone["plans"]) for phone in got}  # rev -> when it arrived
            round_acks, round_mates = [], []
            last_rev: dict[str, int] = {}
            for _seat, team, rev, sent, acked, err in results:
                edits += 1
                if rev is None:
                    refused += 1
                    lost_detail[f"edit refused: {err}"] += 1
                    continue
                round_acks.append((acked - sent) * 1000)
                last_rev[team] = max(last_rev.get(team, -1), rev)
                for mate in members[team]:
                    seen_at = index[id(mate)].get(rev)
                    if seen_at is None:
                        lost += 1
                        lost_detail["team:plan"] += 1
                    elif mate["seat"] != _seat:
                        round_mates.append((seen_at - sent) * 1000)
            for team, rev in last_rev.items():
                if host.seen(team) < rev:
                    lost += 1
                    lost_detail["host:team"] += 1
            acks.append(round_acks)
            mates.append(round_mates)
            closes.append(phase("close", ["view", "round_closed", r]))
            reveals.append(phase("reveal", ["view", "revealed", r]))
            if not floor_bytes:
                got = [phone for part in fleets.all("collect") for phone in part]
                sizes = [phone["bytes"] for phone in got if phone["bytes"]]
                floor_bytes = int(statistics.mean(sizes)) if sizes else 3000
                # The floor pushes a real revealed seat view (the same JSON shape and about the same
                # size), so a phone decodes the same kind of message in both.
                sample = next((phone["sample"] for phone in got if phone["sample"]), None)
            for k in range(args.floor_per_round):
                seq = r * 100 + k
                time.sleep(0.3)
                fcpu0 = cpu_s(servers.floor_pid)
                t1 = time.monotonic()
                conductor.call("floor:go", {"seq": seq, "bytes": floor_bytes, "view": sample}, timeout=WAIT)
                missing, last = fleets.wait(["floor", seq])
                floors.append(((last or t1) - t1) * 1000)
                fanout_cpu["floor"].append((cpu_s(servers.floor_pid) - fcpu0) * 1000)
                lost_detail["floor (not counted)"] += missing
            log(
                args,
                f"round {r + 1}: ack p95 {percentile(round_acks, 95):.0f} ms, teammates p95 "
                f"{percentile(round_mates, 95):.0f} ms, close {closes[-1]:.0f} ms, "
                f"reveal {reveals[-1]:.0f} ms, cores busy in the burst: server {busy['server'][-1]:.2f}, "
                f"phones {busy['phones'][-1]:.2f}, server CPU per edit {per_edit[-1]:.2f} ms, "
                f"floor {floors[-1]:.0f} ms, lost so far {lost}",
            )
            if r + 1 < rounds:
                phase("next", ["view", "round_open", r + 1])
        rss_end = sum(rss_kb(p) for p in servers.game_pids)
        rss = max(rss_joined, rss_end)
        med = statistics.median
        result: dict[str, Any] = {
            "players": players,
            "lost_messages": lost,
            "join_s": round(join_s, 2),
            "join_bytes": join_bytes,
            "join_bytes_per_phone": round(join_bytes / max(players, 1)),
            "join_host_bytes": join_host_bytes,
            "join_server_cpu_s": round(join_cpu, 2),
            "server_cpu_ms_per_join": round(join_cpu * 1000 / max(players, 1), 2),
            "join_quiet_s": round(join_quiet_s, 2),
            "join_dropped": dropped,
        }
        if rounds:
            result |= {
                "edit_ack_ms": {q: round(med([percentile(a, n) for a in acks]), 1) for q, n in PCTS},
                "teammate_ms": {q: round(med([percentile(m, n) for m in mates]), 1) for q, n in PCTS[:2]},
                "reveal_ms": {q: round(percentile(reveals, n), 1) for q, n in PCTS[:2]},
                "floor_ms": {q: round(percentile(floors, n), 1) for q, n in PCTS[:2]},
                "reveal_over_floor": round(percentile(reveals, 95) / percentile(floors, 95), 2),
            }
        result |= {
            "rss_mb": round(rss / 1024, 1),
            # What each connected phone adds to the server (RSS with them minus RSS before any joined);
            # kb_per_player_total also spreads the idle process (Python, Flask, scenarios) over them.
            "kb_per_player": round((rss - rss_idle) / max(players, 1), 1),
            "kb_per_player_total": round(rss / max(players, 1), 1),
            "rss_idle_mb": round(rss_idle / 1024, 1),
            "rounds": rounds,
        }
        if rounds:
            result |= {
                "close_ms": {q: round(percentile(closes, n), 1) for q, n in PCTS[:2]},
                "burst_cores_busy": {k: round(med(v), 2) for k, v in busy.items()},
                "server_cpu_ms_per_edit": round(med(per_edit), 2),
                "server_cpu_ms": {k: round(med(v)) for k, v in fanout_cpu.items()},
            }
        result |= {
            "teams": teams,
            "edits": edits,
            "edits_refused": refused,
            "join_errors": len(errors),
            "floor_bytes": floor_bytes,
            "phone_processes": len(fleets.procs),
            "server_processes": len(servers.game_pids),
            "lost_detail": dict(lost_detail),
            "server_cpu_s_by_process": {
                name: round(cpu_s(pid), 1) for name, pid in servers.labelled_pids().items()
            },
            "game_code": servers.code,
            "machine": machine(),
            "loadavg_start_end": [load_start, list(os.getloadavg())],
            "nice": os.getpriority(os.PRIO_PROCESS, 0),
        }
        if errors:
            result["first_join_errors"] = errors[:3]
        return result
    finally:
        try:
            if fleets is not None:
                fleets.quit()
        finally:
            servers.stop()


PCTS = (("p50", 50), ("p95", 95), ("p99", 99))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--players", type=int, required=True)
    ap.add_argument("--url", default="", help="a running game server on this machine (loopback)")
    ap.add_argument("--workers", type=int, default=0, help="start K workers + redis-server + nginx")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--procs", type=int, default=4, help="phone processes")
    ap.add_argument("--rounds", type=int, default=5, help="rounds to play after the joins (0: none)")
    ap.add_argument("--burst", type=float, default=2.0, help="seconds in which every phone edits once")
    ap.add_argument("--settle", type=float, default=1.5, help="seconds to let plan updates land")
    ap.add_argument("--floor-per-round", type=int, default=1)
    ap.add_argument("--scenario", default="saas-startup")
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument(
        "--priority",
        type=int,
        default=0,
        help="on a shared machine: run this benchmark and every process it starts at nice -N (root), "
        "so the figures measure the game rather than the neighbours; reported as 'nice'",
    )
    args = ap.parse_args()
    if args.url and not args.url.startswith(("http://127.", "http://localhost", "http://[::1]")):
        raise SystemExit("--url must be a loopback address: load goes to this machine only")
    if not 1 <= args.players <= 5000 or not 0 <= args.rounds <= 20:
        raise SystemExit("--players 1..5000, --rounds 0..20 (0: the joins only)")
    if args.priority:
        os.setpriority(os.PRIO_PROCESS, 0, -args.priority)  # children (server, floor, phones) inherit it
    result = run(args)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>24}: {value}")


if __name__ == "__main__":
    main()
