"""One of a thing is said in the singular wherever the game counts (issue 10: "same dice, 1 rounds")."""

from __future__ import annotations

from game.model import Decision
from game.session import commands as c
from game.views.debrief import debrief
from game.web.limits import wait_text
from tests.engine.factory import request, scenario
from tests.engine.test_mechanics import play

B, D, N = Decision.BUILD, Decision.DEFER, Decision.NO


def test_a_build_of_one_point_with_no_room_says_point() -> None:
    cards = (request("a", effort=6), request("b", effort=6), request("x", effort=1), request("y", effort=1))
    _, outcomes = play(scenario(cards, (), capacity=10), [{"a": B, "b": B, "x": B, "y": B}])
    assert outcomes[0].bumped == ("y",)
    assert any("No room to build Request y (1 point) this round" in line for line in outcomes[0].lines)


def test_one_liability_of_one_point_says_point(game) -> None:
    g = game(teams=1, seed=5)  # with this seed Acme's requirement turns out wrong: a liability of upkeep 1
    ann = g.join("Ann")
    g.host(c.Start())
    g.act(ann, c.SetCard(card="acme-sso", decision=B))
    g.host(c.Close())
    g.host(c.End())
    parts = {p["key"]: p for p in debrief(g.state)["teams"][0]["value"]["parts"]}
    assert "1 liability costing 1 point of upkeep a round" in parts["liabilities"]["text"]


def test_waiting_one_second_says_second() -> None:
    assert (wait_text(1), wait_text(1000), wait_text(1001), wait_text(30_000)) == (
        "1 second",
        "1 second",
        "2 seconds",
        "30 seconds",
    )
