"""The lobby's team sizes stay current on every phone: a phone in another team hears when someone
joins, moves, leaves or renames a team (issue 10: "Move to Team 2 (1 person)" when it had two)."""

from __future__ import annotations

from typing import Any

from tests.server.conftest import Server


def sizes(message: dict[str, Any]) -> dict[str, int]:
    return {t["name"]: t["size"] for t in message["teams"]}


def test_every_phone_hears_the_other_teams_sizes(server: Server) -> None:
    host, created = server.host(teams=2)
    code = created["code"]
    ann, joined = server.player(code, "Ann", team="t1")
    assert {t["id"]: t["size"] for t in joined["view"]["teams"]} == {"t1": 1, "t2": 0}
    ann.clear()
    bob, _ = server.player(code, "Bob", team="t2")
    cat, _ = server.player(code, "Cat", team="t2")
    assert sizes(ann.pushed("lobby:teams")[-1]) == {"Team 1": 1, "Team 2": 2}
    assert ann.emit("sync", {})["view"]["teams"] == ann.pushed("lobby:teams")[-1]["teams"]

    assert cat.command("choose_team", team="t1")["ok"]
    assert sizes(bob.pushed("lobby:teams")[-1]) == {"Team 1": 2, "Team 2": 1}
    assert host.command("remove_player", seat="s1")["ok"]
    assert sizes(bob.pushed("lobby:teams")[-1]) == {"Team 1": 1, "Team 2": 1}
    assert cat.command("rename_my_team", name="Rockets")["ok"]
    assert sizes(bob.pushed("lobby:teams")[-1]) == {"Rockets": 1, "Team 2": 1}
    last = bob.pushed("lobby:teams")[-1]
    state = server.hub.state(code)
    assert last["rev"] == state.rev

    bob.clear()
    assert host.command("start")["ok"]
    assert bob.pushed("lobby:teams") == []  # the game has started: no lobby to keep current


def test_a_big_lobby_gathers_the_sizes_and_the_last_word_arrives(scenario) -> None:
    server = Server(scenario, host_coalesce_seats=3, host_interval=0.05)
    _, created = server.host(teams=2)
    code = created["code"]
    first, _ = server.player(code, "P0", team="t1")
    server.player(code, "P1", team="t2")
    first.clear()
    for i in range(2, 9):
        server.player(code, f"P{i}", team="t2")
    server.sio.sleep(0.3)
    got = first.pushed("lobby:teams")
    assert 1 <= len(got) < 7  # fewer messages than joins ...
    assert sizes(got[-1]) == {"Team 1": 1, "Team 2": 8}  # ... and the last one counts everyone


def test_a_hall_too_big_to_list_tells_phones_once_and_then_sends_them_nothing(server: Server) -> None:
    """Past 12 teams a phone lists no teams to move to: joins stop costing every phone every team."""
    _, created = server.host(teams=0)  # teams fill automatically as people join
    code = created["code"]
    first, joined = server.player(code, "P0")
    assert joined["view"]["teams_listed"] is True
    n = 1
    while len(server.hub.state(code).human_teams()) <= 12:
        server.player(code, f"P{n}")
        n += 1
    said = first.pushed("lobby:teams")
    assert said[-1]["listed"] is False and said[-1]["teams"] == []  # told once that the list is gone
    assert all(m["listed"] for m in said[:-1]) and len(said[-2]["teams"]) == 12
    late, joined = server.player(code, "Late")
    assert joined["view"]["teams_listed"] is False and joined["view"]["teams"] == []
    while len(server.hub.state(code).human_teams()) <= 13:  # while the 13th team fills, it is said again
        server.player(code, f"P{n}")
        n += 1
    first.clear()
    for i in range(5):
        server.player(code, f"Q{i}")
    assert first.pushed("lobby:teams") == []  # then nothing more: no list to keep current
    assert late.emit("sync", {})["view"]["teams_listed"] is False
