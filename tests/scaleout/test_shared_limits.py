"""Rate limits shared through Redis: two workers count one guesser's failures together."""

from __future__ import annotations

import pytest
import redis

from bench.cluster import Cluster
from game.errors import CommandRejected
from game.store import UnknownSession
from game.store.redis import RedisStore
from game.web.limits import Buckets, Guards, Limits, Rate
from game.web.shared_limits import SharedBuckets

pytestmark = pytest.mark.slow


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000_000

    def __call__(self) -> int:
        return self.now


def guards(cluster: Cluster, clock: Clock) -> Guards:
    store = RedisStore(cluster.redis_url)
    return Guards(Limits(), clock, lambda name, rate: SharedBuckets(rate, store.script, name))


def wrong_guess(g: Guards, address: str) -> str:
    try:
        with g.room_code(address, "QQQQQ"):
            raise UnknownSession("no such session")
    except CommandRejected as err:
        return err.code
    raise AssertionError("a wrong code was not refused")


def test_a_guesser_spread_over_two_workers_gets_the_tries_of_one(redis_only: Cluster) -> None:
    clock = Clock()
    one, two = guards(redis_only, clock), guards(redis_only, clock)
    burst = Limits().wrong_codes.burst
    for n in range(burst):
        assert wrong_guess(one if n % 2 else two, "203.0.113.9") == "not_found"
    # out of tries on both workers: a typed code now also needs the room's word (issue 13)
    assert wrong_guess(one, "203.0.113.9") == "word_needed"
    assert wrong_guess(two, "203.0.113.9") == "word_needed"
    assert wrong_guess(two, "198.51.100.4") == "not_found"  # another address has its own bucket
    clock.now += Limits().wrong_codes.every_ms
    assert wrong_guess(one, "203.0.113.9") == "not_found"  # one try back, on either worker
    assert wrong_guess(two, "203.0.113.9") == "word_needed"


def test_shared_buckets_keep_the_same_arithmetic_and_forget_themselves(redis_only: Cluster) -> None:
    client = redis.Redis.from_url(redis_only.redis_url)
    rate = Rate(3, 1_000)
    shared, local = SharedBuckets(rate, RedisStore(redis_only.redis_url).script, "test"), Buckets(rate)
    now = 5_000_000
    steps = [0, 0, 0, 0, 300, 700, 1_000, 2_500, 0, 0, 4_000]
    for gap in steps:
        now += gap
        assert shared.wait_ms("a", now) == local.wait_ms("a", now)
        shared.take("a", now)
        local.take("a", now)
    ttl = client.pttl("curb:limit:test:a")
    assert 0 < ttl <= 3 * 1_000 + 1_000  # gone once it would be full again: memory stays bounded
