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
from game.store.sqlite import SqliteStore

__all__ = [
    "Created",
    "MemoryStore",
    "SessionRecord",
    "SessionStore",
    "SqliteStore",
    "StoreUnavailable",
    "UnknownSession",
]
