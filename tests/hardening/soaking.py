"""A soak with faults: hundreds of bot players (python-socketio AsyncClients over websockets) play
every round of a scenario against a real server while some drop and rejoin at random and the
server is killed with SIGKILL and restarted mid-round. Used by tests/hardening/test_soak.py and
bench/soak.py (knobs: players, rounds, drop rate, kills).

Every bot keeps what it was told: the command ids the server acknowledged, and its team's plan as
its phone showed it when each round closed. At the end, with the server stopped, the stored command
log is read back: every acknowledged command is in it exactly once (none lost, none applied twice),
the plan each round was played with equals what the bots' phones showed, and every seat is back in
its team and connected. Loopback only; every wait is bounded.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import socketio

from game.session import Phase
from game.store import SqliteStore
from tests.hardening.live import LiveServer

CALL_TIMEOUT = 3.0


class Unanswered(Exception):
    """A call got no answer in time (for example the server died): retry it with the same id."""


@dataclass
class SoakConfig:
    players: int = 200
    rounds: int = 0  # 0 = every round of the scenario
    drop_rate: float = 0.10  # share of the bots that drop and rejoin during each round
    kills: int = 1  # times the server is killed with SIGKILL mid-round and restarted
    seed: int = 1
    scenario: str = "saas-startup"
    team_size: int = 0  # 0 = automatic (about five per team)
    deadline: float = 300.0  # seconds the whole soak may take


@dataclass
class Report:
    players: int = 0
    teams: int = 0
    rounds: int = 0
    decisions: int = 0  # set_card commands the server accepted
    locks: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    retried: int = 0  # calls sent again after a lost answer
    duplicates: int = 0  # ... that the server had already applied (acknowledged again, not re-applied)
    drops: int = 0
    kills: int = 0
    reconnects: int = 0
    seconds: float = 0.0
    logged: int = 0
    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"soak: {self.players} bots in {self.teams} teams over {self.rounds} rounds "
            f"in {self.seconds:.1f}s; "
            f"{self.decisions} decisions and {self.locks} locks accepted, refused {dict(self.refused)}; "
            f"{self.drops} drops, {self.kills} kill -9 + restart, {self.reconnects} reconnects; "
            f"{self.retried} calls retried ({self.duplicates} were already applied); "
            f"{self.logged} commands in the stored log"
        )


async def _stop(sio: socketio.AsyncClient) -> None:
    """Stop a client, even one whose reconnect task was started but has not run yet.

    python-socketio's `shutdown` sets `_reconnect_abort`, which the reconnect task
    itself creates on its first step; a phone dropped in that gap would raise, so a
    task that has not started yet is cancelled instead.
    """
    task = sio._reconnect_task
    if not sio.connected and task is not None and sio._reconnect_abort is None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    else:
        await sio.shutdown()
    await _close_http(sio)


async def _close_http(sio: socketio.AsyncClient) -> None:
    http = getattr(sio.eio, "http", None)
    if http is not None and not http.closed:
        await http.close()


def _client() -> socketio.AsyncClient:
    return socketio.AsyncClient(
        reconnection=True, reconnection_delay=0.2, reconnection_delay_max=1.0, randomization_factor=0.3
    )


class Phone:
    """One socket connection that rebinds itself (resume or attach) whenever it (re)connects."""

    def __init__(self, url: str, report: Report) -> None:
        self.url = url
        self.report = report
        self.sio = _client()
        self.ready = asyncio.Event()
        self.rebind: dict[str, Any] | None = None  # the event and payload that bind this connection
        self.views: list[dict[str, Any]] = []
        self._connects = 0
        self._wire(self.sio)

    def _wire(self, sio: socketio.AsyncClient) -> None:
        @sio.event
        async def connect() -> None:
            self._connects += 1
            if self._connects > 1:
                self.report.reconnects += 1
            if self.rebind is not None:
                asyncio.get_running_loop().create_task(self._bind())

        @sio.event
        async def disconnect(*_: Any) -> None:
            self.ready.clear()

        @sio.on("seat:view")
        async def seat_view(data: dict[str, Any]) -> None:
            self.views.append(data)

        @sio.on("host:view")
        async def host_view(data: dict[str, Any]) -> None:
            self.views.append(data)

    async def connect(self, attempts: int = 1) -> None:
        """Connect, trying again a while if the server is not there (it may be restarting)."""
        for attempt in range(attempts):
            try:
                await self.sio.connect(self.url, transports=["websocket"], wait_timeout=10)
                return
            except socketio.exceptions.ConnectionError:
                await _close_http(self.sio)  # a failed attempt leaves its HTTP session open
                if attempt + 1 == attempts:
                    raise
                await asyncio.sleep(0.25)

    async def _bind(self) -> None:
        assert self.rebind is not None
        for _ in range(20):
            try:
                ack = await self.sio.call(self.rebind["event"], self.rebind["payload"], timeout=CALL_TIMEOUT)
            except (TimeoutError, socketio.exceptions.SocketIOError):
                await asyncio.sleep(0.2)
                continue
            if ack.get("ok"):
                self.views.append(ack["view"])
                self.ready.set()
            else:
                self.report.problems.append(f"rebinding was refused: {ack}")
            return
        self.report.problems.append("could not rebind after a reconnect")

    async def call(self, event: str, payload: dict[str, Any], deadline: float) -> dict[str, Any]:
        """Send until answered (the same payload, so the same command id, every time)."""
        attempt = 0
        while time.monotonic() < deadline:
            try:
                await asyncio.wait_for(self.ready.wait(), timeout=max(0.1, deadline - time.monotonic()))
                answer: dict[str, Any] = await self.sio.call(event, payload, timeout=CALL_TIMEOUT)
            except (TimeoutError, socketio.exceptions.SocketIOError):
                attempt += 1
                self.report.retried += 1
                await asyncio.sleep(0.2)
                continue
            if attempt and answer.get("duplicate"):
                self.report.duplicates += 1
            return answer
        raise Unanswered(f"{event} {payload}")

    async def drop_and_rejoin(self, rng: random.Random) -> None:
        """The phone's network goes away for a moment; it comes back on a new connection."""
        self.report.drops += 1
        self.ready.clear()
        await _stop(self.sio)
        await asyncio.sleep(rng.uniform(0.05, 0.6))
        self.sio = _client()
        self._connects = 0
        self._wire(self.sio)
        await self.connect(attempts=120)

    async def close(self) -> None:
        await _stop(self.sio)


