"""Hostile and malformed events for a live server, and a runner that pipelines them and checks every
answer. Used by tests/hardening/test_fuzz_server.py (about 12,000 events) and bench/fuzz.py (knobs).

Every event in the corpus must be refused: a case the server would accept (a valid join, an unlock
of a locked plan, a facilitator's close) is filtered out with the game's own parser before it is
sent, so "changes nothing" can be checked exactly. The corpus covers wrong types, missing and
extra keys, huge strings, deeply nested JSON, unknown events, out-of-phase
commands, forged and stale tokens, another session's code and secret, a removed seat's token;
below the event layer, bad packets and binary attachments (which close the connection).
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import requests

from game.errors import CommandRejected
from game.inbound import parse_create
from game.session import commands as c
from tests.hardening.live import LiveServer, Wire

HUGE = 60_000  # under the 64 KB frame limit, so the event is decoded and must be answered
FRAME_LIMIT = 65_000  # the server's limit is 64 KB per packet: bigger ones close the connection
ANY_ERROR = frozenset(
    {
        "bad_request",
        "unknown_command",
        "unknown_event",
        "forbidden",
        "not_joined",
        "not_found",
        "unauthorized",
        "removed",
        "wrong_phase",
        "locked",
        "not_locked",
        "invalid",
        "stale",
        "rate_limited",
        "bad_scenario",  # a junk scenario file, with its problems listed
        "word_needed",  # a typed code once the address has used up its wrong codes
    }
)


@dataclass
class Targets:
    """What the hostile clients know: two live sessions, their secrets, seats and tokens."""

    code: str  # session A, mid-round; team t1 locked
    secret: str
    tokens: dict[str, str]  # seat -> token in A
    removed_token: str
    other_code: str  # session B, mid-round, untimed
    other_secret: str
    other_token: str
    scenarios: list[str]


@dataclass
class Outcome:
    sent: int = 0  # events that asked for an answer
    answered: int = 0
    unacked_sent: int = 0  # events sent without asking for an answer
    transport: int = 0  # frames below the event layer (bad packets, oversize)
    codes: Counter[str] = field(default_factory=Counter)
    by_kind: Counter[str] = field(default_factory=Counter)
    wrong: list[str] = field(default_factory=list)  # answers that were not a refusal
    missing: list[str] = field(default_factory=list)  # events never answered
    pushed: list[tuple[str, Any]] = field(default_factory=list)  # what the hostile clients were sent
    closed_by_server: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"fuzz: {self.sent} events with an ack + {self.unacked_sent} without + {self.transport} bad "
            f"packets in {self.seconds:.1f}s; answered {self.answered}; "
            f"codes {dict(self.codes.most_common())}; "
            f"kinds {dict(self.by_kind)}; connections closed by the server {self.closed_by_server}"
        )

    def add(self, other: Outcome) -> None:
        self.sent += other.sent
        self.answered += other.answered
        self.unacked_sent += other.unacked_sent
        self.transport += other.transport
        self.codes.update(other.codes)
        self.by_kind.update(other.by_kind)
        self.wrong += other.wrong
        self.missing += other.missing
        self.pushed += other.pushed
        self.closed_by_server += other.closed_by_server


# -- hostile values ------------------------------------------------------------------------------------


def nested(depth: int, leaf: Any = 1) -> Any:
    node = leaf
    for i in range(depth):
        node = [node] if i % 2 else {"a": node}
    return node


def junk(rng: random.Random) -> Any:
    """A value of a type or size no field wants."""
    return rng.choice(
        [
            None,
            True,
            False,
            0,
            -1,
            2**63,
            -(2**70),
            1.5,
            float("1e308"),
            "",
            " ",
            "x" * rng.choice([41, 65, 201, 5_000, HUGE]),
            "\u0000\u0007",
            "\ud800",
            "\u202e evil",
            "é" * 50,
            "🙂" * 30,
            "<script>alert(1)</script>",
            "../../etc/passwd",
            "__proto__",
            "constructor",
            "%s%n%x",
            "' OR 1=1 --",
            [],
            [1, 2, 3],
            {},
            {"$gt": ""},
            nested(rng.randint(2, 300)),
            ["build"] * 1000,
        ]
    )


IDS = ["x", "c1", "a" * 64, "a" * 65, "", "id with spaces", "id\n", "ü", "s1", "t1"]


def ident(rng: random.Random) -> Any:
    return rng.choice(IDS) if rng.random() < 0.7 else junk(rng)


COMMAND_FIELDS: dict[str, list[str]] = {
    "set_card": ["card", "decision"],
    "set_reason": ["card", "text"],
    "hide_reason": ["team", "in_round", "card", "hidden"],
    "lock": [],
    "unlock": [],
    "choose_team": ["team"],
    "rename_my_team": ["name"],
    "configure": ["round_seconds", "seed"],
    "add_bot": ["strategy", "name"],
    "start": [],
    "pause": ["round"],
    "resume": ["round"],
    "extend": ["seconds", "round"],
    "close": ["round"],
    "reveal": ["round"],
    "next": ["round"],
    "move_player": ["seat", "team"],
    "remove_player": ["seat"],
    "rename_team": ["team", "name"],
    "end": ["round"],
    "tick": [],
    "presence": ["connected"],
    "join": ["name", "team"],
}
GOOD: dict[str, list[Any]] = {
    "card": ["acme-sso", "export", "competitor", "nope", "reports"],
    "decision": ["build", "defer", "no", None, "BUILD", "yes", 1],
    "team": ["t1", "t2", "t3", "t99"],
    "seat": ["s1", "s2", "s3", "s5", "s99"],
    "name": ["Team Rocket", "", "   ", "x" * 41, "bad\u0000name", "\u202eevil"],
    "round_seconds": [0, 5, 30, 3601, -1],
    "seed": [0, -5, 2**31, 7],
    "strategy": ["balanced", "evil", ""],
    "seconds": [0, 1, 60, 1801, -60],
    "round": [-1, 0, 1, 5, -2, 1000],
    "connected": [True, False],
    "text": ["they'll sign 40 seats", "", "x" * 141, "bad\u0000reason", "\u202eevil", 7],
    "in_round": [-1, 0, 1, 99, "0"],
    "hidden": [True, False, "yes", None],
}


def command_payload(rng: random.Random) -> dict[str, Any]:
    """A ``command`` payload built from a real command's shape, then broken in one or more ways."""
    kind = rng.choice([*COMMAND_FIELDS, "__class__", "", "LOCK", "set-card", "constructor"])
    payload: dict[str, Any] = {"id": f"fz{rng.randrange(10**9)}", "type": kind}
    for name in COMMAND_FIELDS.get(kind, []):
        if rng.random() < 0.8:
            payload[name] = rng.choice(GOOD[name])
    for _ in range(rng.randint(0, 3)):
        roll = rng.random()
        if roll < 0.25 and payload:
            payload.pop(rng.choice(list(payload)))
        elif roll < 0.5:
            payload[rng.choice(["team", "seat", "actor", "code", "extra", "__proto__", "x" * 100])] = junk(
                rng
            )
        elif roll < 0.75:
            key = rng.choice(list(payload) or ["id"])
            payload[key] = junk(rng)
        else:
            payload["id"] = ident(rng)
    return payload


