"""A team's plan for the round: the cards on its table, a decision per card, locking and unlocking.

Any member of the team may change the plan until someone locks it; the lock names who locked it.
Capacity is scarce: a Build that would take the plan past what the team can build this round
(its capacity plus what it can rush, ``rules.build_limit``) is refused with the reason, and a plan
over that limit cannot be locked. The plan keeps the order builds were chosen in (a card newly set
to Build goes to the end): the engine builds in that order and defers what no longer fits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from game.model import Card, CardKind, Decision
from game.session import commands as c
from game.session.edits import Result, Rule, put_team, reject
from game.session.state import Act, Choice, Notice, NoticeKind, Session, Team
from game.sim import build_limit, capacity_of, cards_on_table, decidable_ids, rush_limit

_BUILD = Decision.BUILD


def table_ids(state: Session, team: Team) -> tuple[str, ...]:
    """The cards this team decides on this round."""
    return decidable_ids(cards_on_table(state.scenario, team.company, state.round_index))


@dataclass(frozen=True, slots=True)
class Room:
    """How much a team can build this round and how much its plan builds: what edits are checked against."""

    capacity: int  # effort points this round without rushing
    rush: int  # points the team can rush past its capacity
    limit: int  # the most the team can build this round, rushing included
    planned: int  # effort of the cards the plan builds

    @property
    def over(self) -> int:
        """Points the plan builds past the limit (0 when it fits)."""
        return max(0, self.planned - self.limit)

    @property
    def left(self) -> int:
        """Points still free up to the limit."""
        return max(0, self.limit - self.planned)

    def over_with(self, effort: int) -> int:
        """How far past the limit one more build of ``effort`` would take the plan (0: it fits)."""
        return max(0, self.planned + effort - self.limit)


def room_of(capacity: int, plan: Mapping[str, Choice], efforts: Mapping[str, int]) -> Room:
    """The room a plan leaves, given the team's capacity and the effort of each card on its table."""
    planned = sum(efforts.get(k, 0) for k, ch in plan.items() if ch.decision is _BUILD)
    return Room(capacity, rush_limit(capacity), build_limit(capacity), planned)


def build_order(plan: Mapping[str, Choice]) -> list[str]:
    """The cards the plan builds, in the order the team chose them (the order the engine builds in)."""
    return [k for k, ch in plan.items() if ch.decision is _BUILD]


def _points(n: int) -> str:
    return f"{n} point" if n == 1 else f"{n} points"


def no_room_message(room: Room, card: Card) -> str:
    """Why a Build was refused, in words a player can act on."""
    if card.effort > room.limit:
        return (
            f"No room: {card.title} takes {_points(card.effort)}, more than the team can build this round "
            f"even rushing ({room.limit}) — defer it or say no"
        )
    return (
        f"No room: {_points(room.over_with(card.effort))} over what the team can rush this round "
        f"(limit {room.limit}) — defer or say no to something"
    )


def _table(state: Session, team: Team) -> dict[str, Card]:
    cards = cards_on_table(state.scenario, team.company, state.round_index)
    return {card.id: card for card in cards if card.kind is not CardKind.EVENT}


def _set_card(state: Session, act: Act) -> Result:
    cmd = act.command
    assert isinstance(cmd, c.SetCard)
    team = state.team_of(act.actor)
    if team.locked:
        raise reject("locked", "your team has locked its plan: unlock it to change it")
    table = _table(state, team)
    card = table.get(cmd.card)
    if card is None:
        raise reject("not_found", f"card {cmd.card} is not on your table")
    plan = dict(team.plan)
    before = plan.get(cmd.card)
    if cmd.decision is None:
        if before is None:
            return state, ()
        del plan[cmd.card]
    else:
        choice = Choice(cmd.decision, act.actor)
        if before == choice:
            return state, ()
        if cmd.decision is _BUILD and (before is None or before.decision is not _BUILD):
            efforts = {k: t.effort for k, t in table.items()}
            room = room_of(capacity_of(team.company), plan, efforts)
            if room.over_with(card.effort):
                raise reject("no_room", no_room_message(room, card))
            plan.pop(cmd.card, None)  # a new build goes to the end of the order
        plan[cmd.card] = choice  # a teammate repeating a decision: it keeps its place, with their name
    return put_team(state, replace(team, plan=plan)), (Notice(NoticeKind.PLAN, team=team.id),)


def _lock(state: Session, act: Act) -> Result:
    team = state.team_of(act.actor)
    if team.locked:
        raise reject("locked", "your team's plan is already locked")
    efforts = {k: t.effort for k, t in _table(state, team).items()}
    room = room_of(capacity_of(team.company), team.plan, efforts)
    if room.over:
        raise reject(
            "no_room",
            f"Over the limit: the plan builds {_points(room.planned)}, {room.over} more than the team "
            f"can rush this round (limit {room.limit}) — defer or say no to something, then lock",
        )
    team = replace(team, locked=True, locked_by=act.actor)
    return put_team(state, team), (Notice(NoticeKind.PLAN, team=team.id),)


def _unlock(state: Session, act: Act) -> Result:
    team = state.team_of(act.actor)
    if not team.locked:
        raise reject("not_locked", "your team's plan is not locked")
    team = replace(team, locked=False, locked_by="")
    return put_team(state, team), (Notice(NoticeKind.PLAN, team=team.id),)


PLAN_RULES: dict[type[c.Command], Rule] = {
    c.SetCard: _set_card,
    c.Lock: _lock,
    c.Unlock: _unlock,
}
