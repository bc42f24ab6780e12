"""The authorization matrix: every event against every kind of caller, with what must happen.

The victim is session A and its team t1. Callers: a connection bound to nothing, a seat of another
session (B), a seat of A's other team (t2), a seat of t1 the facilitator removed, a player of t1,
and A's facilitator. Each cell starts from a fresh server with A (and B) in the phase the event
needs, so a refusal is about *who* is asking, never *when*.

Expectations:
- ``allow``: accepted and applied to A.
- ``team``: accepted, but applied to the caller's own team only: t1 does not change.
- ``ok``: accepted, and A does not change at all (a read, or the caller acted in its own session).
- an error code: refused with that code, and A does not change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

import pytest
from immutables import Map

from game.session import Session
from tests.server.conftest import Client, Server

CALLERS = ("nobody", "other_session", "other_team", "removed", "player", "facilitator")
OWN_SEAT = ("not_joined", "ok", "team", "not_joined", "allow", "forbidden")  # a seat command of t1's
HOST_ONLY = ("not_joined", "forbidden", "forbidden", "not_joined", "forbidden", "allow")
NOBODY = ("not_joined", "forbidden", "forbidden", "not_joined", "forbidden", "forbidden")

# event, payload, phase A and B are in, expectations per caller (in CALLERS order)
MATRIX: list[tuple[str, Any, str, tuple[str, ...]]] = [
    ("host:create", {"scenario": "tiny"}, "lobby", ("ok",) * 6),
    ("host:attach", {"secret": "{credential}"}, "lobby", ("unauthorized",) * 5 + ("ok",)),
    (
        "host:next_game",
        {},
        "debrief",
        ("not_joined", "forbidden", "forbidden", "not_joined", "forbidden", "allow"),
    ),
    ("scenario:check", {"scenario_yaml": "title: [unclosed"}, "lobby", ("bad_scenario",) * 6),
    ("player:join", {"name": "Eve"}, "lobby", ("allow",) * 6),
    ("player:join", {"name": "Eve"}, "round_open", ("allow",) * 6),
    (
        "player:resume",
        {"token": "{credential}"},
        "round_open",
        ("unauthorized", "ok", "ok", "removed", "ok", "unauthorized"),
    ),
    ("sync", {}, "round_open", ("not_joined", "ok", "ok", "not_joined", "ok", "ok")),
    ("debrief", {}, "debrief", ("not_joined", "ok", "ok", "not_joined", "ok", "ok")),
    # A read: a phone replays its own team only (Bea's "t1" is her own team in session B).
    (
        "whatif",
        {"team": "t1", "round": 0, "card": "acme-sso", "decision": "build"},
        "debrief_played",
        ("not_joined", "ok", "forbidden", "not_joined", "ok", "ok"),
    ),
    ("set_card", {"card": "acme-sso", "decision": "build"}, "round_open", OWN_SEAT),
    ("set_reason", {"card": "acme-sso", "text": "They'll sign this quarter"}, "round_open", OWN_SEAT),
    ("lock", {}, "round_open", OWN_SEAT),
    ("unlock", {}, "locked", OWN_SEAT),
    ("rename_my_team", {"name": "Renamed"}, "round_open", OWN_SEAT),
    ("choose_team", {"team": "t1"}, "lobby", ("not_joined", "ok", "allow", "not_joined", "ok", "forbidden")),
    ("configure", {"round_seconds": 120}, "lobby", HOST_ONLY),
    ("add_bot", {"strategy": "balanced"}, "lobby", HOST_ONLY),
    ("start", {}, "lobby", HOST_ONLY),
    ("pause", {}, "round_open", HOST_ONLY),
    ("resume", {}, "paused", HOST_ONLY),
    ("extend", {"seconds": 30}, "round_open", HOST_ONLY),
    ("keep_open", {}, "round_open", HOST_ONLY),
    ("close", {}, "round_open", HOST_ONLY),
    ("reveal", {}, "round_closed", HOST_ONLY),
    ("next", {}, "revealed", HOST_ONLY),
    ("move_player", {"seat": "s1", "team": "t2"}, "round_open", HOST_ONLY),
    ("remove_player", {"seat": "s1"}, "round_open", HOST_ONLY),
    ("rename_team", {"team": "t1", "name": "Renamed"}, "round_open", HOST_ONLY),
    ("set_joining", {"open": False}, "round_open", HOST_ONLY),
    ("end", {}, "round_open", HOST_ONLY),
    ("hide_reason", {"team": "t1", "in_round": 0, "card": "acme-sso", "hidden": True}, "reasoned", HOST_ONLY),
    ("tick", {}, "round_open", NOBODY),
    ("continue", {"code": "QQQQQ", "seats": [["s1", "s1"]]}, "debrief", NOBODY),  # the server's own
    ("presence", {"connected": False}, "round_open", NOBODY),
    ("join", {"name": "Eve"}, "round_open", NOBODY),
    ("no:such:event", {}, "round_open", ("unknown_event",) * 6),
]
EVENTS = {
    "host:create",
    "host:attach",
    "scenario:check",
    "host:next_game",
    "player:join",
    "player:resume",
    "sync",
    "debrief",
    "whatif",
    "no:such:event",
}


@dataclass
class World:
    server: Server
    code: str
    callers: dict[str, Client]
    credentials: dict[str, str]


def setup(server: Server, phase: str) -> World:
    """A: teams t1 (Ann, Cat) and t2 (Bob, Dan), Cat removed; B: one team (Bea). Both timed."""
    host, a = server.host(teams=2, round_seconds=60)
    code = a["code"]
    seats = {name: server.player(code, name) for name in ("Ann", "Bob", "Cat", "Dan")}
    assert [ack["seat"] for _, ack in seats.values()] == ["s1", "s2", "s3", "s4"]
    assert seats["Ann"][1]["view"]["you"]["team"] == "t1" and seats["Bob"][1]["view"]["you"]["team"] == "t2"
    other_host, b = server.host(teams=1, round_seconds=60)
    bea, bea_ack = server.player(b["code"], "Bea")
    assert host.command("remove_player", seat="s3")["ok"]
    steps = {
        "lobby": [],
        "round_open": ["start"],
        "locked": ["start", "lock"],
        "paused": ["start", "pause"],
        "round_closed": ["start", "close"],
        "revealed": ["start", "close", "reveal"],
        "debrief": ["start", "end"],
        "debrief_played": ["start", "close", "reveal", "end"],
        "reasoned": ["start", "reason", "close", "reveal"],
    }[phase]
    for step in steps:
        if step == "reason":  # Ann says why t1 decides as it does
            assert seats["Ann"][0].command("set_reason", card="acme-sso", text="They'll sign")["ok"]
        elif step == "lock":
            for phone in (seats["Ann"][0], seats["Bob"][0], bea):
                assert phone.command("lock")["ok"]
        else:
            assert host.command(step)["ok"], step
            if step != "pause":
                assert other_host.command(step)["ok"], step
    callers = {
        "nobody": server.client(),
        "other_session": bea,
        "other_team": seats["Bob"][0],
        "removed": seats["Cat"][0],
        "player": seats["Ann"][0],
        "facilitator": host,
    }
    credentials = {
        "nobody": f"{code}.s1.{'A' * 43}",
        "other_session": bea_ack["token"],
        "other_team": seats["Bob"][1]["token"],
        "removed": seats["Cat"][1]["token"],
        "player": seats["Ann"][1]["token"],
        "facilitator": a["secret"],
    }
    for c in callers.values():
        c.clear()
    return World(server, code, callers, credentials)


def calm(state: Session) -> Session:
    """A's state apart from presence (binding a connection may mark a seat connected)."""
    return replace(state, seats=Map({k: replace(s, connected=False) for k, s in state.seats.items()}))


