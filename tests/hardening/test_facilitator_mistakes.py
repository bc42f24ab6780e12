"""Facilitator mistakes, over the socket protocol: closing the tab, opening the host screen twice,
double-clicking the round buttons, refreshing during the reveal, racing the clock."""

from __future__ import annotations

from typing import Any

from tests.server.conftest import Client, Server


def game(server: Server, people: int = 2, **settings: Any) -> tuple[Client, dict[str, Any], list[Client]]:
    host, created = server.host(teams=1, **settings)
    players = [server.player(created["code"], f"P{i}")[0] for i in range(people)]
    assert host.command("start")["ok"]
    return host, created, players


def second_screen(server: Server, created: dict[str, Any]) -> Client:
    laptop = server.client()
    ack = laptop.emit("host:attach", {"code": created["code"], "secret": created["secret"]})
    assert ack["ok"], ack
    return laptop


def test_two_host_screens_both_follow_the_game(server: Server) -> None:
    host, created, (ann, _bob) = game(server)
    laptop = second_screen(server, created)
    for screen in (host, laptop):
        screen.clear()
    assert ann.command("set_card", card="acme-sso", decision="build")["ok"]
    assert host.pushed("host:team")[-1]["team"]["decided"] == 1
    assert laptop.pushed("host:team")[-1]["team"]["decided"] == 1
    assert laptop.command("close", round=0)["ok"]  # either screen may drive
    assert host.pushed("host:view")[-1]["phase"] == "round_closed"
    assert laptop.pushed("host:view")[-1]["phase"] == "round_closed"
    assert host.emit("sync")["view"] == laptop.emit("sync")["view"]


def test_both_screens_press_reveal_at_once(server: Server) -> None:
    host, created, (ann, _) = game(server)
    laptop = second_screen(server, created)
    assert host.command("close", round=0)["ok"]
    ann.clear()
    first = host.command("reveal", round=0)
    second = laptop.command("reveal", round=0)
    assert first == {"ok": True, "rev": first["rev"], "duplicate": False}
    assert second == {"ok": True, "rev": first["rev"], "duplicate": True}  # already done: nothing happens
    assert [v["phase"] for v in ann.pushed("seat:view")] == ["revealed"]  # the phones saw one reveal


def test_a_double_click_on_reveal_without_the_round_is_answered_clearly(server: Server) -> None:
    host, _created, _ = game(server)
    host.command("close")
    assert host.command("reveal")["ok"]
    again = host.command("reveal")
    assert again["error"]["code"] == "wrong_phase"
    assert "already happened" in again["error"]["message"]


def test_a_double_click_on_next_moves_one_round_only(server: Server) -> None:
    host, _created, _ = game(server)
    host.command("close", round=0)
    host.command("reveal", round=0)
    rev = host.emit("sync")["view"]["rev"]
    assert host.command("next", round=0)["duplicate"] is False
    assert host.command("next", round=0) == {"ok": True, "rev": rev + 1, "duplicate": True}
    view = host.emit("sync")["view"]
    assert (view["phase"], view["round"]["index"], view["rev"]) == ("round_open", 1, rev + 1)
    # Without the round, a second next is refused (it would skip a round if it were not).
    host.command("close")
    host.command("reveal")
    host.command("next")
    assert host.command("next")["error"]["code"] == "wrong_phase"
    assert host.emit("sync")["view"]["round"]["index"] == 2


def test_a_stale_screen_cannot_close_the_next_round(server: Server) -> None:
    host, created, (ann, _) = game(server)
    laptop = second_screen(server, created)  # still showing round 1 (index 0) after the host moved on
    for step in ("close", "reveal", "next"):
        assert host.command(step, round=0)["ok"]
    assert ann.command("set_card", card="dark-mode", decision="build")["ok"]
    stale = laptop.command("close", round=0)
    assert stale["error"]["code"] == "stale" and "moved on" in stale["error"]["message"]
    assert laptop.command("pause", round=0)["error"]["code"] == "stale"
    assert laptop.command("end", round=0)["error"]["code"] == "stale"
    view = ann.emit("sync")["view"]
    assert view["phase"] == "round_open" and view["round"]["index"] == 1
    assert view["team"]["plan"]["dark-mode"]["decision"] == "build"


def test_the_clock_beats_the_close_button(server: Server) -> None:
    host, _created, (ann, _) = game(server, round_seconds=30)
    ann.command("set_card", card="export", decision="build")
    server.clock.now += 30_000  # time is up; the ticker has not run yet
    ack = host.command("close", round=0)
    assert ack["ok"] and ack["duplicate"] is False  # this command closed it (the clock's way)
    assert host.command("close", round=0)["duplicate"] is True
    server.hub.tick()
    state = server.hub.state(host.emit("sync")["view"]["code"])
    assert [len(t.outcomes) for t in state.teams.values()] == [1]  # resolved exactly once
    assert ann.emit("sync")["view"]["phase"] == "round_closed"


def test_closing_the_host_tab_mid_round_loses_nothing(server: Server) -> None:
    host, created, (ann, bob) = game(server, round_seconds=60)
    host.disconnect()
    assert ann.command("set_card", card="acme-sso", decision="build")["ok"]
    assert bob.command("lock")["ok"]
    server.clock.now += 60_000
    server.hub.tick()  # the clock keeps running without a facilitator
    assert ann.pushed("seat:view")[-1]["phase"] == "round_closed"
    back = server.client()
    ack = back.emit("host:attach", {"code": created["code"], "secret": created["secret"]})
    assert ack["ok"] and ack["view"]["phase"] == "round_closed"
    assert ack["view"]["teams"][0]["decided"] == 1 and ack["view"]["teams"][0]["locked"]
    assert back.command("reveal", round=0)["ok"]


def test_refreshing_during_the_reveal_shows_the_same_reveal(server: Server) -> None:
    host, created, (ann, _) = game(server)
    ann.command("set_card", card="acme-sso", decision="build")
    host.command("close", round=0)
    host.command("reveal", round=0)
    shown = host.emit("sync")["view"]
    phone = ann.emit("sync")["view"]
    host.disconnect()  # the refresh: the page goes away and comes back
    again = server.client()
    ack = again.emit("host:attach", {"code": created["code"], "secret": created["secret"]})
    assert ack["ok"]
    fresh = ack["view"]
    assert fresh["phase"] == "revealed" and fresh["rev"] == shown["rev"]
    assert fresh["teams"][0]["lines"] == shown["teams"][0]["lines"] and fresh["teams"][0]["lines"]
    assert {k: v for k, v in fresh.items() if k != "timer"} == {
        k: v for k, v in shown.items() if k != "timer"
    }
    assert ann.emit("sync")["view"] == phone  # the phones saw nothing happen
    # A reloaded page that replays its last button press does no harm either.
    assert again.command("reveal", round=0)["duplicate"] is True


def test_a_retried_command_id_is_applied_once(server: Server) -> None:
    host, _created, _ = game(server)
    host.command("close", cid="close-r1")
    host.command("reveal", cid="reveal-r1")
    host.command("next", cid="next-r1")
    again = host.command("next", cid="next-r1")  # the same press, re-sent after a lost answer
    assert again["duplicate"] is True
    assert host.emit("sync")["view"]["round"]["index"] == 1
