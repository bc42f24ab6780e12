"""A team's reasons: any member may say why the team decides a card as it does, while the round is
open (the last reason written stands, with its author); the facilitator may keep one off the projector.

A reason changes no decision and no figure, so it may be written while the plan is locked. When the
round closes the reasons go with the plan that was played (``Team.past_reasons``), and the reveal, the
debrief and the exports show each next to what its decision caused.
"""

from __future__ import annotations

from dataclasses import replace

from game.session import commands as c
from game.session.edits import Result, Rule, put_team, reject
from game.session.plans import table_ids
from game.session.state import Act, Notice, NoticeKind, Reason, Session


def _set_reason(state: Session, act: Act) -> Result:
    cmd = act.command
    assert isinstance(cmd, c.SetReason)
    team = state.team_of(act.actor)
    if cmd.card not in table_ids(state, team):
        raise reject("not_found", f"card {cmd.card} is not on your table")
    reasons = dict(team.reasons)
    before = reasons.get(cmd.card)
    if not cmd.text:
        if before is None:
            return state, ()
        del reasons[cmd.card]
    else:
        reason = Reason(cmd.text, act.actor)
        if before == reason:
            return state, ()
        reasons[cmd.card] = reason
    return put_team(state, replace(team, reasons=reasons)), (Notice(NoticeKind.PLAN, team=team.id),)


def _hide_reason(state: Session, act: Act) -> Result:
    cmd = act.command
    assert isinstance(cmd, c.HideReason)
    team = state.teams.get(cmd.team)
    if team is None:
        raise reject("not_found", f"no team {cmd.team}")
    if cmd.in_round >= len(team.past_reasons):
        raise reject("not_found", f"{team.name} has no reasons from round {cmd.in_round + 1}")
    kept = team.past_reasons[cmd.in_round]
    reason = kept.get(cmd.card)
    if reason is None:
        raise reject("not_found", f"{team.name} gave no reason for {cmd.card} in round {cmd.in_round + 1}")
    if reason.off_projector == cmd.hidden:
        return state, ()
    rounds = list(team.past_reasons)
    rounds[cmd.in_round] = {**kept, cmd.card: replace(reason, off_projector=cmd.hidden)}
    return put_team(state, replace(team, past_reasons=tuple(rounds))), (Notice(NoticeKind.HOST),)


REASON_RULES: dict[type[c.Command], Rule] = {
    c.SetReason: _set_reason,
    c.HideReason: _hide_reason,
}
