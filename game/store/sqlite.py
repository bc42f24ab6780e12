"""The default store: SQLite, one append-only command log per session, replayed on start.

Durability: WAL journal with ``synchronous=NORMAL``. Every accepted command is committed
(written to the WAL through the OS) before ``update`` returns, so it survives the server
process dying at any moment, ``kill -9`` included. What NORMAL gives up against FULL is the
last few commits on a power cut or kernel crash, in exchange for no fsync per command: under
eventlet an fsync would stall every connection on the server for milliseconds per edit.
Set ``synchronous="FULL"`` to trade that speed for power-cut safety.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

from game.commands import decode, encode
from game.model import Scenario
from game.session import Act, Settings
from game.store.base import MemoryStore, SessionRecord
from game.store.codec import from_data, to_data

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    code TEXT PRIMARY KEY,
    created_ms INTEGER NOT NULL,
    scenario TEXT NOT NULL,
    settings TEXT NOT NULL,
    host_digest TEXT NOT NULL,
    seat_key TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS commands (
    code TEXT NOT NULL,
    seq INTEGER NOT NULL,
    actor TEXT NOT NULL,
    command_id TEXT NOT NULL,
    now_ms INTEGER NOT NULL,
    command TEXT NOT NULL,
    PRIMARY KEY (code, seq)
) WITHOUT ROWID;
"""


class SqliteStore(MemoryStore):
    """Sessions in memory for speed, every command in SQLite for durability; one connection per process."""

    def __init__(self, path: str | Path, synchronous: str = "NORMAL") -> None:
        super().__init__()
        if synchronous not in ("NORMAL", "FULL"):
            raise ValueError("synchronous must be NORMAL or FULL")
        self._db_lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(f"PRAGMA synchronous={synchronous}")
        self._db.executescript(_SCHEMA)
        self._load()

    def _load(self) -> None:
        rows = self._db.execute(
            "SELECT code, created_ms, scenario, settings, host_digest, seat_key FROM sessions"
        ).fetchall()
        for code, created_ms, scenario, settings, host_digest, seat_key in rows:
            record = SessionRecord(
                code,
                created_ms,
                from_data(Scenario, json.loads(scenario)),
                from_data(Settings, json.loads(settings)),
                host_digest,
                seat_key,
            )
            log = self._db.execute(
                "SELECT actor, command_id, now_ms, command FROM commands WHERE code = ? ORDER BY seq",
                (code,),
            ).fetchall()
            acts = [Act(actor, decode(json.loads(cmd)), cid, now) for actor, cid, now, cmd in log]
            self.restore(record, acts)

    def _save(self, record: SessionRecord) -> None:
        with self._db_lock:
            self._db.execute(
                "INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?)",
                (
                    record.code,
                    record.created_ms,
                    json.dumps(to_data(record.scenario)),
                    json.dumps(to_data(record.settings)),
                    record.host_digest,
                    record.seat_key,
                ),
            )

    def _append(self, code: str, seq: int, act: Act) -> None:
        with self._db_lock:
            self._db.execute(
                "INSERT INTO commands VALUES (?, ?, ?, ?, ?, ?)",
                (code, seq, act.actor, act.id, act.now_ms, json.dumps(encode(act.command))),
            )

    def _taken(self, code: str) -> bool:
        if super()._taken(code):
            return True
        with self._db_lock:
            row = self._db.execute("SELECT 1 FROM sessions WHERE code = ?", (code,)).fetchone()
        return row is not None

    def close(self) -> None:
        with self._db_lock:
            self._db.close()
