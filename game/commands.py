"""Typed session commands, and the parser that turns untrusted socket payloads into them.

The acting seat and team never come from a payload: the web layer knows which seat a
connection is bound to and passes it to the session as the actor.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any, ClassVar

from game.errors import CurbAppealError
from game.model import STRATEGY_NAMES, Decision

MAX_NAME = 40
MAX_ID = 64
MAX_SECRET = 200
MAX_TEAMS = 500  # a hall of 2,000 in teams of eight needs 250
MAX_ROUND_SECONDS = 3600
MIN_ROUND_SECONDS = 10
MAX_EXTEND_SECONDS = 1800
MAX_SEED = 2**31 - 1

_BANNED = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})  # control, format (bidi tricks), unassigned
_ZWJ = "\u200d"  # format, but joins emoji sequences people put in names
_ID_RE = re.compile(r"^[A-Za-z0-9_.:~-]{1,64}$")


class CommandRejected(CurbAppealError):
    """A command the session refuses; nothing changed. ``code`` is machine-readable."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def as_error(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


def bad(message: str) -> CommandRejected:
    return CommandRejected("bad_request", message)


# -- Commands ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Command:
    """Base of every command; ``logged`` = False for transient facts kept out of the command log."""

    tag: ClassVar[str] = ""
    logged: ClassVar[bool] = True


@dataclass(frozen=True, slots=True)
class RoundStep(Command):
    """A facilitator's step in the round; it may name the round the screen showed, so a stale or
    repeated press is refused instead of moving the game on twice."""

    round: int | None = None


# The facilitator's commands.
@dataclass(frozen=True, slots=True)
class Configure(Command):
    tag: ClassVar[str] = "configure"
    round_seconds: int | None = None
    seed: int | None = None


@dataclass(frozen=True, slots=True)
class Start(Command):
    tag: ClassVar[str] = "start"


@dataclass(frozen=True, slots=True)
class Close(RoundStep):
    tag: ClassVar[str] = "close"


@dataclass(frozen=True, slots=True)
class Reveal(RoundStep):
    tag: ClassVar[str] = "reveal"


@dataclass(frozen=True, slots=True)
class Next(RoundStep):
    tag: ClassVar[str] = "next"


@dataclass(frozen=True, slots=True)
class Pause(RoundStep):
    tag: ClassVar[str] = "pause"


@dataclass(frozen=True, slots=True)
class Resume(RoundStep):
    tag: ClassVar[str] = "resume"


@dataclass(frozen=True, slots=True)
class Extend(RoundStep):
    tag: ClassVar[str] = "extend"
    seconds: int = 60


@dataclass(frozen=True, slots=True)
class AddBot(Command):
    tag: ClassVar[str] = "add_bot"
    strategy: str = "balanced"
    name: str = ""


@dataclass(frozen=True, slots=True)
class MovePlayer(Command):
    tag: ClassVar[str] = "move_player"
    seat: str = ""
    team: str = ""


@dataclass(frozen=True, slots=True)
class RemovePlayer(Command):
    tag: ClassVar[str] = "remove_player"
    seat: str = ""


@dataclass(frozen=True, slots=True)
class RenameTeam(Command):
    tag: ClassVar[str] = "rename_team"
    team: str = ""
    name: str = ""


@dataclass(frozen=True, slots=True)
class End(RoundStep):
    tag: ClassVar[str] = "end"


@dataclass(frozen=True, slots=True)
class SetJoining(Command):
    """Open or close the door to new players; the seats already in keep theirs (and may resume)."""

    tag: ClassVar[str] = "set_joining"
    open: bool = True


# A seat's commands (the seat is the actor; its team comes from the session).
@dataclass(frozen=True, slots=True)
class Join(Command):
    tag: ClassVar[str] = "join"
    name: str = ""
    team: str = ""


@dataclass(frozen=True, slots=True)
class ChooseTeam(Command):
    tag: ClassVar[str] = "choose_team"
    team: str = ""


@dataclass(frozen=True, slots=True)
class SetCard(Command):
    tag: ClassVar[str] = "set_card"
    card: str = ""
    decision: Decision | None = None  # None clears the card back to undecided


@dataclass(frozen=True, slots=True)
class Lock(Command):
    tag: ClassVar[str] = "lock"


@dataclass(frozen=True, slots=True)
class Unlock(Command):
    tag: ClassVar[str] = "unlock"


@dataclass(frozen=True, slots=True)
class RenameMyTeam(Command):
    tag: ClassVar[str] = "rename_my_team"
    name: str = ""


# The server's own commands.
@dataclass(frozen=True, slots=True)
class Tick(Command):
    """The clock: closes the round when its timer has run out."""

    tag: ClassVar[str] = "tick"


