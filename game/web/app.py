"""The application factory: Flask app + SocketIO server + store + the round ticker."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask_socketio import SocketIO

from game.store import MemoryStore, SessionStore, SqliteStore
from game.web import compress, events, security, wire
from game.web.budget import Spending
from game.web.catalogue import Catalogue
from game.web.config import WebConfig
from game.web.gate import Gate
from game.web.hub import Hub
from game.web.limits import Bucket, Guards, Rate
from game.web.offload import Offload
from game.web.packets import JsonPacket
from game.web.prefix import RootPath
from game.web.queue import ResilientRedisManager
from game.web.routes import bp


def create_app(config: WebConfig | None = None, store: SessionStore | None = None) -> tuple[Flask, SocketIO]:
    """Build the app; sessions come back from the store's log, and their clocks keep running."""
    config = config or WebConfig()
    offload = Offload(
        config.offload, config.cpu_clock
    )  # blocking work (the database, scenario checks) off the loop
    app = Flask(
        __name__,
        template_folder=str(config.template_folder),
        static_folder=str(config.static_folder),
        static_url_path="/static",
    )
    app.config["SECRET_KEY"] = config.secret_key
    app.config["MAX_CONTENT_LENGTH"] = config.max_message_bytes
    compress.install(app)
    scale_out: dict[str, Any] = {}
    queue: ResilientRedisManager | None = None
    if config.redis_url:
        # Several workers: emits to rooms travel through Redis to every worker. WebSocket only, so a
        # connection is one TCP stream to one worker and needs no sticky routing (docs/deploy.md).
        queue = ResilientRedisManager(config.redis_url, "curb-appeal")
        scale_out = {"client_manager": queue, "transports": ["websocket"]}
    socketio = SocketIO(
        app,
        async_mode=config.async_mode,
        cors_allowed_origins=config.cors_allowed_origins,
        max_http_buffer_size=config.max_message_bytes,
        manage_session=False,
        serializer=JsonPacket,
        **scale_out,
    )
    security.install(app)  # around Socket.IO's middleware too: its polling answers and errors
    if store is None and config.redis_url:
        from game.store.redis import RedisStore  # the driver loads only for scale-out

        store = RedisStore(config.redis_url)
    if store is None:
        awake_since = config.clock() - int(config.rest_after_seconds * 1000)
        store = (
            SqliteStore(config.db, awake_since_ms=awake_since, run=offload) if config.db else MemoryStore()
        )
    # Under a path prefix (https://host/curb/): outside Socket.IO's middleware, so it sees /socket.io/.
    app.wsgi_app = RootPath(app.wsgi_app, config.root_path, config.trusted_proxies > 0)  # type: ignore[method-assign]
    hub = Hub(socketio, store, config)
    hub.catalogue = Catalogue(config, offload)
    app.extensions["curb_hub"] = hub
    if queue is not None:  # after an outage of the queue, phones may have missed emits
        hub.catch_up_after(queue)
    guards = Guards(config.limits, config.clock, _shared_buckets(store))
    app.extensions["curb_guards"] = guards
    app.register_blueprint(bp)
    spending = Spending(config.budgets)
    gate = Gate(socketio.server, events.EVENTS, spending, config.trusted_proxies, config.cpu_clock)
    gate.install()
    events.register(socketio, hub, guards, gate, offload)
    wire.quiet_malformed_packets()
    if config.ticker:
        socketio.start_background_task(hub.run_ticker)
    listen = getattr(store, "listen", None)  # a shared store tells this worker what the others changed
    if listen is not None:
        socketio.start_background_task(listen, hub.changed_elsewhere, socketio.sleep)
    return app, socketio


def _shared_buckets(store: SessionStore) -> Callable[[str, Rate], Bucket] | None:
    """With several workers, every one counts a guesser's failures together (docs/security.md)."""
    script = getattr(store, "script", None)  # a Redis store runs the buckets' script for every worker
    if script is None:
        return None
    from game.web.shared_limits import SharedBuckets

    def buckets(name: str, rate: Rate) -> Bucket:
        return SharedBuckets(rate, script, name)

    return buckets
