"""Typed session commands, and the parser that turns untrusted socket payloads into them.

The acting seat and team never come from a payload: the web layer knows which seat a
connection is bound to and passes it to the session as the actor. The checks of single fields
live in ``game.inbound``, the refusal in ``game.errors``, and the requests that are not commands
(create, attach, resume) in ``game.inbound``; nothing is re-exported from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, ClassVar

from game.errors import CommandRejected, bad
from game.inbound import (
    Check,
    boolean,
    check_fields,
    close_when_locked,
    decision,
    ident,
    integer,
    reason,
    room_code,
    round_seconds,
    seed,
    strategy_name,
    text,
)
from game.model import Decision

MAX_EXTEND_SECONDS = 1800


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
    close_when_locked: int | None = None
    reveal_on_close: bool | None = None


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
class KeepOpen(RoundStep):
    """Every team has locked and the round is about to close: the facilitator keeps it open."""

    tag: ClassVar[str] = "keep_open"


@dataclass(frozen=True, slots=True)
class SetJoining(Command):
    """Open or close the door to new players; the seats already in keep theirs (and may resume)."""

    tag: ClassVar[str] = "set_joining"
    open: bool = True


@dataclass(frozen=True, slots=True)
class HideReason(Command):
    """Keep one of a team's reasons off the projector (or show it again); the team still sees it.

    ``in_round`` is the 0-based round the reason was written in (not ``round``: that names the round
    a facilitator's screen showed, see ``RoundStep``)."""

    tag: ClassVar[str] = "hide_reason"
    team: str = ""
    in_round: int = 0
    card: str = ""
    hidden: bool = True


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
class SetReason(Command):
    """Why the team decides a card as it does, in a player's words ("" clears it); the last one stands."""

    tag: ClassVar[str] = "set_reason"
    card: str = ""
    text: str = ""


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
class Continue(Command):
    """The facilitator went on to a new game with the same people: its code, and each seat's new seat.

    The server makes it (``host:next_game``), never a client's payload, so it has no schema."""

    tag: ClassVar[str] = "continue"
    code: str = ""
    seats: tuple[tuple[str, str], ...] = ()  # (seat here, seat in the next game)


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
    KeepOpen,
    HideReason,
)
SEAT_COMMANDS: tuple[type[Command], ...] = (ChooseTeam, SetCard, SetReason, Lock, Unlock, RenameMyTeam)
SYSTEM_COMMANDS: tuple[type[Command], ...] = (Tick, Presence)
_EVERY: tuple[type[Command], ...] = (*HOST_COMMANDS, *SEAT_COMMANDS, *SYSTEM_COMMANDS, Join, Continue)
ALL_COMMANDS: dict[str, type[Command]] = {cls.tag: cls for cls in _EVERY}


# -- Payloads -------------------------------------------------------------------------------------


def _name(f: str, v: Any) -> str:
    return text(f, v)


def _optional_name(f: str, v: Any) -> str:
    return text(f, v, allow_empty=True)


def _extend(f: str, v: Any) -> int:
    return integer(f, v, 1, MAX_EXTEND_SECONDS)


def _optional_ident(f: str, v: Any) -> str:
    return "" if v in (None, "") else ident(f, v)


def _played_round(f: str, v: Any) -> int:
    return integer(f, v, 0, 999)


def _round_index(f: str, v: Any) -> int:
    return integer(f, v, -1, 999)


_SEEN_ROUND: dict[str, tuple[Check, bool]] = {"round": (_round_index, False)}


# Each command's payload fields: name -> (check, required).
SCHEMAS: dict[type[Command], dict[str, tuple[Check, bool]]] = {
    Configure: {
        "round_seconds": (round_seconds, False),
        "seed": (seed, False),
        "close_when_locked": (close_when_locked, False),
        "reveal_on_close": (boolean, False),
    },
    KeepOpen: _SEEN_ROUND,
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
    SetReason: {"card": (ident, True), "text": (reason, True)},
    HideReason: {
        "team": (ident, True),
        "in_round": (_played_round, True),
        "card": (ident, True),
        "hidden": (boolean, True),
    },
    RenameMyTeam: {"name": (_name, True)},
}


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
    if cls is Continue:
        values["seats"] = tuple((old, new) for old, new in values.get("seats", ()))
    return cls(**values)
