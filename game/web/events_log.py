"""One log line per thing an operator cares about: a player joining or leaving, a round opening or
closing, a game ending (the store logs a session made). A session is named by its log reference
(``curb-appeal sessions list`` shows it beside the room code), a player by the seat id: never a
name, a room code, a secret or a token.
"""

from __future__ import annotations

import logging

from game.session import Act, Applied, Phase, Presence, commands

log = logging.getLogger("game.play")

_PHASE_LINES = {
    Phase.ROUND_OPEN: "round {n} of {of} started",
    Phase.ROUND_CLOSED: "round {n} of {of} closed",
    Phase.REVEALED: "round {n} of {of} revealed",
    Phase.DEBRIEF: "game ended",
}
_STEPS = (commands.Start, commands.Next, commands.Close, commands.Reveal, commands.Tick, commands.End)


def log_applied(act: Act, applied: Applied, ref: str) -> None:
    """The line (if any) for an act that changed a session; ``ref`` is how the log names it."""
    state, cmd = applied.state, act.command
    players = sum(1 for s in state.seats.values() if not s.removed)
    if isinstance(cmd, commands.Join) and applied.seat:
        team = state.seats[applied.seat].team
        log.info("session %s: player %s joined team %s (%d players)", ref, applied.seat, team, players)
    elif isinstance(cmd, Presence) and act.actor in state.seats:
        went = "connected" if cmd.connected else "left (away)"
        connected = sum(1 for s in state.seats.values() if s.connected and not s.removed)
        log.info("session %s: player %s %s (%d of %d connected)", ref, act.actor, went, connected, players)
    elif isinstance(cmd, commands.RemovePlayer):
        log.info("session %s: player %s removed by the facilitator", ref, cmd.seat)
    elif isinstance(cmd, _STEPS) and state.phase in _PHASE_LINES:
        line = _PHASE_LINES[state.phase].format(n=state.round_index + 1, of=state.rounds)
        by = " (time up)" if isinstance(cmd, commands.Tick) else ""
        log.info("session %s: %s%s", ref, line, by)
