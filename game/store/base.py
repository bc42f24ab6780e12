"""The SessionStore protocol, and the in-memory core every store shares: locks, replay, tokens."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Protocol

from game.errors import CommandRejected, CurbAppealError
from game.model import Scenario
from game.session import Act, Applied, Phase, Session, Settings, apply, new_session, round_due
from game.store import tokens

log = logging.getLogger(__name__)


class UnknownSession(CurbAppealError):
    """No session has that room code."""


class StoreUnavailable(CurbAppealError):
    """The store could not read or save (a full disk, a locked file, Redis down). Nothing changed:
    a command is saved before it is applied, so the same command can simply be sent again."""


@dataclass(frozen=True, slots=True)
class Created:
    """A new session: its code and the facilitator's secret (shown once, stored only as a digest)."""

    code: str
    host_secret: str
    state: Session


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """What a store keeps about a session besides its command log."""

    code: str
    created_ms: int
    scenario: Scenario
    settings: Settings
    host_digest: str
    seat_key: str


class SessionStore(Protocol):
    """Where sessions live. ``update`` applies one act under that session's lock and persists it
    before returning, so the web layer broadcasts only what is durable."""

    def create(
        self, scenario: Scenario, settings: Settings, now_ms: int, facilitator_of: str = ""
    ) -> Created: ...

    def get(self, code: str) -> Session | None: ...

    def codes(self) -> list[str]: ...

    def awake(self) -> list[str]: ...

    def due(self, now_ms: int) -> list[str]: ...

    def rest(self, idle_since_ms: int) -> list[str]: ...

    def update(self, code: str, act: Act) -> Applied: ...

    def host_ok(self, code: str, secret: str) -> bool: ...

    def seat_token(self, code: str, seat_id: str) -> str: ...

    def seat_for_token(self, token: str) -> tuple[str, str] | None: ...

    def check(self) -> str: ...

    def close(self) -> None: ...


@dataclass(slots=True)
class _Live:
    record: SessionRecord
    state: Session
    seq: int = 0  # commands logged so far
    touched_ms: int = 0  # when the last change was made, to let idle sessions rest
    gone: bool = False  # this copy was let go to rest: a writer holding it must look the session up again
    lock: threading.Lock = field(default_factory=threading.Lock)