def would_change(payload: Any, role: str) -> bool:
    """Whether the server could accept this command from a connection bound as ``role``
    ("seat" of the locked team t1 in A, or "host" of B mid-round): then it is left out."""
    allowed = c.SEAT_COMMANDS if role == "seat" else c.HOST_COMMANDS
    try:
        _cid, cmd = c.parse_command(payload, allowed)
    except CommandRejected:
        return False
    if role == "seat":  # lock/set_card answer "locked", choose_team "wrong_phase"; a reason may be
        return isinstance(cmd, c.Unlock | c.RenameMyTeam | c.SetReason)  # written on a locked plan
    if isinstance(cmd, c.Pause | c.Resume):  # B is untimed: "invalid" unless the round is stale
        return False
    # configure, add_bot, start, reveal, next: wrong_phase mid-round, whatever round they name;
    # close, extend, end, move, remove, rename: could really happen.
    return not isinstance(cmd, c.Configure | c.AddBot | c.Start | c.Reveal | c.Next)


# -- the corpus ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    kind: str
    body: str  # the JSON array [name, ...args]
    binary: tuple[bytes, ...] = ()
    ack: bool = True


def ev(kind: str, name: str, *args: Any, ack: bool = True) -> Event:
    return Event(kind, json.dumps([name, *args]), ack=ack)


