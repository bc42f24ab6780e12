"""WebSocket messages capped as a whole, however they are framed, and unmasked at C speed.

Engine.IO hands eventlet its ``max_http_buffer_size`` as a *frame* limit: a text message sent as
one non-final frame and hundreds of continuation frames was kept whole (30 MB, seconds of CPU,
nothing logged). ``cap_messages`` counts every byte of a message as it arrives and closes the
connection (1009, "message too big") the moment the total passes the cap, keeping nothing.

Eventlet also unmasks client frames one byte at a time in Python (20 ms of CPU for one 64 KB
message, time every other connection waits); ``unmask`` does the same XOR on whole integers.

The serve entry, the one place that imports eventlet, passes its ``eventlet.websocket`` module in.
"""

from __future__ import annotations

import logging
from types import ModuleType
from typing import Any

log = logging.getLogger(__name__)


def unmask(data: bytes, mask: tuple[int, ...] | bytes, length: int | None = None, offset: int = 0) -> bytes:
    """RFC 6455 unmasking: ``data`` XOR the 4-byte ``mask`` repeated, starting at ``offset`` into it."""
    n = len(data) if length is None else length
    if n <= 0:
        return b""
    key = bytes(mask[(offset + i) % 4] for i in range(4))
    pad = (key * (n // 4 + 1))[:n]
    return (int.from_bytes(data[:n], "big") ^ int.from_bytes(pad, "big")).to_bytes(n, "big")


def cap_messages(ws: ModuleType) -> None:
    """Make eventlet's RFC 6455 websocket count a message's bytes across its frames (idempotent)."""
    socket_class: Any = ws.RFC6455WebSocket
    if getattr(socket_class, "_curb_capped", False):
        return
    failed: Any = ws.FailedConnectionError
    plain: Any = socket_class.Message

    class CappedMessage(plain):  # type: ignore[misc]
        """A message being received: over ``max_frame_length`` in all, the connection fails."""

        size = 0

        def push(self, data: bytes, final: bool = False) -> None:
            self.size += len(data)
            if self.size > self.max_frame_length:
                self.data: list[bytes] = []  # nothing of it is kept
                raise failed(1009, f"a message over {self.max_frame_length} bytes")
            super().push(data, final)

    receive = socket_class._recv_frame

    def _recv_frame(self: Any, message: Any = None) -> Any:
        try:
            return receive(self, message)
        except failed as err:
            if getattr(err, "status", 0) == 1009:
                peer = (getattr(self, "environ", None) or {}).get("REMOTE_ADDR", "?")
                log.warning("closed a websocket from %s: %s (counted across its frames)", peer, err.message)
            raise

    socket_class.Message = CappedMessage
    socket_class._recv_frame = _recv_frame
    socket_class._apply_mask = staticmethod(unmask)
    socket_class._curb_capped = True
