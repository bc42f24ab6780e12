"""The rush limit over the wire and on disk: a Build that does not fit is refused with its reason
and nobody is told of a change; the order builds were chosen in survives a restart."""

from __future__ import annotations

from pathlib import Path

from game.model import Decision
from game.session import HOST, Act, Settings
from game.session import commands as c
from game.sim.rules import build_limit
from game.store import SqliteStore
from game.views.live import seat_view
from tests.conftest import tight_scenario
from tests.server.conftest import Server

CAPACITY = 5
LIMIT = build_limit(CAPACITY)


def test_a_build_that_does_not_fit_is_refused_over_the_socket() -> None:
    server = Server(tight_scenario((LIMIT - 1, 3, 1), CAPACITY))
    host, created = server.host(teams=1)
    (ann, _), (bob, _) = (server.player(created["code"], name) for name in ("Ann", "Bob"))
    assert host.command("start")["ok"]
    assert ann.command("set_card", card="acme-sso", decision="build")["ok"]
    delta = bob.pushed("team:plan")[-1]
    assert delta["capacity"]["planned"] == LIMIT - 1 and delta["capacity"]["limit"] == LIMIT
    assert delta["capacity"]["no_room"] == {"export": 2}  # the phone can say so before anyone taps
    for client in (host, ann, bob):
        client.clear()

    refused = bob.command("set_card", card="export", decision="build")
    assert refused["ok"] is False
    assert refused["error"] == {
        "code": "no_room",
        "message": f"No room: 2 points over what the team can rush this round (limit {LIMIT}) "
        "— defer or say no to something",
    }
    assert ann.pushed() == [] and bob.pushed() == [] and host.pushed() == []  # nothing changed
    view = bob.emit("sync")["view"]
    assert view["team"]["plan"] == {"acme-sso": {"decision": "build", "by": "s1"}}

    assert bob.command("set_card", card="polish", decision="build")["ok"]  # 1 point still fits
    assert ann.pushed("team:plan")[-1]["capacity"]["order"] == ["acme-sso", "polish"]
    assert ann.command("lock")["ok"]


def test_the_build_order_survives_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "curb.db"
    store = SqliteStore(db)
    code = store.create(tight_scenario((1, 1, 1), CAPACITY), Settings(teams=1), 0).code
    store.update(code, Act("", c.Join(name="Ann"), "j1", 10))
    store.update(code, Act(HOST, c.Start(), "h1", 20))
    steps = [("export", Decision.BUILD), ("polish", Decision.BUILD), ("acme-sso", Decision.BUILD)]
    steps += [("export", Decision.NO), ("export", Decision.BUILD)]  # export goes to the end
    for i, (card, decision) in enumerate(steps):
        store.update(code, Act("s1", c.SetCard(card=card, decision=decision), f"e{i}", 30 + i))
    want = ["polish", "acme-sso", "export"]
    live = store.get(code)
    assert live is not None and list(live.teams["t1"].plan) == want
    store.close()

    again = SqliteStore(db)
    restored = again.get(code)
    assert restored is not None
    assert list(restored.teams["t1"].plan) == want  # dicts compare equal in any order: check the list
    assert seat_view(restored, "s1", 100)["team"]["capacity"]["order"] == want
    again.close()
