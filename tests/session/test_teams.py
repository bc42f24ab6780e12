"""Teams: auto and configured counts, balancing, choosing, roles, moving, removing, renaming."""

from __future__ import annotations

import pytest

from game.errors import CommandRejected
from game.model import Decision, Role
from game.session import HOST, Act, Phase, apply, roles_for, seat_roles
from game.session import commands as c
from game.views.live import host_view

S, P, E = Role.SALES, Role.PRODUCT, Role.ENGINEERING


def sizes(g) -> list[int]:
    return [len(t.members) for t in g.state.teams.values() if not t.bot]


def test_auto_mode_opens_teams_as_people_join_and_evens_them_out_at_the_start(game) -> None:
    g = game()
    for i in range(11):
        g.join(f"P{i}")
    assert len(g.state.teams) == 3
    g.host(c.Start())
    assert sorted(sizes(g)) == [3, 4, 4]
    assert sum(sizes(g)) == 11


def test_configured_teams_fill_the_smallest_first(game) -> None:
    g = game(teams=3)
    for i in range(7):
        g.join(f"P{i}")
    assert sizes(g) == [3, 2, 2]


def test_a_player_may_pick_a_team_and_is_not_rebalanced(game) -> None:
    g = game()
    picks = [g.join(f"P{i}") for i in range(6)]  # five in t1, the sixth opens t2
    assert g.state.seats[picks[5]].team == "t2"
    for s in picks[:5]:
        g.act(s, c.ChooseTeam(team="t1"))
    g.act(picks[5], c.ChooseTeam(team="t1"))
    g.join("Late", team="t1")
    g.host(c.Start())
    assert sizes(g) == [7]  # everyone chose t1; the empty t2 is dropped at the start


def test_roles_follow_join_order_and_a_lone_player_holds_all() -> None:
    assert roles_for(0, 1) == (S, P, E)
    assert roles_for(0, 2) == (S, E) and roles_for(1, 2) == (P,)
    assert [roles_for(i, 4) for i in range(4)] == [(S,), (P,), (E,), (S,)]
    assert [roles_for(i, 7) for i in range(7)] == [(S,), (P,), (E,), (S,), (P,), (E,), (S,)]


def test_roles_are_recomputed_when_people_come_and_go(game) -> None:
    g = game(teams=2)
    ann, _bob, cat = g.join("Ann", "t1"), g.join("Bob", "t2"), g.join("Cat", "t1")
    assert seat_roles(g.state, ann) == (S, E)
    g.host(c.MovePlayer(seat=cat, team="t2"))
    assert seat_roles(g.state, ann) == (S, P, E)
    assert seat_roles(g.state, cat) == (P,)


def test_joining_mid_game_goes_to_the_smallest_team(game) -> None:
    g = game(teams=2)
    g.join("Ann")
    g.join("Bob")
    g.join("Cat")
    g.host(c.Start())
    late = g.join("Late")
    assert g.state.seats[late].team == "t2"
    assert g.state.phase is Phase.ROUND_OPEN


def test_bad_team_choices_are_refused(game) -> None:
    g = game(teams=1)
    g.host(c.AddBot(strategy="balanced"))
    assert g.rejected("", c.Join(name="Ann", team="t2")) == "invalid"
    assert g.rejected("", c.Join(name="Ann", team="t9")) == "not_found"


def test_nobody_to_play_cannot_start(game) -> None:
    g = game(teams=2)
    assert g.rejected(HOST, c.Start()) == "no_teams"
    g.host(c.AddBot(strategy="product-first"))
    g.host(c.Start())  # rehearsing alone with bots is fine
    assert list(g.state.teams) == ["t3"]


def test_removed_players_are_gone_for_good(game) -> None:
    g = game(teams=1)
    ann, bob = g.join("Ann"), g.join("Bob")
    g.host(c.Start())
    result = g.host(c.RemovePlayer(seat=bob))
    assert {n.kind.value for n in result.notices} == {"removed", "team"}
    assert g.state.teams["t1"].members == (ann,)
    assert g.state.seats[bob].removed
    assert g.rejected(bob, c.Lock()) == "removed"
    assert g.rejected(HOST, c.RemovePlayer(seat=bob)) == "not_found"
    assert g.rejected(HOST, c.MovePlayer(seat=bob, team="t1")) == "not_found"
    assert seat_roles(g.state, ann) == (S, P, E)


def test_teams_can_be_renamed_by_the_host_or_their_own_members(game) -> None:
    g = game(teams=2)
    ann = g.join("Ann")
    g.host(c.RenameTeam(team="t2", name="Rivals"))
    g.act(ann, c.RenameMyTeam(name="Rockets"))
    assert [t.name for t in g.state.teams.values()] == ["Rockets", "Rivals"]
    assert g.rejected(HOST, c.RenameTeam(team="t7", name="X")) == "not_found"


def test_the_facilitator_closes_the_door_once_everyone_is_in(game) -> None:
    g = game(teams=1)
    ann = g.join("Ann")
    retried = g.act("", c.Join(name="Bob"), cid="bob-join")
    g.host(c.Start())
    g.host(c.RemovePlayer(seat=retried.seat))
    assert g.host(c.SetJoining(open=False)).notices  # the projector shows the door closed
    assert host_view(g.state, g.now)["joining_open"] is False
    # Nobody new gets in: not a stranger, not a removed player under a new name.
    assert g.rejected("", c.Join(name="Bob again")) == "closed"
    with pytest.raises(CommandRejected) as refused:
        apply(g.state, Act("", c.Join(name="Eve"), "eve", g.now))
    assert "not taking new players" in refused.value.message
    # Those already in carry on, and a join retried after a dropped answer still finds its seat.
    g.act(ann, c.SetCard(card="acme-sso", decision=Decision.BUILD))
    again = apply(g.state, Act("", c.Join(name="Bob"), "bob-join", g.now))
    assert again.duplicate and again.seat == retried.seat
    assert not g.host(c.SetJoining(open=False)).notices  # already closed: nothing to do
    g.host(c.SetJoining(open=True))
    carol = g.join("Carol")
    assert g.state.seats[carol].team == "t1"
