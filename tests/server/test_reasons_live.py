"""The team's reasons over real sockets: teammates get them live, other teams never; a seat's reasons
are paced like its other edits; the SQLite command log brings them back after a crash."""

from __future__ import annotations

import json
from pathlib import Path

from game.session import HOST, Act, Settings
from game.session import commands as c
from game.store import SqliteStore
from game.views.live import host_view, seat_view
from tests.server.conftest import Server

WHY = "They'll sign 40 seats this quarter"


def test_teammates_get_a_reason_live_and_other_teams_never(server: Server) -> None:
    host, created = server.host(teams=2)
    code = created["code"]
    ann, _ = server.player(code, "Ann", team="t1")
    bob, _ = server.player(code, "Bob", team="t1")
    cat, _ = server.player(code, "Cat", team="t2")
    assert host.command("start")["ok"]
    for phone in (ann, bob, cat, host):
        phone.clear()
    assert ann.command("set_reason", card="acme-sso", text=WHY)["ok"]
    plans = bob.pushed("team:plan")
    assert plans and plans[-1]["reasons"] == {"acme-sso": {"text": WHY, "by": "s1"}}
    assert WHY not in json.dumps(cat.pushed()) and WHY not in json.dumps(host.pushed())
    refused = bob.command("set_reason", card="acme-sso", text="x" * 141)
    assert refused["error"]["code"] == "bad_request"
    assert bob.emit("sync", {})["view"]["team"]["reasons"]["acme-sso"]["text"] == WHY


def test_reasons_are_paced_like_every_other_edit(scenario) -> None:
    from game.web.limits import Limits, Rate

    server = Server(scenario, limits=Limits(commands=Rate(10, 60_000)))
    host, created = server.host(teams=1)
    ann, _ = server.player(created["code"], "Ann")
    assert host.command("start")["ok"]
    answers = [ann.command("set_reason", card="acme-sso", text=f"reason number {i}") for i in range(15)]
    refused = [a for a in answers if not a["ok"]]
    assert refused and all(a["error"]["code"] == "rate_limited" for a in refused)
    state = server.hub.state(created["code"])
    kept = state.teams["t1"].reasons["acme-sso"].text
    assert kept == f"reason number {sum(1 for a in answers if a['ok']) - 1}"  # the last one let through


def test_the_command_log_brings_reasons_back_after_a_crash(tmp_path: Path, scenario) -> None:
    db = tmp_path / "curb.db"
    store = SqliteStore(db)
    code = store.create(scenario, Settings(teams=1, seed=5), 0).code
    for act in (
        Act("", c.Join(name="Ann"), "j1", 1_000),
        Act(HOST, c.Start(), "h1", 2_000),
        Act("s1", c.SetReason(card="acme-sso", text=WHY), "r1", 3_000),
        Act("s1", c.SetReason(card="export", text="Nobody uses exports"), "r2", 3_100),
        Act(HOST, c.Close(), "h2", 4_000),
        Act(HOST, c.Reveal(), "h3", 4_100),
        Act(HOST, c.HideReason(team="t1", in_round=0, card="export", hidden=True), "h4", 4_200),
    ):
        store.update(code, act)
    before = store.get(code)
    del store  # no close: as if the process were killed

    again = SqliteStore(db)
    restored = again.get(code)
    assert restored is not None and before is not None
    assert restored.teams["t1"].past_reasons == before.teams["t1"].past_reasons
    shown = host_view(restored, 5_000)["teams"][0]["outcome"]["reasons"]
    assert [(r["text"], r["off_projector"]) for r in shown] == [(WHY, False), ("", True)]
    assert [r["text"] for r in seat_view(restored, "s1", 5_000)["team"]["outcome"]["reasons"]] == [
        WHY,
        "Nobody uses exports",
    ]
    again.close()
