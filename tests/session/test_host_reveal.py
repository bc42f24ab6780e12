"""The projector's reveal: each figure's causes in a room the projector can show, not in a huge one."""

from __future__ import annotations

import pytest

from game.session import commands as c
from game.views.live import HOST_TRACED_TEAMS, host_view


@pytest.mark.parametrize(
    ("teams", "traced"), [(2, True), (HOST_TRACED_TEAMS, True), (HOST_TRACED_TEAMS + 1, False)]
)
def test_the_reveal_traces_figures_on_the_projector_up_to_a_room_it_can_show(
    game, teams: int, traced: bool
) -> None:
    g = game(teams=teams, seed=3)
    for i in range(teams):
        g.join(f"p{i}")
    g.host(c.Start())
    g.host(c.Close())
    g.host(c.Reveal())
    summaries = host_view(g.state, g.now)["teams"]
    assert len(summaries) == teams
    for t in summaries:
        outcome = t["outcome"]
        assert outcome["after"] and t["lines"] is not None  # the figures and the story always
        assert ("causes" in outcome and "decisions" in outcome) == traced
