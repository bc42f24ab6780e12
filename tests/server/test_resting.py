"""A server that runs for months holds only today's games; yesterday's wake whole when a phone returns."""

from __future__ import annotations

from pathlib import Path

from game.model import Scenario
from tests.server.conftest import Server

HOUR = 3_600_000


def test_a_game_left_overnight_rests_and_a_returning_phone_finds_it_whole(
    tmp_path: Path, scenario: Scenario
) -> None:
    server = Server(scenario, db=str(tmp_path / "curb.db"))
    host, created = server.host(teams=1)
    ann, joined = server.player(created["code"], "Ann")
    host.command("start")
    ann.command("set_card", card="acme-sso", decision="build")
    server.clock.now += 7 * HOUR
    server.hub.tick()
    assert server.hub.store.awake() == []  # nobody touched it for 7 hours: out of memory
    assert server.app.test_client().get("/healthz").get_json()["sessions"] == 0
    back = server.client().emit("player:resume", {"token": joined["token"]})
    assert back["ok"] and back["view"]["phase"] == "round_open"
    assert back["view"]["team"]["plan"] == {"acme-sso": {"decision": "build", "by": "s1"}}
    assert server.hub.store.awake() == [created["code"]]


def test_a_timed_round_that_ran_out_while_the_server_was_down_closes_when_the_game_wakes(
    tmp_path: Path, scenario: Scenario
) -> None:
    db = str(tmp_path / "curb.db")
    first = Server(scenario, db=db)
    host, created = first.host(teams=1, round_seconds=60)
    ann, joined = first.player(created["code"], "Ann")
    host.command("start")
    ann.command("set_card", card="acme-sso", decision="build")
    later = Server(scenario, now_ms=first.clock.now + 8 * HOUR, db=db)  # restarted the next morning
    assert later.hub.store.awake() == []  # the start-up reads back only recent games
    later.hub.tick()
    phone = later.client()
    assert phone.emit("player:resume", {"token": joined["token"]})["ok"]
    later.hub.tick()  # awake again, so its clock is read: the round's time ran out long ago
    assert phone.pushed("seat:view")[-1]["phase"] == "round_closed"
    laptop = later.client()
    attached = laptop.emit("host:attach", {"code": created["code"], "secret": created["secret"]})
    assert attached["ok"] and attached["view"]["phase"] == "round_closed"
