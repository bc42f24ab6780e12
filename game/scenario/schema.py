"""Stage 1 of checking a scenario: ``scenarios/schema.json``, its errors reworded in plain words.

The schema is the one editors use; jsonschema's own messages are written for programmers, so
each error is translated here into what a facilitator needs to change, on the right line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from game.errors import Problem
from game.model import STRATEGY_NAMES, CardKind, Decision, Metric, Scope
from game.scenario.files import schema_path
from game.scenario.reader import DocPath, Document
from game.scenario.words import describe, misspelled, number, plural, quote, suggest

_ID_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"
_TYPE_WORDS = {
    "integer": "a whole number",
    "number": "a number",
    "string": "text",
    "object": "a block of fields",
    "array": "a list",
}
_ITEM_NOUNS = {"personas": "persona", "rounds": "round", "cards": "card", "rules": "rule"}
SCENARIO_FIELDS = "title:, story:, ..."
"""How a problem names the top-level fields of a scenario file..."""
STRATEGY_FIELDS = "name:, rules:, ..."
"""...and of a strategy file."""


@cache
def scenario_schema() -> dict[str, Any]:
    """The schema, with its lists of names taken from the model so the two cannot drift apart."""
    schema: dict[str, Any] = json.loads(schema_path().read_text(encoding="utf-8"))
    defs = schema["$defs"]
    defs["card"]["properties"]["kind"]["enum"] = [k.value for k in CardKind]
    defs["card"]["properties"]["scope"]["enum"] = [s.value for s in Scope]
    defs["claim"]["properties"]["metric"]["enum"] = [m.value for m in Metric]
    decidable = [k.value for k in CardKind if k is not CardKind.EVENT]
    scopes = [s.value for s in Scope]
    when = defs["strategy_when"]["properties"]
    when["kind"]["anyOf"][0]["enum"] = when["kind"]["anyOf"][1]["items"]["enum"] = decidable
    when["scope"]["anyOf"][0]["enum"] = when["scope"]["anyOf"][1]["items"]["enum"] = scopes
    defs["strategy_rule"]["properties"]["decide"]["enum"] = [d.value for d in Decision]
    defs["prompt_when"]["properties"]["metric"]["enum"] = [m.value for m in Metric]
    # Claims and prompts may name a scenario's own strategies too: stage 2 checks the names,
    # the schema only suggests the reference ones to editors.
    for key in ("winner", "loser", "strategy"):
        defs["claim"]["properties"][key]["examples"] = list(STRATEGY_NAMES)
    for key in ("team_beats", "team_trails"):
        defs["prompt_when"]["properties"][key]["examples"] = list(STRATEGY_NAMES)
    return schema


def card_fields() -> list[str]:
    """Every field a card may have, in the schema's order."""
    return list(scenario_schema()["$defs"]["card"]["properties"])


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(scenario_schema())


@cache
def strategy_validator() -> Draft202012Validator:
    """A strategy file is checked against the scenario schema's own strategy block."""
    return Draft202012Validator({"$defs": scenario_schema()["$defs"], "$ref": "#/$defs/strategy"})


def schema_problems(doc: Document) -> Iterator[Problem]:
    """What the schema finds wrong with a readable document, one plain message per slip."""
    for error in _validator().iter_errors(doc.data):
        # The kind-dependent rules are in the schema for editors; stage 2 words them better.
        if "then" in error.absolute_schema_path:
            continue
        yield from _translate(doc, error, tuple(error.absolute_path), SCENARIO_FIELDS)


def strategy_schema_problems(doc: Document) -> Iterator[Problem]:
    """What the schema finds wrong with a readable strategy file, in the same words."""
    for error in strategy_validator().iter_errors(doc.data):
        yield from _translate(doc, error, tuple(error.absolute_path), STRATEGY_FIELDS)


