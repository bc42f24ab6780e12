"""Socket.IO packets for a JSON-only protocol: no walk looking for bytes, shared view parts encoded once."""

from __future__ import annotations

import json
from json.encoder import encode_basestring_ascii
from typing import Any

from engineio import packet as eio_packet
from socketio import packet

from game.views import Shared, SharedList

_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=True).encode


def _encoded(part: Shared | SharedList) -> str:
    """A shared part's JSON, kept on the part: the next phone's view reuses it."""
    cached: str | None = getattr(part, "_json", None)
    if cached is None:
        if isinstance(part, SharedList):  # its items may be shared too (a card several teams hold)
            cached = "[" + ",".join(_value(x) for x in part) + "]"
        else:
            cached = _dumps(part)
        part._json = cached  # type: ignore[union-attr]
    return cached


def _value(value: Any) -> str:
    kind = type(value)
    if kind is Shared or kind is SharedList:
        return _encoded(value)
    if kind is str:
        return str(encode_basestring_ascii(value))
    if kind is int:
        return str(value)
    return _dumps(value)


class SharingJson:
    """The ``json`` a packet uses: ``[event, payload]`` with the payload's shared parts spliced in."""

    @staticmethod
    def dumps(data: Any, **_: Any) -> str:
        if isinstance(data, list) and len(data) == 2 and type(data[1]) is dict:
            body = ",".join(f"{encode_basestring_ascii(k)}:{_value(v)}" for k, v in data[1].items())
            return f"[{_dumps(data[0])},{{{body}}}]"
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
