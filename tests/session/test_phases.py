"""The phase table: what is allowed when and by whom, and the lobby-to-debrief lifecycle."""

from __future__ import annotations

import pytest

from game.model import Decision
from game.session import HOST, PHASES, SYSTEM, WHO, Phase
from game.session import commands as c
from game.session.plans import PLAN_RULES
from game.session.reasons import REASON_RULES
from game.session.rounds import ROUND_RULES
from game.session.rules import RULES
from game.session.teams import TEAM_RULES
from game.views.live import host_view


def test_the_phase_table_covers_every_command() -> None:
    assert set(PHASES) == set(WHO) == set(c.ALL_COMMANDS.values())


def test_every_command_has_exactly_one_rule() -> None:
    """Each rule module claims its own commands; none claims another's (a merged table would hide it)."""
    tables = (TEAM_RULES, ROUND_RULES, PLAN_RULES, REASON_RULES)
    assert sum(len(t) for t in tables) == len(RULES)
    assert set(RULES) == set(PHASES) == set(WHO) == set(c.ALL_COMMANDS.values())


def test_a_whole_game_goes_lobby_rounds_debrief(game) -> None:
    g = game(teams=2)
    g.join("Ann")
    g.join("Bob")
    assert g.state.phase is Phase.LOBBY
    g.host(c.Start())
    for r in range(3):
        assert (g.state.phase, g.state.round_index) == (Phase.ROUND_OPEN, r)
        g.host(c.Close())
        assert g.state.phase is Phase.ROUND_CLOSED
        g.host(c.Reveal())
        assert g.state.phase is Phase.REVEALED
        g.host(c.Next())
    assert g.state.phase is Phase.DEBRIEF
    assert not g.state.ended_early
    assert all(len(t.outcomes) == 3 for t in g.state.teams.values())


@pytest.mark.parametrize(
    ("phase_steps", "command"),
    [
        (0, c.Close()),
        (0, c.Reveal()),
        (0, c.Next()),
        (0, c.Pause()),
        (1, c.Start()),
        (1, c.Reveal()),
        (1, c.AddBot(strategy="balanced")),
        (1, c.Configure(round_seconds=30)),
        (2, c.Close()),
        (2, c.Next()),
        (3, c.Reveal()),
        (3, c.Extend(seconds=10)),
    ],
)
def test_host_commands_out_of_phase_are_refused(game, phase_steps: int, command: c.Command) -> None:
    g = game(teams=1)
    g.join("Ann")
    for step in (c.Start(), c.Close(), c.Reveal())[:phase_steps]:
        g.host(step)
    assert g.rejected(HOST, command) == "wrong_phase"


def test_plan_commands_need_an_open_round(game) -> None:
    g = game(teams=1)
    ann = g.join("Ann")
    assert g.rejected(ann, c.SetCard(card="acme-sso", decision=Decision.BUILD)) == "wrong_phase"
    assert g.rejected(ann, c.Lock()) == "wrong_phase"
    g.host(c.Start())
    g.host(c.Close())
    assert g.rejected(ann, c.Unlock()) == "wrong_phase"
    assert g.rejected(ann, c.ChooseTeam(team="t1")) == "wrong_phase"


def test_actors_are_checked(game) -> None:
    g = game(teams=1)
    ann = g.join("Ann")
    assert g.rejected(ann, c.Start()) == "forbidden"
    assert g.rejected(HOST, c.Lock()) == "forbidden"
    assert g.rejected(ann, c.Tick()) == "forbidden"
    assert g.rejected("s99", c.Lock()) == "forbidden"
    assert g.rejected(SYSTEM, c.Start()) == "forbidden"


def test_end_mid_round_skips_the_open_round(game) -> None:
    g = game(teams=1)
    ann = g.join("Ann")
    g.host(c.Start())
    g.host(c.Close())
    g.host(c.Reveal())
    g.host(c.Next())
    g.act(ann, c.SetCard(card="dark-mode", decision=Decision.BUILD))
    g.host(c.End())
    assert g.state.phase is Phase.DEBRIEF
    assert g.state.ended_early
    team = g.state.teams["t1"]
    assert len(team.outcomes) == 1 and team.plan == {}
    assert g.rejected(HOST, c.End()) == "wrong_phase"
    assert g.rejected("", c.Join(name="Late")) == "wrong_phase"


def test_every_accepted_command_bumps_the_revision(game) -> None:
    g = game(teams=1)
    g.join("Ann")
    rev = g.state.rev
    g.host(c.Start())
    assert g.state.rev == rev + 1
    assert g.host(c.RenameTeam(team="t1", name="Team 1")).notices == ()  # no change, no bump
    assert g.state.rev == rev + 1


def test_the_reveal_tells_the_facilitator_each_teams_headline_and_figures(game) -> None:
    g = game(teams=1)
    g.join("Ann")
    g.host(c.Start())
    g.host(c.Close())
    closed = host_view(g.state, g.now)["teams"][0]
    assert "outcome" not in closed and "headline" not in closed  # hidden until the reveal
    g.host(c.Reveal())
    team = host_view(g.state, g.now)["teams"][0]
    outcome = g.state.teams["t1"].outcomes[0]
    assert team["headline"] == outcome.headline and team["headline"] in team["lines"]
    assert team["outcome"]["before"]["arr"] == outcome.before.arr
    assert team["outcome"]["after"]["arr"] == outcome.after.arr
