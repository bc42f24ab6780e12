"""A session: the pure state machine of one workshop (lobby, rounds, reveal, debrief).

Rule of this folder: ``apply(state, act)`` is the only way state changes (the new session and what
to tell whom, or ``CommandRejected`` with nothing changed); it reads no clock and does no I/O (every
act carries the server's ``now_ms``), so the command log replays to the same session anywhere.
The data lives in ``state``, the phase table and the checks every act goes through in ``rules``,
what each command does in ``teams``, ``rounds``, ``plans`` and ``reasons``. ``commands`` is the protocol's
vocabulary; everything outside this folder imports from this face.
"""

from __future__ import annotations

from game.session import commands
from game.session.commands import Presence, Tick, decode, encode
from game.session.plans import Room, build_order, room_of, table_ids
from game.session.rounds import due as round_due
from game.session.rules import PHASES, WHO, apply, new_session
from game.session.state import (
    BOT,
    HOST,
    SYSTEM,
    TEAM_SIZE,
    Act,
    Applied,
    Choice,
    Notice,
    NoticeKind,
    Phase,
    Reason,
    Seat,
    Session,
    Settings,
    Team,
    Timer,
    roles_for,
    seat_roles,
)

__all__ = [
    "BOT",
    "HOST",
    "PHASES",
    "SYSTEM",
    "TEAM_SIZE",
    "WHO",
    "Act",
    "Applied",
    "Choice",
    "Notice",
    "NoticeKind",
    "Phase",
    "Presence",
    "Reason",
    "Room",
    "Seat",
    "Session",
    "Settings",
    "Team",
    "Tick",
    "Timer",
    "apply",
    "build_order",
    "commands",
    "decode",
    "encode",
    "new_session",
    "roles_for",
    "room_of",
    "round_due",
    "seat_roles",
    "table_ids",
]
