"""The same people, another game: from the debrief everyone lands in the next lobby, in the same team."""

from __future__ import annotations

from typing import Any

from tests.server.conftest import Client, Server


def debriefed(server: Server) -> tuple[Client, dict[str, Any], dict[str, tuple[Client, dict[str, Any]]]]:
    host, created = server.host(teams=2)
    code = created["code"]
    host.command("add_bot", strategy="product-first")
    people = {
        name: server.player(code, name, team) for name, team in (("Ann", "t1"), ("Bob", "t1"), ("Cy", "t2"))
    }
    host.command("rename_team", team="t1", name="Northwind")
    host.command("set_joining", open=False)
    host.command("start")
    host.command("end")
    return host, created, people


def test_everyone_lands_in_the_next_lobby_in_the_same_team_and_role(server: Server) -> None:
    host, created, people = debriefed(server)
    ann, _ = people["Ann"]
    cy, cy_joined = people["Cy"]
    cy.disconnect()  # away when the facilitator moves on
    ann_roles = ann.emit("sync")["view"]["you"]["roles"]
    ann.clear()
    went = host.emit("host:next_game", {"scenario": "tiny"})
    assert went["ok"], went
    new = went["code"]
    assert new != created["code"] and went["view"]["phase"] == "lobby"
    teams = {t["name"]: [m["name"] for m in t["members"]] for t in went["view"]["teams"]}
    assert teams == {"Northwind": ["Ann", "Bob"], "Team 2": ["Cy"], "Bot 3 (product-first)": []}
    assert went["view"]["joining_open"] is False  # the door as it was
    # Ann's phone is told, on its own connection, where its seat is now.
    told = ann.pushed("seat:next")
    assert len(told) == 1 and told[0]["code"] == new
    again = server.client().emit("player:resume", {"token": told[0]["token"]})
    assert again["ok"] and again["code"] == new
    assert again["view"]["you"]["name"] == "Ann" and again["view"]["you"]["roles"] == ann_roles
    assert again["view"]["team"]["name"] == "Northwind"
    # Cy was away: the old token still resumes the old seat, and the answer says where to go.
    back = server.client().emit("player:resume", {"token": cy_joined["token"]})
    assert back["ok"] and back["view"]["next_game"] == new and back["next"]["code"] == new
    moved = server.client().emit("player:resume", {"token": back["next"]["token"]})
    assert moved["ok"] and moved["view"]["you"]["name"] == "Cy" and moved["view"]["team"]["name"] == "Team 2"
    # The facilitator's key opens the new game too; asking again finds the same game.
    laptop = server.client()
    assert laptop.emit("host:attach", {"code": new, "secret": created["secret"]})["ok"]
    old_host = server.client()
    assert old_host.emit("host:attach", {"code": created["code"], "secret": created["secret"]})["ok"]
    assert old_host.emit("host:next_game", {})["code"] == new
    assert len(server.hub.store.codes()) == 2


def test_only_the_facilitator_and_only_from_the_debrief(server: Server) -> None:
    host, created = server.host(teams=1)
    ann, _ = server.player(created["code"], "Ann")
    host.command("start")
    assert host.emit("host:next_game", {})["error"]["code"] == "wrong_phase"
    host.command("end")
    assert ann.emit("host:next_game", {})["error"]["code"] == "forbidden"
    assert server.client().emit("host:next_game", {})["error"]["code"] == "not_joined"
    assert host.emit("host:next_game", {"scenario": "nope"})["error"]["code"] == "not_found"
    assert host.emit("host:next_game", {"teams": "x"})["error"]["code"] == "bad_request"
    assert len(server.hub.store.codes()) == 1  # nothing was made


def test_the_way_to_the_next_game_survives_a_restart(tmp_path, scenario) -> None:
    db = str(tmp_path / "curb.db")
    first = Server(scenario, db=db)
    host, created, people = debriefed(first)
    went = host.emit("host:next_game", {})
    _, bob_joined = people["Bob"]
    again = Server(scenario, db=db)
    back = again.client().emit("player:resume", {"token": bob_joined["token"]})
    assert back["ok"] and back["next"]["code"] == went["code"]
    there = again.client().emit("player:resume", {"token": back["next"]["token"]})
    assert (
        there["ok"] and there["view"]["you"]["name"] == "Bob" and there["view"]["team"]["name"] == "Northwind"
    )
    before, after = first.hub.store.get(created["code"]), again.hub.store.get(created["code"])
    assert before is not None and after is not None
    assert (after.next_code, after.next_seats, after.rev) == (before.next_code, before.next_seats, before.rev)
