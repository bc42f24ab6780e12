"""Checks for values that arrive from outside: names people type, ids, secrets, numbers, room codes.

Every socket payload is untrusted. These checks are shared by the session's commands, the
session-level requests (create, attach, resume) and scenario uploads, so a name or a seed is held
to the same rule, and refused with the same words, wherever it comes in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

from game.errors import bad
from game.model import STRATEGY_NAMES, Decision

MAX_NAME = 40
MAX_REASON = 140  # a team's reason for a decision: one short sentence
MAX_ID = 64
MAX_SECRET = 200
MAX_ROUND_SECONDS = 3600
MIN_ROUND_SECONDS = 10
MAX_SEED = 2**31 - 1
MAX_TEAMS = 500  # teams in a session; a hall of 2,000 in teams of eight needs 250

_BANNED = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})  # control, format (bidi tricks), unassigned
_ZWJ = "\u200d"  # format, but joins emoji sequences people put in names
_ID_RE = re.compile(r"^[A-Za-z0-9_.:~-]{1,64}$")

Check = Callable[[str, Any], Any]


def text(field: str, value: Any, limit: int = MAX_NAME, *, allow_empty: bool = False) -> str:
    """A person-typed name: trimmed, at most ``limit`` characters, no control characters."""
    if not isinstance(value, str):
        raise bad(f"{field} must be text")
    trimmed: str = value.strip()
    if len(trimmed) > limit:
        raise bad(f"{field} is too long (at most {limit} characters)")
    if any(unicodedata.category(ch) in _BANNED and ch != _ZWJ for ch in trimmed):
        raise bad(f"{field} contains control or invisible characters")
    if not trimmed and not allow_empty:
        raise bad(f"{field} must not be empty")
    return trimmed


def reason(field: str, value: Any) -> str:
    """A team's reason for a decision, as a player typed it: a name's rules, one short sentence long;
    empty clears it."""
    return text(field, value, MAX_REASON, allow_empty=True)


def ident(field: str, value: Any) -> str:
    """A short identifier chosen by the server or the client (seat, team, card, command id)."""
    if not isinstance(value, str) or not _ID_RE.fullmatch(value):  # fullmatch: "$" lets "id\n" through
        raise bad(f"{field} must be an id of 1-{MAX_ID} letters, digits or _.:~-")
    return value


def secret(field: str, value: Any) -> str:
    """A facilitator secret or seat token: printable ASCII, as this server makes them."""
    if not isinstance(value, str) or not 0 < len(value) <= MAX_SECRET:
        raise bad(f"{field} must be text of at most {MAX_SECRET} characters")
    if not (value.isascii() and value.isprintable()):
        raise bad(f"{field} must be printable ASCII")
    return value


def integer(field: str, value: Any, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad(f"{field} must be a whole number")
    if not lo <= value <= hi:
        raise bad(f"{field} must be between {lo} and {hi}")
    return value


MAX_CLOSE_WHEN_LOCKED = 60


def close_when_locked(field: str, value: Any) -> int:
    """Seconds after every team locks that a round closes by itself: 0 (never) to a minute."""
    return integer(field, value, 0, MAX_CLOSE_WHEN_LOCKED)


def round_seconds(field: str, value: Any) -> int:
    n = integer(field, value, 0, MAX_ROUND_SECONDS)
    if 0 < n < MIN_ROUND_SECONDS:
        raise bad(f"{field} must be 0 (untimed) or at least {MIN_ROUND_SECONDS}")
    return n


def decision(field: str, value: Any) -> Decision | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return Decision(value)
        except ValueError:
            pass
    raise bad(f"{field} must be one of build, defer, no (or null to clear)")


def strategy_name(field: str, value: Any) -> str:
    if not isinstance(value, str) or value not in STRATEGY_NAMES:
        raise bad(f"{field} must be one of {', '.join(STRATEGY_NAMES)}")
    return value


def boolean(field: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise bad(f"{field} must be true or false")
    return value


def seed(field: str, value: Any) -> int:
    return integer(field, value, 0, MAX_SEED)


def room_code(field: str, value: Any) -> str:
    """Room codes are typed on phones: accept any case and stray spaces."""
    if not isinstance(value, str) or len(value) > 20:
        raise bad(f"{field} must be a room code")
    # NFKC folds full-width letters some phone keyboards type into plain ones.
    code = unicodedata.normalize("NFKC", value).strip().upper().replace(" ", "").replace("-", "")
    if not (code.isascii() and code.isalnum()):
        raise bad(f"{field} must be a room code")
    return code


def check_fields(payload: Any, allowed: Mapping[str, tuple[Check, bool]]) -> dict[str, Any]:
    """Check a payload's keys and values against a schema; returns the checked values."""
    if not isinstance(payload, dict):
        raise bad("the payload must be an object")
    unknown = sorted(str(k) for k in payload if k not in allowed)
    if unknown:
        raise bad(f"unknown field{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)[:200]}")
    out: dict[str, Any] = {}
    for key, (check, required) in allowed.items():
        if key in payload:
            out[key] = check(key, payload[key])
        elif required:
            raise bad(f"missing field: {key}")
    return out
