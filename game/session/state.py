"""The session's data: seats, teams, plans, timer and phase, as frozen dataclasses."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from immutables import Map

from game.model import ROLES, Company, Decision, Role, RoundOutcome, Scenario
from game.session.commands import Command

TEAM_SIZE = 5  # auto mode aims for about this many people per team
RECENT_IDS = 32  # command ids remembered per actor for idempotency
HOST = "host"  # the facilitator's actor id
SYSTEM = "system"  # the server's own actor id (clock, presence)
BOT = "bot"  # who set a bot team's plan


class Phase(StrEnum):
    LOBBY = "lobby"
    ROUND_OPEN = "round_open"
    ROUND_CLOSED = "round_closed"
    REVEALED = "revealed"
    DEBRIEF = "debrief"


@dataclass(frozen=True, slots=True)
class Settings:
    """What the facilitator chose when creating the session."""

    teams: int = 0  # 0 = auto: about TEAM_SIZE people per team, recomputed as people join
    round_seconds: int = 0  # 0 = untimed: the facilitator closes each round
    seed: int = 1
    close_when_locked: int = 5  # seconds after every team locks that the round closes by itself (0 = never)
    reveal_on_close: bool = False  # a closed round is revealed at once, without the facilitator's press


@dataclass(frozen=True, slots=True)
class Seat:
    """One person at the table."""

    id: str
    name: str
    team: str
    chose_team: bool = False  # picked a team themselves: auto balancing leaves them alone
    connected: bool = False
    removed: bool = False
    recent: tuple[str, ...] = ()  # recent command ids, for idempotency


@dataclass(frozen=True, slots=True)
class Choice:
    """One card's decision in a team's plan, and who set it."""

    decision: Decision
    by: str  # seat id, or BOT


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a team decided a card as it did, in a player's words; the last one written stands."""

    text: str
    by: str  # seat id
    off_projector: bool = False  # the facilitator keeps it off the projector (the team still sees it)


@dataclass(frozen=True, slots=True)
class Team:
    """A team and its company."""

    id: str
    name: str
    company: Company
    bot: str = ""  # the strategy name of a bot team
    members: tuple[str, ...] = ()  # active seat ids in join order; roles follow this order
    plan: Mapping[str, Choice] = field(default_factory=dict)
    locked: bool = False
    locked_by: str = ""
    outcomes: tuple[RoundOutcome, ...] = ()  # one per resolved round
    plans: tuple[Mapping[str, Choice], ...] = ()  # the plan each resolved round was played with
    reasons: Mapping[str, Reason] = field(default_factory=dict)  # card -> why, this round
    past_reasons: tuple[Mapping[str, Reason], ...] = ()  # the reasons of each resolved round
    bot_rng: tuple[Any, ...] | None = None  # a bot's dice between rounds (random.Random state)


@dataclass(frozen=True, slots=True)
class Timer:
    """The round clock as data: running (ends_at_ms), paused (paused_remaining_ms) or off (both None)."""

    ends_at_ms: int | None = None
    paused_remaining_ms: int | None = None

    def remaining_ms(self, now_ms: int) -> int | None:
        if self.ends_at_ms is not None:
            return max(0, self.ends_at_ms - now_ms)
        return self.paused_remaining_ms


@dataclass(frozen=True, slots=True)
class Session:
    """Everything the server knows about one session; replace(), never mutate."""

    code: str
    scenario: Scenario
    settings: Settings
    created_ms: int
    phase: Phase = Phase.LOBBY
    round_index: int = -1  # the current round; -1 in the lobby
    teams: Mapping[str, Team] = field(default_factory=dict)  # in creation order
    # Persistent maps (HAMTs): a session is a new value after every act, and copying a dict of
    # 2,000 seats to change one cost ~35 us per edit and per join; ``set`` shares the rest.
    seats: Map[str, Seat] = field(default_factory=Map)
    timer: Timer = Timer()
    rev: int = 0  # logged commands applied so far; clients drop views with a lower rev than they have
    next_seat: int = 1
    next_team: int = 1
    host_recent: tuple[str, ...] = ()
    joins: Map[str, str] = field(default_factory=Map)  # join command id -> seat id
    ended_early: bool = False
    joining_open: bool = True  # the facilitator may close the door once everyone is in
    next_code: str = ""  # the game the same people went on to, from the debrief
    next_seats: Mapping[str, str] = field(default_factory=dict)  # seat here -> seat in that game
    closing_at_ms: int | None = None  # every team has locked: the round closes then, unless kept open
    kept_open: bool = False  # the facilitator kept this round open after every team locked

    def team_of(self, seat_id: str) -> Team:
        return self.teams[self.seats[seat_id].team]

    @property
    def rounds(self) -> int:
        return len(self.scenario.rounds)

    def human_teams(self) -> list[Team]:
        return [t for t in self.teams.values() if not t.bot]


class NoticeKind(StrEnum):
    """What the web layer must tell whom after a command."""

    ALL = "all"  # the phase changed: everyone gets a full view
    TEAM = "team"  # a team's membership or roles changed: its seats get full views
    MEMBERS = "members"  # a team's members' presence changed: compact update
    PLAN = "plan"  # a team's plan changed: its room gets the plan, the host a summary
    TIMER = "timer"  # the clock changed
    HOST = "host"  # only the facilitator's view changed
    REMOVED = "removed"  # a seat was removed: tell it and drop its connections


@dataclass(frozen=True, slots=True)
class Notice:
    kind: NoticeKind
    team: str = ""
    seat: str = ""


@dataclass(frozen=True, slots=True)
class Act:
    """One command as the session receives it: who, what, the client's command id, and when."""

    actor: str  # HOST, SYSTEM, a seat id, or "" for a join
    command: Command
    id: str = ""
    now_ms: int = 0


@dataclass(frozen=True, slots=True)
class Applied:
    """The result of applying an act."""

    state: Session
    notices: tuple[Notice, ...] = ()
    seat: str = ""  # the seat a join created (or found again)
    duplicate: bool = False  # the command id was seen before: acknowledged, not applied again


@functools.lru_cache(maxsize=4096)
def roles_for(position: int, team_size: int) -> tuple[Role, ...]:
    """Roles go Sales, Product, Engineering in join order, repeating; every role is held by someone."""
    if team_size <= 0:
        return ()
    slots = max(len(ROLES), team_size)
    return tuple(ROLES[j % len(ROLES)] for j in range(slots) if j % team_size == position)


def seat_roles(state: Session, seat_id: str) -> tuple[Role, ...]:
    seat = state.seats[seat_id]
    if seat.removed:
        return ()
    members = state.teams[seat.team].members
    return roles_for(members.index(seat_id), len(members))
