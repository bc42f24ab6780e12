"""A team's plan for the round: the cards on its table, a decision per card, locking and unlocking.

Any member of the team may change the plan until someone locks it; the lock names who locked it.
"""

from __future__ import annotations

from dataclasses import replace

from game import commands as c
from game.session_edits import Result, Rule, put_team, reject
from game.session_state import Act, Choice, Notice, NoticeKind, Session, Team
from game.table import cards_on_table, decidable_ids


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
    return put_team(state, replace(team, plan=plan)), (Notice(NoticeKind.PLAN, team=team.id),)


def _lock(state: Session, act: Act) -> Result:
    team = state.team_of(act.actor)
    if team.locked:
        raise reject("locked", "your team's plan is already locked")
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