@dataclass(frozen=True, slots=True)
class Presence(Command):
    """A seat's phone connected or went away. Not logged: after a restart nobody is connected."""

    tag: ClassVar[str] = "presence"
    logged: ClassVar[bool] = False
    connected: bool = False


HOST_COMMANDS: tuple[type[Command], ...] = (
    Configure,
    Start,
    Close,
    Reveal,
    Next,
    Pause,
    Resume,
    Extend,
    AddBot,
    MovePlayer,
    RemovePlayer,
    RenameTeam,
    SetJoining,
    End,
)
SEAT_COMMANDS: tuple[type[Command], ...] = (ChooseTeam, SetCard, Lock, Unlock, RenameMyTeam)
SYSTEM_COMMANDS: tuple[type[Command], ...] = (Tick, Presence)
_EVERY: tuple[type[Command], ...] = (*HOST_COMMANDS, *SEAT_COMMANDS, *SYSTEM_COMMANDS, Join)
ALL_COMMANDS: dict[str, type[Command]] = {cls.tag: cls for cls in _EVERY}


# -- Field checks ----------------------------------------------------------------------------------

Check = Callable[[str, Any], Any]


def text(field: str, value: Any, limit: int = MAX_NAME, *, allow_empty: bool = False) -> str:
    """A person-typed name: trimmed, at most ``limit`` characters, no control characters."""
    if not isinstance(value, str):
        raise bad(f"{field} must be text")
    trimmed: str = value.strip()
    if len(trimmed) > limit:
        raise bad(f"{field} is too long (at most {limit} characters)")
    if any(unicodedata.category(ch) in _BANNED and ch != _ZWJ for ch in trimmed):
        raise bad(f"{field} contains control or invisible characters")
    if not trimmed and not allow_empty:
        raise bad(f"{field} must not be empty")
    return trimmed


def ident(field: str, value: Any) -> str:
    """A short identifier chosen by the server or the client (seat, team, card, command id)."""
    if not isinstance(value, str) or not _ID_RE.fullmatch(value):  # fullmatch: "$" lets "id\n" through
        raise bad(f"{field} must be an id of 1-{MAX_ID} letters, digits or _.:~-")
    return value


def secret(field: str, value: Any) -> str:
    """A facilitator secret or seat token: printable ASCII, as this server makes them."""
    if not isinstance(value, str) or not 0 < len(value) <= MAX_SECRET:
        raise bad(f"{field} must be text of at most {MAX_SECRET} characters")
    if not (value.isascii() and value.isprintable()):
        raise bad(f"{field} must be printable ASCII")
    return value


