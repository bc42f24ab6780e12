"""Every setting of the server in one table: its flag, its ``CURB_*`` variable, default and meaning.

``curb-appeal serve`` and ``curb-appeal sessions`` build their options from ``OPTIONS``, and
docs/configuration.md is checked against it by a test, so the reference cannot drift. A flag
beats its variable, which beats the default. ``read`` turns what was given into checked values
or refuses with one line that names the flag or variable, the value and what to do.
"""

from __future__ import annotations

import argparse
import math
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.errors import CurbAppealError
from game.store import DEFAULT_DB

MEMORY = ":memory:"  # --db :memory: keeps sessions in memory only, on purpose


class StartupError(CurbAppealError):
    """A setting the server cannot start with; the message is one line saying what to do."""


@dataclass(frozen=True, slots=True)
class Option:
    name: str  # the attribute on the parsed settings
    flag: str  # "" = a variable only
    env: str
    default: str
    help: str
    kind: str = "text"  # text, int, float, switch, choice
    choices: tuple[str, ...] = ()
    low: float = -math.inf
    high: float = math.inf
    commands: tuple[str, ...] = ("serve",)


OPTIONS: tuple[Option, ...] = (
    Option("host", "--host", "CURB_HOST", "0.0.0.0", "address to listen on"),
    Option("port", "--port", "CURB_PORT", "8000", "port to listen on", "int", low=1, high=65535),
    Option(
        "db",
        "--db",
        "CURB_DB",
        DEFAULT_DB,
        f"SQLite file for sessions; {MEMORY} keeps them in memory only (lost on restart)",
        commands=("serve", "sessions"),
    ),
    Option(
        "redis_url",
        "--redis-url",
        "CURB_REDIS_URL",
        "",
        "run as one of several workers: sessions and broadcasts shared through this Redis "
        "(redis://host:port/db); unset = one process with SQLite",
        commands=("serve", "sessions"),
    ),
    Option(
        "public_url",
        "--public-url",
        "CURB_PUBLIC_URL",
        "",
        "the base URL players use, for join links and QR codes (https://games.example.org/); "
        "unset = the address a request came in on",
    ),
    Option(
        "root_path",
        "--root-path",
        "CURB_ROOT_PATH",
        "",
        "serve the game under this path prefix (/curb for https://host/curb/); unset = at the root, "
        "or the prefix a trusted proxy sends in X-Forwarded-Prefix",
    ),
    Option(
        "trusted_proxies",
        "--trusted-proxies",
        "CURB_TRUSTED_PROXIES",
        "0",
        "reverse proxies in front of the server whose X-Forwarded-For to believe when counting "
        "wrong guesses per address; 1 behind nginx, 0 when phones connect directly (docs/security.md)",
        "int",
        low=0,
        high=10,
    ),
    Option(
        "cors_origins",
        "--cors-origins",
        "CURB_CORS_ORIGINS",
        "",
        "comma-separated origins allowed besides the server's own",
    ),
    Option(
        "scenarios",
        "--scenarios",
        "CURB_SCENARIOS",
        "",
        "a folder of scenario files (*.yaml) to offer instead of the built-in ones",
    ),
    Option(
        "no_scenario_uploads",
        "--no-scenario-uploads",
        "CURB_NO_SCENARIO_UPLOADS",
        "0",
        "1 = offer only the server's scenarios; facilitators cannot start a game from their own file",
        "switch",
    ),
    Option(
        "heartbeat_seconds",
        "--heartbeat-seconds",
        "CURB_HEARTBEAT_SECONDS",
        "5",
        "with Redis: how often a worker says it is alive; after three missed beats the others "
        "show its phones as away",
        "float",
        low=0.1,
        high=300,
    ),
    Option(
        "max_connections",
        "--max-connections",
        "CURB_MAX_CONNECTIONS",
        "10000",
        "simultaneous connections (eventlet; the open-file limit is raised to match)",
        "int",
        low=16,
        high=1_000_000,
    ),
    Option(
        "async_mode",
        "--async-mode",
        "CURB_ASYNC_MODE",
        "eventlet",
        "eventlet (the default: thousands of websockets in one process) or threading",
        "choice",
        choices=("eventlet", "threading"),
    ),
    Option(
        "log_format",
        "--log-format",
        "CURB_LOG_FORMAT",
        "plain",
        "plain lines, or json (one JSON object a line, for a log collector)",
        "choice",
        choices=("plain", "json"),
    ),
    Option(
        "access_log",
        "--access-log",
        "CURB_ACCESS_LOG",
        "0",
        "1 = also log one line per HTTP request (pages, files, health checks); their paths hold room "
        "codes (/join/CODE), which the server's own lines never do",
        "switch",
    ),
    Option(
        "secret_key",
        "",
        "CURB_SECRET_KEY",
        "",
        "Flask's secret key; unset = a new random one at every start (the game keeps no cookies, "
        "so this is only for completeness)",
    ),
)

BY_NAME = {o.name: o for o in OPTIONS}


def add_options(p: argparse.ArgumentParser, command: str) -> None:
    """Add this command's options to a parser: flags only, read as text; ``read`` checks them."""
    for o in OPTIONS:
        if command not in o.commands or not o.flag:
            continue
        shown = f"{o.help} [{o.env}, default {o.default or 'unset'}]"
        if o.kind == "switch":
            p.add_argument(o.flag, dest=o.name, action="store_const", const="1", default=None, help=shown)
        else:
            p.add_argument(o.flag, dest=o.name, default=None, metavar=o.kind.upper(), help=shown)


