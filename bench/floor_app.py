"""The floor: a bare Flask-SocketIO app under eventlet that broadcasts one payload to every client.

``bench/load.py`` starts it next to the game and times ``floor:go`` -> the last client has
``floor``: what any Flask-SocketIO app pays to push one message to N phones on this machine,
with no game logic at all. The game's reveal fan-out is reported as a multiple of it.

Run by hand: .venv/bin/python bench/floor_app.py --port 8100
"""

from __future__ import annotations

import warnings

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
    import eventlet

eventlet.monkey_patch()

import argparse  # noqa: E402
import gc  # noqa: E402
import resource  # noqa: E402
import socket  # noqa: E402
from typing import Any  # noqa: E402

import eventlet.wsgi  # noqa: E402
from flask import Flask  # noqa: E402
from flask_socketio import SocketIO, emit  # noqa: E402


def create(max_bytes: int = 64 * 1024) -> tuple[Flask, SocketIO]:
    app = Flask(__name__)
    socketio = SocketIO(app, async_mode="eventlet", max_http_buffer_size=max_bytes, manage_session=False)

    @socketio.on("floor:go")
    def go(data: dict[str, Any]) -> dict[str, bool]:
        # One broadcast to everyone but the conductor: encoded once, written to every socket.
        # A sample of the message it stands for (a revealed seat view), or padding of its size.
        view = data.get("view")
        payload = (
            {"seq": data["seq"], "view": view} if view else {"seq": data["seq"], "pad": "x" * data["bytes"]}
        )
        emit("floor", payload, broadcast=True, include_self=False)
        return {"ok": True}

    @app.get("/healthz")
    def healthz() -> dict[str, bool]:
        return {"ok": True}

    return app, socketio


def main() -> None:
    ap = argparse.ArgumentParser(description="bare Flask-SocketIO broadcast server (the floor)")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    args = ap.parse_args()
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    app, _ = create()
    gc.collect()  # the same collector settings as the game server (game/serve.py)
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)
    listener = eventlet.listen((args.host, args.port), backlog=4096)
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # as the game server does
    eventlet.wsgi.server(listener, app, max_size=10_000, log_output=False)


if __name__ == "__main__":
    main()
