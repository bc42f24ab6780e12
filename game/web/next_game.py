"""The same people, another game: from the debrief, a new session with the same teams and seats.

Like Jackbox's "same players": nobody types a code again. The new session is made for the same
facilitator (their key opens it), with the same team names, bot teams and seats in the same
order (so everyone keeps their team and role), and the door as it was. The old session records
where everyone went (``Continue``) before anyone is told, so a phone that was away finds its new
seat when it comes back: its old token still resumes the old seat, and the answer carries the new
one. Each phone connected now, on any worker, gets its new seat's token on its own connection
(``seat:next``).
"""

from __future__ import annotations

from collections.abc import Callable

from game.model import Scenario
from game.session import HOST, Act, Session, Settings
from game.session import commands as c
from game.store import SessionStore, UnknownSession

# How the old session learns where everyone went: the hub's apply, which also tells the phones.
Announce = Callable[[str, Act], object]


def carry_on(
    store: SessionStore,
    announce: Announce,
    now: int,
    old: Session,
    scenario: Scenario,
    round_seconds: int,
    seed: int,
) -> str:
    """Make the next game for ``old``'s people; returns its room code."""
    humans = [t for t in old.human_teams() if t.members]
    settings = Settings(teams=len(humans), round_seconds=round_seconds, seed=seed)
    created = store.create(scenario, settings, now, facilitator_of=old.code)
    code = created.code
    team_for = dict(zip((t.id for t in humans), created.state.teams, strict=False))
    for team in humans:
        store.update(
            code, Act(HOST, c.RenameTeam(team=team_for[team.id], name=team.name), f"name-{team.id}", now)
        )
    for bot in (t for t in old.teams.values() if t.bot):
        store.update(code, Act(HOST, c.AddBot(strategy=bot.bot, name=bot.name), f"bot-{bot.id}", now))
    seats: list[tuple[str, str]] = []
    for team in humans:
        for seat_id in team.members:  # in join order: everyone keeps their role
            join = c.Join(name=old.seats[seat_id].name, team=team_for[team.id])
            seats.append((seat_id, store.update(code, Act("", join, f"carry-{seat_id}", now)).seat))
    if not old.joining_open:
        store.update(code, Act(HOST, c.SetJoining(open=False), "door", now))
    # Recorded before anyone is told; every worker then tells its own phones (Hub.tell_own_phones).
    announce(old.code, Act(HOST, c.Continue(code=code, seats=tuple(seats)), f"continue-{code}", now))
    return code


def next_seat(store: SessionStore, state: Session, seat_id: str) -> dict[str, str] | None:
    """Where this seat went on to play after ``state``'s debrief, with its token there; None if nowhere."""
    if not state.next_code or seat_id not in state.next_seats:
        return None
    try:
        token = store.seat_token(state.next_code, state.next_seats[seat_id])
    except UnknownSession:  # the next game was deleted since
        return None
    return {"code": state.next_code, "token": token}