def token_variants(t: Targets, rng: random.Random) -> Any:
    code, seat, mac = rng.choice(list(t.tokens.values())).split(".")
    other_code, other_seat, other_mac = t.other_token.split(".")
    return rng.choice(
        [
            f"{code}.{seat}.{mac[:-1]}{'A' if mac[-1] != 'A' else 'B'}",  # one character off
            f"{code}.{seat}.{other_mac}",  # another session's MAC
            f"{code}.{other_seat}9.{mac}",  # another seat
            f"{other_code}.{seat}.{mac}",  # another session's code
            f"{code}.{seat}",
            f"{code}.{seat}.{mac}.x",
            f"{code}..{mac}",
            f"{code.lower()}.{seat}.{mac}",
            t.removed_token,
            t.removed_token,
            "." * 3,
            "A" * 120 + ".s1.x",
            f"{code}.{seat}.{mac}\u0000",
            f"{code}.{seat}.{'é' * 43}",
            junk(rng),
        ]
    )


def stranger_events(t: Targets, rng: random.Random) -> Iterator[Event]:
    """From a connection bound to nothing: joins, resumes, attaches, creates, reads, commands."""
    wrong_codes = ["QQQQQ", t.code[::-1], t.code[:4], t.code + "A", "", "12345", "ＡＢＣＤＥ", "AAAAA"]
    while True:
        roll = rng.random()
        if roll < 0.18:
            payload: Any = {
                "id": ident(rng),
                "code": rng.choice([*wrong_codes, t.code, t.other_code]),
                "name": "x",
            }
            if rng.random() < 0.7:
                payload[rng.choice(["name", "code", "id", "team", "seat", "extra"])] = junk(rng)
            try:
                _cid, code, _join = c.parse_join(payload)
                if code in (t.code, t.other_code):
                    continue  # a valid join to a live session: it would make a seat
            except CommandRejected:
                pass
            yield ev("join", "player:join", payload)
        elif roll < 0.33:
            payload = {"token": token_variants(t, rng)}
            if rng.random() < 0.2:
                payload["extra"] = junk(rng)
            yield ev("resume", "player:resume", payload)
        elif roll < 0.45:
            secret = rng.choice(
                [t.other_secret, t.secret[:-1], t.secret + "x", "", junk(rng), t.tokens["s1"]]
            )
            code = rng.choice([t.code, t.other_code, "QQQQQ", junk(rng)])
            if code == t.other_code and secret == t.other_secret:
                code = t.code  # B's secret against A
            yield ev("attach", "host:attach", {"code": code, "secret": secret})
        elif roll < 0.53:
            payload = {"scenario": rng.choice(["../../etc/passwd", "nope", "", junk(rng), "saas-startup"])}
            payload[rng.choice(["teams", "round_seconds", "seed", "scenario", "extra"])] = junk(rng)
            try:
                values = parse_create(payload)
                if values.get("scenario", "") in ("", *t.scenarios):
                    continue  # a valid create: it would make a session
            except CommandRejected:
                pass
            yield ev("create", "host:create", payload)
        elif roll < 0.63:
            # reads, a next game asked for by nobody, a scenario file that is junk: all refused
            event = rng.choice(["sync", "debrief", "host:next_game", "scenario:check"])
            yield ev("read", event, rng.choice([{}, junk(rng), {"scenario_yaml": junk(rng)}]))
        elif roll < 0.78:
            yield ev("command", "command", command_payload(rng))
        elif roll < 0.88:
            name = rng.choice(
                [
                    "nope",
                    "host:destroy",
                    "admin",
                    "",
                    "x" * 500,
                    "COMMAND",
                    "sync ",
                    "__proto__",
                    "message",
                    "json",
                ]
            )
            yield ev("unknown", name, junk(rng))
        else:
            yield from shapes(rng)


def shapes(rng: random.Random) -> Iterator[Event]:
    """The right event with the wrong number or shape of arguments. (Binary attachments close the
    connection since issue 13: they are in ``transport_frames``.)"""
    name = rng.choice(["player:join", "player:resume", "host:attach", "command"])
    roll = rng.random()
    if roll < 0.3:
        yield ev("shape", name)  # no payload at all
    elif roll < 0.55:
        yield ev("shape", name, {}, {})  # two payloads
    else:
        yield ev("shape", name, rng.choice([[], "lock", 42, None, True, nested(200)]))


def seat_events(t: Targets, rng: random.Random) -> Iterator[Event]:
    """From a connection bound as seat s1 of A (team t1, locked): commands that must be refused."""
    while True:
        roll = rng.random()
        if roll < 0.75:
            payload = command_payload(rng)
            if would_change(payload, "seat"):
                continue
            yield ev("seat-command", "command", payload)
        elif roll < 0.85:
            yield ev("seat-debrief", "debrief", {})
        else:
            yield from shapes(rng)


