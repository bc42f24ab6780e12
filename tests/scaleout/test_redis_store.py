"""The Redis store against a real redis-server: two stores stand for two workers sharing one log."""

from __future__ import annotations

import time

import pytest

from bench.cluster import Cluster
from game.errors import CommandRejected
from game.model import Decision
from game.session import HOST, SYSTEM, Act, Phase, Settings
from game.session import commands as c
from game.store.redis import RedisStore
from game.views.live import seat_view

pytestmark = pytest.mark.slow


def two(cluster: Cluster) -> tuple[RedisStore, RedisStore]:
    return RedisStore(cluster.redis_url), RedisStore(cluster.redis_url)


def test_a_session_made_on_one_worker_is_the_same_on_the_other(redis_only: Cluster, scenario) -> None:
    a, b = two(redis_only)
    made = a.create(scenario, Settings(teams=0, round_seconds=60, seed=9), 500)
    code = made.code
    a.update(code, Act("", c.Join(name="Ann"), "j1", 1_000))
    b.update(code, Act("", c.Join(name="Bob"), "j2", 1_100))  # b loads the session, then appends
    a.update(code, Act(HOST, c.Start(), "h1", 2_000))
    b.update(code, Act("s1", c.SetCard(card="acme-sso", decision=Decision.BUILD), "e1", 3_000))
    a.update(code, Act("s2", c.Presence(connected=True), "", 3_100))
    sa, sb = a.get(code), b.get(code)
    assert sa is not None and sb is not None
    assert sa == sb and sa.rev == 4  # presence is shared but does not count in rev
    assert sb.seats["s2"].connected
    assert seat_view(sb, "s1", 5_000)["team"]["plan"] == {"acme-sso": {"decision": "build", "by": "s1"}}
    assert code in b.codes()
    token = a.seat_token(code, "s2")
    assert b.seat_for_token(token) == (code, "s2")
    assert b.host_ok(code, made.host_secret) and not b.host_ok(code, "wrong")
    fresh = RedisStore(redis_only.redis_url)  # a worker started later replays the log
    assert fresh.get(code) == sa
    for store in (a, b, fresh):
        store.close()


def test_a_stale_copy_catches_up_instead_of_refusing_or_repeating(redis_only: Cluster, scenario) -> None:
    a, b = two(redis_only)
    code = a.create(scenario, Settings(teams=1), 0).code
    a.update(code, Act("", c.Join(name="Ann"), "j1", 10))
    assert b.get(code) is not None  # b's copy is now at the lobby
    a.update(code, Act(HOST, c.Start(), "h1", 20))
    # b still thinks it is the lobby; the edit must be accepted, not refused as wrong_phase.
    done = b.update(code, Act("s1", c.SetCard(card="acme-sso", decision=Decision.NO), "e1", 30))
    assert not done.duplicate and done.state.rev == 3
    again = a.update(code, Act("s1", c.SetCard(card="acme-sso", decision=Decision.NO), "e1", 40))
    assert again.duplicate  # a catches up and sees the command id it has not applied itself
    with pytest.raises(CommandRejected) as refused:
        a.update(code, Act("s1", c.SetCard(card="nope", decision=Decision.NO), "e2", 50))
    assert refused.value.code == "not_found"
    assert a.get(code) == b.get(code)
    a.close()
    b.close()


def test_every_worker_ticks_but_a_round_closes_once(redis_only: Cluster, scenario) -> None:
    a, b = two(redis_only)
    code = a.create(scenario, Settings(teams=1, round_seconds=10), 0).code
    a.update(code, Act("", c.Join(name="Ann"), "j1", 10))
    a.update(code, Act(HOST, c.Start(), "h1", 1_000))
    b.get(code)
    late = 11_001
    first = b.update(code, Act(SYSTEM, c.Tick(), "", late))
    second = a.update(code, Act(SYSTEM, c.Tick(), "", late + 250))  # a's copy was still round_open
    assert first.notices and not second.notices
    state = a.get(code)
    assert state is not None and state.phase is Phase.ROUND_CLOSED and state == b.get(code)
    log = a._r.lrange(f"curb:log:{code}", 0, -1)
    assert [e for e in log if b'"tick"' in e] and len([e for e in log if b'"tick"' in e]) == 1
    a.close()
    b.close()


def test_a_worker_lets_an_idle_session_rest_and_wakes_it_caught_up(redis_only: Cluster, scenario) -> None:
    a, b = two(redis_only)
    code = a.create(scenario, Settings(teams=1), 0).code
    a.update(code, Act("", c.Join(name="Ann"), "j1", 10))
    assert b.get(code) is not None
    assert b.rest(idle_since_ms=100) == [code] and b.awake() == []
    a.update(code, Act(HOST, c.Start(), "h1", 200))  # the other worker carries on meanwhile
    assert code in b.codes()
    done = b.update(code, Act("s1", c.SetCard(card="acme-sso", decision=Decision.NO), "e1", 300))
    assert done.state.phase is Phase.ROUND_OPEN and done.state.rev == 3
    assert a.get(code) == b.get(code)
    assert b.rest(idle_since_ms=100) == []  # touched at 300


def test_forgetting_a_session_removes_it_for_every_worker(redis_only: Cluster, scenario) -> None:
    a, b = two(redis_only)
    code = a.create(scenario, Settings(teams=1), 0).code
    a.update(code, Act("", c.Join(name="Ann"), "j1", 10))
    kept = b.peek(code)
    assert kept is not None and kept.state.seats["s1"].name == "Ann" and b.awake() == []
    b.forget(code)
    assert code not in a.codes() and RedisStore(redis_only.redis_url).get(code) is None


def test_redis_going_down_is_a_plain_refusal_not_a_crash(redis_only: Cluster, scenario) -> None:
    from game.store import StoreUnavailable

    a = RedisStore(redis_only.redis_url)
    code = a.create(scenario, Settings(teams=1), 0).code
    a.update(code, Act("", c.Join(name="Ann"), "j1", 10))
    assert redis_only.redis is not None
    redis_only.redis.terminate()
    redis_only.redis.wait(timeout=10)
    with pytest.raises(StoreUnavailable):
        a.update(code, Act(HOST, c.Start(), "h1", 20))
    with pytest.raises(StoreUnavailable):
        RedisStore(redis_only.redis_url)
    assert a._live[code].state.phase is Phase.LOBBY  # this worker's copy: the failed start changed nothing
    with pytest.raises(StoreUnavailable):
        a.get(code)  # reading catches up from Redis first, so it says Redis is down too


def test_a_dead_workers_seats_are_swept_once_and_never_a_held_one(redis_only: Cluster, scenario) -> None:
    alive, dead, third = (
        RedisStore(redis_only.redis_url),
        RedisStore(redis_only.redis_url),
        RedisStore(redis_only.redis_url),
    )
    for store in (alive, third):
        store.beat(10_000)
    dead.beat(1)  # it beat once, then stopped
    dead.hold("CODE1", "s1")
    dead.hold("CODE1", "s2")
    alive.hold("CODE1", "s2")  # s2's phone came back through the live worker
    time.sleep(0.05)
    swept = alive.orphans() + third.orphans()
    assert swept == [("CODE1", "s1")]  # once, by one of them; s2 is held by a live worker
    assert alive.orphans() == [] and third.orphans() == []
