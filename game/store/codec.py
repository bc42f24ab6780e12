"""Frozen model dataclasses to plain JSON data and back, so a session's scenario is stored with it."""

from __future__ import annotations

import dataclasses
import types
import typing
from enum import Enum
from typing import Any, TypeVar

T = TypeVar("T")


def to_data(obj: Any) -> Any:
    """A dataclass tree as JSON-ready data: dicts, lists, strings and numbers.

    Only the fields a value is made from are kept; derived ones (``init=False``, such as a
    scenario's card index) are worked out again when the value is rebuilt.
    """
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_data(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.init}
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, tuple | list):
        return [to_data(x) for x in obj]
    return obj


def from_data(cls: type[T], data: Any) -> T:
    """The inverse of :func:`to_data`, guided by the dataclass's type hints."""
    return typing.cast(T, _build(cls, data))


def _build(hint: Any, data: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin is types.UnionType or origin is typing.Union:
        if data is None:
            return None
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _build(options[0], data)
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_build(args[0], x) for x in data)
        return tuple(_build(a, x) for a, x in zip(args, data, strict=True))
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        hints = typing.get_type_hints(hint)
        fields = {f.name for f in dataclasses.fields(hint) if f.init}
        return hint(**{k: _build(hints[k], v) for k, v in data.items() if k in fields})
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(data)
    if hint is float and isinstance(data, int):
        return float(data)
    return data
