"""Idle sessions rest out of memory and wake whole: the log keeps them, so nothing is lost."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from game.model import Decision
from game.session import HOST, Act, Phase, Settings
from game.session import commands as c
from game.store import MemoryStore, SqliteStore

HOUR = 3_600_000


def a_game(store: SqliteStore | MemoryStore, scenario, at: int, seconds: int = 0) -> str:
    code = store.create(scenario, Settings(teams=1, round_seconds=seconds, seed=4), at).code
    store.update(code, Act("", c.Join(name="Ann"), "j1", at + 1))
    store.update(code, Act(HOST, c.Start(), "h1", at + 2))
    store.update(code, Act("s1", c.SetCard(card="acme-sso", decision=Decision.BUILD), "e1", at + 3))
    return code


def test_an_idle_session_rests_and_wakes_exactly_as_it_was(tmp_path: Path, scenario) -> None:
    store = SqliteStore(tmp_path / "curb.db")
    old = a_game(store, scenario, 0)
    new = a_game(store, scenario, 10 * HOUR, seconds=60)
    token = store.seat_token(old, "s1")
    before = store.get(old)
    assert store.rest(idle_since_ms=5 * HOUR) == [old]
    assert store.awake() == [new] and sorted(store.codes()) == sorted([old, new])
    assert store.due(10**15) == [new]  # only what is in memory is ticked
    # Naming the code in any way wakes it: a phone's token, the facilitator's secret, a command.
    assert store.seat_for_token(token) == (old, "s1")
    assert store.get(old) == before and sorted(store.awake()) == sorted([old, new])
    assert store.rest(idle_since_ms=5 * HOUR) == [old]
    done = store.update(old, Act("s1", c.SetCard(card="export", decision=Decision.NO), "e2", 11 * HOUR))
    assert done.state.teams["t1"].plan["export"].decision is Decision.NO
    assert done.state.teams["t1"].plan["acme-sso"].decision is Decision.BUILD
    assert store.rest(idle_since_ms=5 * HOUR) == []  # touched again: awake
    store.close()
    seqs = sqlite3.connect(tmp_path / "curb.db").execute(
        "SELECT seq FROM commands WHERE code = ? ORDER BY seq", (old,)
    )
    assert [s for (s,) in seqs] == [1, 2, 3, 4]  # one log, no gap, nothing twice


def test_a_writer_holding_a_copy_that_went_to_rest_writes_to_the_woken_one(tmp_path: Path, scenario) -> None:
    store = SqliteStore(tmp_path / "curb.db")
    code = a_game(store, scenario, 0)
    copy = store._live[code]
    with copy.lock:  # a command in flight: the session is busy, so it stays
        assert store.rest(idle_since_ms=HOUR) == []
    assert store.rest(idle_since_ms=HOUR) == [code] and copy.gone
    # A command that had found the old copy before it went still lands once, in order.
    store.update(code, Act("s1", c.Lock(), "l1", 2 * HOUR))
    assert store.get(code).teams["t1"].locked  # type: ignore[union-attr]
    assert SqliteStore(tmp_path / "curb.db").get(code) == store.get(code)


def test_many_phones_waking_one_session_at_once_get_one_copy(tmp_path: Path, scenario) -> None:
    store = SqliteStore(tmp_path / "curb.db")
    code = a_game(store, scenario, 0)
    store.rest(idle_since_ms=HOUR)
    seen = []
    threads = [threading.Thread(target=lambda: seen.append(store.get(code))) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 16 and all(s is seen[0] for s in seen)


def test_a_restarted_server_reads_back_only_recent_sessions(tmp_path: Path, scenario) -> None:
    db = tmp_path / "curb.db"
    first = SqliteStore(db)
    last_month = a_game(first, scenario, 0)
    today = a_game(first, scenario, 720 * HOUR)
    first.close()
    again = SqliteStore(db, awake_since_ms=700 * HOUR)
    assert again.awake() == [today]
    state = again.get(last_month)  # a phone from last month comes back: the game is all there
    assert state is not None and state.phase is Phase.ROUND_OPEN
    assert state.teams["t1"].plan["acme-sso"].decision is Decision.BUILD
    listing = SqliteStore(db, awake_since_ms=None)  # `curb-appeal sessions` reads without waking
    assert listing.awake() == [] and sorted(listing.codes()) == sorted([last_month, today])


def test_sessions_only_in_memory_never_rest(scenario) -> None:
    store = MemoryStore()
    code = a_game(store, scenario, 0)
    assert store.rest(idle_since_ms=10**15) == []
    assert store.get(code) is not None
