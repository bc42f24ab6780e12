"""A store that cannot save (full disk, locked file) says so plainly, changes nothing, and the same
command sent again is applied once when the store is back."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from game.model import Scenario
from game.store import SqliteStore
from tests.server.conftest import Server


class FailingWrites:
    """The store's database connection, with its next writes of commands failing like a full disk."""

    def __init__(self, db: sqlite3.Connection, failures: int) -> None:
        self.db = db
        self.failures = failures

    def execute(self, sql: str, *args: Any) -> Any:
        if sql.startswith("INSERT INTO commands") and self.failures:
            self.failures -= 1
            raise sqlite3.OperationalError("database or disk is full")
        return self.db.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.db, name)


def test_a_failed_save_is_refused_plainly_and_the_retry_lands_once(
    tmp_path: Path, scenario: Scenario, caplog: Any
) -> None:
    server = Server(scenario, db=str(tmp_path / "curb.db"))
    host, created = server.host(teams=1)
    ann, _ = server.player(created["code"], "Ann")
    assert host.command("start")["ok"]
    store = server.hub.store
    assert isinstance(store, SqliteStore)
    store._db = FailingWrites(store._db, failures=1)  # type: ignore[assignment]
    ann.clear()
    edit = {"id": "edit-1", "type": "set_card", "card": "acme-sso", "decision": "build"}
    failed = ann.emit("command", edit)
    assert failed["ok"] is False and failed["error"]["code"] == "unavailable"
    assert "Try again" in failed["error"]["message"]
    assert ann.emit("sync")["view"]["team"]["plan"] == {}  # nothing changed, nothing was sent
    assert ann.pushed("team:plan") == []
    assert "database or disk is full" in caplog.text and "Traceback" not in caplog.text
    again = ann.emit("command", edit)  # the phone sends the same command again
    assert again["ok"] and not again["duplicate"]
    assert ann.emit("sync")["view"]["team"]["plan"] == {"acme-sso": {"decision": "build", "by": "s1"}}
    store._db = store._db.db  # type: ignore[attr-defined]
    restarted = Server(scenario, db=str(tmp_path / "curb.db"))
    state = restarted.hub.store.get(created["code"])
    assert state is not None and state.rev == server.hub.store.get(created["code"]).rev  # type: ignore[union-attr]
