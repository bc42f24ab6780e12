"""The round's course: start, close, reveal, next, end; the clock that closes a round; bot teams.

Every team's round is resolved with the session's seed, and a bot team draws from the same dice
stream as the reference game, so a replayed command log gives the same outcomes.
"""

from __future__ import annotations

from dataclasses import replace

from game.session import commands as c
from game.session.edits import ALL, Result, Rule, reject
from game.session.state import BOT, Act, Choice, Notice, NoticeKind, Phase, Session, Team, Timer
from game.session.teams import rebalance
from game.sim import capacity_of, cards_on_table, resolve_round, strategy, strategy_rng


def _configure(state: Session, act: Act) -> Result:
    cmd = act.command
    assert isinstance(cmd, c.Configure)
    settings = state.settings
    if cmd.round_seconds is not None:
        settings = replace(settings, round_seconds=cmd.round_seconds)
    if cmd.seed is not None:
        settings = replace(settings, seed=cmd.seed)
    if cmd.close_when_locked is not None:
        settings = replace(settings, close_when_locked=cmd.close_when_locked)
    if cmd.reveal_on_close is not None:
        settings = replace(settings, reveal_on_close=cmd.reveal_on_close)
    if settings == state.settings:
        return state, ()
    return replace(state, settings=settings), (Notice(NoticeKind.HOST),)


def _start(state: Session, act: Act) -> Result:
    if state.settings.teams == 0:
        state = rebalance(state)
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
            teams[t.id] = replace(t, plan={}, reasons={}, locked=False, locked_by="")
    secs = state.settings.round_seconds
    timer = Timer(ends_at_ms=now_ms + secs * 1000) if secs else Timer()
    return replace(
        state,
        phase=Phase.ROUND_OPEN,
        round_index=round_index,
        teams=teams,
        timer=timer,
        closing_at_ms=None,
        kept_open=False,
    )


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
    """Take every plan as it stands and resolve the round for every team with the same seed.

    With the ``reveal_on_close`` setting the round is revealed at once."""
    seed = state.settings.seed
    teams: dict[str, Team] = {}
    for t in state.teams.values():
        plan = {k: ch.decision for k, ch in t.plan.items()}
        company, outcome = resolve_round(state.scenario, t.company, plan, state.round_index, seed)
        teams[t.id] = replace(
            t,
            company=company,
            outcomes=(*t.outcomes, outcome),
            plans=(*t.plans, t.plan),
            reasons={},
            past_reasons=(*t.past_reasons, t.reasons),
        )
    phase = Phase.REVEALED if state.settings.reveal_on_close else Phase.ROUND_CLOSED
    return replace(state, phase=phase, teams=teams, timer=Timer(), closing_at_ms=None, kept_open=False)


def arm_closing(state: Session, now_ms: int) -> Session:
    """Once every team has locked, the round closes ``close_when_locked`` seconds later by itself,
    unless a team unlocks or the facilitator keeps it open (``KeepOpen``)."""
    secs = state.settings.close_when_locked
    ready = (
        state.phase is Phase.ROUND_OPEN
        and secs > 0
        and not state.kept_open
        and bool(state.teams)
        and all(t.locked for t in state.teams.values())
    )
    if not ready:
        return state if state.closing_at_ms is None else replace(state, closing_at_ms=None)
    if state.closing_at_ms is not None:
        return state
    return replace(state, closing_at_ms=now_ms + secs * 1000)


def _keep_open(state: Session, act: Act) -> Result:
    if state.kept_open:
        return state, ()
    return replace(state, kept_open=True, closing_at_ms=None), (Notice(NoticeKind.TIMER),)


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
        teams = {k: replace(t, plan={}, reasons={}, locked=False, locked_by="") for k, t in teams.items()}
    played = state.phase in (Phase.ROUND_CLOSED, Phase.REVEALED) and state.round_index + 1 == state.rounds
    return replace(state, phase=Phase.DEBRIEF, teams=teams, timer=Timer(), ended_early=not played), ALL


def _continue(state: Session, act: Act) -> Result:
    """The debrief points everyone to the next game (once: a repeated request finds the same one)."""
    cmd = act.command
    assert isinstance(cmd, c.Continue)
    if state.next_code:
        return state, ()
    return replace(state, next_code=cmd.code, next_seats=dict(cmd.seats)), ALL


def _tick(state: Session, act: Act) -> Result:
    return state, ()  # the clock's work happens in expire, before any command


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


def expire(state: Session, now_ms: int) -> Result:
    """Time runs out before any command is looked at: the round closes as plans stand (the clock
    ran out, or every team locked a few seconds ago)."""
    if state.phase is Phase.ROUND_OPEN and due(state, now_ms):
        return close_round(state), ALL
    return state, ()


def due(state: Session, now_ms: int) -> bool:
    """Whether an open round's clock, or its countdown after every team locked, has run out."""
    end, closing = state.timer.ends_at_ms, state.closing_at_ms
    return (end is not None and now_ms >= end) or (closing is not None and now_ms >= closing)


ROUND_RULES: dict[type[c.Command], Rule] = {
    c.Configure: _configure,
    c.Start: _start,
    c.Close: _close,
    c.KeepOpen: _keep_open,
    c.Reveal: _reveal,
    c.Next: _next,
    c.End: _end,
    c.Continue: _continue,
    c.Pause: _pause,
    c.Resume: _resume,
    c.Extend: _extend,
    c.Tick: _tick,
}
