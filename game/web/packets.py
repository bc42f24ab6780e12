"""Socket.IO packets for a JSON-only protocol: no walk looking for bytes, shared view parts encoded once."""

from __future__ import annotations

import functools
import json
from json.encoder import encode_basestring_ascii
from typing import Any

from engineio import packet as eio_packet
from socketio import packet

from game.views import SeatView, Shared, SharedList

_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=True).encode


def _encoded(part: Shared | SharedList) -> str:
    """A shared part's JSON, kept on the part: the next phone's view reuses it."""
    cached: str | None = getattr(part, "_json", None)
    if cached is None:
        if isinstance(part, SharedList):  # its items may be shared too (a card several teams hold)
            cached = "[" + ",".join(_value(x) for x in part) + "]"
        elif any(type(v) is Shared or type(v) is SharedList for v in part.values()):
            cached = _object(part)  # a seat view's head: its team and its cards are shared parts
        else:
            cached = _dumps(part)
        part._json = cached  # type: ignore[union-attr]
    return cached


def _object(d: dict[str, Any]) -> str:
    return "{" + ",".join(f"{encode_basestring_ascii(k)}:{_value(v)}" for k, v in d.items()) + "}"


def _seat_view(view: SeatView) -> str:
    """A phone's view: its head's JSON (written once for every seat that holds it) and its ``you``."""
    head = _encoded(view.head)
    you = view["you"]
    roles = ",".join(encode_basestring_ascii(r) for r in you["roles"])
    who = ",".join(f'"{k}":{encode_basestring_ascii(you[k])}' for k in ("id", "name", "team"))
    return f'{head[:-1]},"you":{{{who},"roles":[{roles}]}}}}'


def _value(value: Any) -> str:
    kind = type(value)
    if kind is Shared or kind is SharedList:
        return _encoded(value)
    if kind is str:
        return str(encode_basestring_ascii(value))
    if kind is int:
        return str(value)
    return _dumps(value)


@functools.lru_cache(maxsize=64)
def _event(name: str) -> str:
    """An event's name as JSON: the same few names on every packet."""
    return _dumps(name)


class SharingJson:
    """The ``json`` a packet uses: ``[event, payload]`` with the payload's shared parts spliced in."""

    @staticmethod
    def dumps(data: Any, **_: Any) -> str:
        if isinstance(data, list) and len(data) == 2 and type(data[0]) is str:
            kind = type(data[1])
            if kind is SeatView:
                return f"[{_event(data[0])},{_seat_view(data[1])}]"
            if kind is dict:
                return f"[{_event(data[0])},{_object(data[1])}]"
        return _dumps(data)

    @staticmethod
    def loads(text: str | bytes, **kwargs: Any) -> Any:
        return json.loads(text, **kwargs)


class JsonPacket(packet.Packet):  # type: ignore[misc]
    """A Socket.IO packet that is never binary, and encodes shared view parts once.

    python-socketio walks every outgoing payload, element by element, to find ``bytes`` to send as
    attachments; under load that walk was a quarter of the server's time (docs/performance.md).
    This protocol is JSON only: no view holds bytes, and one that did would fail to encode loudly.
    A reveal sends every phone its own view, but a team's state and a role's cards are the same
    objects in each of its members' views (``views.seat_views``): their JSON is written once.
    """

    uses_binary_events = False
    json = SharingJson


def event_packet(event: str, data: Any) -> eio_packet.Packet:
    """A Socket.IO event on the default namespace, ready for Engine.IO: what ``emit`` builds per call."""
    return eio_packet.Packet(eio_packet.MESSAGE, JsonPacket(packet.EVENT, data=[event, data]).encode())


def send_packet(server: Any, eio_sid: str, pkt: eio_packet.Packet) -> None:
    """Hand an encoded packet to one connection: the one call into python-socketio's private API.

    ``Server._send_eio_packet(eio_sid, pkt)`` is where every ``emit`` ends (and where the
    Flask-SocketIO test client listens); a change to it fails ``test_private_socketio_api``.
    """
    server._send_eio_packet(eio_sid, pkt)