def t1(state: Session) -> Any:
    team = state.teams["t1"]
    return (team.name, team.members, dict(team.plan), dict(team.reasons), team.locked, team.outcomes)


def send(world: World, caller: str, event: str, payload: Any) -> Any:
    client = world.callers[caller]
    body = {
        k: (v.format(credential=world.credentials[caller]) if isinstance(v, str) else v)
        for k, v in payload.items()
    }
    if event == "host:attach":
        body["code"] = world.code
    if event == "player:join":
        body = {"id": f"join-{caller}", "code": world.code, **body}
    if event in EVENTS:
        return client.emit(event, body)
    return client.command(event, **body)


CELLS = [
    pytest.param(event, payload, phase, caller, expected, id=f"{event}-{phase}-{caller}")
    for event, payload, phase, row in MATRIX
    for caller, expected in zip(CALLERS, row, strict=True)
]


@pytest.mark.parametrize(("event", "payload", "phase", "caller", "expected"), CELLS)
def test_who_may_do_what(scenario, event: str, payload: Any, phase: str, caller: str, expected: str) -> None:
    world = setup(Server(scenario), phase)
    before = world.server.hub.state(world.code)
    answer = send(world, caller, event, payload)
    after = world.server.hub.state(world.code)
    if expected in ("allow", "team", "ok"):
        assert answer["ok"] is True, answer
    else:
        assert answer["ok"] is False and answer["error"]["code"] == expected, answer
    if expected == "allow":
        assert after.rev > before.rev or after.seats.keys() != before.seats.keys()
    elif expected == "team":
        assert after.rev == before.rev + 1 and t1(after) == t1(before)
    else:
        assert calm(after) == calm(before)
    if caller not in ("player", "facilitator"):
        # Nothing about t1's plan or anyone's secrets reaches another team, session or a stranger.
        seen = json.dumps([answer, world.callers[caller].pushed()])
        assert world.credentials["facilitator"] not in seen and world.credentials["player"] not in seen
        if expected == "allow":  # it joined A (or moved itself into t1): it may see t1 from then on
            pass
        elif caller == "other_session":
            assert world.code not in seen
        else:
            assert '"by": "s1"' not in seen


@pytest.mark.parametrize("caller", CALLERS)
def test_exports_need_the_facilitator_secret(scenario, caller: str) -> None:
    world = setup(Server(scenario), "round_closed")
    web = world.server.app.test_client()
    got = web.get(
        f"/api/sessions/{world.code}/export.json", headers={"X-Curb-Secret": world.credentials[caller]}
    )
    assert got.status_code == (200 if caller == "facilitator" else 403)


def test_the_matrix_covers_every_event_and_command(scenario) -> None:
    from game.session.commands import ALL_COMMANDS

    rows = {event for event, *_ in MATRIX}
    assert set(ALL_COMMANDS) <= rows
    events = set(Server(scenario).sio.server.handlers["/"]) - {"connect", "disconnect", "command", "*"}
    assert events == EVENTS - {"no:such:event"}, "a socket event the matrix does not try"
    assert rows >= EVENTS


def test_a_socket_from_another_site_is_refused(scenario) -> None:
    """Cross-site websocket hijacking: a page on another origin cannot open a socket to the game."""
    server = Server(scenario)
    web = server.app.test_client()
    path = "/socket.io/?EIO=4&transport=polling"
    assert web.get(path, headers={"Origin": "http://localhost"}).status_code == 200
    assert web.get(path, headers={"Origin": "https://evil.example"}).status_code == 400
