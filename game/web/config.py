"""The web shell's settings, with defaults that suit tests (threading, in-memory store, no ticker)."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from game.model import Scenario
from game.web.budget import Budgets
from game.web.limits import Limits
from game.web.offload import Runner

ROOT = Path(__file__).resolve().parents[2]


def wall_clock_ms() -> int:
    return int(time.time() * 1000)


@dataclass(frozen=True, slots=True)
class WebConfig:
    async_mode: str = "threading"  # serve passes "eventlet"; always handed to SocketIO explicitly
    db: str = ""  # SQLite file; "" keeps sessions in memory only
    secret_key: str = field(default_factory=lambda: secrets.token_hex(32))
    cors_allowed_origins: str | list[str] | None = None  # None = same origin only
    public_url: str = ""  # base of join links and QR codes; "" = the URL the request came in on
    root_path: str = ""  # served under this path prefix (/curb); "" = the root, or X-Forwarded-Prefix
    max_message_bytes: int = 64 * 1024
    ticker: bool = True  # a background task that closes rounds when their time is up
    tick_seconds: float = 0.25
    rest_after_seconds: float = 6 * 3600  # a session untouched this long leaves memory (its log keeps it)
    rest_check_seconds: float = 60
    heartbeat_seconds: float = 5  # several workers: how often each says it is alive (3 missed = dead)
    clock: Callable[[], int] = wall_clock_ms
    scenarios: Mapping[str, Scenario | Path] | None = None  # offered scenarios (or files); None = scenarios/
    scenario_uploads: bool = True  # facilitators may start a session from their own scenario file
    redis_url: str = ""  # sessions and emits shared through Redis by several workers; "" = SQLite
    host_coalesce_seats: int = 200  # from this many seats, facilitator updates are coalesced (0 = never)
    host_interval: float = 0.5  # seconds over which they are gathered
    trusted_proxies: int = 0  # proxies in front whose X-Forwarded-For is believed (0 = the peer address)
    limits: Limits = field(default_factory=Limits)  # failed guesses and new sessions, per address and session
    budgets: Budgets = field(default_factory=Budgets)  # bytes and loop time per connection and address
    offload: Runner | None = None  # a thread pool for blocking work (serve: eventlet's); None = in place
    cpu_clock: Callable[[], float] = time.thread_time  # a handler's CPU seconds (serve: per green thread)
    scenario_worker: bool = False  # check uploaded scenario files in a child process (serve turns it on)
    template_folder: Path = ROOT / "templates"
    static_folder: Path = ROOT / "static"
