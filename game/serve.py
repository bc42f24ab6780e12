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
import contextlib  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import resource  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import sqlite3  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import TYPE_CHECKING, Any  # noqa: E402

from game.errors import CurbAppealError  # noqa: E402
from game.model import Scenario  # noqa: E402
from game.settings import MEMORY, StartupError, add_options, read  # noqa: E402
from game.store import StoreUnavailable  # noqa: E402
from game.web import GreenCpu, RawErrorHeaders, cap_messages  # noqa: E402

if TYPE_CHECKING:
    from game.web import WebConfig

log = logging.getLogger("game.serve")
STOP_WAIT_SECONDS = 3.0  # a graceful stop waits this long at most for commands being handled


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="curb-appeal serve",
        description="Run the Curb Appeal game server. Every option can also be set by its variable "
        "(docs/configuration.md).",
    )
    add_options(p, "serve")
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


class JsonLines(logging.Formatter):
    """One JSON object a line: time, level, logger, message (``--log-format json``)."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line)


def setup_logging(fmt: str) -> None:
    handler = logging.StreamHandler()
    plain = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    handler.setFormatter(JsonLines() if fmt == "json" else plain)
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)


def bind(host: str, port: int) -> socket.socket:
    """The server's socket, bound (the port is ours) but not yet listening: until the app is ready a
    client is refused at once rather than kept waiting. A taken port is one clear line."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as err:
        sock.close()
        if err.errno == 98:  # EADDRINUSE
            raise StartupError(
                f"port {port} on {host} is already in use (another Curb Appeal?): stop it, "
                "or pass --port / set CURB_PORT"
            ) from None
        if err.errno == 13:  # EACCES
            raise StartupError(f"port {port} needs root: use a port above 1023 behind nginx") from None
        raise StartupError(f"cannot listen on {host}:{port}: {err.strerror}") from None
    # Accepted sockets inherit this: without it, an ack written right after a broadcast waits for
    # the phone's delayed ACK (Nagle), 40 ms on Linux: the bench showed it as edit-ack p95.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def config_from(values: dict[str, Any]) -> WebConfig:
    from game.web import WebConfig

    origins = [o.strip() for o in values["cors_origins"].split(",") if o.strip()] or None
    return WebConfig(
        async_mode=values["async_mode"],
        db="" if values["db"] == MEMORY else values["db"],
        secret_key=values["secret_key"] or WebConfig().secret_key,
        cors_allowed_origins=origins,
        public_url=values["public_url"],
        root_path=values["root_path"],
        trusted_proxies=values["trusted_proxies"],
        scenarios=offered_scenarios(values["scenarios"]),
        scenario_uploads=not values["no_scenario_uploads"],
        redis_url=values["redis_url"],
        heartbeat_seconds=values["heartbeat_seconds"],
        offload=_thread_pool(values["async_mode"]),
        cpu_clock=_cpu_clock(values["async_mode"]),
        scenario_worker=True,
    )


def main(argv: list[str]) -> int:
    """Serve until SIGTERM or Ctrl-C; a setting it cannot start with is one line on stderr and exit 2."""
    try:
        values = read(parser().parse_args(argv), "serve")
        setup_logging(values["log_format"])
        if values["async_mode"] == "eventlet" and "eventlet" not in sys.modules:
            _patch_eventlet()  # reached through another entry point: patch as early as we still can
        return _serve(values)
    except StartupError as err:
        print(f"curb-appeal serve: {err}", file=sys.stderr)
        return 2


