"""The requests that come before any session command: create a session, attach to one, resume a seat;
and the read-only what-if asked from the debrief.

They are not commands: no session state moves, so they have no place in the command tables or
the command log. Their payloads are checked with the same field checks as commands.
"""

from __future__ import annotations

from typing import Any

from game.errors import bad
from game.inbound.fields import (
    MAX_TEAMS,
    Check,
    check_fields,
    decision,
    ident,
    integer,
    room_code,
    round_seconds,
    secret,
    seed,
)
from game.model import Decision


def _scenario_name(f: str, v: Any) -> str:
    return ident(f, v)


def _teams(f: str, v: Any) -> int:
    return integer(f, v, 0, MAX_TEAMS)


CREATE_FIELDS: dict[str, tuple[Check, bool]] = {
    "scenario": (_scenario_name, False),
    "teams": (_teams, False),
    "round_seconds": (round_seconds, False),
    "seed": (seed, False),
}


def parse_attach(payload: Any) -> tuple[str, str]:
    """``host:attach {code, secret}``."""
    values = check_fields(payload, {"code": (room_code, True), "secret": (secret, True)})
    return values["code"], values["secret"]


def parse_resume(payload: Any) -> str:
    """``player:resume {token}``."""
    return str(check_fields(payload, {"token": (secret, True)})["token"])


def _optional_team(f: str, v: Any) -> str:
    return "" if v in (None, "") else ident(f, v)


def _played_round(f: str, v: Any) -> int:
    return integer(f, v, 0, 999)


WHATIF_FIELDS: dict[str, tuple[Check, bool]] = {
    "team": (_optional_team, False),
    "round": (_played_round, True),
    "card": (ident, True),
    "decision": (decision, True),
}


def parse_whatif(payload: Any) -> tuple[str, int, str, Decision]:
    """``whatif {team?, round, card, decision}`` -> (team or "" for one's own, round, card, decision)."""
    values = check_fields(payload, WHATIF_FIELDS)
    flipped = values["decision"]
    if flipped is None:
        raise bad("decision must be one of build, defer, no")
    return values.get("team", ""), values["round"], values["card"], flipped


def parse_join_proof(payload: Any) -> tuple[Any, str, str]:
    """A join's optional proofs that the phone is in the room: ``key`` (from the QR code or the join
    link) and ``word`` (read off the big screen). Returns the payload without them, the key, the word."""
    if not isinstance(payload, dict) or not ({"key", "word"} & payload.keys()):
        return payload, "", ""
    rest = {k: v for k, v in payload.items() if k not in ("key", "word")}
    proofs = []
    for field in ("key", "word"):
        value = payload.get(field, "")
        if not isinstance(value, str) or len(value) > 64:
            raise bad(f"{field} must be text of at most 64 characters")
        proofs.append(value.strip())
    return rest, proofs[0], proofs[1]
