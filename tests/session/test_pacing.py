"""Pacing: a round closes a few seconds after the last team locks (the facilitator may keep it open),
and a closed round can be revealed at once."""

from __future__ import annotations

from game.errors import CommandRejected
from game.session import HOST, SYSTEM, NoticeKind, Phase
from game.session import commands as c


def two_teams(game, **settings: int):
    g = game(teams=2, **settings)
    ann, bob = g.join("Ann", "t1"), g.join("Bob", "t2")
    g.now = 10_000
    g.host(c.Start())
    return g, ann, bob


def tick(g, at: int):
    g.now = at
    return g.act(SYSTEM, c.Tick(), cid="")


def test_the_round_closes_a_few_seconds_after_the_last_team_locks(game) -> None:
    g, ann, bob = two_teams(game)
    g.act(ann, c.Lock())
    assert g.state.closing_at_ms is None  # one team is still deciding
    g.now = 12_000
    result = g.act(bob, c.Lock())
    assert g.state.closing_at_ms == 17_000  # the default: five seconds
    assert NoticeKind.TIMER in {n.kind for n in result.notices}  # every screen shows the countdown
    assert tick(g, 16_999).notices == () and g.state.phase is Phase.ROUND_OPEN
    assert tick(g, 17_000).notices[0].kind is NoticeKind.ALL
    assert g.state.phase is Phase.ROUND_CLOSED and g.state.closing_at_ms is None


def test_a_team_that_unlocks_stops_the_countdown(game) -> None:
    g, ann, bob = two_teams(game)
    g.act(ann, c.Lock())
    g.act(bob, c.Lock())
    g.now = 13_000
    g.act(bob, c.Unlock())
    assert g.state.closing_at_ms is None
    tick(g, 60_000)
    assert g.state.phase is Phase.ROUND_OPEN
    g.act(bob, c.Lock())  # locking again starts a fresh countdown
    assert g.state.closing_at_ms == 65_000


def test_the_facilitator_keeps_the_round_open_for_the_rest_of_it(game) -> None:
    g, ann, bob = two_teams(game)
    g.act(ann, c.Lock())
    g.act(bob, c.Lock())
    g.act(HOST, c.KeepOpen())
    assert g.state.closing_at_ms is None and g.state.kept_open
    g.act(bob, c.Unlock())
    g.act(bob, c.Lock())
    assert g.state.closing_at_ms is None  # kept open: the facilitator closes this round
    tick(g, 90_000)
    assert g.state.phase is Phase.ROUND_OPEN
    g.host(c.Close())
    g.host(c.Reveal())
    g.host(c.Next())
    assert not g.state.kept_open  # the next round paces itself again
    g.act(ann, c.Lock())
    g.act(bob, c.Lock())
    assert g.state.closing_at_ms is not None


def test_the_countdown_can_be_turned_off(game) -> None:
    g, ann, bob = two_teams(game, close_when_locked=0)
    g.act(ann, c.Lock())
    g.act(bob, c.Lock())
    assert g.state.closing_at_ms is None
    tick(g, 100_000)
    assert g.state.phase is Phase.ROUND_OPEN


def test_reveal_on_close_goes_straight_to_the_results(game) -> None:
    g, _, _ = two_teams(game)
    g.host(c.Close())
    assert g.state.phase is Phase.ROUND_CLOSED  # off by default
    g = game(teams=2)
    g.join("Ann", "t1")
    g.host(c.Configure(reveal_on_close=True, close_when_locked=3))
    assert g.state.settings.reveal_on_close and g.state.settings.close_when_locked == 3
    g.host(c.Start())
    g.host(c.Close())
    assert g.state.phase is Phase.REVEALED
    assert len(g.state.teams["t1"].outcomes) == 1
    assert g.host(c.Reveal(round=0)).duplicate  # a facilitator's late press changes nothing


def test_bad_pacing_settings_are_refused(game) -> None:
    for payload in ({"close_when_locked": -1}, {"close_when_locked": 61}, {"reveal_on_close": "yes"}):
        try:
            c.parse_command({"type": "configure", "id": "x", **payload}, c.HOST_COMMANDS)
        except CommandRejected as err:
            assert err.code == "bad_request"
        else:
            raise AssertionError(f"{payload} was accepted")