class Bot(Phone):
    def __init__(self, url: str, report: Report, number: int, rng: random.Random) -> None:
        super().__init__(url, report)
        self.name = f"Bot {number:03d}"
        self.rng = rng
        self.seat = ""
        self.team = ""
        self.n = 0
        self.acked: dict[str, dict[str, Any]] = {}  # command id -> the command, for every accepted one
        self.closed_plans: dict[int, dict[str, str]] = {}  # round -> the plan its phone showed at close

    async def join(self, code: str, deadline: float) -> None:
        payload = {"id": f"join-{self.name.replace(' ', '-')}", "code": code, "name": self.name}
        self.ready.set()  # not bound yet, but joining is allowed
        ack = await self.call("player:join", payload, deadline)
        assert ack["ok"], ack
        self.seat, self.team = ack["seat"], ack["view"]["you"]["team"]
        self.rebind = {"event": "player:resume", "payload": {"token": ack["token"]}}
        self.views.append(ack["view"])

    def latest(self, phase: str, round_index: int) -> dict[str, Any] | None:
        for view in reversed(self.views):
            if view.get("phase") == phase and view.get("round", {}).get("index") == round_index:
                return view
        return None

    async def command(self, kind: str, deadline: float, **fields: Any) -> dict[str, Any]:
        self.n += 1
        payload = {"id": f"{self.seat}-{self.n}", "type": kind, **fields}
        ack = await self.call("command", payload, deadline)
        if ack.get("ok"):
            self.acked[payload["id"]] = payload
        else:
            self.report.refused[ack["error"]["code"]] += 1
        return ack

    async def play_round(self, r: int, deadline: float) -> None:
        """Decide one to three cards at a human pace; now and then lock the team's plan."""
        asked_at = time.monotonic() + 2.0
        while (view := self.latest("round_open", r)) is None:
            if time.monotonic() > deadline:
                raise Unanswered(f"{self.name} never saw round {r}")
            await asyncio.sleep(0.05)
            if time.monotonic() > asked_at:  # not told (it was away): ask
                answer = await self.call("sync", {}, deadline)
                self.views.append(answer.get("view", {}))
                asked_at = time.monotonic() + 2.0
        cards = [c["id"] for c in view["cards"] if c["kind"] != "event"]
        for card in self.rng.sample(cards, k=min(len(cards), self.rng.randint(1, 3))):
            await asyncio.sleep(self.rng.uniform(0.0, 0.4))
            decision = self.rng.choice(["build", "build", "defer", "no"])  # a clear may be a no-op: unlogged
            ack = await self.command("set_card", deadline, card=card, decision=decision)
            self.report.decisions += bool(ack.get("ok"))
        if self.rng.random() < 0.2:
            ack = await self.command("lock", deadline)
            self.report.locks += bool(ack.get("ok"))

    def remember_close(self, r: int) -> None:
        view = self.latest("round_closed", r) or self.latest("revealed", r)
        if view is None:
            self.report.problems.append(f"{self.name} never saw round {r} close")
            return
        self.closed_plans[r] = {k: v["decision"] for k, v in view["team"]["plan"].items()}


