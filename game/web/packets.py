"""Socket.IO packets for a JSON-only protocol, built without a walk over every payload."""

from __future__ import annotations

from socketio import packet


class JsonPacket(packet.Packet):  # type: ignore[misc]
    """A Socket.IO packet that is never binary.

    python-socketio walks every outgoing payload, element by element, to find ``bytes`` to send as
    attachments; under load that walk was a quarter of the server's time (docs/performance.md).
    This protocol is JSON only: no view holds bytes, and one that did would fail to encode loudly.
    """

    uses_binary_events = False