def _translate(doc: Document, error: ValidationError, path: DocPath, fields: str) -> Iterator[Problem]:
    keyword: Any = error.validator
    value: Any = error.instance
    schema: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    if keyword == "anyOf":
        # "One value or a list", "text or a block": explain the slip against the form it was meant as.
        branches: list[Mapping[str, Any]] = list(schema["anyOf"])
        chosen = _branch_for(branches, value)
        if chosen is None:
            forms = " or ".join(_form(b) for b in branches)
            yield doc.problem(path, f"must be {forms}, got {describe(value)}")
            return
        for sub in error.context or ():
            if sub.relative_schema_path[0] == chosen:
                yield from _translate(doc, sub, tuple(sub.absolute_path), fields)
        return
    if keyword == "additionalProperties":
        known = list(schema.get("properties", {}))
        for key in value:
            if key not in known:
                line = doc.line((*path, key))
                hint = suggest(key, known) or f" (allowed here: {', '.join(known)})"
                yield doc.problem(path, f"unknown field {quote(key)}{hint}", line)
    elif keyword == "required":
        known = list(schema.get("properties", {}))
        for key in schema["required"]:
            if key not in value and not misspelled(key, value, known):
                yield doc.problem(path, f"missing required field '{key}'")
    elif keyword == "type" and not path:
        yield doc.problem(path, f"the file must be a block of fields ({fields}), not {describe(value)}")
    elif keyword in ("type", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        yield doc.problem(
            path, f"must be {_expected(schema)}, got {describe(value)}{_quote_hint(schema, value)}"
        )
    elif keyword == "enum":
        options = [str(o) for o in schema["enum"]]
        got = suggest(str(value), options) if isinstance(value, str) else ""
        word = ("yes" if value else "no") if isinstance(value, bool) else ""
        if word in options:
            got = f'; YAML reads a bare {word} as {str(value).lower()}: write "{word}" in quotes'
        yield doc.problem(path, f"must be one of {', '.join(options)}; got {describe(value)}{got}")
    elif keyword == "pattern" and schema.get("pattern") == _ID_PATTERN:
        yield doc.problem(
            path,
            f"must be lowercase letters, digits and hyphens (like 'northwind-sso'), got {describe(value)}",
        )
    elif keyword in ("pattern", "minLength"):
        yield doc.problem(path, "must not be empty")
    elif keyword == "maxLength":
        limit = schema["maxLength"]
        yield doc.problem(path, f"is too long ({len(value):,} characters; at most {limit:,})")
    elif keyword in ("minItems", "maxItems"):
        noun = _ITEM_NOUNS.get(str(path[-1]) if path else "", "item")
        limit = schema[keyword]
        amount = f"at least {limit}" if keyword == "minItems" else f"at most {limit}"
        yield doc.problem(path, f"must have {amount} {plural(noun, limit)}, has {len(value)}")
    elif keyword == "minProperties":
        yield doc.problem(path, f"must set at least one of {', '.join(schema.get('properties', {}))}")
    else:  # pragma: no cover - the schema uses no other keywords outside if/then
        yield doc.problem(path, error.message)


_JSON_TYPES: dict[type, str] = {list: "array", dict: "object"}


def _branch_for(branches: list[Mapping[str, Any]], value: Any) -> int | None:
    """The branch of an ``anyOf`` a value was meant as: a list, a block, or a single value."""
    wanted = _JSON_TYPES.get(type(value), "scalar")
    for index, branch in enumerate(branches):
        if _shape(branch) == wanted:
            return index
    return None


def _shape(branch: Mapping[str, Any]) -> str:
    if "$ref" in branch:
        return "object"
    kind = branch.get("type")
    return kind if kind in ("array", "object") else "scalar"


def _form(branch: Mapping[str, Any]) -> str:
    if "enum" in branch:
        return "one of " + ", ".join(str(o) for o in branch["enum"])
    if "$ref" in branch:
        return "a block of fields"
    return _TYPE_WORDS.get(str(branch.get("type")), "something else")


def _expected(schema: Mapping[str, Any]) -> str:
    words = _TYPE_WORDS.get(str(schema.get("type")), "something else")
    low, high = schema.get("minimum"), schema.get("maximum")
    above = schema.get("exclusiveMinimum")
    if low is not None and high is not None:
        return f"{words} from {number(low)} to {number(high)}"
    if above is not None:
        return f"{words} greater than {number(above)}"
    if low is not None:
        return f"{words} of at least {number(low)}"
    if high is not None:
        return f"{words} of at most {number(high)}"
    return words


def _quote_hint(schema: Mapping[str, Any], value: Any) -> str:
    """A hint for the two usual slips: text that YAML read as a number, and numbers it read as text."""
    if schema.get("type") == "string" and isinstance(value, bool | int | float):
        return "; put the text in quotes"
    if schema.get("type") in ("number", "integer") and isinstance(value, str):
        if re.fullmatch(r"\s*[-+]?\d+(\.\d+)?\s*", value):
            return "; remove the quotes around the number"
        try:
            float(value.replace(",", ""))
        except ValueError:
            return ""
        return "; write numbers as plain digits, like 1500 or 0.25"
    return ""