def host_events(t: Targets, rng: random.Random) -> Iterator[Event]:
    """From a connection bound as the facilitator of B (mid-round): out-of-phase and malformed steps,
    aimed at A's seats and teams too."""
    while True:
        payload = command_payload(rng)
        if rng.random() < 0.2:
            payload = {
                "id": f"h{rng.randrange(10**9)}",
                "type": rng.choice(["lock", "set_card", "unlock"]),
            }
        if would_change(payload, "host"):
            continue
        if rng.random() < 0.05:  # the next game, mid-round: refused however it is asked
            yield ev("host-command", "host:next_game", rng.choice([{}, {"scenario": junk(rng)}, junk(rng)]))
            continue
        yield ev("host-command", "command", payload)


def transport_frames(rng: random.Random) -> list[str | bytes]:
    """Below the event layer: nothing to answer, the server must only stay up and log one line."""
    return [
        "42x",
        "42[",
        '42["command"',
        "42" + "[" * 5000 + "]" * 5000,
        '421["command",' + "[" * 3000 + "]" * 3000 + "]",
        "49",
        "6",
        "4",
        "43",
        "4399[]",
        '42{"not":"an array"}',
        "42[]",
        "42[1,2,3]",
        "42[null]",
        "40/admin,",
        "41/nowhere,",
        bytes([0, 1, 2, 255]),
        rng.randbytes(64),
        "42" + json.dumps(["command", "\ud800"]),
        '451-["command",{"_placeholder":true,"num":0}]',  # a binary event: refused, connection closed
    ]


# -- the runner -------------------------------------------------------------------------------------------


def run_connection(
    server: LiveServer,
    events: Iterator[Event],
    count: int,
    forwarded_for: str,
    setup: Callable[[Wire], None] | None = None,
    window: int = 150,
    deadline: float = 60.0,
    unacked_every: int = 23,
) -> Outcome:
    """Send ``count`` events on one connection, ``window`` in flight at a time, and check each answer."""
    out = Outcome()
    start = time.monotonic()
    end = start + deadline
    wire = Wire(server.ws_url, forwarded_for)
    try:
        _run(wire, out, events, count, setup, window, end, unacked_every)
    finally:
        wire.close()
    out.seconds = time.monotonic() - start
    return out


def _run(
    wire: Wire,
    out: Outcome,
    events: Iterator[Event],
    count: int,
    setup: Callable[[Wire], None] | None,
    window: int,
    end: float,
    unacked_every: int,
) -> None:
    if setup is not None:
        setup(wire)
    pending: dict[int, Event] = {}
    sent = 0
    while sent < count and time.monotonic() < end:
        batch: list[Any] = []
        for e in events:
            if len(e.body.encode()) > FRAME_LIMIT:
                continue  # the server would close the connection (send_transport_garbage tests that)
            if sent >= count or len(batch) >= window:
                break
            sent += 1
            if e.ack and sent % unacked_every == 0:
                e = Event(e.kind, e.body, e.binary, ack=False)
            cid = wire.emit_json(e.body, ack=e.ack, binary=list(e.binary) or None)
            out.by_kind[e.kind] += 1
            if cid is None:
                out.unacked_sent += 1
            else:
                out.sent += 1
                pending[cid] = e
                batch.append(cid)
        wire.read(min(end, time.monotonic() + 20), set(batch))
        if wire.closed:
            out.closed_by_server += 1
            break
    wire.read(min(end, time.monotonic() + 5), set(pending))
    for cid, e in pending.items():
        answer = wire.acks.get(cid)
        if answer is None:
            out.missing.append(f"{e.kind}: {e.body[:200]}")
            continue
        out.answered += 1
        data = answer[0] if isinstance(answer, list) and answer else answer
        err = data.get("error") if isinstance(data, dict) else None
        if not isinstance(data, dict) or data.get("ok") is not False or not isinstance(err, dict):
            out.wrong.append(f"{e.kind}: {e.body[:200]} -> {str(data)[:200]}")
            continue
        out.codes[str(err.get("code"))] += 1
        shape = {"code", "message", "problems"} if err.get("code") == "bad_scenario" else {"code", "message"}
        if err.get("code") not in ANY_ERROR or set(err) != shape:
            out.wrong.append(f"{e.kind}: {e.body[:200]} -> {str(data)[:200]}")
    wire.read(time.monotonic() + 0.2)  # anything pushed in the meantime
    out.pushed = wire.pushed


