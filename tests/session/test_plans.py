"""One shared plan per team per round: edits, lock and unlock, capacity, and resolution on close."""

from __future__ import annotations

from game.model import Decision
from game.session import Choice, NoticeKind
from game.session import commands as c
from game.sim.rules import build_limit
from game.views.live import seat_view, team_plan

B, D, N = Decision.BUILD, Decision.DEFER, Decision.NO


def started(game, teams: int = 1, people: int = 2):
    g = game(teams=teams)
    seats = [g.join(f"P{i}") for i in range(people)]
    g.host(c.Start())
    return g, seats


def test_teammates_edit_one_shared_plan(game) -> None:
    g, (ann, bob) = started(game)
    result = g.act(ann, c.SetCard(card="acme-sso", decision=B))
    assert result.notices[0].kind is NoticeKind.PLAN and result.notices[0].team == "t1"
    g.act(bob, c.SetCard(card="export", decision=N))
    g.act(bob, c.SetCard(card="acme-sso", decision=D))
    assert g.state.teams["t1"].plan == {"acme-sso": Choice(D, bob), "export": Choice(N, bob)}
    g.act(ann, c.SetCard(card="export", decision=None))
    assert set(g.state.teams["t1"].plan) == {"acme-sso"}


def test_only_cards_on_the_table_can_be_decided(game) -> None:
    g, (ann, _) = started(game)
    assert g.rejected(ann, c.SetCard(card="reports", decision=B)) == "not_found"  # a later round
    assert g.rejected(ann, c.SetCard(card="nope", decision=B)) == "not_found"


def test_locking_freezes_the_plan_until_unlocked(game) -> None:
    g, (ann, bob) = started(game)
    g.act(ann, c.Lock())
    assert g.state.teams["t1"].locked_by == ann
    assert g.rejected(bob, c.SetCard(card="export", decision=B)) == "locked"
    assert g.rejected(bob, c.Lock()) == "locked"
    g.act(bob, c.Unlock())
    assert g.rejected(bob, c.Unlock()) == "not_locked"
    g.act(bob, c.SetCard(card="export", decision=B))


def test_capacity_used_versus_available(game) -> None:
    g, (ann, _) = started(game)
    g.act(ann, c.SetCard(card="acme-sso", decision=B))
    g.act(ann, c.SetCard(card="export", decision=B))
    cap = team_plan(g.state, "t1")["capacity"]
    assert (cap["used"], cap["planned"], cap["available"], cap["rushed"]) == (5, 5, 5, 0)
    assert cap["limit"] == build_limit(5) and cap["left"] == build_limit(5) - 5 and cap["over"] == 0
    assert seat_view(g.state, ann, g.now)["team"]["capacity"] == cap


def test_close_takes_plans_as_they_stand_and_undecided_is_defer(game) -> None:
    g, (ann, _) = started(game)
    g.act(ann, c.SetCard(card="acme-sso", decision=N))
    g.host(c.Close())
    outcome = g.state.teams["t1"].outcomes[0]
    assert dict(outcome.decisions) == {"acme-sso": N, "export": D}
    g.host(c.Reveal())
    g.host(c.Next())
    table = [card["id"] for card in seat_view(g.state, ann, g.now)["cards"]]
    assert "export" in table  # the deferred request waits in the backlog
    waiting = {
        card["id"]: card["waiting"] for card in seat_view(g.state, ann, g.now)["cards"] if "waiting" in card
    }
    assert waiting["export"] is True and waiting["cleanup"] is False


def test_every_team_plays_the_same_seed(game) -> None:
    g, (ann, bob) = started(game, teams=2, people=2)
    for seat in (ann, bob):
        g.act(seat, c.SetCard(card="acme-sso", decision=B))
    g.host(c.Close())
    one, two = (t.outcomes[0] for t in g.state.teams.values())
    assert one == two


def test_a_deferred_card_says_how_many_rounds_it_has_left(game) -> None:
    g, (ann, _) = started(game)
    first = {card["id"]: card["rounds_left"] for card in seat_view(g.state, ann, g.now)["cards"]}
    assert first["acme-sso"] == 2  # deadline 2: this round or the next
    g.act(ann, c.SetCard(card="acme-sso", decision=D))
    g.host(c.Close())
    g.host(c.Reveal())
    g.host(c.Next())
    later = {card["id"]: card for card in seat_view(g.state, ann, g.now)["cards"]}
    assert later["acme-sso"]["waiting"] is True
    assert later["acme-sso"]["rounds_left"] == 1  # now or never
