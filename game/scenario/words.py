"""How scenario problems name things: values as a facilitator wrote them, and "did you mean" hints."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any


def describe(value: Any) -> str:
    """A value as a facilitator would recognise it in their file."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, int | float):
        return number(value)
    if isinstance(value, str):
        return quote(value)
    return "a list" if isinstance(value, list) else "a block of fields"


def number(value: float) -> str:
    """``3.0`` as ``3``: YAML and JSON Schema hand whole numbers over as floats at times."""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def quote(text: str, limit: int = 60) -> str:
    """``text`` in single quotes, cut short so one long value cannot swamp the message."""
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return f"'{text}'"


def plural(noun: str, count: int) -> str:
    return noun if count == 1 else f"{noun}s"


def closest(word: str, options: Sequence[str]) -> str | None:
    """The option ``word`` is most likely a typo of (or differs from only in case), if any."""
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if not close:
        close = [o for o in options if o.casefold() == word.casefold()]
    return close[0] if close else None


def suggest(word: str, options: Sequence[str]) -> str:
    """`` (did you mean '...'?)`` to append to a message, or nothing when no option is close."""
    close = closest(word, options)
    return f" (did you mean '{close}'?)" if close else ""


def misspelled(key: str, mapping: Mapping[str, Any], known: Sequence[str]) -> bool:
    """Whether ``mapping`` has an unknown field that looks like ``key`` (reported as a typo already)."""
    return any(k not in known and closest(k, known) == key for k in mapping)
