"""A command re-sent with the same id is acknowledged again but applied once."""

from __future__ import annotations

from game.model import Decision
from game.session import commands as c


def test_a_repeated_seat_command_is_applied_once(game) -> None:
    g = game(teams=1)
    ann, bob = g.join("Ann"), g.join("Bob")
    g.host(c.Start())
    g.act(ann, c.Lock(), cid="lock-1")
    g.act(bob, c.Unlock(), cid="u-1")
    state = g.state
    again = g.act(ann, c.Lock(), cid="lock-1")
    assert again.duplicate and again.state is state and again.notices == ()
    assert not g.state.teams["t1"].locked
    g.act(bob, c.Lock(), cid="lock-1")  # the same id from another seat is another command
    assert g.state.teams["t1"].locked


def test_a_repeated_host_command_is_applied_once(game) -> None:
    g = game(teams=1)
    g.join("Ann")
    g.host(c.Start())
    g.act("host", c.Close(), cid="close")
    g.act("host", c.Reveal(), cid="reveal")
    assert g.act("host", c.Close(), cid="close").duplicate


def test_a_repeated_join_finds_the_same_seat(game) -> None:
    g = game(teams=1)
    first = g.act("", c.Join(name="Ann"), cid="join-abc")
    again = g.act("", c.Join(name="Ann"), cid="join-abc")
    assert again.duplicate and again.seat == first.seat
    assert len(g.state.seats) == 1


def test_a_refused_command_can_be_retried_with_its_id(game) -> None:
    g = game(teams=1)
    ann = g.join("Ann")
    g.host(c.Start())
    g.act(ann, c.Lock(), cid="l")
    assert g.rejected(ann, c.SetCard(card="export", decision=Decision.NO)) == "locked"
    g.act(ann, c.Unlock(), cid="u")
    g.act(ann, c.SetCard(card="export", decision=Decision.NO), cid="x-rejected")
    assert "export" in g.state.teams["t1"].plan
