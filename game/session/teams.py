"""Who sits where: joining, teams and their seats, moves, removals, renames, bot teams, the door,
and whether a seat's phone is connected.

A seat's role follows the order people came into its team, so members are only ever added
through ``_seat_into``; the lobby's automatic team making and the balancing at the start live
here for the same reason.
"""

from __future__ import annotations

import math
from dataclasses import replace

from game.inbound import MAX_TEAMS
from game.session import commands as c
from game.session.edits import Result, Rule, put_seat, put_team, reject
from game.session.state import TEAM_SIZE, Act, Notice, NoticeKind, Phase, Seat, Session, Team
from game.sim import start_company

MAX_SEATS = 5000


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
    return replace(put_team(state, team), next_team=n + 1)


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
        state = put_team(state, replace(old, members=tuple(m for m in old.members if m != seat.id)))
        notices.append(Notice(NoticeKind.TEAM, team=old.id))
    team = state.teams[team_id]
    state = put_team(state, replace(team, members=(*team.members, seat.id)))
    state = put_seat(state, replace(seat, team=team_id))
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
    state = replace(put_seat(state, seat), next_seat=state.next_seat + 1)
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
    state = put_team(state, replace(team, members=tuple(m for m in team.members if m != seat.id)))
    state = put_seat(state, replace(seat, removed=True, connected=False))
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
    return put_team(state, replace(team, name=name)), (Notice(NoticeKind.TEAM, team=team_id),)


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
    return put_seat(state, replace(seat, connected=cmd.connected)), (
        Notice(NoticeKind.MEMBERS, team=seat.team),
    )


def _set_joining(state: Session, act: Act) -> Result:
    cmd = act.command
    assert isinstance(cmd, c.SetJoining)
    if state.joining_open == cmd.open:
        return state, ()
    return replace(state, joining_open=cmd.open), (Notice(NoticeKind.HOST),)


def rebalance(state: Session) -> Session:
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


TEAM_RULES: dict[type[c.Command], Rule] = {
    c.Join: _join,
    c.ChooseTeam: _choose_team,
    c.MovePlayer: _move_player,
    c.RemovePlayer: _remove_player,
    c.RenameTeam: _rename_team,
    c.RenameMyTeam: _rename_my_team,
    c.AddBot: _add_bot,
    c.SetJoining: _set_joining,
    c.Presence: _presence,
}
