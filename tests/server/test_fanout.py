"""Fan-out under load: views built per team, shared parts encoded once, the facilitator's feed coalesced."""

from __future__ import annotations

import json
from typing import Any

from game.session import HOST, Act
from game.session.commands import decode
from game.views import live as views
from game.web.packets import JsonPacket, SharingJson
from tests.server.conftest import Server


def test_views_built_together_equal_views_built_one_by_one(server: Server) -> None:
    host, created = server.host(teams=2)
    code = created["code"]
    for i in range(7):
        server.player(code, f"P{i}")
    assert host.command("start")["ok"]
    state = server.hub.store.get(code)
    assert state is not None
    together = views.seat_views(state, list(state.seats), 5)
    for seat in state.seats:
        alone = json.loads(json.dumps(views.seat_view(state, seat, 5)))
        assert json.loads(json.dumps(together[seat])) == alone
    # A team's part is one object in every member's view: encoded once per fan-out.
    t1 = [v for v in together.values() if v["you"]["team"] == "t1"]
    assert len({id(v["team"]) for v in t1}) == 1


def test_packets_encode_exactly_like_json_and_are_never_binary() -> None:
    view = views.Shared({"id": "t1", "plan": {"a": {"decision": "build"}}, "name": "Équipe ✓"})
    card = views.Shared({"id": "a", "hints": None, "deal": 80.5, "ok": True, "n": -3})
    cards = views.SharedList([card, card, {"id": "b\u00e9\n", "x": [1, 2.0, False]}])
    data: list[Any] = ["seat:view", {"view": "seat", "team": view, "cards": cards, "rev": 3}]
    assert SharingJson.dumps(data) == json.dumps(data, separators=(",", ":"))
    assert SharingJson.dumps(data) == SharingJson.dumps(data)  # the cached part again
    pkt = JsonPacket(data=data)
    assert pkt.encode() == "2" + json.dumps(data, separators=(",", ":"))
    again = JsonPacket(encoded_packet=pkt.encode())
    assert again.data == json.loads(json.dumps(data))
    assert decode({"type": "lock"}).tag == "lock"


def test_a_big_room_coalesces_the_facilitators_updates(scenario) -> None:
    server = Server(scenario, host_coalesce_seats=3, host_interval=0.05)
    host, created = server.host(teams=2)
    code = created["code"]
    for i in range(2):
        server.player(code, f"P{i}")
    host.clear()
    sent_before = len(host.pushed("host:view"))
    for i in range(2, 8):  # from the third seat on, joins are gathered
        server.player(code, f"P{i}")
    server.sio.sleep(0.3)
    got = host.pushed("host:view")
    assert sent_before == 0 and 1 <= len(got) < 6  # fewer views than joins ...
    assert got[-1]["counts"]["seats"] == 8  # ... and the last one shows them all
    state = server.hub.store.get(code)
    assert state is not None and got[-1]["rev"] == state.rev
    assert server.hub.apply(code, Act(HOST, decode({"type": "start"}), "go", server.clock.now)).notices


def test_after_the_round_closes_each_team_room_gets_its_view_once(server: Server) -> None:
    host, created = server.host(teams=2)
    code = created["code"]
    phones = [server.player(code, f"P{i}") for i in range(6)]
    assert host.command("start")["ok"]
    team_of = {ack["seat"]: ack["view"]["you"]["team"] for _, ack in phones}
    assert set(team_of.values()) == {"t1", "t2"}
    for step, phase in (("close", "round_closed"), ("reveal", "revealed")):
        for p, _ in phones:
            p.clear()
        assert host.command(step)["ok"]
        for p, ack in phones:
            got = p.pushed("seat:view")
            assert len(got) == 1 and got[0]["phase"] == phase
            assert "you" not in got[0]  # the phone keeps its own
            assert got[0]["team"]["id"] == team_of[ack["seat"]]  # its own team's view, never another's
            assert "hints" not in json.dumps(got[0])
    # Moved after the close: the next phase change finds the phone in its new team's room.
    mover, moved = next((p, ack) for p, ack in phones if team_of[ack["seat"]] == "t1")
    assert host.command("move_player", seat=moved["seat"], team="t2")["ok"]
    assert mover.pushed("seat:view")[-1]["you"]["team"] == "t2"
    assert host.command("next")["ok"] and host.command("close")["ok"]
    mover.clear()
    assert host.command("reveal")["ok"]
    assert [v["team"]["id"] for v in mover.pushed("seat:view")] == ["t2"]
