"""What-if settings: ``--set PATH=VALUE`` puts one value in place of a scenario file's, before any check.

``market.pressure=0.2``, ``company.capacity=8``, ``rounds.0.cards.1.effort=3`` (list items by
their number, from 0). The value is read as YAML reads a value in a file. The changed document
is then checked exactly like the file, and a problem with a set value names the setting.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from game.errors import Problem
from game.scenario.reader import DocPath, Document, format_path, parse_scalar
from game.scenario.schema import scenario_schema
from game.scenario.words import suggest

_EXAMPLE = "like market.pressure=0.2"


def apply_settings(doc: Document, settings: Sequence[str]) -> list[Problem]:
    """Apply every setting to a readable document; the problems with the settings themselves.

    A setting with a problem changes nothing; the others still apply, so that every problem is
    reported at once.
    """
    problems: list[Problem] = []
    for text in settings:
        problem = _apply(doc, text)
        if problem is not None:
            problems.append(problem)
    return problems


def _apply(doc: Document, text: str) -> Problem | None:
    where = f"--set {text}"
    raw_path, equals, raw_value = text.partition("=")
    raw_path = raw_path.strip()
    if not equals or not raw_path:
        return Problem(where, 0, "", f"write a setting as PATH=VALUE, {_EXAMPLE}")
    parts = raw_path.split(".")
    if any(not p.strip() for p in parts):
        return Problem(where, 0, "", f"'{raw_path}' has an empty part; name each field, {_EXAMPLE}")
    path: DocPath = tuple(int(p) if p.strip().isdigit() else p.strip() for p in parts)
    ok, value = parse_scalar(raw_value.strip())
    if not ok:
        return Problem(
            where, 0, format_path(path), "VALUE must be a single value: a number, true or false, or text"
        )
    missing = _unknown_field(path)
    if missing is not None:
        return Problem(where, 0, format_path(path), missing)
    if not isinstance(doc.data, dict):
        return Problem(where, 0, "", "the file is not a block of fields, so nothing in it can be set")
    node: Any = doc.data
    for depth, part in enumerate(path):
        here = path[: depth + 1]
        last = depth == len(path) - 1
        if isinstance(node, dict):
            if isinstance(part, int):
                return Problem(
                    where,
                    0,
                    format_path(here),
                    f"'{format_path(path[:depth])}' is a block of fields, not a list",
                )
            if last:
                node[part] = value
            elif part not in node or node[part] is None:
                if isinstance(path[depth + 1], int):
                    return Problem(where, 0, format_path(here), "the file has no such list")
                node[part] = {}
        elif isinstance(node, list):
            if not isinstance(part, int):
                return Problem(
                    where,
                    0,
                    format_path(here),
                    f"'{format_path(path[:depth])}' is a list: name an item by its number, from 0",
                )
            if part >= len(node):
                count = f"{len(node)} item{'s' if len(node) != 1 else ''}"
                return Problem(
                    where,
                    0,
                    format_path(here),
                    f"there is no item {part}: '{format_path(path[:depth])}' has {count}, numbered from 0",
                )
            if last:
                node[part] = value
        else:
            return Problem(
                where,
                0,
                format_path(here),
                f"'{format_path(path[:depth])}' is a single value; it has no fields",
            )
        if not last:
            node = node[part]
    doc.settings[path] = where
    return None


def _unknown_field(path: DocPath) -> str | None:
    """Why the schema has no such field (with a "did you mean"), or None when it has."""
    schema: Mapping[str, Any] = scenario_schema()
    defs = schema["$defs"]
    for depth, part in enumerate(path):
        schema = _resolved(schema, defs, isinstance(part, int))
        if isinstance(part, int):
            schema = schema.get("items", {})
            continue
        known = list(schema.get("properties", {}))
        if not known:
            return None  # a single value here; walking on will say so against the file
        if part not in known:
            at = format_path(path[:depth]) or "the scenario"
            hint = suggest(part, known) or f" (fields here: {', '.join(known)})"
            return f"{at} has no field '{part}'{hint}"
        schema = schema["properties"][part]
    return None


def _resolved(schema: Mapping[str, Any], defs: Mapping[str, Any], want_list: bool) -> Mapping[str, Any]:
    """Follow ``$ref`` and pick an ``anyOf`` branch (the list one for a number, else the block one)."""
    for _ in range(4):
        if "$ref" in schema:
            schema = defs[str(schema["$ref"]).rsplit("/", 1)[1]]
        elif "anyOf" in schema:
            wanted = "array" if want_list else "object"
            branches = list(schema["anyOf"])
            schema = next(
                (b for b in branches if b.get("type") == wanted or ("$ref" in b and wanted == "object")),
                branches[0],
            )
        else:
            break
    return schema
