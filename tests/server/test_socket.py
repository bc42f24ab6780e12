"""The socket protocol through Flask-SocketIO test clients: several facilitators, teams and seats."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from tests.server.conftest import Server


def started(server: Server, teams: int = 2, people: int = 4, **settings: Any):
    host, created = server.host(teams=teams, **settings)
    code = created["code"]
    players = [server.player(code, f"P{i}") for i in range(people)]
    assert host.command("start")["ok"]
    return host, created, players


def test_create_join_and_views(server: Server) -> None:
    host, created = server.host(teams=2, round_seconds=0, seed=3)
    code = created["code"]
    assert created["view"]["phase"] == "lobby" and created["view"]["settings"]["seed"] == 3
    assert f"/join/{code}?k=" in created["links"]["join"]  # the QR code's link carries the join key
    assert len(created["secret"]) >= 32
    _ann, joined = server.player(code, "Ann")
    assert joined["seat"] == "s1" and joined["token"].startswith(f"{code}.s1.")
    view = joined["view"]
    assert view["you"] == {
        "id": "s1",
        "name": "Ann",
        "team": "t1",
        "roles": ["sales", "product", "engineering"],
    }
    assert [t["id"] for t in view["teams"]] == ["t1", "t2"]
    assert host.pushed("host:view")  # the lobby fills on the facilitator's screen
    members = host.pushed("host:team")[-1]["team"]["members"]
    assert members == [
        {"id": "s1", "name": "Ann", "roles": ["sales", "product", "engineering"], "connected": True}
    ]


def test_plan_edits_reach_only_the_team_and_a_summary_reaches_the_host(server: Server) -> None:
    host, _, players = started(server)
    (a1, _), (b1, _), (a2, _), (b2, _) = players  # balanced: t1, t2, t1, t2
    for c in (host, a1, a2, b1, b2):
        c.clear()
    ack = a1.command("set_card", card="acme-sso", decision="build")
    assert ack["ok"] and not ack["duplicate"]
    plan = a2.pushed("team:plan")[-1]
    assert plan["plan"] == {"acme-sso": {"decision": "build", "by": "s1"}}
    assert (plan["capacity"]["used"], plan["capacity"]["available"]) == (3, 5)
    assert plan["capacity"]["order"] == ["acme-sso"]
    assert b1.pushed() == [] and b2.pushed() == []
    summary = host.pushed("host:team")[-1]["team"]
    assert "order" not in summary["capacity"] and "no_room" not in summary["capacity"]
    assert summary["id"] == "t1" and summary["decided"] == 1 and "plan" not in summary
    a2.command("lock")
    assert b2.command("set_card", card="acme-sso", decision="no")["ok"]
    for c in (b1, b2):
        assert "acme-sso" not in json.dumps([d for d in c.pushed() if d and d.get("team") == "t1"])
    assert a1.command("set_card", card="export", decision="no")["error"]["code"] == "locked"


def test_phase_rules_and_roles_over_the_wire(server: Server) -> None:
    host, created = server.host(teams=1)
    ann, _ = server.player(created["code"], "Ann")
    assert ann.command("start")["error"]["code"] == "forbidden"
    assert ann.command("lock")["error"]["code"] == "wrong_phase"
    assert host.command("close")["error"]["code"] == "wrong_phase"
    assert host.command("lock")["error"]["code"] == "forbidden"
    rev = host.emit("sync")["view"]["rev"]
    assert host.command("start")["ok"]
    assert host.emit("sync")["view"]["rev"] == rev + 1


@pytest.mark.parametrize(
    "event,args",
    [
        ("command", ()),
        ("command", ("lock",)),
        ("command", ({"id": "x", "type": "lock"}, "extra")),
        ("command", ({"id": "x", "type": "set_card", "card": "acme-sso", "decision": "BUILD"},)),
        (
            "command",
            ({"id": "x", "type": "set_card", "card": "acme-sso", "decision": "build", "team": "t2"},),
        ),
        ("command", ({"id": "x" * 500, "type": "lock"},)),
        ("command", ({"id": "x", "type": "__class__"},)),
        ("player:join", ({"id": "j", "code": "ZZZZZ", "name": "A"},)),
        ("player:join", ({"id": "j", "code": 5, "name": "A"},)),
        ("player:join", ({"id": "j", "code": "ABCDE", "name": "A" * 41},)),
        ("player:resume", ({"token": "nope"},)),
        ("player:resume", ({"token": ["x"]},)),
        ("host:attach", ({"code": "ABCDE"},)),
        ("host:create", ({"scenario": "../../etc/passwd"},)),
        ("host:create", ({"scenario": "tiny", "teams": -1},)),
        ("host:create", ({"scenario": "nope"},)),
    ],
)
def test_bad_input_is_answered_and_changes_nothing(server: Server, event: str, args: tuple[Any, ...]) -> None:
    host, _, players = started(server, teams=1, people=1)
    player = players[0][0]
    rev = host.emit("sync")["view"]["rev"]
    ack = player.emit(event, *args)
    assert ack["ok"] is False and set(ack["error"]) == {"code", "message"}
    assert ack["error"]["code"] in {
        "bad_request",
        "not_found",
        "unauthorized",
        "forbidden",
        "unknown_command",
    }
    assert host.emit("sync")["view"]["rev"] == rev
    assert player.emit("sync")["ok"]


def test_commands_need_a_bound_connection(server: Server) -> None:
    stranger = server.client()
    assert stranger.command("lock")["error"]["code"] == "not_joined"
    assert stranger.emit("sync")["error"]["code"] == "not_joined"


def test_a_repeated_command_id_is_acknowledged_but_applied_once(server: Server) -> None:
    _host, _, players = started(server, teams=1, people=2)
    (ann, _), (bob, _) = players
    assert ann.command("lock", cid="lock-1")["ok"]
    assert bob.command("unlock")["ok"]
    again = ann.command("lock", cid="lock-1")
    assert again == {"ok": True, "rev": again["rev"], "duplicate": True}
    assert not ann.emit("sync")["view"]["team"]["locked"]


def test_a_phone_that_drops_comes_back_to_the_same_seat(server: Server) -> None:
    host, _created, players = started(server, teams=1, people=2)
    (ann, joined), (bob, _) = players
    ann.command("set_card", card="export", decision="build")
    ann.command("lock")
    host.clear()
    ann.disconnect()
    away = host.pushed("host:team")[-1]["team"]["members"]
    assert [m["connected"] for m in away] == [False, True]
    assert bob.pushed("team:members")[-1]["members"][0]["connected"] is False
    again = server.client()
    back = again.emit("player:resume", {"token": joined["token"]})
    assert back["ok"] and back["seat"] == "s1"
    view = back["view"]
    assert view["you"]["name"] == "P0" and view["you"]["roles"] == ["sales", "engineering"]
    assert view["team"]["plan"] == {"export": {"decision": "build", "by": "s1"}} and view["team"]["locked"]
    assert view["phase"] == "round_open"
    assert host.pushed("host:team")[-1]["team"]["members"][0]["connected"] is True
    assert again.command("unlock")["ok"]


def test_a_removed_seat_cannot_come_back(server: Server) -> None:
    host, _, players = started(server, teams=1, people=2)
    (ann, joined), _ = players
    assert host.command("remove_player", seat="s1")["ok"]
    assert ann.pushed("seat:removed") == [{"code": joined["code"], "seat": "s1"}]
    assert ann.command("lock")["error"]["code"] == "not_joined"
    again = server.client()
    assert again.emit("player:resume", {"token": joined["token"]})["error"]["code"] == "removed"


def test_the_facilitator_reattaches_from_another_device(server: Server) -> None:
    host, created, players = started(server, teams=1, people=1)
    laptop = server.client()
    assert (
        laptop.emit("host:attach", {"code": created["code"], "secret": "wrong"})["error"]["code"]
        == "unauthorized"
    )
    player_token = players[0][1]["token"]
    assert laptop.emit("host:attach", {"code": created["code"], "secret": player_token})["ok"] is False
    ack = laptop.emit("host:attach", {"code": created["code"].lower(), "secret": created["secret"]})
    assert ack["ok"] and ack["view"]["phase"] == "round_open"
    assert laptop.command("close")["ok"]
    assert host.pushed("host:view")[-1]["phase"] == "round_closed"


def test_the_clock_closes_the_round_and_everyone_is_told(server: Server) -> None:
    host, _, players = started(server, teams=1, people=1, round_seconds=30)
    ann = players[0][0]
    timer = ann.emit("sync")["view"]["timer"]
    assert timer["status"] == "running" and timer["remaining_ms"] == 30_000
    assert host.command("pause")["ok"]
    assert ann.pushed("timer")[-1]["status"] == "paused"
    host.command("resume")
    server.clock.now += 29_999
    server.hub.tick()
    assert ann.emit("sync")["view"]["phase"] == "round_open"
    server.clock.now += 1
    server.hub.tick()
    assert ann.pushed("seat:view")[-1]["phase"] == "round_closed"
    assert host.pushed("host:view")[-1]["phase"] == "round_closed"


def test_sessions_are_isolated(server: Server) -> None:
    host1, _, players1 = started(server, teams=1, people=1)
    host2, created2, players2 = started(server, teams=1, people=1)
    for c in (host1, players1[0][0]):
        c.clear()
    players2[0][0].command("set_card", card="acme-sso", decision="build")
    host2.command("close")
    assert host1.pushed() == [] and players1[0][0].pushed() == []
    assert players1[0][0].emit("host:attach", {"code": created2["code"], "secret": "x"})["ok"] is False


def test_a_whole_game_with_bots_and_the_debrief(server: Server) -> None:
    host, created = server.host(teams=2)
    host.command("add_bot", strategy="balanced")
    ann, _ = server.player(created["code"], "Ann")
    _bob, _ = server.player(created["code"], "Bob")
    assert ann.emit("debrief")["error"]["code"] == "wrong_phase"
    host.command("start")
    for _ in range(3):
        ann.command("set_card", card=ann.emit("sync")["view"]["cards"][-1]["id"], decision="build")
        for step in ("close", "reveal", "next"):
            assert host.command(step)["ok"], step
    assert ann.pushed("seat:view")[-1]["phase"] == "debrief"
    mine = ann.emit("debrief")["debrief"]
    assert [t["id"] for t in mine["teams"]] == ["t1"]
    everything = host.emit("debrief")["debrief"]
    assert [t["id"] for t in everything["teams"]] == ["t1", "t2", "t3"]
    assert everything["teams"][2]["bot"] == "balanced"


def test_a_rooms_debrief_is_built_once_per_team_however_many_phones_ask(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At the end of a big game every phone asks at once; each team's debrief is built once."""
    import game.web.debriefs as debriefs

    built: list[str | None] = []
    real = getattr(debriefs, "debrief")  # noqa: B009 - the name the monkeypatch replaces

    def counting(state: Any, team: str | None = None, games: Any = None) -> Any:
        built.append(team)
        return real(state, team, games)

    monkeypatch.setattr(debriefs, "debrief", counting)
    host, created = server.host(teams=2)
    phones = [server.player(created["code"], name)[0] for name in ("Ann", "Bob", "Cy", "Di")]
    host.command("start")
    assert host.command("end")["ok"]
    answers = [p.emit("debrief")["debrief"] for p in phones * 3]
    assert sorted(built, key=str) == ["t1", "t2"]
    assert {a["teams"][0]["id"] for a in answers} == {"t1", "t2"}
    host.emit("debrief")
    host.emit("debrief")
    assert built.count(None) == 1
    state = server.hub.state(created["code"])
    changed = dataclasses.replace(state, ended_early=not state.ended_early)
    assert server.hub.debriefs.of(changed, None) is not server.hub.debriefs.of(state, None)
    assert built.count(None) == 3  # a changed state is built anew (and the old one again)
    # ...from the same replayed games: the scenario and seed did not change, so nothing is replayed
    games = server.hub.debriefs.games(state)
    assert server.hub.debriefs.games(changed) is games
    assert games.team(state.teams["t1"]) is games.team(changed.teams["t1"])


def test_the_reveal_reaches_a_room_lean_and_a_phone_fetches_its_causes(server: Server) -> None:
    """Each figure's causes would double a big room's reveal: the room gets the figures and the story,
    and a phone whose player taps a figure asks for its own full view."""
    host, _, players = started(server, teams=1, people=2)
    ann = players[0][0]
    ann.command("set_card", card=ann.emit("sync")["view"]["cards"][-1]["id"], decision="build")
    for step in ("close", "reveal"):
        assert host.command(step)["ok"], step
    pushed = ann.pushed("seat:view")[-1]
    assert pushed["phase"] == "revealed"
    outcome = pushed["team"]["outcome"]
    assert outcome["lines"] and outcome["after"] and "causes" not in outcome
    full = ann.emit("sync")["view"]["team"]["outcome"]
    assert set(full["causes"]) == {"arr", "customer_value", "tech_debt", "cash", "capacity"}
    assert full["decisions"]
