"""The session's rules: which command is allowed when and by whom, and what each one does."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

from game import commands as c
from game.commands import Command, CommandRejected
from game.engine import resolve_round, start_company
from game.model import Scenario
from game.playthrough import strategy_rng
from game.rules import capacity_of
from game.session_state import (
    BOT,
    HOST,
    RECENT_IDS,
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
)
from game.strategies import strategy
from game.table import cards_on_table, decidable_ids

MAX_SEATS = 5000
MAX_TEAMS = 500

Result = tuple[Session, tuple[Notice, ...]]
ALL = (Notice(NoticeKind.ALL),)
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
    c.Reveal: frozenset({Phase.ROUND_CLOSED}),
    c.Next: frozenset({Phase.REVEALED}),
    c.MovePlayer: _PLAYING,
    c.RemovePlayer: _PLAYING,
    c.RenameTeam: _PLAYING,
    c.SetJoining: _PLAYING,
    c.End: _PLAYING,
    c.Join: _PLAYING,
    c.ChooseTeam: frozenset({Phase.LOBBY}),
    c.SetCard: frozenset({Phase.ROUND_OPEN}),
    c.Lock: frozenset({Phase.ROUND_OPEN}),
    c.Unlock: frozenset({Phase.ROUND_OPEN}),
    c.RenameMyTeam: _PLAYING,
    c.Tick: _ANY,
    c.Presence: _ANY,
}
WHO: dict[type[Command], str] = {
    **dict.fromkeys(c.HOST_COMMANDS, "host"),
    **dict.fromkeys(c.SEAT_COMMANDS, "seat"),
    c.Presence: "seat",
    c.Tick: "system",
    c.Join: "anyone",
}


def reject(code: str, message: str) -> CommandRejected:
    return CommandRejected(code, message)


def new_session(code: str, scenario: Scenario, settings: Settings, created_ms: int) -> Session:
    """A fresh session in the lobby, with the configured number of empty teams."""
    state = Session(code=code, scenario=scenario, settings=settings, created_ms=created_ms)
    for _ in range(settings.teams):
        state = add_team(state)
    return state


def apply_act(state: Session, act: Act) -> Applied:
    """Check the act against the tables, run its rule, remember its id; or raise CommandRejected."""
    cmd = act.command
    kind = type(cmd)
    if kind is c.Join and act.id and act.id in state.joins:
        return Applied(state, (), seat=state.joins[act.id], duplicate=True)
    _check_actor(state, act, WHO[kind])
    if act.id and act.id in _recent(state, act.actor):
        return Applied(state, (), duplicate=True)
    s, early = _expire(state, act.now_ms)
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
    notices = early + notices
    if not notices:
        return Applied(state)  # accepted, but nothing changed: nothing to log or broadcast
    seat = ""
    if kind is c.Join:
        seat = f"s{state.next_seat}"
        s = replace(s, joins={**s.joins, act.id: seat}) if act.id else s
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
    return _put_seat(state, replace(seat, recent=(*seat.recent, cid)[-RECENT_IDS:]))


def _expire(state: Session, now_ms: int) -> Result:
    """Time runs out before any command is looked at: the round closes as plans stand."""
    end = state.timer.ends_at_ms
    if state.phase is Phase.ROUND_OPEN and end is not None and now_ms >= end:
        return close_round(state), ALL
    return state, ()


# -- Teams and seats ---------------------------------------------------------------------------------


def _put_seat(state: Session, seat: Seat) -> Session:
    return replace(state, seats={**state.seats, seat.id: seat})


def _put_team(state: Session, team: Team) -> Session:
    return replace(state, teams={**state.teams, team.id: team})


def add_team(state: Session, bot: str = "", name: str = "") -> Session:
    if len(state.teams) >= MAX_TEAMS:
        raise reject("full", f"a session has at most {MAX_TEAMS} teams")
    n = state.next_team
    team = Team(
        id=f"t{n}",
        name=name or (f"Bot {n} ({bot})" if bot else f"Team {n}"),
        company=start_company(state.scenario),
        bot=bot,
    )
    return replace(_put_team(state, team), next_team=n + 1)


def _human_team(state: Session, team_id: str) -> Team:
    team = state.teams.get(team_id)
    if team is None:
        raise reject("not_found", f"no team {team_id}")
    if team.bot:
        raise reject("invalid", "bot teams have no seats")
    return team


def _active_seat(state: Session, seat_id: str) -> Seat:
    seat = state.seats.get(seat_id)
    if seat is None or seat.removed:
        raise reject("not_found", f"no player {seat_id}")
    return seat


def _team_for_joiner(state: Session) -> tuple[Session, str]:
    """The smallest team; in auto mode the lobby opens a new team when teams would pass TEAM_SIZE."""
    humans = state.human_teams()
    if state.phase is Phase.LOBBY and state.settings.teams == 0:
        people = sum(len(t.members) for t in humans) + 1
        if len(humans) < math.ceil(people / TEAM_SIZE):
            state = add_team(state)
            return state, f"t{state.next_team - 1}"
    if not humans:
        raise reject("no_team", "there is no team to join")
    return state, min(humans, key=lambda t: len(t.members)).id


def _seat_into(state: Session, seat: Seat, team_id: str) -> Result:
    """Put a seat into a team (taking it out of its old one); roles follow join order."""
    notices: list[Notice] = []
    old = state.teams.get(seat.team)
    if old is not None and seat.id in old.members:
        state = _put_team(state, replace(old, members=tuple(m for m in old.members if m != seat.id)))
        notices.append(Notice(NoticeKind.TEAM, team=old.id))
    team = state.teams[team_id]
    state = _put_team(state, replace(team, members=(*team.members, seat.id)))
    state = _put_seat(state, replace(seat, team=team_id))
    notices.append(Notice(NoticeKind.TEAM, team=team_id))
    return state, tuple(notices)


def _join(state: Session, act: Act) -> Result:
    cmd = act.command
    assert isinstance(cmd, c.Join)
    if not state.joining_open:
        raise reject("closed", "This game is not taking new players. Ask the facilitator to open it.")
    if len(state.seats) >= MAX_SEATS:
        raise reject("full", "this session is full")
    if cmd.team:
        team_id = _human_team(state, cmd.team).id
    else:
        state, team_id = _team_for_joiner(state)
    seat = Seat(id=f"s{state.next_seat}", name=cmd.name, team=team_id, chose_team=bool(cmd.team))
    state = replace(_put_seat(state, seat), next_seat=state.next_seat + 1)
    state, notices = _seat_into(state, seat, team_id)
    return state, (*notices, Notice(NoticeKind.HOST))


def _choose_team(state: Session, act: Act) -> Result:
    cmd = act.command
    assert isinstance(cmd, c.ChooseTeam)
    return _move(state, act.actor, cmd.team)


def _move_player(state: Session, act: Act) -> Result:
    cmd = act.command
    assert isinstance(cmd, c.MovePlayer)
    return _move(state, cmd.seat, cmd.team)


def _move(state: Session, seat_id: str, team_id: str) -> Result:
    seat = _active_seat(state, seat_id)
    team = _human_team(state, team_id)
    if seat.team == team.id:
        return state, ()
    return _seat_into(state, replace(seat, chose_team=True), team.id)


def _remove_player(state: Session, act: Act) -> Result:
    cmd = act.command
    assert isinstance(cmd, c.RemovePlayer)
    seat = _active_seat(state, cmd.seat)
    team = state.teams[seat.team]
    state = _put_team(state, replace(team, members=tuple(m for m in team.members if m != seat.id)))
    state = _put_seat(state, replace(seat, removed=True, connected=False))
    return state, (
        Notice(NoticeKind.REMOVED, seat=seat.id, team=team.id),
        Notice(NoticeKind.TEAM, team=team.id),
    )


def _rename(state: Session, team_id: str, name: str) -> Result:
    team = state.teams.get(team_id)
    if team is None:
        raise reject("not_found", f"no team {team_id}")
    if team.name == name:
        return state, ()
    return _put_team(state, replace(team, name=name)), (Notice(NoticeKind.TEAM, team=team_id),)


def _rename_team(state: Session, act: Act) -> Result:
    cmd = act.command
    assert isinstance(cmd, c.RenameTeam)
    return _rename(state, cmd.team, cmd.name)


def _rename_my_team(state: Session, act: Act) -> Result:
    cmd = act.command
    assert isinstance(cmd, c.RenameMyTeam)
    return _rename(state, state.seats[act.actor].team, cmd.name)


def _add_bot(state: Session, act: Act) -> Result:
    cmd = act.command
    assert isinstance(cmd, c.AddBot)
    return add_team(state, bot=cmd.strategy, name=cmd.name), (Notice(NoticeKind.HOST),)


def _presence(state: Session, act: Act) -> Result:
    cmd = act.command
    assert isinstance(cmd, c.Presence)
    seat = state.seats[act.actor]
    if seat.connected == cmd.connected:
        return state, ()
    return _put_seat(state, replace(seat, connected=cmd.connected)), (
        Notice(NoticeKind.MEMBERS, team=seat.team),
    )


def _set_joining(state: Session, act: Act) -> Result:
    cmd = act.command
    assert isinstance(cmd, c.SetJoining)
    if state.joining_open == cmd.open:
        return state, ()
    return replace(state, joining_open=cmd.open), (Notice(NoticeKind.HOST),)


def _configure(state: Session, act: Act) -> Result:
    cmd = act.command
    assert isinstance(cmd, c.Configure)
    settings = state.settings
    if cmd.round_seconds is not None:
        settings = replace(settings, round_seconds=cmd.round_seconds)
    if cmd.seed is not None:
        settings = replace(settings, seed=cmd.seed)
    if settings == state.settings:
        return state, ()
    return replace(state, settings=settings), (Notice(NoticeKind.HOST),)


# -- Rounds ------------------------------------------------------------------------------------------


def _rebalance(state: Session) -> Session:
    """Auto mode, at the start: even out team sizes, moving only people who did not pick a team."""
    while True:
        humans = [t for t in state.human_teams() if t.members]
        if len(humans) < 2:
            return state
        big = max(humans, key=lambda t: len(t.members))
        small = min(humans, key=lambda t: len(t.members))
        movable = [m for m in big.members if not state.seats[m].chose_team]
        if len(big.members) - len(small.members) <= 1 or not movable:
            return state
        state, _ = _seat_into(state, state.seats[movable[-1]], small.id)


def _start(state: Session, act: Act) -> Result:
    if state.settings.teams == 0:
        state = _rebalance(state)
    teams = {k: t for k, t in state.teams.items() if t.bot or t.members}
    if not teams:
        raise reject("no_teams", "nobody has joined yet: wait for players or add a bot team")
    return open_round(replace(state, teams=teams), 0, act.now_ms), ALL


def open_round(state: Session, round_index: int, now_ms: int) -> Session:
    """Clear every plan; bot teams decide and lock at once; the clock starts if the round is timed."""
    seed = state.settings.seed
    teams: dict[str, Team] = {}
    for t in state.teams.values():
        if t.bot:
            teams[t.id] = _bot_decides(state, t, round_index, seed)
        else:
            teams[t.id] = replace(t, plan={}, locked=False, locked_by="")
    secs = state.settings.round_seconds
    timer = Timer(ends_at_ms=now_ms + secs * 1000) if secs else Timer()
    return replace(state, phase=Phase.ROUND_OPEN, round_index=round_index, teams=teams, timer=timer)


def _bot_decides(state: Session, team: Team, round_index: int, seed: int) -> Team:
    """A bot team plays its strategy with the same dice stream as the reference game on this seed."""
    rng = strategy_rng(seed)
    if team.bot_rng is not None:
        rng.setstate(team.bot_rng)
    table = cards_on_table(state.scenario, team.company, round_index)
    plan = strategy(team.bot)(team.company, table, capacity_of(team.company), rng)
    return replace(
        team,
        plan={k: Choice(d, BOT) for k, d in plan.items()},
        locked=True,
        locked_by=BOT,
        bot_rng=rng.getstate(),
    )


def close_round(state: Session) -> Session:
    """Take every plan as it stands and resolve the round for every team with the same seed."""
    seed = state.settings.seed
    teams: dict[str, Team] = {}
    for t in state.teams.values():
        plan = {k: ch.decision for k, ch in t.plan.items()}
        company, outcome = resolve_round(state.scenario, t.company, plan, state.round_index, seed)
        teams[t.id] = replace(t, company=company, outcomes=(*t.outcomes, outcome), plans=(*t.plans, t.plan))
    return replace(state, phase=Phase.ROUND_CLOSED, teams=teams, timer=Timer())


def _close(state: Session, act: Act) -> Result:
    return close_round(state), ALL


def _reveal(state: Session, act: Act) -> Result:
    return replace(state, phase=Phase.REVEALED), ALL


def _next(state: Session, act: Act) -> Result:
    if state.round_index + 1 < state.rounds:
        return open_round(state, state.round_index + 1, act.now_ms), ALL
    return replace(state, phase=Phase.DEBRIEF), ALL


def _end(state: Session, act: Act) -> Result:
    teams = state.teams
    if state.phase is Phase.ROUND_OPEN:  # the open round is not played
        teams = {k: replace(t, plan={}, locked=False, locked_by="") for k, t in teams.items()}
    played = state.phase in (Phase.ROUND_CLOSED, Phase.REVEALED) and state.round_index + 1 == state.rounds
    return replace(state, phase=Phase.DEBRIEF, teams=teams, timer=Timer(), ended_early=not played), ALL


def _tick(state: Session, act: Act) -> Result:
    return state, ()  # the clock's work happens in _expire, before any command


def _timer_changed(state: Session, timer: Timer) -> Result:
    return replace(state, timer=timer), (Notice(NoticeKind.TIMER),)


def _pause(state: Session, act: Act) -> Result:
    end = state.timer.ends_at_ms
    if end is None:
        raise reject("invalid", "the timer is not running")
    return _timer_changed(state, Timer(paused_remaining_ms=end - act.now_ms))


def _resume(state: Session, act: Act) -> Result:
    left = state.timer.paused_remaining_ms
    if left is None:
        raise reject("invalid", "the timer is not paused")
    return _timer_changed(state, Timer(ends_at_ms=act.now_ms + left))


def _extend(state: Session, act: Act) -> Result:
    cmd = act.command
    assert isinstance(cmd, c.Extend)
    extra = cmd.seconds * 1000
    t = state.timer
    if t.ends_at_ms is not None:
        return _timer_changed(state, Timer(ends_at_ms=t.ends_at_ms + extra))
    if t.paused_remaining_ms is not None:
        return _timer_changed(state, Timer(paused_remaining_ms=t.paused_remaining_ms + extra))
    return _timer_changed(state, Timer(ends_at_ms=act.now_ms + extra))  # an untimed round gets a clock


# -- Plans --------------------------------------------------------------------------------------------


def table_ids(state: Session, team: Team) -> tuple[str, ...]:
    """The cards this team decides on this round."""
    return decidable_ids(cards_on_table(state.scenario, team.company, state.round_index))


def _set_card(state: Session, act: Act) -> Result:
    cmd = act.command
    assert isinstance(cmd, c.SetCard)
    team = state.team_of(act.actor)
    if team.locked:
        raise reject("locked", "your team has locked its plan: unlock it to change it")
    if cmd.card not in table_ids(state, team):
        raise reject("not_found", f"card {cmd.card} is not on your table")
    plan = dict(team.plan)
    if cmd.decision is None:
        if cmd.card not in plan:
            return state, ()
        del plan[cmd.card]
    else:
        choice = Choice(cmd.decision, act.actor)
        if plan.get(cmd.card) == choice:
            return state, ()
        plan[cmd.card] = choice
    return _put_team(state, replace(team, plan=plan)), (Notice(NoticeKind.PLAN, team=team.id),)


def _lock(state: Session, act: Act) -> Result:
    team = state.team_of(act.actor)
    if team.locked:
        raise reject("locked", "your team's plan is already locked")
    team = replace(team, locked=True, locked_by=act.actor)
    return _put_team(state, team), (Notice(NoticeKind.PLAN, team=team.id),)


def _unlock(state: Session, act: Act) -> Result:
    team = state.team_of(act.actor)
    if not team.locked:
        raise reject("not_locked", "your team's plan is not locked")
    team = replace(team, locked=False, locked_by="")
    return _put_team(state, team), (Notice(NoticeKind.PLAN, team=team.id),)


RULES: dict[type[Command], Callable[[Session, Act], Result]] = {
    c.Configure: _configure,
    c.Start: _start,
    c.Close: _close,
    c.Reveal: _reveal,
    c.Next: _next,
    c.Pause: _pause,
    c.Resume: _resume,
    c.Extend: _extend,
    c.AddBot: _add_bot,
    c.MovePlayer: _move_player,
    c.RemovePlayer: _remove_player,
    c.RenameTeam: _rename_team,
    c.SetJoining: _set_joining,
    c.End: _end,
    c.Join: _join,
    c.ChooseTeam: _choose_team,
    c.SetCard: _set_card,
    c.Lock: _lock,
    c.Unlock: _unlock,
    c.RenameMyTeam: _rename_my_team,
    c.Tick: _tick,
    c.Presence: _presence,
}
assert set(RULES) == set(PHASES) == set(WHO) == set(c.ALL_COMMANDS.values())
