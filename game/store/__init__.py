"""Where sessions live: the SessionStore protocol, an in-memory store and the SQLite command log."""

from __future__ import annotations

from game.store.base import (
    Created,
    MemoryStore,
    SessionRecord,
    SessionStore,
    StoreUnavailable,
    UnknownSession,
)
from game.store.outage import Outage
from game.store.retention import HOUR_MS, Keeper, KeptSession, busy_recently, idle_for, kept_sessions
from game.store.sqlite import DEFAULT_DB, SqliteStore
from game.store.tokens import split_token

__all__ = [
    "DEFAULT_DB",
    "HOUR_MS",
    "Created",
    "Keeper",
    "KeptSession",
    "MemoryStore",
    "Outage",
    "SessionRecord",
    "SessionStore",
    "SqliteStore",
    "StoreUnavailable",
    "UnknownSession",
    "busy_recently",
    "idle_for",
    "kept_sessions",
    "split_token",
]
