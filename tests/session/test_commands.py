"""Untrusted payloads become typed commands, or clear errors."""

from __future__ import annotations

import pytest

from game.errors import CommandRejected
from game.model import Decision
from game.session import commands as c
from game.session.commands import decode, encode, parse_command, parse_join


def refused(payload, allowed=c.SEAT_COMMANDS) -> str:
    with pytest.raises(CommandRejected) as err:
        parse_command(payload, allowed)
    return err.value.code


def test_good_payloads_parse() -> None:
    assert parse_command(
        {"id": "a1", "type": "set_card", "card": "x", "decision": "build"}, c.SEAT_COMMANDS
    ) == (
        "a1",
        c.SetCard(card="x", decision=Decision.BUILD),
    )
    assert parse_command({"id": "a2", "type": "set_card", "card": "x", "decision": None}, c.SEAT_COMMANDS)[
        1
    ] == (c.SetCard(card="x", decision=None))
    assert parse_command({"id": "h", "type": "extend", "seconds": 30}, c.HOST_COMMANDS)[1] == c.Extend(
        seconds=30
    )


@pytest.mark.parametrize(
    "payload",
    [
        None,
        "lock",
        [],
        {"type": "lock"},
        {"id": "", "type": "lock"},
        {"id": "x" * 65, "type": "lock"},
        {"id": "bad id", "type": "lock"},
        {"id": 5, "type": "lock"},
        {"id": "a", "type": "lock", "team": "t2"},
        {"id": "a", "type": "set_card", "card": "x"},
        {"id": "a", "type": "set_card", "card": "x", "decision": "maybe"},
        {"id": "a", "type": "set_card", "card": "x", "decision": 1},
        {"id": "a", "type": "set_card", "card": {"$gt": ""}, "decision": "no"},
        {"id": "a", "type": "rename_my_team", "name": ""},
        {"id": "a", "type": "rename_my_team", "name": "   "},
        {"id": "a", "type": "rename_my_team", "name": "x" * 41},
        {"id": "a", "type": "rename_my_team", "name": "bad\x00name"},
        {"id": "a", "type": "rename_my_team", "name": "rtl\u202eoverride"},
        {"id": "a", "type": "rename_my_team", "name": 12},
    ],
)
def test_bad_payloads_are_refused_as_bad_requests(payload) -> None:
    assert refused(payload) == "bad_request"


def test_unknown_and_forbidden_types() -> None:
    assert refused({"id": "a", "type": "fly"}) == "unknown_command"
    assert refused({"id": "a", "type": "start"}) == "forbidden"
    assert refused({"id": "a", "type": "lock"}, c.HOST_COMMANDS) == "forbidden"
    assert refused({"id": "a", "type": "tick"}) == "forbidden"
    assert refused({"id": "a", "type": "presence", "connected": True}) == "forbidden"


def test_numbers_are_checked() -> None:
    host = c.HOST_COMMANDS
    assert refused({"id": "a", "type": "extend", "seconds": 0}, host) == "bad_request"
    assert refused({"id": "a", "type": "extend", "seconds": True}, host) == "bad_request"
    assert refused({"id": "a", "type": "extend", "seconds": 1.5}, host) == "bad_request"
    assert refused({"id": "a", "type": "configure", "round_seconds": 5}, host) == "bad_request"
    assert refused({"id": "a", "type": "add_bot", "strategy": "greedy"}, host) == "bad_request"


def test_names_are_trimmed_and_may_hold_emoji() -> None:
    _, cmd = parse_command(
        {"id": "a", "type": "rename_my_team", "name": "  Rockets 🚀\u200d  "}, c.SEAT_COMMANDS
    )
    assert cmd == c.RenameMyTeam(name="Rockets 🚀\u200d")


def test_join_payloads() -> None:
    assert parse_join({"id": "j", "code": " abc de ", "name": " Ann "}) == ("j", "ABCDE", c.Join(name="Ann"))
    with pytest.raises(CommandRejected):
        parse_join({"id": "j", "code": "ABCDE", "name": "Ann", "seat": "s1"})
    with pytest.raises(CommandRejected):
        parse_join({"id": "j", "code": "<script>", "name": "Ann"})


def test_every_command_survives_the_log_codec() -> None:
    samples = [cls() for cls in c.ALL_COMMANDS.values()] + [
        c.SetCard(card="x", decision=Decision.NO),
        c.Configure(round_seconds=30, seed=4),
        c.Presence(connected=True),
    ]
    for cmd in samples:
        assert decode(encode(cmd)) == cmd