def _serve(values: dict[str, Any]) -> int:
    host, port = values["host"], values["port"]
    listener = bind(host, port)
    from game.web import create_app  # the web shell loads once the settings are known to be good

    try:
        app, socketio = create_app(config_from(values))
    except StoreUnavailable as err:
        listener.close()
        hint = "is redis-server running, and is CURB_REDIS_URL right?" if values["redis_url"] else ""
        raise StartupError(f"{err}{'; ' + hint if hint else ''}") from None
    except (sqlite3.Error, OSError) as err:
        listener.close()
        raise StartupError(f"cannot open the database {values['db']}: {err}") from None
    except CurbAppealError as err:
        listener.close()
        raise StartupError(str(err)) from None
    if values["async_mode"] == "eventlet":
        listener.listen(min(values["max_connections"], 4096))
    else:
        listener.close()  # werkzeug binds its own (threading is for tests and development)
    raise_open_file_limit(values["max_connections"] + 256)
    calm_garbage_collector()
    shown = lan_address() if host in ("0.0.0.0", "::", "") else host
    base = values["public_url"].rstrip("/") or f"http://{shown}:{port}{values['root_path']}"
    if values["redis_url"]:
        where = "Redis (scale-out worker)"
    elif values["db"] == MEMORY:
        where = "memory only: they are lost when the server stops"
    else:
        where = values["db"]
    print(f"Curb Appeal is running ({values['async_mode']}, sessions in {where})", flush=True)
    print(f"  Facilitator: {base}/host", flush=True)
    print(f"  Players join at: {base}/", flush=True)
    log.info("listening on %s:%d", host, port)
    hub = app.extensions["curb_hub"]
    if values["async_mode"] == "eventlet":
        if not _run_eventlet(app, listener, values["max_connections"], values["access_log"]):
            log.error("the web server stopped by itself; stopping")
            stop_gracefully(hub, socketio)
            return 1
    else:
        _run_threading(app, socketio, host, port, values["access_log"])
    stop_gracefully(hub, socketio)
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


def _run_eventlet(app: object, listener: socket.socket, max_connections: int, access_log: bool) -> bool:
    """Serve until SIGTERM or SIGINT, then stop accepting (the caller finishes the stop); False when
    the server ended without being asked to."""
    import eventlet
    import eventlet.websocket
    import eventlet.wsgi

    cap_messages(eventlet.websocket)  # a message is capped as a whole, however framed (issue 13)
    green = eventlet.greenio.GreenSocket(listener)

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

    stop: list[int] = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda signum, _frame: stop.append(signum))
    server = eventlet.spawn(
        eventlet.wsgi.server,
        green,
        app,
        max_size=max_connections,
        log_output=access_log,
        log=logging.getLogger("game.access"),
        protocol=LeanBuffers,
    )
    while not stop and not server.dead:
        eventlet.sleep(0.1)
    green.close()  # no new connections; the open ones are told, then closed with the process
    return bool(stop)


def _run_threading(app: object, socketio: Any, host: str, port: int, access_log: bool) -> None:
    def interrupt(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    logging.getLogger("werkzeug").setLevel(logging.INFO if access_log else logging.WARNING)
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C or SIGTERM: on to the graceful stop
        socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, log_output=access_log)


def stop_gracefully(hub: Any, socketio: Any) -> None:
    """Stop: refuse new commands, let the ones being handled finish, tell this worker's phones the
    server is restarting (they reconnect by themselves, to another worker behind nginx), and close
    the store, which folds SQLite's write-ahead log into the database file."""
    log.info("stopping: finishing the commands being handled")
    hub.stopping = True
    deadline = time.monotonic() + STOP_WAIT_SECONDS
    while hub.in_flight > 0 and time.monotonic() < deadline:
        socketio.sleep(0.05)
    for sid in list(hub.bindings):
        with contextlib.suppress(Exception):  # a socket closing meanwhile: it reconnects anyway
            socketio.emit("server:restarting", {"retry_ms": 1000}, to=sid, namespace="/", ignore_queue=True)
    socketio.sleep(0.2)  # let those notices leave
    try:
        hub.store.close()
    except Exception as err:  # the process ends either way; say what was not tidied
        log.error("closing the session store failed: %s", err)
    log.info("stopped")