class Facilitator(Phone):
    async def create(self, config: SoakConfig, deadline: float) -> dict[str, Any]:
        self.ready.set()
        teams = max(1, config.players // config.team_size) if config.team_size else 0  # 0 = automatic
        created = await self.call("host:create", {"scenario": config.scenario, "teams": teams}, deadline)
        assert created["ok"], created
        self.rebind = {
            "event": "host:attach",
            "payload": {"code": created["code"], "secret": created["secret"]},
        }
        return created

    async def step(self, kind: str, r: int, deadline: float) -> None:
        ack = await self.call("command", {"id": f"host-{kind}-{r}", "type": kind, "round": r}, deadline)
        assert ack["ok"], (kind, r, ack)


async def _gather_in(chunks: int, coros: list[Any]) -> None:
    for i in range(0, len(coros), chunks):
        await asyncio.gather(*coros[i : i + chunks])


async def _restart(server: LiveServer, report: Report) -> None:
    server.kill()
    report.kills += 1
    await asyncio.to_thread(server.start)


async def play(server: LiveServer, config: SoakConfig) -> tuple[Report, str, list[Bot]]:
    """The game itself: returns the report so far, the room code and the bots."""
    report = Report(players=config.players)
    rng = random.Random(config.seed)
    deadline = time.monotonic() + config.deadline
    host = Facilitator(server.url, report)
    await host.connect()
    created = await host.create(config, deadline)
    code = created["code"]
    rounds = config.rounds or created["view"]["round"]["count"]
    report.rounds = rounds
    bots = [Bot(server.url, report, i, random.Random(rng.random())) for i in range(config.players)]
    await _gather_in(50, [b.connect() for b in bots])
    await _gather_in(50, [b.join(code, deadline) for b in bots])
    report.teams = len({b.team for b in bots})
    kill_rounds = set(rng.sample(range(rounds), k=min(config.kills, rounds))) if config.kills else set()
    ack = await host.call("command", {"id": "host-start", "type": "start"}, deadline)
    assert ack["ok"], ack
    for r in range(rounds):
        work = [b.play_round(r, deadline) for b in bots]
        for b in rng.sample(bots, k=round(config.drop_rate * len(bots))):
            work.append(_later(rng.uniform(0.0, 1.0), b.drop_and_rejoin(rng)))
        if r in kill_rounds:
            work.append(_later(rng.uniform(0.3, 0.8), _restart(server, report)))
        await asyncio.gather(*work)
        await _all_ready([host, *bots], deadline)
        await host.step("close", r, deadline)
        await _until_closed(bots, r, deadline)
        for b in bots:
            b.remember_close(r)
        await host.step("reveal", r, deadline)
        if r + 1 < rounds:
            await host.step("next", r, deadline)
        elif rounds == created["view"]["round"]["count"]:
            await host.step("next", r, deadline)  # after the last round: the debrief
        else:
            await host.step("end", r, deadline)
    await _all_ready([host, *bots], deadline)
    final = {b.seat: await b.call("sync", {}, deadline) for b in bots}
    host_view = (await host.call("sync", {}, deadline))["view"]
    _check_seats(report, bots, final, host_view)
    await _gather_in(50, [p.close() for p in [host, *bots]])
    return report, code, bots


async def _later(delay: float, coro: Any) -> None:
    await asyncio.sleep(delay)
    await coro


async def _all_ready(phones: list[Any], deadline: float) -> None:
    for p in phones:
        await asyncio.wait_for(p.ready.wait(), timeout=max(0.1, deadline - time.monotonic()))


async def _until_closed(bots: list[Bot], r: int, deadline: float) -> None:
    """Wait for every phone to be told the round closed; one that has not heard after a second asks."""
    asked_at = time.monotonic() + 1.0
    while missing := [b for b in bots if not b.latest("round_closed", r)]:
        if time.monotonic() > deadline:
            raise Unanswered(f"{len(missing)} bots never saw round {r} close")
        await asyncio.sleep(0.05)
        if time.monotonic() > asked_at:
            for b in missing:
                answer = await b.call("sync", {}, deadline)
                if answer.get("ok"):
                    b.views.append(answer["view"])
            asked_at = time.monotonic() + 1.0


def _check_seats(report: Report, bots: list[Bot], final: dict[str, Any], host_view: dict[str, Any]) -> None:
    report.checked.append("every bot's seat is back in its own team, connected, with its own name")
    for b in bots:
        view = final[b.seat].get("view", {})
        you = view.get("you", {})
        if you != {**you, "id": b.seat, "name": b.name, "team": b.team}:
            report.problems.append(f"{b.name} came back as {you}")
    members = {m["id"]: (t["id"], m["connected"]) for t in host_view["teams"] for m in t["members"]}
    for b in bots:
        if members.get(b.seat) != (b.team, True):
            report.problems.append(f"the facilitator sees {b.name} as {members.get(b.seat)}")
    if len(members) != len(bots):
        report.problems.append(f"{len(members)} seats for {len(bots)} bots")


def check_log(server: LiveServer, code: str, bots: list[Bot], report: Report) -> None:
    """With the server stopped: read the stored log back and compare it with what the bots were told."""
    log = server.command_log(code)
    report.logged = len(log)
    report.checked.append(
        "every command a bot had acknowledged is in the stored log exactly once (none lost)"
    )
    report.checked.append("no command id appears twice in the log (none applied twice)")
    seen = Counter((actor, cid) for actor, cid, _ in log if cid)
    twice = [k for k, n in seen.items() if n > 1]
    if twice:
        report.problems.append(f"applied twice: {twice[:5]}")
    by_id = {(actor, cid): cmd for actor, cid, cmd in log}
    for b in bots:
        for cid, payload in b.acked.items():
            stored = by_id.get((b.seat, cid))
            if stored is None:
                report.problems.append(f"lost: {b.name} {payload}")
            elif any(stored.get(k) != v for k, v in payload.items() if k not in ("id", "type")):
                report.problems.append(f"{b.name} {payload} was stored as {stored}")
    report.checked.append(
        "replaying the stored log gives, for every team and round, the plan the bots' phones showed"
    )
    store = SqliteStore(server.db)
    try:
        state = store.get(code)
        assert state is not None
        if state.phase is not Phase.DEBRIEF:
            report.problems.append(f"the game ended in {state.phase}")
        for b in bots:
            team = state.teams[b.team]
            for r, plan in b.closed_plans.items():
                played = (
                    {k: ch.decision.value for k, ch in team.plans[r].items()} if r < len(team.plans) else None
                )
                if played != plan:
                    report.problems.append(
                        f"round {r}: {b.name}'s phone showed {plan}, the log played {played}"
                    )
            if b.seat not in team.members:
                report.problems.append(f"{b.name} is not in {b.team} after a replay")
    finally:
        store.close()


def check_server_log(server: LiveServer, report: Report) -> None:
    report.checked.append("the server log holds no traceback")
    text = server.log_text()
    if "Traceback" in text:
        report.problems.append("the server logged a traceback: " + text[text.index("Traceback") :][:1500])


def run(server: LiveServer, config: SoakConfig) -> Report:
    """The whole soak against a started server; stops it at the end and checks the stored log."""
    started = time.monotonic()
    report, code, bots = asyncio.run(play(server, config))
    server.stop()
    check_log(server, code, bots, report)
    check_server_log(server, report)
    report.seconds = time.monotonic() - started
    return report
