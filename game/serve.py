"""Run the game server (``curb-appeal serve``); the only module that imports eventlet.

Eventlet must patch the standard library before anything else grabs real threads and
sockets, so this module does it on import, deciding from the command line and the
environment alone. ``python -m game serve`` imports this module before the CLI (see
``game/__main__.py``); ``main`` patches late as a fallback for other entry points.
"""

from __future__ import annotations

import os
import sys
import warnings


def _mode_from(argv: list[str]) -> str:
    """The async mode asked for, read without argparse (it runs before other imports)."""
    for i, arg in enumerate(argv):
        if arg == "--async-mode" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--async-mode="):
            return arg.split("=", 1)[1]
    return os.environ.get("CURB_ASYNC_MODE", "eventlet")


def _patch_eventlet() -> None:
    with warnings.catch_warnings():
        # Eventlet announces its own deprecation on import; the issue asks for it by name
        # (it serves thousands of websockets in one process), so the notice is silenced here.
        warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
        import eventlet

    eventlet.monkey_patch()


if _mode_from(sys.argv[1:]) == "eventlet":
    _patch_eventlet()

import argparse  # noqa: E402  (after the monkey patching, on purpose)
import gc  # noqa: E402
import logging  # noqa: E402
import resource  # noqa: E402
import socket  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from game.model import Scenario  # noqa: E402
from game.store import DEFAULT_DB  # noqa: E402
from game.web import GreenCpu, RawErrorHeaders, WebConfig, cap_messages, create_app  # noqa: E402

DEFAULT_PORT = 8000
DEFAULT_MAX_CONNECTIONS = 10_000  # eventlet's default is 1,024 simultaneous connections


def parser() -> argparse.ArgumentParser:
    env = os.environ.get
    p = argparse.ArgumentParser(prog="curb-appeal serve", description="Run the Curb Appeal game server.")
    p.add_argument("--host", default=env("CURB_HOST", "0.0.0.0"), help="address to listen on [CURB_HOST]")
    p.add_argument("--port", type=int, default=int(env("CURB_PORT", str(DEFAULT_PORT))), help="[CURB_PORT]")
    p.add_argument("--db", default=env("CURB_DB", DEFAULT_DB), help="SQLite file for sessions [CURB_DB]")
    p.add_argument(
        "--async-mode",
        default=env("CURB_ASYNC_MODE", "eventlet"),
        choices=("eventlet", "threading"),
        help="eventlet (default) or threading [CURB_ASYNC_MODE]",
    )
    p.add_argument(
        "--public-url",
        default=env("CURB_PUBLIC_URL", ""),
        help="base URL players use, for join links and QR codes [CURB_PUBLIC_URL]",
    )
    p.add_argument(
        "--cors-origins",
        default=env("CURB_CORS_ORIGINS", ""),
        help="comma-separated origins allowed besides the server's own [CURB_CORS_ORIGINS]",
    )
    p.add_argument(
        "--trusted-proxies",
        type=int,
        default=int(env("CURB_TRUSTED_PROXIES", "0")),
        help="reverse proxies in front of the server whose X-Forwarded-For to believe when counting "
        "wrong guesses per address; 0 = none (the default; see docs/security.md) [CURB_TRUSTED_PROXIES]",
    )
    p.add_argument(
        "--scenarios",
        default=env("CURB_SCENARIOS", ""),
        help="a folder of scenario files to offer instead of the built-in ones [CURB_SCENARIOS]",
    )
    p.add_argument(
        "--no-scenario-uploads",
        action="store_true",
        default=env("CURB_NO_SCENARIO_UPLOADS", "") not in ("", "0"),
        help="offer only the server's scenarios; facilitators cannot start a game from their own file "
        "[CURB_NO_SCENARIO_UPLOADS=1]",
    )
    p.add_argument(
        "--redis-url",
        default=env("CURB_REDIS_URL", ""),
        help="run as one of several workers: sessions and broadcasts shared through this Redis "
        "(redis://host:port/db); unset = one process with SQLite (docs/deploy.md) [CURB_REDIS_URL]",
    )
    p.add_argument(
        "--heartbeat-seconds",
        type=float,
        default=env("CURB_HEARTBEAT_SECONDS", "5"),
        help="with --redis-url: how often a worker says it is alive; after three missed beats the "
        "others show its phones as away [CURB_HEARTBEAT_SECONDS]",
    )
    p.add_argument(
        "--max-connections",
        type=int,
        default=int(env("CURB_MAX_CONNECTIONS", str(DEFAULT_MAX_CONNECTIONS))),
        help="simultaneous connections (eventlet) [CURB_MAX_CONNECTIONS]",
    )
    return p


