"""Bot teams play the reference strategies, with exactly the reference games' decisions."""

from __future__ import annotations

import pytest

from game.model import STRATEGY_NAMES
from game.session import BOT
from game.session import commands as c
from game.sim.playthrough import play


@pytest.mark.parametrize("name", STRATEGY_NAMES)
def test_a_bot_team_plays_like_its_reference_game(game, scenario, name: str) -> None:
    g = game(teams=0, seed=11)
    g.host(c.AddBot(strategy=name))
    g.host(c.Start())
    while g.state.phase.value != "debrief":
        team = g.state.teams["t1"]
        if g.state.phase.value == "round_open":
            assert team.locked and team.locked_by == BOT
            assert all(ch.by == BOT for ch in team.plan.values())
            g.host(c.Close())
        elif g.state.phase.value == "round_closed":
            g.host(c.Reveal())
        else:
            g.host(c.Next())
    assert g.state.teams["t1"].outcomes == play(scenario, name, 11).outcomes
