"""The what-if answer as client JSON: a team's real game and the same game with one decision flipped,
figure by figure and company value, side by side (see docs/protocol.md, ``whatif``)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from game.errors import CommandRejected
from game.model import Decision
from game.session import Phase, Session
from game.sim import Flip, PlayedGame, card_index
from game.views.games import Games
from game.views.traced import causes_json, decisions_json, value_json

JSON = dict[str, Any]


def _game_json(state: Session, game: PlayedGame, first: int) -> JSON:
    """A game's figures after each round and its value; rounds from ``first`` on with their story."""
    cards = card_index(state.scenario)
    start = game.outcomes[0].before if game.outcomes else None
    return {
        "history": ([asdict(start)] if start else []) + [asdict(o.after) for o in game.outcomes],
        "value": value_json(game.valuation),
        "rounds": [
            {
                "round": o.round_index,
                "title": state.scenario.rounds[o.round_index].title,
                "lines": list(o.lines),
                "causes": causes_json(o, cards),
                "decisions": decisions_json(o, cards),
            }
            for o in game.outcomes[first:]
        ],
    }


def whatif_answer(
    state: Session,
    team_id: str,
    round_index: int,
    card_id: str,
    decision: Decision,
    games: Games | None = None,
) -> JSON:
    """Replay ``team_id``'s game with one decision flipped; CommandRejected for anything that can't be."""
    if state.phase is not Phase.DEBRIEF:
        raise CommandRejected("wrong_phase", "the what-if opens with the debrief")
    team = state.teams.get(team_id)
    if team is None:
        raise CommandRejected("not_found", f"no team {team_id!r} in this game")
    flip = Flip(round_index, card_id, decision)
    real, changed, was = (Games.of(state) if games is None else games).whatif(team, flip)
    card = card_index(state.scenario)[card_id]
    return {
        "team": team.id,
        "flip": {
            "round": round_index,
            "card": card_id,
            "title": card.title,
            "asker": card.asker,
            "from": was.value,
            "to": decision.value,
        },
        "actual": _game_json(state, real, round_index),
        "whatif": _game_json(state, changed, round_index),
    }