def send_transport_garbage(server: LiveServer, rng: random.Random, rounds: int = 2) -> Outcome:
    """Bad packets, each on a fresh connection (some make the server drop the connection)."""
    out = Outcome()
    for _ in range(rounds):
        for frame in transport_frames(rng):
            wire = Wire(server.ws_url, f"10.250.{rng.randrange(256)}.{rng.randrange(256)}")
            wire.send_raw(frame)
            out.transport += 1
            wire.read(time.monotonic() + 0.05)
            wire.close()
    # Too big for one frame (64 KB): the server closes that connection and carries on.
    wire = Wire(server.ws_url, "10.251.0.1")
    wire.send_raw("42" + json.dumps(["command", {"id": "big", "type": "x" * 70_000}]))
    out.transport += 1
    wire.read(time.monotonic() + 2)
    out.closed_by_server += wire.closed
    wire.close()
    return out


def fuzz(
    server: LiveServer,
    targets: Targets,
    total: int,
    seed: int = 1,
    strangers: int = 8,
    deadline: float = 60.0,
) -> Outcome:
    """About ``total`` acknowledged events over ``strangers`` unbound connections, one seat-bound and
    one host-bound connection, in parallel threads; then transport-level garbage."""
    rng = random.Random(seed)
    share = total // (strangers + 2)
    jobs: list[tuple[Iterator[Event], int, str, Callable[[Wire], None] | None]] = []
    for i in range(strangers):
        r = random.Random(rng.random())
        jobs.append(
            (stranger_events(targets, r), share, f"10.{i}.{r.randrange(256)}.{r.randrange(256)}", None)
        )

    def as_seat(wire: Wire) -> None:
        assert wire.call("player:resume", {"token": targets.tokens["s1"]})["ok"]

    def as_host(wire: Wire) -> None:
        assert wire.call("host:attach", {"code": targets.other_code, "secret": targets.other_secret})["ok"]

    jobs.append((seat_events(targets, random.Random(rng.random())), share, "10.200.0.1", as_seat))
    jobs.append(
        (
            host_events(targets, random.Random(rng.random())),
            total - share * (strangers + 1),
            "10.200.0.2",
            as_host,
        )
    )
    results: list[Outcome] = []
    lock = threading.Lock()
    started = time.monotonic()

    def work(job: tuple[Iterator[Event], int, str, Callable[[Wire], None] | None]) -> None:
        events, count, address, setup = job
        got = run_connection(server, events, count, address, setup, deadline=deadline)
        with lock:
            results.append(got)

    threads = [threading.Thread(target=work, args=(job,), daemon=True) for job in jobs]
    for th in threads:
        th.start()
    for th in threads:
        th.join(deadline + 30)
    total_out = Outcome()
    for got in results:
        total_out.add(got)
    total_out.add(send_transport_garbage(server, rng))
    total_out.seconds = time.monotonic() - started
    return total_out


# -- the two sessions under attack, and the checks ------------------------------------------------


def calm(view: dict[str, Any]) -> dict[str, Any]:
    """A view without what moves by itself (the clock) or with the hostile connections (presence)."""
    text = json.dumps(view)
    data = json.loads(text)
    if "timer" in data:
        data["timer"] = {k: v for k, v in data["timer"].items() if k not in ("server_now_ms", "remaining_ms")}
    data.pop("counts", None)
    for team in data.get("teams", []) if isinstance(data.get("teams"), list) else []:
        for m in team.get("members", []) if isinstance(team, dict) else []:
            m.pop("connected", None)
    for m in data.get("team", {}).get("members", []):
        m.pop("connected", None)
    return data


