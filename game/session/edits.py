"""What every rule module of the session shares: a rule's answer, its refusal, and how a changed
seat or team goes back into the session.

The rules are split by what they act on (teams and seats, the round, plans); this module sits
under all of them, so none has to import another for these few lines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from game.errors import CommandRejected
from game.session.state import Act, Notice, NoticeKind, Seat, Session, Team

Result = tuple[Session, tuple[Notice, ...]]
Rule = Callable[[Session, Act], Result]
ALL = (Notice(NoticeKind.ALL),)


def reject(code: str, message: str) -> CommandRejected:
    return CommandRejected(code, message)


def put_seat(state: Session, seat: Seat) -> Session:
    return replace(state, seats=state.seats.set(seat.id, seat))


def put_team(state: Session, team: Team) -> Session:
    return replace(state, teams={**state.teams, team.id: team})