def integer(field: str, value: Any, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad(f"{field} must be a whole number")
    if not lo <= value <= hi:
        raise bad(f"{field} must be between {lo} and {hi}")
    return value


def round_seconds(field: str, value: Any) -> int:
    n = integer(field, value, 0, MAX_ROUND_SECONDS)
    if 0 < n < MIN_ROUND_SECONDS:
        raise bad(f"{field} must be 0 (untimed) or at least {MIN_ROUND_SECONDS}")
    return n


def decision(field: str, value: Any) -> Decision | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return Decision(value)
        except ValueError:
            pass
    raise bad(f"{field} must be one of build, defer, no (or null to clear)")


def strategy_name(field: str, value: Any) -> str:
    if not isinstance(value, str) or value not in STRATEGY_NAMES:
        raise bad(f"{field} must be one of {', '.join(STRATEGY_NAMES)}")
    return value


def boolean(field: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise bad(f"{field} must be true or false")
    return value


def _name(f: str, v: Any) -> str:
    return text(f, v)


def _optional_name(f: str, v: Any) -> str:
    return text(f, v, allow_empty=True)


def _seed(f: str, v: Any) -> int:
    return integer(f, v, 0, MAX_SEED)


def _extend(f: str, v: Any) -> int:
    return integer(f, v, 1, MAX_EXTEND_SECONDS)


def _optional_ident(f: str, v: Any) -> str:
    return "" if v in (None, "") else ident(f, v)


def _round_index(f: str, v: Any) -> int:
    return integer(f, v, -1, 999)


_SEEN_ROUND: dict[str, tuple[Check, bool]] = {"round": (_round_index, False)}


# Each command's payload fields: name -> (check, required).
SCHEMAS: dict[type[Command], dict[str, tuple[Check, bool]]] = {
    Configure: {"round_seconds": (round_seconds, False), "seed": (_seed, False)},
    Extend: {"seconds": (_extend, True), **_SEEN_ROUND},
    Close: _SEEN_ROUND,
    Reveal: _SEEN_ROUND,
    Next: _SEEN_ROUND,
    Pause: _SEEN_ROUND,
    Resume: _SEEN_ROUND,
    End: _SEEN_ROUND,
    AddBot: {"strategy": (strategy_name, True), "name": (_optional_name, False)},
    MovePlayer: {"seat": (ident, True), "team": (ident, True)},
    RemovePlayer: {"seat": (ident, True)},
    RenameTeam: {"team": (ident, True), "name": (_name, True)},
    SetJoining: {"open": (boolean, True)},
    Join: {"name": (_name, True), "team": (_optional_ident, False)},
    ChooseTeam: {"team": (ident, True)},
    SetCard: {"card": (ident, True), "decision": (decision, True)},
    RenameMyTeam: {"name": (_name, True)},
}


def check_fields(payload: Any, allowed: Mapping[str, tuple[Check, bool]]) -> dict[str, Any]:
    """Check a payload's keys and values against a schema; returns the checked values."""
    if not isinstance(payload, dict):
        raise bad("the payload must be an object")
    unknown = sorted(str(k) for k in payload if k not in allowed)
    if unknown:
        raise bad(f"unknown field{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)[:200]}")
    out: dict[str, Any] = {}
    for key, (check, required) in allowed.items():
        if key in payload:
            out[key] = check(key, payload[key])
        elif required:
            raise bad(f"missing field: {key}")
    return out


def parse_command(payload: Any, allowed: tuple[type[Command], ...]) -> tuple[str, Command]:
    """A ``command`` event payload ``{id, type, ...}`` -> (command id, command), or CommandRejected."""
    if not isinstance(payload, dict):
        raise bad("the payload must be an object")
    cid = ident("id", payload.get("id"))
    kind = payload.get("type")
    cls = ALL_COMMANDS.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise CommandRejected("unknown_command", f"unknown command type: {str(kind)[:40]!r}")
    if cls not in allowed:
        raise CommandRejected("forbidden", f"you may not send {cls.tag}")
    body = {k: v for k, v in payload.items() if k not in ("id", "type")}
    values = check_fields(body, SCHEMAS.get(cls, {}))
    return cid, cls(**values)


def parse_join(payload: Any) -> tuple[str, str, Join]:
    """``player:join {id, code, name, team?}`` -> (command id, room code, Join)."""
    if not isinstance(payload, dict):
        raise bad("the payload must be an object")
    rest = {k: v for k, v in payload.items() if k not in ("id", "code")}
    cid = ident("id", payload.get("id"))
    code = room_code("code", payload.get("code"))
    values = check_fields(rest, SCHEMAS[Join])
    return cid, code, Join(**values)


def room_code(field: str, value: Any) -> str:
    """Room codes are typed on phones: accept any case and stray spaces."""
    if not isinstance(value, str) or len(value) > 20:
        raise bad(f"{field} must be a room code")
    # NFKC folds full-width letters some phone keyboards type into plain ones.
    code = unicodedata.normalize("NFKC", value).strip().upper().replace(" ", "").replace("-", "")
    if not (code.isascii() and code.isalnum()):
        raise bad(f"{field} must be a room code")
    return code


# -- Codec for the command log ------------------------------------------------------------------------


def encode(command: Command) -> dict[str, Any]:
    """A command as plain JSON data (the command log's form)."""
    out: dict[str, Any] = {"type": command.tag}
    for f in fields(command):
        value = getattr(command, f.name)
        out[f.name] = value.value if isinstance(value, Decision) else value
    return out


def decode(data: Mapping[str, Any]) -> Command:
    """The inverse of :func:`encode`, for data this server wrote itself (trusted)."""
    cls = ALL_COMMANDS[data["type"]]
    values = {k: v for k, v in data.items() if k != "type"}
    if cls is SetCard and values.get("decision") is not None:
        values["decision"] = Decision(values["decision"])
    return cls(**values)


# -- Session-level requests (not session commands) ---------------------------------------------------


def _scenario_name(f: str, v: Any) -> str:
    return ident(f, v)


def _teams(f: str, v: Any) -> int:
    return integer(f, v, 0, MAX_TEAMS)


CREATE_FIELDS: dict[str, tuple[Check, bool]] = {
    "scenario": (_scenario_name, False),
    "teams": (_teams, False),
    "round_seconds": (round_seconds, False),
    "seed": (_seed, False),
}


def parse_create(payload: Any) -> dict[str, Any]:
    """``host:create {scenario?, teams?, round_seconds?, seed?}``."""
    return check_fields({} if payload is None else payload, CREATE_FIELDS)


def parse_attach(payload: Any) -> tuple[str, str]:
    """``host:attach {code, secret}``."""
    values = check_fields(payload, {"code": (room_code, True), "secret": (secret, True)})
    return values["code"], values["secret"]


def parse_resume(payload: Any) -> str:
    """``player:resume {token}``."""
    return str(check_fields(payload, {"token": (secret, True)})["token"])
