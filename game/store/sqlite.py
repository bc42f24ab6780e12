"""The default store: SQLite, one append-only command log per session, replayed on start.

Durability: WAL journal with ``synchronous=NORMAL``. Every accepted command is committed
(written to the WAL through the OS) before ``update`` returns, so it survives the server
process dying at any moment, ``kill -9`` included. What NORMAL gives up against FULL is the
last few commits on a power cut or kernel crash, in exchange for no fsync per command: under
eventlet an fsync would stall every connection on the server for milliseconds per edit.
Set ``synchronous="FULL"`` to trade that speed for power-cut safety.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from game.model import Scenario
from game.session import Act, Settings, decode, encode
from game.store.base import MemoryStore, SessionRecord, StoreUnavailable, _Live
from game.store.codec import from_data, to_data

DEFAULT_DB = "curb-appeal.db"
BUSY_SECONDS = 0.5  # how long a write waits for another process's lock before ``unavailable``


def _here(fn: Callable[..., Any], *args: Any) -> Any:
    return fn(*args)


def _fetch(db: sqlite3.Connection, sql: str, args: tuple[object, ...]) -> list[tuple[Any, ...]]:
    return db.execute(sql, args).fetchall()


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
CREATE INDEX IF NOT EXISTS commands_by_time ON commands (now_ms);
"""


