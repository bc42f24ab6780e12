"""Sessions in Redis, for several workers: one append-only command log per session, shared by all.

Each worker keeps every session it serves in memory (the ``MemoryStore`` core) and catches it up
from the log before it reads it. A command is applied to the worker's copy and appended with a
compare-and-append (a Lua script: append only if the log still has the length this copy has
seen); if another worker appended first, the copy catches up and the command is applied again.
So the log is the single order of every session's commands, every worker's copy is that log
replayed, and a timer's close lands exactly once however many workers' tickers see it expire.

Presence (a phone connected or went away) is in the shared log too, so every worker shows the
same people as connected; it does not count in ``rev``. Records, the facilitator secret's digest
and the seat-token key are stored as the SQLite store stores them. Each append is also published
with its notices, so the other workers can send their own phones what changed (``listen``).

Durability is Redis's: run it with ``appendonly yes`` (docs/deploy.md). An append is acknowledged
by Redis before ``update`` returns, so nothing is broadcast before Redis has it.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import secrets
import time
from collections.abc import Callable
from typing import Any, TypeVar, cast

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from game.errors import CommandRejected
from game.model import Scenario
from game.session import (
    Act,
    Applied,
    Notice,
    NoticeKind,
    Session,
    Settings,
    apply,
    decode,
    encode,
    new_session,
)
from game.store.base import Created, MemoryStore, SessionRecord, StoreUnavailable, UnknownSession, _Live
from game.store.codec import from_data, to_data
from game.store.outage import Outage

log = logging.getLogger(__name__)
RETRIES = 100  # compare-and-append attempts before giving up (each loser catches up first)
LISTEN_RETRY_SECONDS = 0.5  # how often a listener whose connection broke tries again (no back-off)

# KEYS[1] = the log; ARGV[1] = the length the caller has seen; ARGV[2] = the entry.
_APPEND = """
if redis.call('LLEN', KEYS[1]) ~= tonumber(ARGV[1]) then return -1 end
return redis.call('RPUSH', KEYS[1], ARGV[2])
"""

Listener = Callable[[str, tuple[Notice, ...]], None]
_ELSEWHERE = frozenset({NoticeKind.ALL, NoticeKind.TEAM, NoticeKind.REMOVED})  # per-connection news


_F = TypeVar("_F", bound=Callable[..., Any])


def _guarded(method: _F) -> _F:
    """Redis failing (down, or a timeout) becomes ``StoreUnavailable``: a clear answer, nothing changed.

    The store's ``outage`` hears of every failure and of the first success after them, so the
    outage is logged once when it starts and once when it ends."""

    @functools.wraps(method)
    def run(self: RedisStore, *args: Any, **kwargs: Any) -> Any:
        if self.outage.down:  # refused at once; background probes find out when Redis is back
            self.outage.refused()
            raise StoreUnavailable(f"Redis failed: {self.outage.reason}")
        try:
            result = method(self, *args, **kwargs)
        except redis.RedisError as err:
            self.outage.failed(str(err))
            raise StoreUnavailable(f"Redis failed: {err}") from err
        self.outage.ok()
        return result

    return cast(_F, run)


def quick_retry() -> Retry:
    """One retry, 20-100 ms later: enough for a connection Redis closed while idle, no more."""
    return Retry(ExponentialBackoff(cap=0.1, base=0.02), 1)


def connect(url: str) -> redis.Redis:
    """A client that fails fast when Redis is down: an answer in well under a second, not after retries.

    redis-py retries a failed command ten times with back-off by default (up to 4 s per command);
    with Redis down that made every phone wait, and every timer tick pile up. One quick retry
    still rides over a connection that Redis closed while idle.
    """
    if "://" not in url:
        raise StoreUnavailable(f"the Redis URL {url!r} has no scheme: write redis://host:port/db")
    return redis.Redis.from_url(
        url,
        socket_connect_timeout=2,
        socket_timeout=2,  # a command takes milliseconds; a Redis that hangs is an outage
        retry=quick_retry(),
    )


def _text(raw: bytes | str) -> str:
    return raw.decode() if isinstance(raw, bytes) else str(raw)


def _entry(act: Act) -> str:
    return json.dumps({"a": act.actor, "i": act.id, "t": act.now_ms, "c": encode(act.command)})


def _act(raw: bytes | str) -> Act:
    e = json.loads(raw)
    return Act(e["a"], decode(e["c"]), e["i"], e["t"])


class RedisStore(MemoryStore):
    """The SessionStore for scale-out: Redis holds the truth, each worker a caught-up copy."""

    persistent = True

    def __init__(self, url: str, prefix: str = "curb") -> None:
        super().__init__()
        try:
            self._r = connect(url)
            self._r.ping()
        except (redis.RedisError, ValueError) as err:
            raise StoreUnavailable(f"cannot reach Redis at {url}: {err}") from err
        self.outage = Outage("Redis")
        self._prefix = prefix
        self._append_log = self._r.register_script(_APPEND)
        self.worker = secrets.token_hex(8)  # this process, to skip its own published changes

    # -- keys --
    def _k(self, *parts: str) -> str:
        return ":".join((self._prefix, *parts))

    @property
    def channel(self) -> str:
        return self._k("changes")

    # -- records --
    @_guarded
    def create(
        self, scenario: Scenario, settings: Settings, now_ms: int, facilitator_of: str = ""
    ) -> Created:
        if facilitator_of:
            self._live_for(facilitator_of)  # it may live on another worker
        return super().create(scenario, settings, now_ms, facilitator_of)

    def _save(self, record: SessionRecord) -> None:
        data = {
            "code": record.code,
            "created_ms": record.created_ms,
            "scenario": to_data(record.scenario),
            "settings": to_data(record.settings),
            "host_digest": record.host_digest,
            "seat_key": record.seat_key,
        }
        if not self._r.set(self._k("session", record.code), json.dumps(data), nx=True):
            raise RuntimeError(f"session {record.code} was created by another worker at the same moment")
        self._r.sadd(self._k("codes"), record.code)

    def _taken(self, code: str) -> bool:
        return super()._taken(code) or bool(self._r.exists(self._k("session", code)))

    def _record(self, code: str) -> SessionRecord | None:
        raw = self._r.get(self._k("session", code))
        if raw is None:
            return None
        d = json.loads(raw)
        return SessionRecord(
            d["code"],
            d["created_ms"],
            from_data(Scenario, d["scenario"]),
            from_data(Settings, d["settings"]),
            d["host_digest"],
            d["seat_key"],
        )

    def _wake(self, code: str) -> _Live | None:
        record = self._record(code)
        if record is None:
            return None
        state = new_session(record.code, record.scenario, record.settings, record.created_ms)
        return _Live(record, state, touched_ms=record.created_ms)

    def _live_for(self, code: str) -> _Live | None:
        """This worker's copy of a session, loaded from Redis the first time, caught up every time."""
        live = self._find(code)
        if live is not None:
            with live.lock:
                self._catch_up(live)
        return live

    @_guarded
    def peek(self, code: str) -> _Live | None:
        """A session read from Redis without keeping a copy (for listing)."""
        live = self._wake(code)
        if live is not None:
            self._catch_up(live)
        return live

    def _catch_up(self, live: _Live) -> int:
        """Apply what other workers appended since this copy last looked; how many there were."""
        raw = self._r.lrange(self._k("log", live.record.code), live.seq, -1)
        for entry in raw:
            act = _act(entry)
            live.state = apply(live.state, act).state
            live.touched_ms = max(live.touched_ms, act.now_ms)
        live.seq += len(raw)
        return len(raw)

    # -- the protocol --
    @_guarded
    def get(self, code: str) -> Session | None:
        live = self._live_for(code)
        return live.state if live is not None else None

    @_guarded
    def codes(self) -> list[str]:
        return sorted(_text(c) for c in self._r.smembers(self._k("codes")))

    @_guarded
    def due(self, now_ms: int) -> list[str]:
        """As for one process, on copies caught up first: another worker may have paused or extended."""
        for code in self.awake():
            self._live_for(code)
        return super().due(now_ms)

    @_guarded
    def forget(self, code: str) -> None:
        """Delete a session and its log for good (the operator's retention choice, never automatic)."""
        self._drop(code)
        self._r.delete(self._k("session", code), self._k("log", code))
        self._r.srem(self._k("codes"), code)

    @_guarded
    def update(self, code: str, act: Act) -> Applied:
        while True:
            live = self._live_for(code)
            if live is None:
                raise UnknownSession(f"no session {code}")
            with live.lock:
                if not live.gone:
                    return self._append_act(live, code, act)

    def _append_act(self, live: _Live, code: str, act: Act) -> Applied:
        """Apply ``act`` to a copy whose lock the caller holds, and win its place in the shared log."""
        key = self._k("log", code)
        for _ in range(RETRIES):
            try:
                applied = apply(live.state, act)
            except CommandRejected:
                if self._catch_up(live):
                    continue  # refused by a stale copy: ask the fresh one
                raise
            if applied.state is live.state:
                if self._catch_up(live):
                    continue  # "nothing to do" or "seen before" must hold on the fresh copy too
                return applied
            length = int(self._append_log(keys=[key], args=[live.seq, _entry(act)]))
            if length < 0:
                self._catch_up(live)
                continue
            live.seq, live.state = length, applied.state
            live.touched_ms = max(live.touched_ms, act.now_ms)
            self._publish(code, length, applied.notices)
            return applied
        raise RuntimeError(f"session {code}: could not append after {RETRIES} attempts")

    @_guarded
    def host_ok(self, code: str, secret: str) -> bool:
        return self._live_for(code) is not None and super().host_ok(code, secret)

    @_guarded
    def seat_token(self, code: str, seat_id: str) -> str:
        self._live_for(code)
        return super().seat_token(code, seat_id)

    @_guarded
    def seat_for_token(self, token: str) -> tuple[str, str] | None:
        code = token.split(".", 1)[0]
        if len(code) <= 20 and code.isalnum():
            self._live_for(code)  # the seat may have joined through another worker
        return super().seat_for_token(token)

    # -- which worker holds which phone --
    @_guarded
    def hold(self, code: str, seat: str) -> None:
        """A phone of this seat is connected to this worker (so it is not a dead worker's)."""
        self._r.sadd(self._k("holds", self.worker), f"{code}/{seat}")

    @_guarded
    def hold_only(self, seats: list[tuple[str, str]]) -> None:
        """Exactly these seats are held by this worker (written afresh after an outage)."""
        key = self._k("holds", self.worker)
        with self._r.pipeline() as pipe:
            pipe.delete(key)
            if seats:
                pipe.sadd(key, *(f"{code}/{seat}" for code, seat in seats))
            pipe.execute()

    @_guarded
    def release(self, code: str, seat: str) -> None:
        self._r.srem(self._k("holds", self.worker), f"{code}/{seat}")

    @_guarded
    def beat(self, ttl_ms: int) -> None:
        """This worker is alive for ``ttl_ms`` more; a worker that stops beating is taken for dead."""
        self._r.set(self._k("alive", self.worker), "1", px=ttl_ms)

    @_guarded
    def orphans(self) -> list[tuple[str, str]]:
        """Seats held by workers that stopped beating and by no live worker: their phones are gone.

        One worker claims each dead worker's list (SET NX), so a seat is reported once."""
        holds = [_text(k) for k in self._r.scan_iter(self._k("holds", "*"))]
        dead = [k for k in holds if not self._r.exists(self._k("alive", k.rsplit(":", 1)[1]))]
        if not dead:
            return []
        live = [k for k in holds if k not in dead]
        still_held = {_text(m) for m in self._r.sunion(live)} if live else set()
        found: list[tuple[str, str]] = []
        for key in dead:
            if not self._r.set(self._k("sweep", key.rsplit(":", 1)[1]), "1", nx=True, px=60_000):
                continue  # another worker is sweeping it
            for member in self._r.smembers(key):
                text = _text(member)
                if text not in still_held:
                    code, seat = text.split("/", 1)
                    found.append((code, seat))
            self._r.delete(key)
        return found

    # -- telling the other workers --
    def _publish(self, code: str, seq: int, notices: tuple[Notice, ...]) -> None:
        """Tell the other workers about a change their own connections need (full views, removals).

        Plan edits, presence and the clock reach phones through room emits on the message queue;
        the other workers' copies catch up from the log when they next read, so those are not
        published: a plan edit then costs one round trip to Redis, not three.
        """
        if not any(n.kind in _ELSEWHERE for n in notices):
            return
        message = {
            "w": self.worker,
            "code": code,
            "seq": seq,
            "n": [[n.kind.value, n.team, n.seat] for n in notices],
        }
        self._r.publish(self.channel, json.dumps(message))

    def listen(self, on_change: Listener, sleep: Callable[[float], None] = time.sleep) -> None:
        """Run forever (a background task): call ``on_change(code, notices)`` for other workers' changes,
        with this worker's copy already caught up to them.

        When Redis goes away the subscription breaks; it is tried again every half second (not
        with a growing back-off), so changes flow again within a second of Redis coming back."""
        while True:
            pubsub = self._r.pubsub(ignore_subscribe_messages=True)  # type: ignore[no-untyped-call]
            try:
                pubsub.subscribe(self.channel)
                self.outage.ok()
                for message in pubsub.listen():
                    try:
                        self._changed(message, on_change)
                    except StoreUnavailable:
                        raise
                    except Exception:  # one bad message must not stop this worker hearing the others
                        log.exception("could not handle a change from another worker")
            except (redis.RedisError, StoreUnavailable) as err:
                self.outage.failed(f"listening: {err}")
            with contextlib.suppress(redis.RedisError, OSError):  # already broken: nothing to close
                pubsub.close()
            sleep(LISTEN_RETRY_SECONDS)

    @_guarded
    def script(self, source: str) -> Callable[..., Any]:
        """A Lua script on this store's connection; Redis failing raises ``StoreUnavailable``."""
        registered = self._r.register_script(source)

        def run(keys: list[str], args: list[Any]) -> Any:
            if self.outage.down:
                self.outage.refused()
                raise StoreUnavailable(f"Redis failed: {self.outage.reason}")
            try:
                result = registered(keys=keys, args=args)
            except redis.RedisError as err:
                self.outage.failed(str(err))
                raise StoreUnavailable(f"Redis failed: {err}") from err
            self.outage.ok()
            return result

        return run

    def watch(self, sleep: Callable[[float], None] = time.sleep) -> None:
        """Run forever (a background task): during an outage, ping Redis every half second to see
        whether it is back. Requests are refused meanwhile and never wait for it; this task holds
        no session's lock, so it finds Redis back even while requests that were under way when
        it went away still wait for their timeouts."""
        while True:
            sleep(LISTEN_RETRY_SECONDS)
            if self.outage.down and self.outage.may_probe():
                self.check()

    def check(self) -> str:
        """ "" when Redis answers; otherwise why not (for /healthz)."""
        try:
            self._r.ping()
        except redis.RedisError as err:
            self.outage.failed(str(err))
            return f"Redis does not answer: {err}"
        self.outage.ok()
        return ""

    def _changed(self, message: dict[str, Any], on_change: Listener) -> None:
        data = json.loads(message["data"])
        if data["w"] == self.worker:
            return
        live = self._live_for(data["code"])
        if live is None:
            return
        notices = tuple(Notice(NoticeKind(kind), team, seat) for kind, team, seat in data["n"])
        on_change(data["code"], notices)

    def close(self) -> None:
        self._r.close()
