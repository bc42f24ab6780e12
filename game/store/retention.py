"""What a server keeps, and forgetting it on purpose: the operator's tools for retention.

Sessions hold people's names, so an operator needs to see what is kept and to delete old games
(docs/deploy.md). Nothing here runs by itself: the server never deletes a session.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from game.session import Phase
from game.store import tokens
from game.store.base import _Live

HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS


class Keeper(Protocol):
    """A store that outlives the process (SQLite or Redis)."""

    def codes(self) -> list[str]: ...

    def peek(self, code: str) -> _Live | None: ...

    def forget(self, code: str) -> None: ...


@dataclass(frozen=True, slots=True)
class KeptSession:
    """One stored session as an operator lists it."""

    code: str
    scenario: str
    created_ms: int
    touched_ms: int  # the last command anybody gave
    phase: Phase
    round: int  # 1-based; 0 in the lobby
    rounds: int
    teams: int
    players: int
    log_ref: str = ""  # how the server's log names it (never by its room code)


def kept_sessions(store: Keeper) -> list[KeptSession]:
    """Every stored session, oldest activity first."""
    kept = []
    for code in store.codes():
        live = store.peek(code)
        if live is None:
            continue  # forgotten meanwhile
        state = live.state
        kept.append(
            KeptSession(
                code=code,
                scenario=state.scenario.title,
                created_ms=live.record.created_ms,
                touched_ms=live.touched_ms,
                phase=state.phase,
                round=0 if state.phase is Phase.LOBBY else state.round_index + 1,
                rounds=len(state.scenario.rounds),
                teams=len(state.teams),
                players=sum(1 for seat in state.seats.values() if not seat.removed),
                log_ref=tokens.log_ref(live.record.seat_key),
            )
        )
    return sorted(kept, key=lambda k: k.touched_ms)


def idle_for(kept: list[KeptSession], days: float, now_ms: int) -> list[KeptSession]:
    """The sessions nobody has touched for ``days`` days."""
    cutoff = now_ms - int(days * DAY_MS)
    return [k for k in kept if k.touched_ms < cutoff]


def busy_recently(kept: KeptSession, now_ms: int, window_ms: int) -> bool:
    """Touched within ``window_ms``: a running server may hold it in memory, so it is not forgotten."""
    return kept.touched_ms >= now_ms - window_ms
