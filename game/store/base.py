"""The SessionStore protocol, and the in-memory core every store shares: locks, replay, tokens."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Protocol

from game.errors import CurbAppealError
from game.model import Scenario
from game.session import Act, Applied, Session, Settings, apply, new_session
from game.store import tokens


class UnknownSession(CurbAppealError):
    """No session has that room code."""


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

    def create(self, scenario: Scenario, settings: Settings, now_ms: int) -> Created: ...

    def get(self, code: str) -> Session | None: ...

    def codes(self) -> list[str]: ...

    def update(self, code: str, act: Act) -> Applied: ...

    def host_ok(self, code: str, secret: str) -> bool: ...

    def seat_token(self, code: str, seat_id: str) -> str: ...

    def seat_for_token(self, token: str) -> tuple[str, str] | None: ...

    def close(self) -> None: ...


@dataclass(slots=True)
class _Live:
    record: SessionRecord
    state: Session
    seq: int = 0  # commands logged so far
    lock: threading.Lock = field(default_factory=threading.Lock)


class MemoryStore:
    """Sessions in memory; subclasses persist by overriding ``_save`` and ``_append``."""

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

    # -- the protocol --
    def create(self, scenario: Scenario, settings: Settings, now_ms: int) -> Created:
        secret = tokens.new_host_secret()
        with self._lock:
            code = tokens.new_code()
            while self._taken(code):
                code = tokens.new_code()
            record = SessionRecord(
                code, now_ms, scenario, settings, tokens.digest(secret), tokens.new_seat_key()
            )
            self._save(record)
            state = new_session(code, scenario, settings, now_ms)
            self._live[code] = _Live(record, state)
        return Created(code, secret, state)

    def restore(self, record: SessionRecord, acts: list[Act]) -> None:
        """Rebuild a session by replaying its log (the rules are deterministic)."""
        state = new_session(record.code, record.scenario, record.settings, record.created_ms)
        for act in acts:
            state = apply(state, act).state
        self._live[record.code] = _Live(record, state, seq=len(acts))

    def get(self, code: str) -> Session | None:
        live = self._live.get(code)
        return live.state if live is not None else None

    def codes(self) -> list[str]:
        return list(self._live)

    def update(self, code: str, act: Act) -> Applied:
        live = self._live.get(code)
        if live is None:
            raise UnknownSession(f"no session {code}")
        with live.lock:
            applied = apply(live.state, act)
            if applied.state is not live.state:
                if act.command.logged:
                    self._append(code, live.seq + 1, act)
                    live.seq += 1
                live.state = applied.state
            return applied

    def host_ok(self, code: str, secret: str) -> bool:
        live = self._live.get(code)
        # The same work for an unknown code, so the answer's timing does not tell which codes are live.
        stored = live.record.host_digest if live is not None else tokens.NO_DIGEST
        return tokens.secret_matches(secret, stored) and live is not None

    def seat_token(self, code: str, seat_id: str) -> str:
        return tokens.seat_token(self._live[code].record.seat_key, code, seat_id)

    def seat_for_token(self, token: str) -> tuple[str, str] | None:
        parts = tokens.split_token(token)
        if parts is None:
            return None
        code, seat_id, mac = parts
        live = self._live.get(code)
        if live is None or seat_id not in live.state.seats:
            return None
        if not tokens.token_matches(live.record.seat_key, code, seat_id, mac):
            return None
        return code, seat_id

    def close(self) -> None:
        pass