def _given(o: Option, args: argparse.Namespace, environ: Mapping[str, str]) -> tuple[str, str]:
    """The raw value and where it came from, for messages: ``--port 99999`` or ``CURB_PORT=abc``."""
    flagged = getattr(args, o.name, None) if o.flag else None
    if flagged is not None:
        return str(flagged), f"{o.flag} {flagged}" if o.kind != "switch" else o.flag
    if o.env in environ:
        return environ[o.env], f"{o.env}={environ[o.env]}"
    return o.default, f"the default {o.name}"


def _value(o: Option, raw: str, source: str) -> Any:
    if o.kind == "switch":
        if raw.strip().lower() in ("", "0", "no", "false", "off"):
            return False
        if raw.strip().lower() in ("1", "yes", "true", "on"):
            return True
        raise StartupError(f"{source}: say 1 or 0")
    if o.kind == "choice":
        if raw not in o.choices:
            raise StartupError(f"{source}: choose one of {', '.join(o.choices)}")
        return raw
    if o.kind in ("int", "float"):
        try:
            number: float = int(raw) if o.kind == "int" else float(raw)
        except ValueError:
            raise StartupError(f"{source} is not a number: {o.help}") from None
        if not o.low <= number <= o.high or number != number:
            span = f"{o.low:g} to {o.high:g}"
            raise StartupError(f"{source} is out of range: use {span}")
        return number
    return raw.strip()


def read(args: argparse.Namespace, command: str, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Every option of ``command`` as a checked value; the first problem refuses with one line."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for o in OPTIONS:
        if command in o.commands:
            raw, source = _given(o, args, env)
            values[o.name] = _value(o, raw, source)
    if "db" in values:
        values["db"] = _db(values["db"], _given(BY_NAME["db"], args, env)[1], bool(values.get("redis_url")))
    if values.get("redis_url"):
        values["redis_url"] = redis_url(values["redis_url"], _given(BY_NAME["redis_url"], args, env)[1])
    if values.get("root_path"):
        values["root_path"] = _root_path(values["root_path"], _given(BY_NAME["root_path"], args, env)[1])
    if values.get("scenarios"):
        values["scenarios"] = _scenarios(values["scenarios"])
    return values


def _db(path: str, source: str, redis: bool) -> str:
    if redis:
        return path  # not used: Redis holds the sessions
    if not path:
        raise StartupError(
            f"{source.rstrip('=')} is empty: give a file such as /var/lib/curb-appeal/curb-appeal.db, "
            f"or {MEMORY} to keep sessions in memory only"
        )
    if path == MEMORY:
        return path
    p = Path(path)
    folder = p.parent if str(p.parent) else Path(".")
    if p.is_dir():
        raise StartupError(f"the database {path} is a folder: give a file name in it (--db {p / DEFAULT_DB})")
    if not folder.is_dir():
        raise StartupError(
            f"the folder {folder} for the database {path} does not exist: create it, or change --db"
        )
    if p.exists() and not os.access(p, os.R_OK | os.W_OK):
        raise StartupError(
            f"the database {path} cannot be written by this user: check its owner, or change --db"
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StartupError(
            f"the folder {folder} is not writable by this user, and SQLite writes its journal beside "
            f"the database {path}: check the folder's owner, or change --db"
        )
    return path


def redis_url(url: str, source: str = "the Redis URL") -> str:
    if "://" not in url:
        example = f"redis://{url or 'host:6379'}/0"
        raise StartupError(f"{source} has no scheme: write {example} (or rediss:// for TLS)")
    scheme = url.split("://", 1)[0].lower()
    if scheme not in ("redis", "rediss", "unix"):
        raise StartupError(f"{source}: the scheme {scheme}:// is not Redis; write redis://host:6379/0")
    return url


def _root_path(raw: str, source: str) -> str:
    text = "/" + raw.strip().strip("/")
    parts = text.split("/")[1:]
    if text == "/" or not all(
        p and p not in (".", "..") and re.fullmatch(r"[A-Za-z0-9._~-]+", p) for p in parts
    ):
        raise StartupError(f"{source} is not a path prefix: write it like /curb")
    return text


def _scenarios(folder: str) -> str:
    p = Path(folder)
    if not p.is_dir():
        raise StartupError(f"the scenarios folder {folder} does not exist (--scenarios / CURB_SCENARIOS)")
    if not any(p.glob("*.yaml")):
        raise StartupError(f"the scenarios folder {folder} has no *.yaml files: put scenario files in it")
    return folder


def reference(commands: Sequence[str] = ("serve", "sessions")) -> str:
    """The configuration table of docs/configuration.md, in Markdown (``python -m game.settings``)."""
    rows = ["| Flag | Variable | Default | Meaning |", "|---|---|---|---|"]
    for o in OPTIONS:
        if any(c in o.commands for c in commands):
            default = f"`{o.default}`" if o.default else "unset"
            flag = f"`{o.flag}`" if o.flag else "—"
            rows.append(f"| {flag} | `{o.env}` | {default} | {o.help} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(reference(), end="")
