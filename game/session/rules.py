"""The session's rules: which command is allowed when and by whom, and the order every act goes
through: who sent it, whether it was seen before, the clock, the phase, its rule, then its id
and the session's rev.

What each command does lives with what it acts on: ``teams`` (who sits where),
``rounds`` (the round's course, the clock, bot teams), ``plans`` (a team's
plan) and ``reasons`` (why the team decided as it did). Their public names are re-exported here.
"""

from __future__ import annotations

from dataclasses import replace

from game.model import Scenario
from game.session import commands as c
from game.session.commands import Command
from game.session.edits import Rule, put_seat, reject
from game.session.plans import PLAN_RULES
from game.session.reasons import REASON_RULES
from game.session.rounds import ROUND_RULES, arm_closing, expire
from game.session.state import (
    HOST,
    RECENT_IDS,
    SYSTEM,
    Act,
    Applied,
    Notice,
    NoticeKind,
    Phase,
    Session,
    Settings,
)
from game.session.teams import TEAM_RULES, add_team

_PLAYING = frozenset({Phase.LOBBY, Phase.ROUND_OPEN, Phase.ROUND_CLOSED, Phase.REVEALED})
_ANY = frozenset(Phase)

# -- The phase table: which command is allowed in which phase, and who may send it -------------------

PHASES: dict[type[Command], frozenset[Phase]] = {
    c.Configure: frozenset({Phase.LOBBY}),
    c.AddBot: frozenset({Phase.LOBBY}),
    c.Start: frozenset({Phase.LOBBY}),
    c.Pause: frozenset({Phase.ROUND_OPEN}),
    c.Resume: frozenset({Phase.ROUND_OPEN}),
    c.Extend: frozenset({Phase.ROUND_OPEN}),
    c.Close: frozenset({Phase.ROUND_OPEN}),
    c.KeepOpen: frozenset({Phase.ROUND_OPEN}),
    c.Reveal: frozenset({Phase.ROUND_CLOSED}),
    c.Next: frozenset({Phase.REVEALED}),
    c.MovePlayer: _PLAYING,
    c.RemovePlayer: _PLAYING,
    c.RenameTeam: _PLAYING,
    c.SetJoining: _PLAYING,
    c.End: _PLAYING,
    c.Continue: frozenset({Phase.DEBRIEF}),
    c.Join: _PLAYING,
    c.ChooseTeam: frozenset({Phase.LOBBY}),
    c.SetCard: frozenset({Phase.ROUND_OPEN}),
    c.Lock: frozenset({Phase.ROUND_OPEN}),
    c.Unlock: frozenset({Phase.ROUND_OPEN}),
    c.SetReason: frozenset({Phase.ROUND_OPEN}),
    c.HideReason: frozenset({Phase.ROUND_OPEN, Phase.ROUND_CLOSED, Phase.REVEALED, Phase.DEBRIEF}),
    c.RenameMyTeam: _PLAYING,
    c.Tick: _ANY,
    c.Presence: _ANY,
}
WHO: dict[type[Command], str] = {
    **dict.fromkeys(c.HOST_COMMANDS, "host"),
    **dict.fromkeys(c.SEAT_COMMANDS, "seat"),
    c.Presence: "seat",
    c.Tick: "system",
    c.Continue: "host",
    c.Join: "anyone",
}


def new_session(code: str, scenario: Scenario, settings: Settings, created_ms: int) -> Session:
    """A fresh session in the lobby, with the configured number of empty teams."""
    state = Session(code=code, scenario=scenario, settings=settings, created_ms=created_ms)
    for _ in range(settings.teams):
        state = add_team(state)
    return state


def apply(state: Session, act: Act) -> Applied:
    """Check the act against the tables, run its rule, remember its id; or raise CommandRejected."""
    cmd = act.command
    kind = type(cmd)
    if kind is c.Join and act.id and act.id in state.joins:
        return Applied(state, (), seat=state.joins[act.id], duplicate=True)
    _check_actor(state, act, WHO[kind])
    if act.id and act.id in _recent(state, act.actor):
        return Applied(state, (), duplicate=True)
    s, early = expire(state, act.now_ms)
    seen = getattr(cmd, "round", None)
    if s.phase not in PHASES[kind]:
        done = _already_done(s, cmd, seen)
        if not done or seen is None:
            why = ": it has already happened" if done else ""
            raise reject("wrong_phase", f"{cmd.tag} is not allowed now (phase: {s.phase.value}){why}")
        if not early:  # a double click, or the clock got there first: acknowledged, nothing to do
            return Applied(state, duplicate=True)
        notices: tuple[Notice, ...] = ()
    elif seen is not None and seen != s.round_index:
        raise reject("stale", f"the game has moved on (now round {s.round_index + 1}): your screen is behind")
    else:
        s, notices = RULES[kind](s, act)
    armed = arm_closing(s, act.now_ms)
    if armed.closing_at_ms != s.closing_at_ms:
        s, notices = armed, (*notices, Notice(NoticeKind.TIMER))
    notices = early + notices
    if not notices:
        return Applied(state)  # accepted, but nothing changed: nothing to log or broadcast
    seat = ""
    if kind is c.Join:
        seat = f"s{state.next_seat}"
        s = replace(s, joins=s.joins.set(act.id, seat)) if act.id else s
    elif act.id and cmd.logged:  # an unlogged act's id would not survive a restart
        s = _remember(s, act.actor, act.id)
    rev = state.rev + 1 if cmd.logged else state.rev  # rev counts logged commands: same after a replay
    return Applied(replace(s, rev=rev), notices, seat=seat)


def _already_done(state: Session, cmd: Command, seen: int | None) -> bool:
    """A facilitator's step that has already happened for the round their screen showed (``seen``):
    close and reveal of this round, next once the following round is open, end in the debrief.
    With ``seen`` it is acknowledged as a duplicate; without, refused as wrong_phase, saying so."""
    same = seen is None or seen == state.round_index
    if isinstance(cmd, c.Close):
        return same and state.phase in (Phase.ROUND_CLOSED, Phase.REVEALED)
    if isinstance(cmd, c.Reveal):
        return same and state.phase is Phase.REVEALED
    if isinstance(cmd, c.Next):
        moved_on = seen is not None and seen >= 0 and state.round_index == seen + 1
        return moved_on or (seen is not None and state.phase is Phase.DEBRIEF)
    return isinstance(cmd, c.End) and state.phase is Phase.DEBRIEF


def _check_actor(state: Session, act: Act, who: str) -> None:
    if who == "host" and act.actor != HOST:
        raise reject("forbidden", "only the facilitator can do that")
    if who == "system" and act.actor != SYSTEM:
        raise reject("forbidden", "only the server can do that")
    if who == "seat":
        seat = state.seats.get(act.actor)
        if seat is None:
            raise reject("forbidden", "only a player can do that")
        if seat.removed:
            raise reject("removed", "you were removed from this session")


def _recent(state: Session, actor: str) -> tuple[str, ...]:
    if actor == HOST:
        return state.host_recent
    seat = state.seats.get(actor)
    return seat.recent if seat is not None else ()


def _remember(state: Session, actor: str, cid: str) -> Session:
    if actor == HOST:
        return replace(state, host_recent=(*state.host_recent, cid)[-RECENT_IDS:])
    seat = state.seats.get(actor)
    if seat is None:
        return state
    return put_seat(state, replace(seat, recent=(*seat.recent, cid)[-RECENT_IDS:]))


RULES: dict[type[Command], Rule] = {**TEAM_RULES, **ROUND_RULES, **PLAN_RULES, **REASON_RULES}
