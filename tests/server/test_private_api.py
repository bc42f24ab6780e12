"""The one private python-socketio call the server makes (``packets.send_packet``), pinned down.

If a python-socketio release renames or reshapes ``Server._send_eio_packet``, these fail by name
instead of every phone silently missing its view after a phase change.
"""

from __future__ import annotations

import inspect

import socketio

from game.web.packets import event_packet, send_packet
from tests.server.conftest import Server


def test_python_socketio_still_has_the_private_send_the_server_relies_on() -> None:
    send = getattr(socketio.Server, "_send_eio_packet", None)
    assert send is not None, "python-socketio no longer has Server._send_eio_packet: see game/web/packets.py"
    assert list(inspect.signature(send).parameters) == ["self", "eio_sid", "eio_pkt"]


def test_a_packet_sent_past_emit_reaches_that_connection_only(server: Server) -> None:
    host, created = server.host()
    other, _ = server.host()
    host.clear()
    other.clear()
    sio = server.sio.server
    eio_sid = host.sio_client.eio_sid
    send_packet(sio, eio_sid, event_packet("seat:view", {"code": created["code"], "n": 1}))
    assert host.pushed("seat:view") == [{"code": created["code"], "n": 1}]
    assert other.pushed("seat:view") == []
