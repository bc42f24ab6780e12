"""The what-if request through the socket: read-only, a phone for its own team, clear refusals."""

from __future__ import annotations

from tests.server.conftest import Server


def played_to_debrief(server: Server):
    host, created = server.host(teams=2)
    ann, _ = server.player(created["code"], "Ann")
    bob, _ = server.player(created["code"], "Bob")
    assert host.command("start")["ok"]
    assert ann.command("set_card", card="acme-sso", decision="build")["ok"]
    for r in range(3):
        for step in ("close", "reveal", "next"):
            assert host.command(step)["ok"], (r, step)
    return host, ann, bob, created["code"]


def test_whatif_answers_a_phone_for_its_own_team_and_the_facilitator_for_any(server: Server) -> None:
    host, ann, _, code = played_to_debrief(server)
    state = server.hub.state(code)
    before = state.rev
    mine = ann.emit("whatif", {"round": 0, "card": "acme-sso", "decision": "no"})
    assert mine["ok"], mine
    answer = mine["whatif"]
    assert answer["team"] == "t1" and answer["flip"] == {
        "round": 0,
        "card": "acme-sso",
        "title": "SSO for Acme",
        "asker": "Acme Corp",
        "from": "build",
        "to": "no",
    }
    assert len(answer["actual"]["history"]) == len(answer["whatif"]["history"]) == 4
    assert answer["actual"]["history"][0] == answer["whatif"]["history"][0]
    real = debrief_value(host, "t1")
    assert answer["actual"]["value"]["total"] == real
    # a second try, one after the other
    again = ann.emit("whatif", {"team": "t1", "round": 0, "card": "acme-sso", "decision": "defer"})
    assert again["ok"] and again["whatif"]["flip"]["to"] == "defer"
    # the facilitator may replay any team
    theirs = host.emit("whatif", {"team": "t2", "round": 0, "card": "acme-sso", "decision": "build"})
    assert theirs["ok"] and theirs["whatif"]["team"] == "t2"
    assert server.hub.state(code).rev == before  # read-only


def debrief_value(host, team: str) -> float:
    data = host.emit("debrief")["debrief"]
    return next(t["value"]["total"] for t in data["teams"] if t["id"] == team)


def test_whatif_refusals_are_clear(server: Server) -> None:
    host, ann, bob, _ = played_to_debrief(server)
    cases = [
        (bob, {"team": "t1", "round": 0, "card": "acme-sso", "decision": "no"}, "forbidden"),
        (host, {"round": 0, "card": "acme-sso", "decision": "no"}, "bad_request"),
        (host, {"team": "t9", "round": 0, "card": "acme-sso", "decision": "no"}, "not_found"),
        (ann, {"round": 7, "card": "acme-sso", "decision": "no"}, "not_found"),
        (ann, {"round": 0, "card": "nope", "decision": "no"}, "not_found"),
        (ann, {"round": 0, "card": "acme-sso", "decision": "build"}, "bad_request"),  # what they did
        (ann, {"round": 0, "card": "acme-sso", "decision": "maybe"}, "bad_request"),
        (ann, {"round": 0, "card": "acme-sso", "decision": None}, "bad_request"),
        (ann, {"round": "0", "card": "acme-sso", "decision": "no"}, "bad_request"),
        (ann, {"round": 0, "card": "acme-sso", "decision": "no", "extra": 1}, "bad_request"),
    ]
    for who, payload, code_ in cases:
        got = who.emit("whatif", payload)
        assert not got["ok"] and got["error"]["code"] == code_, (payload, got)


def test_whatif_waits_for_the_debrief_and_a_connection(server: Server) -> None:
    host, created = server.host(teams=1)
    ann, _ = server.player(created["code"], "Ann")
    assert host.command("start")["ok"]
    got = ann.emit("whatif", {"round": 0, "card": "acme-sso", "decision": "no"})
    assert got["error"]["code"] == "wrong_phase"
    stranger = server.client()
    assert (
        stranger.emit("whatif", {"round": 0, "card": "acme-sso", "decision": "no"})["error"]["code"]
        == "not_joined"
    )


def test_whatif_is_paced(scenario) -> None:
    from game.web.limits import Limits, Rate

    server = Server(scenario, limits=Limits(commands=Rate(10, 60_000)))
    _, ann, _, _ = played_to_debrief(server)
    answers = [
        ann.emit("whatif", {"round": 0, "card": "acme-sso", "decision": d}) for d in ("no", "defer") * 6
    ]
    assert any(not a["ok"] and a["error"]["code"] == "rate_limited" for a in answers)
