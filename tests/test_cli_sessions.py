"""`curb-appeal sessions`: an operator sees what is kept and deletes old games, never a live one."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from game.cli import main
from game.session import HOST, Act, Settings
from game.session import commands as c
from game.store import SqliteStore

DAY = 86_400_000


def kept_games(db: Path, scenario) -> dict[str, str]:
    """Three games: one from 40 days ago (debriefed), one from 3 days ago, one going on now."""
    store = SqliteStore(db)
    now = int(time.time() * 1000)
    codes = {}
    for label, at in (("old", now - 40 * DAY), ("recent", now - 3 * DAY), ("live", now - 60_000)):
        code = store.create(scenario, Settings(teams=1, seed=2), at).code
        store.update(code, Act("", c.Join(name="Ann"), "j", at + 1))
        store.update(code, Act("", c.Join(name="Bob"), "k", at + 2))
        store.update(code, Act(HOST, c.Start(), "s", at + 3))
        codes[label] = code
    for n, step in enumerate((c.Close(), c.Reveal(), c.Next()) * 3):
        store.update(codes["old"], Act(HOST, step, f"h{n}", now - 40 * DAY + 10 + n))
    store.close()
    return codes


def listed(db: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, dict[str, object]]:
    assert main(["sessions", "list", "--db", str(db), "--json"]) == 0
    return {row["code"]: row for row in json.loads(capsys.readouterr().out)["sessions"]}


def test_list_shows_every_kept_game_least_recently_used_first(
    tmp_path: Path, scenario, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "curb.db"
    codes = kept_games(db, scenario)
    rows = listed(db, capsys)
    assert list(rows) == [codes["old"], codes["recent"], codes["live"]]
    assert rows[codes["old"]]["phase"] == "debrief" and rows[codes["live"]]["phase"] == "round_open"
    assert rows[codes["live"]]["players"] == 2 and rows[codes["live"]]["round"] == 1
    assert main(["sessions", "list", "--db", str(db)]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[:3] == ["CODE", "SCENARIO", "CREATED"]
    assert table[1].startswith(codes["old"]) and "Tiny test start-up" in table[1] and "debrief" in table[1]


def test_prune_shows_first_and_deletes_only_with_yes(
    tmp_path: Path, scenario, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "curb.db"
    codes = kept_games(db, scenario)
    assert main(["sessions", "prune", "--idle-days", "30", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert codes["old"] in out and codes["recent"] not in out and "--yes" in out
    assert len(listed(db, capsys)) == 3  # a dry run deletes nothing
    assert main(["sessions", "prune", "--idle-days", "30", "--yes", "--db", str(db)]) == 0
    assert "deleted 1 session" in capsys.readouterr().out
    assert list(listed(db, capsys)) == [codes["recent"], codes["live"]]
    assert SqliteStore(db).get(codes["old"]) is None  # gone, with its log


def test_forget_deletes_named_games_but_refuses_a_live_or_unknown_one(
    tmp_path: Path, scenario, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "curb.db"
    codes = kept_games(db, scenario)
    assert main(["sessions", "forget", codes["recent"], codes["live"], "--yes", "--db", str(db)]) == 2
    assert f"{codes['live']} had a command in the last 6 hours" in capsys.readouterr().err
    assert main(["sessions", "forget", codes["recent"], "QQQQQ", "--yes", "--db", str(db)]) == 2
    assert "no stored session with code QQQQQ; nothing was deleted" in capsys.readouterr().err
    assert len(listed(db, capsys)) == 3
    assert main(["sessions", "forget", codes["recent"].lower(), "--yes", "--db", str(db)]) == 0
    assert "deleted 1 session(s)" in capsys.readouterr().out
    assert list(listed(db, capsys)) == [codes["old"], codes["live"]]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["sessions", "prune", "--idle-days", "0.5"], "--idle-days must be at least 1"),
        (["sessions", "list", "--db", "missing.db"], "no database at missing.db"),
        (
            ["sessions", "list", "--redis-url", "redis://127.0.0.1:9/0"],
            "cannot reach Redis at redis://127.0.0.1:9/0",
        ),
    ],
)
def test_bad_requests_change_nothing_and_say_why(
    tmp_path: Path, scenario, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    db = tmp_path / "curb.db"
    kept_games(db, scenario)
    if "--db" not in argv:
        argv = [*argv, "--db", str(db)]
    else:
        argv = [a if a != "missing.db" else str(tmp_path / "missing.db") for a in argv]
        message = message.replace("missing.db", str(tmp_path / "missing.db"))
    assert main(argv) == 2
    assert message in capsys.readouterr().err
    assert len(listed(db, capsys)) == 3
    assert not (tmp_path / "missing.db").exists()