class TwoSessions:
    """Session A (two teams mid-round, t1 locked, a removed seat) and session B (mid-round)."""

    def __init__(self, live: LiveServer) -> None:
        self.live = live
        self.host = Wire(live.ws_url)
        created = self.host.call("host:create", {"scenario": "saas-startup", "teams": 2, "seed": 3})
        assert created["ok"], created
        self.code, self.secret = created["code"], created["secret"]
        self.phones: dict[str, Wire] = {}
        self.tokens: dict[str, str] = {}
        for i in range(5):
            phone = Wire(live.ws_url)
            ack = phone.call("player:join", {"id": f"join-{i}", "code": self.code, "name": f"Player {i}"})
            assert ack["ok"], ack
            self.phones[ack["seat"]] = phone
            self.tokens[ack["seat"]] = ack["token"]
        assert self.host.call("command", {"id": "h1", "type": "start"})["ok"]
        cards = [c["id"] for c in self.phones["s1"].call("sync")["view"]["cards"] if c["kind"] != "event"]
        s1, s2 = self.phones["s1"], self.phones["s2"]
        build = {"id": "a", "type": "set_card", "card": cards[0], "decision": "build"}
        assert s1.call("command", build)["ok"]
        assert s1.call("command", {"id": "b", "type": "lock"})["ok"]
        assert s2.call("command", {"id": "c", "type": "set_card", "card": cards[-1], "decision": "no"})["ok"]
        assert self.host.call("command", {"id": "h2", "type": "remove_player", "seat": "s5"})["ok"]
        self.removed_token = self.tokens.pop("s5")
        self.phones.pop("s5").close()
        self.other = Wire(live.ws_url)
        made = self.other.call("host:create", {"scenario": "saas-startup", "teams": 1})
        self.other_code, self.other_secret = made["code"], made["secret"]
        self.other_phone = Wire(live.ws_url)
        joined = self.other_phone.call("player:join", {"id": "j", "code": self.other_code, "name": "Bea"})
        self.other_token = joined["token"]
        assert self.other.call("command", {"id": "h1", "type": "start"})["ok"]
        scenarios = requests.get(live.url + "/api/scenarios", timeout=5).json()["scenarios"]
        self.targets = Targets(
            self.code,
            self.secret,
            dict(self.tokens),
            self.removed_token,
            self.other_code,
            self.other_secret,
            self.other_token,
            [s["name"] for s in scenarios],
        )

    def close(self) -> None:
        for w in self.honest():
            w.close()

    def honest(self) -> list[Wire]:
        return [self.host, self.other, self.other_phone, *self.phones.values()]

    def snapshot(self) -> dict[str, Any]:
        export = requests.get(
            f"{self.live.url}/api/sessions/{self.code}/export.json",
            headers={"X-Curb-Secret": self.secret},
            timeout=5,
        )
        return {
            "host": calm(self.host.call("sync")["view"]),
            "other": calm(self.other.call("sync")["view"]),
            "phones": {seat: calm(p.call("sync")["view"]) for seat, p in self.phones.items()},
            "other_phone": calm(self.other_phone.call("sync")["view"]),
            "log": self.live.command_log(self.code),
            "other_log": self.live.command_log(self.other_code),
            "sessions": requests.get(self.live.url + "/healthz", timeout=5).json()["sessions"],
            "export": export.json(),
        }

    def drain(self) -> list[tuple[str, Any]]:
        seen: list[tuple[str, Any]] = []
        for w in self.honest():
            w.read(time.monotonic() + 0.2)
            seen += w.pushed
            w.pushed.clear()
        return seen


def check(
    live: LiveServer, game: TwoSessions, before: dict[str, Any], out: Outcome, expected: int
) -> list[str]:
    """Everything that must hold after a campaign; returns the problems found (none = pass)."""
    problems: list[str] = []

    def need(ok: bool, what: str) -> None:
        if not ok:
            problems.append(what)

    need(live.alive() and requests.get(live.url + "/healthz", timeout=5).ok, "the server is down")
    need(out.sent >= expected * 0.9 and out.sent + out.unacked_sent >= expected, f"only {out.sent} sent")
    need(not out.missing, f"{len(out.missing)} events never answered: {out.missing[:3]}")
    need(not out.wrong, f"{len(out.wrong)} answers were not a refusal: {out.wrong[:3]}")
    need(out.answered == out.sent, "answers and events do not add up")
    after = game.snapshot()
    need(after == before, "the sessions changed: " + ", ".join(k for k in before if before[k] != after[k]))
    told = game.drain()
    need(told == [], f"honest clients were sent {told[:3]}")
    secrets = [game.secret, game.other_secret, game.removed_token, *game.tokens.values(), game.other_token]
    leaked = json.dumps(out.pushed)
    need(not any(s in leaked for s in secrets), "a secret or token reached a hostile client")
    names = {name for name, _ in out.pushed}
    need(names <= {"team:members", "team:plan", "seat:view", "host:team"}, f"strangers were sent {names}")
    for name, data in out.pushed:  # only the seat-bound connection (s1, team t1) hears anything
        need(name != "team:plan" or data["team"] == "t1", "another team's plan reached a hostile client")
    log = live.log_text()
    need("Traceback" not in log and " ERROR " not in log, "the server logged an error: " + log[-2000:])
    need(out.transport == 0 or "dropped a malformed packet" in log, "bad packets were not logged")
    for s in [*secrets, game.code, game.other_code]:
        need(s not in log, "the log holds a secret, token or room code")
    return problems
