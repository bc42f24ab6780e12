"""A workshop session: immutable state moved on by a pure ``apply(state, act)``.

Nothing here does I/O or reads the clock: every act carries the server's ``now_ms``, so
replaying the command log rebuilds a session exactly, timers included. The data lives in
``session_state``, the phase table and the checks every act goes through in ``session_rules``,
and what each command does in ``session_teams``, ``session_round`` and ``session_plans``; this
module is the public face of them all.
"""

from __future__ import annotations

from game.session.commands import CommandRejected
from game.session.plans import Room, build_order, room_of
from game.session.rounds import due as round_due
from game.session.rules import PHASES, WHO, apply_act, new_session, table_ids
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
    "CommandRejected",
    "Notice",
    "NoticeKind",
    "Phase",
    "Room",
    "Seat",
    "Session",
    "Settings",
    "Team",
    "Timer",
    "apply",
    "build_order",
    "new_session",
    "roles_for",
    "room_of",
    "round_due",
    "seat_roles",
    "table_ids",
]


def apply(state: Session, act: Act) -> Applied:
    """Apply one act: the new session and what to tell whom, or CommandRejected with nothing changed."""
    return apply_act(state, act)