class MemoryStore:
    """Sessions in memory; subclasses persist by overriding ``_save`` and ``_append``.

    A persistent store keeps only *awake* sessions in memory: ``rest`` lets the idle ones go (the
    log has them) and ``_wake`` reads one back the first time anybody names its code again, so a
    server that has run a year of workshops holds and ticks only today's.
    """

    persistent = False  # True when the log outlives the process, so a session may rest

    def __init__(self) -> None:
        self._live: dict[str, _Live] = {}
        self._lock = threading.Lock()

    # -- persistence hooks (no-ops here) --
    def _save(self, record: SessionRecord) -> None:
        pass

    def _append(self, code: str, seq: int, act: Act) -> None:
        pass

    def _taken(self, code: str) -> bool:
        return code in self._live

    def _wake(self, code: str) -> _Live | None:
        """Read a resting session back from the log (nothing rests in memory alone)."""
        return None

    def _drop(self, code: str) -> None:
        """Forget this process's copy (the session is being deleted); a writer holding it looks again."""
        with self._lock:
            live = self._live.pop(code, None)
            if live is not None:
                live.gone = True

    def _find(self, code: str) -> _Live | None:
        live = self._live.get(code)
        if live is not None or not self.persistent:
            return live
        with self._lock:  # one reader per wake, however many phones name the code at once
            live = self._live.get(code)
            if live is None:
                live = self._wake(code)
                if live is not None:
                    self._live[code] = live
        return live

    # -- the protocol --
    def create(
        self, scenario: Scenario, settings: Settings, now_ms: int, facilitator_of: str = ""
    ) -> Created:
        """A new session with a new facilitator secret; or, for the next game of ``facilitator_of``,
        the same facilitator's (``host_secret`` is then "": they already hold it)."""
        secret, digest = "", ""
        if facilitator_of:
            earlier = self._find(facilitator_of)
            if earlier is None:
                raise UnknownSession(f"no session {facilitator_of}")
            digest = earlier.record.host_digest
        else:
            secret = tokens.new_host_secret()
            digest = tokens.digest(secret)
        with self._lock:
            code = tokens.new_code()
            while self._taken(code):
                code = tokens.new_code()
            record = SessionRecord(code, now_ms, scenario, settings, digest, tokens.new_seat_key())
            self._save(record)
            state = new_session(code, scenario, settings, now_ms)
            self._live[code] = _Live(record, state, touched_ms=now_ms)
        after = f", the next game after session {self.log_ref(facilitator_of)}" if facilitator_of else ""
        log.info("session %s: created (scenario %s%s)", tokens.log_ref(record.seat_key), scenario.id, after)
        return Created(code, secret, state)

    @staticmethod
    def replayed(record: SessionRecord, acts: list[Act]) -> _Live:
        """Rebuild a session by replaying its log (the rules are deterministic).

        A logged command that this version's rules refuse (a Build that no longer fits a new
        rush limit, say) is skipped, so an upgrade never leaves a saved game unloadable.
        """
        state = new_session(record.code, record.scenario, record.settings, record.created_ms)
        skipped = 0
        for act in acts:
            try:
                state = apply(state, act).state
            except CommandRejected:
                skipped += 1
        if skipped:
            log.warning(
                "session %s: %d logged command%s no longer allowed by these rules, skipped on replay",
                tokens.log_ref(record.seat_key),
                skipped,
                "" if skipped == 1 else "s",
            )
        touched = acts[-1].now_ms if acts else record.created_ms
        return _Live(record, state, seq=len(acts), touched_ms=touched)

    def get(self, code: str) -> Session | None:
        live = self._find(code)
        return live.state if live is not None else None

    def codes(self) -> list[str]:
        """Every session the store keeps, awake or resting."""
        return list(self._live)

    def awake(self) -> list[str]:
        """The sessions this process holds in memory."""
        return list(self._live)

    def due(self, now_ms: int) -> list[str]:
        """Awake sessions whose round clock (or countdown after every team locked) has run out; a resting
        one is closed when it wakes."""
        return [
            code
            for code, live in list(self._live.items())
            if live.state.phase is Phase.ROUND_OPEN and round_due(live.state, now_ms)
        ]

    def rest(self, idle_since_ms: int) -> list[str]:
        """Let sessions untouched since ``idle_since_ms`` leave memory; their log keeps them whole."""
        if not self.persistent:
            return []
        resting = []
        with self._lock:
            for code, live in list(self._live.items()):
                if live.touched_ms >= idle_since_ms or not live.lock.acquire(blocking=False):
                    continue  # busy now, so not idle: it can rest next time
                try:
                    live.gone = True
                    del self._live[code]
                    resting.append(code)
                finally:
                    live.lock.release()
        return resting

    def update(self, code: str, act: Act) -> Applied:
        while True:
            live = self._find(code)
            if live is None:
                raise UnknownSession(f"no session {code}")
            with live.lock:
                if live.gone:
                    continue  # it went to rest while this command waited: apply it to the woken copy
                applied = apply(live.state, act)
                if applied.state is not live.state:
                    if act.command.logged:
                        self._append(code, live.seq + 1, act)
                        live.seq += 1
                    live.state = applied.state
                    live.touched_ms = max(live.touched_ms, act.now_ms)
                return applied

    def host_ok(self, code: str, secret: str) -> bool:
        live = self._find(code)
        # The same work for an unknown code, so the answer's timing does not tell which codes are live.
        stored = live.record.host_digest if live is not None else tokens.NO_DIGEST
        return tokens.secret_matches(secret, stored) and live is not None

    def seat_token(self, code: str, seat_id: str) -> str:
        live = self._find(code)
        if live is None:
            raise UnknownSession(f"no session {code}")
        return tokens.seat_token(live.record.seat_key, code, seat_id)

    def seat_for_token(self, token: str) -> tuple[str, str] | None:
        parts = tokens.split_token(token)
        if parts is None:
            return None
        code, seat_id, mac = parts
        live = self._find(code)
        if live is None or seat_id not in live.state.seats:
            return None
        if not tokens.token_matches(live.record.seat_key, code, seat_id, mac):
            return None
        return code, seat_id

    def log_ref(self, code: str) -> str:
        """How the log names a session this process holds (never its room code)."""
        live = self._live.get(code)
        return tokens.log_ref(live.record.seat_key) if live is not None else "(not loaded)"

    def check(self) -> str:
        """ "" when the store can save now; otherwise why not (for /healthz). Memory always can."""
        return ""

    def close(self) -> None:
        pass
