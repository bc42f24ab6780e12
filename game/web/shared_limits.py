"""Token buckets in Redis, so several workers count one guesser's failures together.

With ``--redis-url`` nginx spreads a client's connections over the workers; buckets in each
worker's memory would give a guesser as many tries as there are workers. These buckets keep the
same arithmetic as ``limits.Buckets`` in one Lua script per call (read, refill, take, expire), so
the figures in docs/security.md hold for the whole cluster. A bucket nobody has drained expires
by itself once it would be full again. Only failures and new games touch Redis; pacing a seat's
changes stays in its worker (a seat's connection lives on one worker).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from game.web.limits import Rate

Script = Callable[[list[str], list[Any]], Any]  # (keys, args) -> result; raises StoreUnavailable

# KEYS[1] = the bucket; ARGV = burst, every_ms, now_ms, take (1) or only look (0). Returns tokens.
_BUCKET = """
local burst = tonumber(ARGV[1])
local every = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local held = redis.call('HMGET', KEYS[1], 't', 'at')
local tokens = burst
if held[1] then
  tokens = math.min(burst, tonumber(held[1]) + math.max(0, now - tonumber(held[2])) / every)
end
if ARGV[4] == '1' then
  tokens = math.max(0, tokens - 1)
  redis.call('HSET', KEYS[1], 't', tostring(tokens), 'at', tostring(now))
  redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) * every) + 1000)
end
return tostring(tokens)
"""


class SharedBuckets:
    """The ``Buckets`` of one kind (wrong codes, wrong secrets, ...) kept in Redis for every worker."""

    def __init__(self, rate: Rate, scripts: Callable[[str], Script], name: str, prefix: str = "curb") -> None:
        self.rate = rate
        self._script = scripts(_BUCKET)  # Redis down: StoreUnavailable, answered 'unavailable'
        self._prefix = f"{prefix}:limit:{name}:"

    def _tokens(self, key: str, now: int, take: bool) -> float:
        args = [self.rate.burst, max(1, self.rate.every_ms), now, 1 if take else 0]
        return float(self._script([self._prefix + key], args))

    def wait_ms(self, key: str, now: int) -> int:
        """How long until this key may fail again: 0 while it has a token left."""
        if self.rate.burst <= 0:
            return 0
        missing = 1.0 - self._tokens(key, now, take=False)
        return 0 if missing <= 0 else int(missing * self.rate.every_ms) + 1

    def take(self, key: str, now: int) -> None:
        """Count one failure against this key, for every worker."""
        if self.rate.burst > 0:
            self._tokens(key, now, take=True)
