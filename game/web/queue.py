"""The message queue between workers (python-socketio's Redis manager), made to come back quickly.

python-socketio's ``RedisManager`` re-subscribes after a broken connection with a back-off of
1, 2, 4, 8, 16 s (up to 60), so after a 20 s Redis outage a worker could stay deaf to the other
workers' emits for another 16 s; and it logs every failed publish, twice. This subclass tries
again every half second, logs one line when the queue breaks and one when it is back, and
tells the hub when it listens again (``on_listening``), so phones that may have missed emits
during the gap get their views again.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import socketio

from game.store import Outage
from game.store.redis import quick_retry

RETRY_SECONDS = 0.5


class ResilientRedisManager(socketio.RedisManager):  # type: ignore[misc]
    """``RedisManager`` with a short, fixed retry, throttled logging and a hook for catching up."""

    def __init__(self, url: str, channel: str, on_listening: Callable[[], None] | None = None) -> None:
        # The listening connection waits for messages for as long as it takes: no read timeout. And
        # no ten retries with back-off inside redis-py either: this loop tries again, every 0.5 s.
        options = {"socket_connect_timeout": 2, "retry": quick_retry()}
        super().__init__(url, channel=channel, redis_options=options)
        self.outage = Outage("the message queue (Redis)")
        self.on_listening = on_listening
        self.broken = False  # the subscription broke since the last time it listened
        self.connected: bool = False

    def _publish(self, data: Any) -> Any:
        if not self.outage.may_probe():  # down: dropped at once (phones are sent their views after)
            return None
        for attempt in (1, 2):  # a connection Redis closed while idle gets one fresh try
            try:
                if not self.connected:
                    self._redis_connect()
                result = self.redis.publish(self.channel, self.json.dumps(data))
            except Exception as exc:
                self.connected = False
                if attempt == 2 or self.outage.down:  # a probe during an outage: no second try
                    self.outage.failed(f"publishing: {exc}")
                    return None
                continue
            self.outage.ok()
            return result
        return None

    def _redis_listen_with_retries(self) -> Iterator[Any]:
        while True:
            try:
                self._redis_connect()
                self.pubsub.subscribe(self.channel)
                if self.broken:
                    self.broken = False
                    self.outage.ok()
                    if self.on_listening is not None:
                        self.on_listening()
                yield from self.pubsub.listen()
            except Exception as exc:
                self.broken = True
                self.outage.failed(f"listening: {exc}")
                time.sleep(RETRY_SECONDS)  # patched by eventlet under eventlet: a green sleep