def raise_open_file_limit(wanted: int) -> int:
    """Let the process hold a socket per player: lift the soft open-file limit towards the hard one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            return target
        except (ValueError, OSError):
            return soft
    return soft


def calm_garbage_collector() -> None:
    """Fewer, cheaper full collections: one process serves every connection, so a collection stops all.

    With 2,000 phones the heap holds a few million objects and CPython's full (generation 2)
    collection ran every few seconds under load, 150-580 ms each, stalling every socket
    (docs/performance.md). The game's state is immutable and freed by reference counting; cycles
    are rare. So: what is alive at start (modules, scenarios, the app) is moved out of the
    collector's sight, and the thresholds are raised so full collections come minutes apart.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)


def offered_scenarios(folder: str) -> dict[str, Scenario | Path] | None:
    """The scenario files in ``folder`` by name (``--scenarios``); None = the built-in ones."""
    return {p.stem: p for p in sorted(Path(folder).glob("*.yaml"))} if folder else None


def lan_address() -> str:
    """This machine's address on the local network, for links phones can open (best effort)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing interface
            return str(s.getsockname()[0])
    except OSError:
        return "127.0.0.1"


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.async_mode == "eventlet" and "eventlet" not in sys.modules:
        _patch_eventlet()  # reached through another entry point: patch as early as we still can
    origins = [o.strip() for o in args.cors_origins.split(",") if o.strip()] or None
    config = WebConfig(
        async_mode=args.async_mode,
        db=args.db,
        secret_key=os.environ.get("CURB_SECRET_KEY", "") or WebConfig().secret_key,
        cors_allowed_origins=origins,
        public_url=args.public_url,
        trusted_proxies=max(0, args.trusted_proxies),
        scenarios=offered_scenarios(args.scenarios),
        scenario_uploads=not args.no_scenario_uploads,
        redis_url=args.redis_url,
        heartbeat_seconds=max(0.1, args.heartbeat_seconds),
        offload=_thread_pool(args.async_mode),
        cpu_clock=_cpu_clock(args.async_mode),
        scenario_worker=True,
    )
    app, socketio = create_app(config)
    raise_open_file_limit(args.max_connections + 256)
    calm_garbage_collector()
    shown = lan_address() if args.host in ("0.0.0.0", "::", "") else args.host
    base = args.public_url.rstrip("/") or f"http://{shown}:{args.port}"
    where = "Redis (scale-out worker)" if args.redis_url else args.db
    print(f"Curb Appeal is running ({args.async_mode}, sessions in {where})", flush=True)
    print(f"  Facilitator: {base}/host", flush=True)
    print(f"  Players join at: {base}/", flush=True)
    if args.async_mode == "eventlet":
        _run_eventlet(app, args.host, args.port, args.max_connections)
    else:
        socketio.run(app, host=args.host, port=args.port, allow_unsafe_werkzeug=True, log_output=False)
    return 0


def _thread_pool(async_mode: str) -> Callable[..., Any] | None:
    """Eventlet's pool of real threads, for blocking work (the database) off the event loop."""
    if async_mode != "eventlet":
        return None  # threading: each request already has its own thread
    from eventlet import tpool

    return tpool.execute  # type: ignore[no-any-return]


def _cpu_clock(async_mode: str) -> Callable[[], float]:
    """A handler's own CPU time: per green thread under eventlet (its greenlets come with it)."""
    if async_mode != "eventlet":
        return time.thread_time
    import greenlet  # type: ignore[import-untyped]

    return GreenCpu(greenlet)


def _run_eventlet(app: object, host: str, port: int, max_connections: int) -> None:
    import eventlet
    import eventlet.websocket
    import eventlet.wsgi

    cap_messages(eventlet.websocket)  # a message is capped as a whole, however framed (issue 13)
    listener = eventlet.listen((host, port), backlog=min(max_connections, 4096))
    # Accepted sockets inherit this: without it, an ack written right after a broadcast waits for
    # the phone's delayed ACK (Nagle), 40 ms on Linux: the bench showed it as edit-ack p95.
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    class LeanBuffers(eventlet.wsgi.HttpProtocol):  # type: ignore[misc]
        """A phone's connection keeps its HTTP read and write buffers for as long as its WebSocket
        lives: 24 KB by default, a quarter of what each player cost the server. 2 KB each is plenty
        for request headers; larger writes go straight to the socket."""

        rbufsize = 2048
        wbufsize = 2048

        def setup(self) -> None:
            super().setup()
            # Its own 414 and 400s carry the security headers too.
            self.wfile = RawErrorHeaders(self.wfile)  # type: ignore[has-type]

    eventlet.wsgi.server(listener, app, max_size=max_connections, log_output=False, protocol=LeanBuffers)