class SqliteStore(MemoryStore):
    """Sessions in memory for speed, every command in SQLite for durability; one connection per process.

    On start it reads back the sessions touched since ``awake_since_ms`` (0: all; None: none, for
    tools that only list); the others rest in the file and wake when somebody names their code.
    """

    persistent = True

    def __init__(
        self,
        path: str | Path,
        synchronous: str = "NORMAL",
        awake_since_ms: int | None = 0,
        run: Callable[..., Any] | None = None,
        busy_seconds: float = BUSY_SECONDS,
    ) -> None:
        super().__init__()
        if synchronous not in ("NORMAL", "FULL"):
            raise ValueError("synchronous must be NORMAL or FULL")
        self.path = str(path)
        self._db_lock = threading.Lock()
        # With ``run`` (the web shell passes a thread pool), a statement that meets another
        # process's lock waits for it there, never on the event loop (issue 13): ``_call``.
        self._run: Callable[..., Any] = run or _here
        self._busy_seconds = busy_seconds
        self._failures = 0  # writes that failed so far
        self._db = sqlite3.connect(
            str(path), check_same_thread=False, isolation_level=None, timeout=busy_seconds
        )
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(f"PRAGMA synchronous={synchronous}")
        self._db.executescript(_SCHEMA)
        if run is not None:
            self._db.execute("PRAGMA busy_timeout = 0")  # from now on a lock is waited for in ``run``
        self._load(awake_since_ms)

    def _load(self, since_ms: int | None) -> None:
        if since_ms is None:
            return
        if since_ms <= 0:
            rows = self._query("SELECT code FROM sessions")
        else:
            rows = self._query(
                "SELECT code FROM sessions WHERE created_ms >= ?"
                " UNION SELECT DISTINCT code FROM commands WHERE now_ms >= ?",
                (since_ms, since_ms),
            )
        for (code,) in rows:
            live = self.peek(code)
            if live is not None:
                self._live[code] = live

    def _query(self, sql: str, args: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            with self._db_lock:
                rows: list[tuple[Any, ...]] = self._call(_fetch, self._db, sql, args)
                return rows
        except sqlite3.Error as err:
            raise StoreUnavailable(f"could not read the database: {err}") from err

    def _write(self, sql: str, args: tuple[object, ...]) -> None:
        """One write, committed before it returns; a failure changes nothing and says so.

        A write that fails (a lock held by another process, a full disk) makes the writes that were
        queued behind it fail at once, instead of each waiting ``busy_seconds`` in turn; a write
        sent afterwards (a retry) tries again.
        """
        failures = self._failures
        try:
            with self._db_lock:
                if self._failures != failures:
                    raise StoreUnavailable("could not save to the database: it failed just now")
                self._call(self._db.execute, sql, args)
        except sqlite3.Error as err:
            self._failures += 1
            raise StoreUnavailable(f"could not save to the database: {err}") from err

    def _call(self, fn: Callable[..., Any], *args: Any) -> Any:
        """A statement, on the caller's thread without waiting for any lock; only if another process
        holds one, it waits for it (``busy_seconds``) in a thread of ``run``, off the event loop."""
        if self._run is _here:  # no pool: the connection's own busy timeout waits
            return fn(*args)
        try:
            return fn(*args)
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) and "busy" not in str(err):
                raise
        return self._run(self._patiently, fn, *args)

    def _patiently(self, fn: Callable[..., Any], *args: Any) -> Any:
        self._db.execute(f"PRAGMA busy_timeout = {int(self._busy_seconds * 1000)}")
        try:
            return fn(*args)
        finally:
            self._db.execute("PRAGMA busy_timeout = 0")

    def peek(self, code: str) -> _Live | None:
        """A session replayed from the file, without waking it (for listing and for waking)."""
        found = self._query(
            "SELECT code, created_ms, scenario, settings, host_digest, seat_key FROM sessions WHERE code = ?",
            (code,),
        )
        if not found:
            return None
        code, created_ms, scenario, settings, host_digest, seat_key = found[0]
        record = SessionRecord(
            code,
            created_ms,
            from_data(Scenario, json.loads(scenario)),
            from_data(Settings, json.loads(settings)),
            host_digest,
            seat_key,
        )
        log = self._query(
            "SELECT actor, command_id, now_ms, command FROM commands WHERE code = ? ORDER BY seq", (code,)
        )
        return self.replayed(record, [Act(a, decode(json.loads(cmd)), cid, now) for a, cid, now, cmd in log])

    def _wake(self, code: str) -> _Live | None:
        return self.peek(code)

    def codes(self) -> list[str]:
        return [code for (code,) in self._query("SELECT code FROM sessions ORDER BY created_ms")]

    def forget(self, code: str) -> None:
        """Delete a session and its log for good (the operator's retention choice, never automatic)."""
        self._drop(code)
        with self._db_lock:
            try:
                self._db.execute("BEGIN")
                self._db.execute("DELETE FROM commands WHERE code = ?", (code,))
                self._db.execute("DELETE FROM sessions WHERE code = ?", (code,))
                self._db.execute("COMMIT")
            except sqlite3.Error as err:  # all or nothing: the session stays whole
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise StoreUnavailable(f"could not delete {code}: {err}") from err

    def _save(self, record: SessionRecord) -> None:
        self._write(
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
        self._write(
            "INSERT INTO commands VALUES (?, ?, ?, ?, ?, ?)",
            (code, seq, act.actor, act.id, act.now_ms, json.dumps(encode(act.command))),
        )

    def _taken(self, code: str) -> bool:
        return super()._taken(code) or bool(self._query("SELECT 1 FROM sessions WHERE code = ?", (code,)))

    def check(self) -> str:
        """ "" when the database can be written now; otherwise why not (for /healthz)."""
        if not Path(self.path).is_file():
            return f"the database file {self.path} is gone"
        try:
            with self._db_lock:
                self._db.execute("BEGIN IMMEDIATE")  # takes the write lock, as a command would
                self._db.execute("ROLLBACK")
        except sqlite3.Error as err:
            return f"the database {self.path} cannot be written: {err}"
        return ""

    def backup(self, to: str | Path) -> None:
        """A consistent copy of the whole database in ``to`` (SQLite's online backup: safe while a
        server writes; the copy is one self-contained file)."""
        target = sqlite3.connect(str(to))
        try:
            with self._db_lock:
                self._db.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")  # the copy is one file, nothing beside it
        finally:
            target.close()

    def close(self) -> None:
        """Fold the write-ahead log into the file and close: after a clean stop the ``.db`` is complete."""
        with self._db_lock:
            with contextlib.suppress(sqlite3.Error):  # busy elsewhere: SQLite checkpoints on its last close
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._db.close()
