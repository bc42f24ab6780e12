"""Scarce capacity in the shared plan: a Build past what the team can rush is refused with the
reason, builds keep the order they were chosen in, a plan over the limit cannot be locked, and a
round that closes on such a plan builds in order and defers what does not fit.

Efforts are set relative to the team's limit (``rules.build_limit`` of its capacity), read through
the rules, so the tests hold whatever the rush share is tuned to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from game.errors import CommandRejected
from game.model import Decision
from game.session import SYSTEM, Choice, Phase, Settings
from game.session import commands as c
from game.session.edits import put_team
from game.sim.rules import build_limit, capacity_of, rush_limit
from game.views.live import host_view, seat_view, team_plan
from tests.conftest import tight_scenario
from tests.session.conftest import Driver

B, D, N = Decision.BUILD, Decision.DEFER, Decision.NO
CAPACITY = 5
LIMIT = build_limit(CAPACITY)
IDS = ("acme-sso", "export", "polish")  # a deal, a request, an improvement: round 1's table


def tight(efforts: tuple[int, int, int], round_seconds: int = 0) -> tuple[Driver, str, str]:
    """A started one-team game, two players, whose first round holds three cards of these efforts."""
    g = Driver(tight_scenario(efforts, CAPACITY), Settings(teams=1, round_seconds=round_seconds))
    ann, bob = g.join("Ann"), g.join("Bob")
    g.host(c.Start())
    assert capacity_of(g.state.teams["t1"].company) == CAPACITY  # the numbers below rest on it
    return g, ann, bob


def order(g: Driver) -> list[str]:
    return [k for k, ch in g.state.teams["t1"].plan.items() if ch.decision is B]


def planned(g: Driver) -> int:
    return int(team_plan(g.state, "t1")["capacity"]["planned"])


Step = tuple[str, Decision | None, str]  # card, decision, "" if accepted or the refusal's code

CASES: list[tuple[str, Callable[[int], tuple[int, int, int]], list[Step], list[str], str]] = [
    ("fits", lambda lim: (1, 1, 1), [(IDS[0], B, ""), (IDS[1], B, "")], [IDS[0], IDS[1]], ""),
    (
        "exactly at the limit",
        lambda lim: (lim - 2, 1, 1),
        [(IDS[0], B, ""), (IDS[1], B, ""), (IDS[2], B, "")],
        list(IDS),
        "",
    ),
    (
        "one over",
        lambda lim: (lim - 1, 2, 1),
        [(IDS[0], B, ""), (IDS[1], B, "no_room")],
        [IDS[0]],
        "No room: 1 point over what the team can rush",
    ),
    (
        "three over",
        lambda lim: (lim - 1, 1, 4),
        [(IDS[0], B, ""), (IDS[1], B, ""), (IDS[2], B, "no_room")],
        [IDS[0], IDS[1]],
        "No room: 4 points over what the team can rush",
    ),
    (
        "already built does not count twice",
        lambda lim: (lim, 1, 1),
        [(IDS[0], B, ""), (IDS[0], B, ""), (IDS[1], D, ""), (IDS[2], N, "")],
        [IDS[0]],
        "",
    ),
    (
        "deferring a build makes room",
        lambda lim: (lim - 1, 2, 1),
        [(IDS[0], B, ""), (IDS[1], B, "no_room"), (IDS[0], D, ""), (IDS[1], B, "")],
        [IDS[1]],
        "No room: 1 point over",
    ),
    (
        "clearing a build makes room",
        lambda lim: (lim, 1, 1),
        [(IDS[0], B, ""), (IDS[1], B, "no_room"), (IDS[0], None, ""), (IDS[1], B, "")],
        [IDS[1]],
        "No room: 1 point over",
    ),
    (
        "a card bigger than the whole limit never fits",
        lambda lim: (lim + 1, 1, 1),
        [(IDS[0], B, "no_room"), (IDS[1], B, "")],
        [IDS[1]],
        f"more than the team can build this round even rushing ({LIMIT}) — defer it or say no",
    ),
]


@pytest.mark.parametrize("name,efforts,steps,built,message", CASES, ids=[case[0] for case in CASES])
def test_a_build_past_the_rush_limit_is_refused_with_the_reason(
    name: str,
    efforts: Callable[[int], tuple[int, int, int]],
    steps: list[Step],
    built: list[str],
    message: str,
) -> None:
    g, ann, bob = tight(efforts(LIMIT))
    refusals: list[str] = []
    for i, (card, decision, code) in enumerate(steps):
        who = (ann, bob)[i % 2]
        if code:
            assert g.rejected(who, c.SetCard(card=card, decision=decision)) == code
            with pytest.raises(CommandRejected) as err:
                g.act(who, c.SetCard(card=card, decision=decision))
            refusals.append(err.value.message)
        else:
            g.act(who, c.SetCard(card=card, decision=decision))
        assert planned(g) <= LIMIT  # never past the limit, whatever was tapped
    assert order(g) == built
    if message:
        assert any(message in r for r in refusals), refusals
        assert all("defer" in r and "say no" in r for r in refusals)  # says what to do
    else:
        assert not refusals


def test_the_refusal_says_exactly_how_far_over_and_changes_nothing() -> None:
    g, ann, _ = tight((LIMIT - 1, 3, 1))
    g.act(ann, c.SetCard(card="acme-sso", decision=B))
    g.act(ann, c.SetCard(card="export", decision=D))
    before = g.state
    with pytest.raises(CommandRejected) as err:
        g.act(ann, c.SetCard(card="export", decision=B))
    assert err.value.code == "no_room"
    assert err.value.message == (
        f"No room: 2 points over what the team can rush this round (limit {LIMIT}) "
        "— defer or say no to something"
    )
    assert g.state is before and g.state.teams["t1"].plan["export"] == Choice(D, ann)


def test_a_new_build_goes_to_the_end_and_a_repeat_changes_nothing() -> None:
    g, ann, bob = tight((1, 1, 1))
    for card in IDS:
        g.act(ann, c.SetCard(card=card, decision=B))
    assert order(g) == list(IDS)
    same = g.state
    assert g.act(ann, c.SetCard(card=IDS[0], decision=B)).notices == ()  # the same tap again
    assert g.state is same
    g.act(bob, c.SetCard(card=IDS[0], decision=B))  # a teammate taps Build too: it keeps its place
    assert order(g) == list(IDS) and g.state.teams["t1"].plan[IDS[0]] == Choice(B, bob)
    g.act(bob, c.SetCard(card=IDS[0], decision=N))
    assert order(g) == [IDS[1], IDS[2]]
    g.act(bob, c.SetCard(card=IDS[0], decision=B))  # say no, then build after all: now it is last
    assert order(g) == [IDS[1], IDS[2], IDS[0]]
    g.act(ann, c.SetCard(card=IDS[1], decision=D))
    g.act(ann, c.SetCard(card=IDS[1], decision=N))  # between defer and no: still not built
    assert order(g) == [IDS[2], IDS[0]]
    view = seat_view(g.state, ann, g.now)["team"]
    assert view["capacity"]["order"] == [IDS[2], IDS[0]]


def test_the_team_view_shows_what_fits_and_the_host_sees_no_plan() -> None:
    g, ann, _ = tight((LIMIT - 2, 1, 3))
    g.act(ann, c.SetCard(card="acme-sso", decision=B))
    cap = seat_view(g.state, ann, g.now)["team"]["capacity"]
    assert cap == {
        "used": LIMIT - 2,
        "planned": LIMIT - 2,
        "available": CAPACITY,
        "rush_limit": rush_limit(CAPACITY),
        "limit": LIMIT,
        "rushed": max(0, LIMIT - 2 - CAPACITY),
        "left": 2,
        "over": 0,
        "order": ["acme-sso"],
        "no_room": {"polish": 1},  # 3 points with 2 left; the 1-point export still fits
    }
    assert team_plan(g.state, "t1")["capacity"] == cap
    summary = host_view(g.state, g.now)["teams"][0]["capacity"]
    assert "order" not in summary and "no_room" not in summary
    assert summary["limit"] == LIMIT and summary["planned"] == LIMIT - 2


def crafted_over_limit(g: Driver, plan: dict[str, Choice], locked: bool = False) -> None:
    """A plan past the limit, as a stale plan or a capacity change could leave it (edits can't)."""
    team = replace(g.state.teams["t1"], plan=plan, locked=locked, locked_by="s1" if locked else "")
    g.state = put_team(g.state, team)


def test_a_plan_over_the_limit_cannot_be_locked_but_can_be_unlocked() -> None:
    g, ann, bob = tight((LIMIT - 1, 3, 1))
    crafted_over_limit(g, {"acme-sso": Choice(B, ann), "export": Choice(B, bob)})
    assert g.rejected(ann, c.Lock()) == "no_room"
    with pytest.raises(CommandRejected) as err:
        g.act(ann, c.Lock())
    over = LIMIT - 1 + 3 - LIMIT
    assert err.value.message == (
        f"Over the limit: the plan builds {LIMIT + 2} points, {over} more than the team can rush "
        f"this round (limit {LIMIT}) — defer or say no to something, then lock"
    )
    cap = team_plan(g.state, "t1")["capacity"]
    assert cap["over"] == 2 and cap["left"] == 0
    g.act(bob, c.SetCard(card="export", decision=D))
    g.act(ann, c.Lock())
    assert g.state.teams["t1"].locked

    crafted_over_limit(g, {"acme-sso": Choice(B, ann), "export": Choice(B, bob)}, locked=True)
    g.act(bob, c.Unlock())  # unlocking works as before, over the limit or not
    assert not g.state.teams["t1"].locked


@pytest.mark.parametrize("how", ["timer", "facilitator"])
@pytest.mark.parametrize("first", ["acme-sso", "export"])
def test_a_round_closing_over_the_limit_builds_in_order_and_defers_the_rest(how: str, first: str) -> None:
    g, ann, bob = tight((LIMIT - 1, 3, 1), round_seconds=60)
    second = "export" if first == "acme-sso" else "acme-sso"
    crafted_over_limit(g, {first: Choice(B, ann), "polish": Choice(N, bob), second: Choice(B, bob)})
    if how == "timer":
        g.now = g.state.timer.ends_at_ms or 0
        g.act(SYSTEM, c.Tick(), cid="")
    else:
        g.host(c.Close())
    assert g.state.phase is Phase.ROUND_CLOSED
    outcome = g.state.teams["t1"].outcomes[0]
    decisions = dict(outcome.decisions)
    assert decisions[first] is B and decisions[second] is D and decisions["polish"] is N
    assert outcome.bumped == (second,)
    title = next(card.title for card in g.state.scenario.rounds[0].cards if card.id == second)
    assert any(title in line and "defer" in line.lower() for line in outcome.lines), outcome.lines
    efforts = {"acme-sso": LIMIT - 1, "export": 3}
    assert outcome.effort_used == efforts[first]
