"""The stores: durable command log, exact replay, tokens and secrets."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from game.errors import CommandRejected
from game.model import Decision
from game.session import HOST, SYSTEM, Act, Settings
from game.session import commands as c
from game.store import MemoryStore, SqliteStore, UnknownSession
from game.store.tokens import CODE_ALPHABET
from game.views.live import host_view, seat_view


def play_some(store, code: str) -> None:
    store.update(code, Act("", c.Join(name="Ann"), "j1", 1_000))
    store.update(code, Act("", c.Join(name="Bob"), "j2", 1_100))
    store.update(code, Act(HOST, c.Start(), "h1", 2_000))
    store.update(code, Act("s1", c.SetCard(card="acme-sso", decision=Decision.BUILD), "e1", 3_000))
    store.update(code, Act("s2", c.Lock(), "e2", 3_500))
    store.update(code, Act("s1", c.Presence(connected=True), "", 3_600))
    store.update(code, Act(HOST, c.Pause(), "h2", 4_000))


def test_sqlite_restores_every_session_exactly(tmp_path: Path, scenario) -> None:
    db = tmp_path / "curb.db"
    store = SqliteStore(db)
    one = store.create(scenario, Settings(teams=0, round_seconds=60, seed=9), 500)
    two = store.create(scenario, Settings(teams=2), 600)
    play_some(store, one.code)
    store.update(two.code, Act("", c.Join(name="Cy"), "j", 700))
    before = {code: state for code in store.codes() if (state := store.get(code)) is not None}
    token = store.seat_token(one.code, "s2")
    store.close()

    again = SqliteStore(db)
    assert sorted(again.codes()) == sorted(before)
    for code, state in before.items():
        restored = again.get(code)
        assert restored is not None
        assert host_view(restored, 5_000) == {
            **host_view(state, 5_000),
            "teams": host_view(restored, 5_000)["teams"],
            "counts": host_view(restored, 5_000)["counts"],
        }
        assert restored.teams.keys() == state.teams.keys()
        for t in state.teams:
            assert restored.teams[t].plan == state.teams[t].plan
            assert restored.teams[t].locked == state.teams[t].locked
        assert restored.timer == state.timer
    restored = again.get(one.code)
    assert restored is not None and restored.timer.paused_remaining_ms == 58_000
    assert not restored.seats["s1"].connected  # presence is not logged: nobody is connected after a restart
    assert seat_view(restored, "s1", 5_000)["team"]["plan"] == {"acme-sso": {"decision": "build", "by": "s1"}}
    assert again.seat_for_token(token) == (one.code, "s2")
    assert again.host_ok(one.code, one.host_secret)
    again.close()


def test_only_accepted_changes_are_logged(tmp_path: Path, scenario) -> None:
    db = tmp_path / "curb.db"
    store = SqliteStore(db)
    code = store.create(scenario, Settings(teams=1, round_seconds=60), 0).code
    play_some(store, code)
    with pytest.raises(CommandRejected):
        store.update(code, Act("s1", c.SetCard(card="export", decision=Decision.NO), "e9", 5_000))
    store.update(code, Act("s2", c.Lock(), "e2", 5_000))  # a duplicate
    store.update(code, Act(SYSTEM, c.Tick(), "", 5_000))  # nothing to do
    store.close()
    rows = sqlite3.connect(db).execute("SELECT seq, actor, command_id FROM commands ORDER BY seq").fetchall()
    assert rows == [
        (1, "", "j1"),
        (2, "", "j2"),
        (3, "host", "h1"),
        (4, "s1", "e1"),
        (5, "s2", "e2"),
        (6, "host", "h2"),
    ]
    mode = sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()
    assert mode == ("wal",)


def test_tokens_and_secrets(scenario) -> None:
    store = MemoryStore()
    one = store.create(scenario, Settings(teams=1), 0)
    two = store.create(scenario, Settings(teams=1), 0)
    assert all(len(x.code) == 5 and set(x.code) <= set(CODE_ALPHABET) for x in (one, two))
    store.update(one.code, Act("", c.Join(name="Ann"), "j", 0))
    store.update(two.code, Act("", c.Join(name="Bob"), "j", 0))
    token = store.seat_token(one.code, "s1")
    assert store.seat_for_token(token) == (one.code, "s1")
    code, seat, mac = token.split(".")
    assert store.seat_for_token(f"{two.code}.{seat}.{mac}") is None  # another session's key
    assert store.seat_for_token(f"{code}.s2.{mac}") is None
    flipped = mac[:-1] + ("B" if mac[-1] == "A" else "A")
    assert store.seat_for_token(f"{code}.{seat}.{flipped}") is None
    assert store.seat_for_token("garbage") is None
    assert store.host_ok(one.code, one.host_secret) and not store.host_ok(one.code, two.host_secret)
    assert not store.host_ok("NOPE1", one.host_secret)
    assert len(one.host_secret) >= 32  # 256 bits, url-safe
    with pytest.raises(UnknownSession):
        store.update("NOPE1", Act(HOST, c.Start(), "x", 0))


def test_a_logged_change_these_rules_refuse_is_skipped_on_replay(
    tmp_path: Path, scenario, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """An upgrade that tightens a rule (a smaller rush limit) never leaves a saved game unloadable."""
    import game.session.plans

    db = tmp_path / "curb.db"
    store = SqliteStore(db)
    code = store.create(scenario, Settings(teams=1, round_seconds=60), 500).code
    play_some(store, code)  # Ann builds acme-sso, the team locks, the facilitator pauses
    store.close()

    monkeypatch.setattr(game.session.plans, "build_limit", lambda capacity: 0)  # nothing fits any more
    with caplog.at_level("WARNING"):
        again = SqliteStore(db)
        restored = again.get(code)
    assert restored is not None
    assert restored.teams["t1"].plan == {}  # the Build that no longer fits is not there...
    assert restored.teams["t1"].locked and restored.timer.paused_remaining_ms == 58_000  # ...the rest is
    assert "no longer allowed by these rules, skipped on replay" in caplog.text
    again.close()
