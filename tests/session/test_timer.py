"""The round clock as data: expiry by now_ms, pause, resume, extend; untimed rounds wait."""

from __future__ import annotations

from game.model import Decision
from game.session import SYSTEM, NoticeKind, Phase, Timer
from game.session import commands as c


def timed(game, seconds: int = 60):
    g = game(teams=1, round_seconds=seconds)
    ann = g.join("Ann")
    g.now = 10_000
    g.host(c.Start())
    return g, ann


def test_a_timed_round_closes_when_time_is_up(game) -> None:
    g, ann = timed(game)
    assert g.state.timer == Timer(ends_at_ms=70_000)
    g.now = 69_999
    assert g.act(SYSTEM, c.Tick(), cid="").notices == ()
    g.act(ann, c.SetCard(card="acme-sso", decision=Decision.BUILD))
    g.now = 70_000
    result = g.act(SYSTEM, c.Tick(), cid="")
    assert result.notices[0].kind is NoticeKind.ALL
    assert g.state.phase is Phase.ROUND_CLOSED
    assert dict(g.state.teams["t1"].outcomes[0].decisions)["acme-sso"] is Decision.BUILD


def test_an_edit_after_time_is_up_is_refused_and_changes_nothing(game) -> None:
    g, ann = timed(game)
    g.now = 80_000
    assert g.rejected(ann, c.SetCard(card="export", decision=Decision.BUILD)) == "wrong_phase"
    assert g.state.phase is Phase.ROUND_OPEN  # the clock's own tick closes it, and is logged


def test_pause_resume_and_extend_keep_the_remaining_time(game) -> None:
    g, _ = timed(game)
    g.now = 30_000
    g.host(c.Pause())
    assert g.state.timer == Timer(paused_remaining_ms=40_000)
    g.now = 500_000
    assert g.act(SYSTEM, c.Tick(), cid="").notices == ()
    g.host(c.Extend(seconds=20))
    assert g.state.timer == Timer(paused_remaining_ms=60_000)
    g.host(c.Resume())
    assert g.state.timer == Timer(ends_at_ms=560_000)
    g.host(c.Extend(seconds=5))
    assert g.state.timer.ends_at_ms == 565_000
    assert g.rejected("host", c.Resume()) == "invalid"


def test_untimed_rounds_wait_for_the_facilitator(game) -> None:
    g = game(teams=1)
    g.join("Ann")
    g.host(c.Start())
    assert g.state.timer == Timer()
    g.now = 10**12
    g.act(SYSTEM, c.Tick(), cid="")
    assert g.state.phase is Phase.ROUND_OPEN
    assert g.rejected("host", c.Pause()) == "invalid"
    g.host(c.Extend(seconds=30))  # an untimed round can be given a clock
    assert g.state.timer == Timer(ends_at_ms=10**12 + 30_000)
