"""The door every Socket.IO message passes before python-socketio decodes it.

- Each message spends its size from its connection's and its address's byte allowance
  (``budget``); a client over either is disconnected, with one log line.
- Binary frames and binary packets are refused: this protocol has none, and a binary event that
  announced attachments and never completed used to hold its memory for good.
- Only the protocol's own events go on. Any other name (``disconnect``, ``connect``, ``*``, an
  object, an array, a name nobody handles) is answered ``unknown_event`` here when the client
  asked for an answer, and dropped otherwise: nothing of it is decoded, no handler runs, no
  traceback is logged and no seat is unbound.

It sits on Engine.IO's public ``message`` hook, wrapping python-socketio's own handler.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Iterable
from typing import Any

from socketio import packet

from game.web.budget import Spending
from game.web.limits import client_address
from game.web.packets import JsonPacket

log = logging.getLogger(__name__)
_EVENT = re.compile(r"2(/[^,]*,)?(\d*)")
_decoder = json.JSONDecoder()


def unknown(name: object) -> dict[str, Any]:
    message = f"there is no event called {str(name)[:40]!r}"
    return {"ok": False, "error": {"code": "unknown_event", "message": message}}


def event_name(data: str) -> tuple[str, int | None, object]:
    """(namespace, ack id, name) of an EVENT packet's text; the name is None unless it is a string."""
    m = _EVENT.match(data)
    if m is None:
        return "/", None, None
    namespace = (m.group(1) or "/,")[:-1] or "/"
    ack = int(m.group(2)) if m.group(2) and len(m.group(2)) < 16 else None
    rest = data[m.end() :]
    if not rest.startswith('["'):
        return namespace, ack, rest[:40]
    try:
        name, _ = _decoder.raw_decode(rest, 1)
    except ValueError:
        return namespace, ack, rest[:40]
    return namespace, ack, name


class Gate:
    """Wraps python-socketio's Engine.IO message handler (see the module's docstring)."""

    def __init__(
        self,
        server: Any,
        events: Iterable[str],
        spending: Spending,
        trusted_proxies: int,
        cpu: Callable[[], float] = time.thread_time,
    ) -> None:
        self.cpu = cpu
        self.server = server
        self.events = frozenset(events) - {"connect", "disconnect", "*"}
        self.spending = spending
        self.trusted_proxies = trusted_proxies
        self._refused: set[str] = set()
        self._addresses: dict[str, str] = {}  # eio sid -> client address, read once per connection
        self._inner: Callable[[str, Any], Any] = server.eio.handlers["message"]
        self._gone: Callable[..., Any] = server.eio.handlers["disconnect"]

    def install(self) -> None:
        self.server.eio.on("message", self.message)
        self.server.eio.on("disconnect", self.disconnected)

    def address(self, eio_sid: str) -> str:
        found = self._addresses.get(eio_sid)
        if found is None:
            environ = self.server.environ.get(eio_sid)
            found = client_address(environ or {}, self.trusted_proxies)
            if environ is not None:
                self._addresses[eio_sid] = found
        return found

    def message(self, eio_sid: str, data: Any) -> None:
        if eio_sid in self._refused or eio_sid not in self.server.environ:  # turned away, or gone
            return
        address = self.address(eio_sid)
        over = self.spending.bytes(eio_sid, address, len(data))
        if over:
            self.refuse(eio_sid, address, f"it used up {over}")
            return
        if isinstance(data, bytes) or data[:1] in ("5", "6"):
            self.refuse(eio_sid, address, "it sent binary data (the protocol has none)")
            return
        if data[:1] == "2":
            namespace, ack, name = event_name(data)
            if namespace != "/" or name not in self.events:
                if ack is not None and namespace == "/":
                    reply = JsonPacket(packet.ACK, namespace="/", id=ack, data=[unknown(name)])
                    self.server.eio.send(eio_sid, reply.encode())
                return
        start = self.cpu()
        try:
            self._inner(eio_sid, data)
        finally:
            over = self.spending.cpu(eio_sid, "", self.cpu() - start)
            if over:
                self.refuse(eio_sid, address, f"it used up {over}")

    def refuse(self, eio_sid: str, address: str, why: str) -> None:
        """Disconnect a client that broke the rules, saying why once."""
        self._refused.add(eio_sid)
        self.spending.say_once(address, "disconnected a client at %s: %s", address, why)
        self.server.eio.disconnect(eio_sid)

    def handled(self, sid: str, seconds: float, stranger: bool) -> None:
        """A handler ran ``seconds`` of loop time for connection ``sid``: over its allowance, it goes.
        A ``stranger`` (bound to no seat) also spends from its address's allowance."""
        eio_sid = self.server.manager.eio_sid_from_sid(sid, "/")
        if eio_sid is None:
            return
        address = self.address(eio_sid)
        over = self.spending.cpu(eio_sid, address if stranger else "", seconds)
        if over:
            self._refused.add(eio_sid)
            self.spending.say_once(address, "disconnected a client at %s: it used up %s", address, over)
            self.server.disconnect(sid, namespace="/")

    def disconnected(self, eio_sid: str, *args: Any) -> Any:
        self._refused.discard(eio_sid)
        self._addresses.pop(eio_sid, None)
        self.spending.gone(eio_sid)
        return self._gone(eio_sid, *args)
