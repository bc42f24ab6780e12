"""A facilitator's own scenario, sent from the start page: checked like a file, never trusted.

The text travels in a socket message (at most ``MAX_UPLOAD_BYTES``, well under the 64 KB message
cap, and more than twice the largest shipped scenario); it is parsed by the same reader and checks
as a file in ``scenarios/``, so a mistake comes back with its line, in the same words as
``curb-appeal check``. A session keeps its scenario whole, so nothing needs the file afterwards.
"""

from __future__ import annotations

import re
from typing import Any

from game.errors import CommandRejected, Problem, bad
from game.inbound.fields import check_fields, text
from game.inbound.requests import CREATE_FIELDS
from game.model import Scenario
from game.scenario import check_upload

MAX_UPLOAD_BYTES = 56 * 1024
MAX_NESTING = 64  # brackets and braces open at once; the YAML parser's time grows with their square
MAX_FILE_NAME = 100
_NOT_ID = re.compile(r"[^a-z0-9_-]+")
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


class ScenarioRejected(CommandRejected):
    """An uploaded scenario with problems: each one goes back to the facilitator with its line."""

    def __init__(self, name: str, problems: list[Problem]) -> None:
        one = len(problems) == 1
        count = "1 problem; fix it" if one else f"{len(problems)} problems; fix them"
        super().__init__("bad_scenario", f"{name} has {count} and choose the file again")
        self.problems = problems

    def as_error(self) -> dict[str, Any]:
        shown = [{"line": p.line, "where": p.path, "message": p.message} for p in self.problems[:50]]
        return {**super().as_error(), "problems": shown}


def _yaml_text(field: str, value: Any) -> bytes:
    if not isinstance(value, str):
        raise bad(f"{field} must be the file's text")
    raw = value.encode("utf-8", "surrogatepass")
    if len(raw) > MAX_UPLOAD_BYTES:
        raise bad(
            f"the scenario file is too big ({len(raw) // 1024} KB; at most {MAX_UPLOAD_BYTES // 1024} KB)"
        )
    if nesting(value) > MAX_NESTING:
        raise bad(f"the scenario file nests brackets more than {MAX_NESTING} deep")
    return raw


def nesting(text: str) -> int:
    """How deep ``[`` and ``{`` nest, counted before any parsing: a quick first filter that turns
    away a file of nested brackets in microseconds (quotes and comments are not skipped, so it can be
    fooled; the web shell checks files in a child process with its own time limit besides)."""
    depth = deepest = 0
    for ch in _NOT_BRACKET.sub("", text):
        if ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}" and depth:
            depth -= 1
    return deepest


def _file_name(field: str, value: Any) -> str:
    return text(field, value, MAX_FILE_NAME) or "scenario.yaml"


UPLOAD_FIELDS = {"scenario_yaml": (_yaml_text, True), "scenario_file": (_file_name, False)}


def parse_create(payload: Any) -> dict[str, Any]:
    """``host:create {scenario?, scenario_yaml?, scenario_file?, teams?, round_seconds?, seed?}``."""
    optional = {k: (check, False) for k, (check, _) in UPLOAD_FIELDS.items()}
    return check_fields({} if payload is None else payload, {**CREATE_FIELDS, **optional})


def parse_upload(payload: Any) -> tuple[str, bytes]:
    """``scenario:check {scenario_yaml, scenario_file?}``: the file's name and its bytes."""
    values = check_fields(payload, UPLOAD_FIELDS)
    return values.get("scenario_file", "scenario.yaml"), values["scenario_yaml"]


def uploaded_scenario(file_name: str, raw: bytes) -> Scenario:
    """The scenario in an uploaded file, or ``ScenarioRejected`` with every problem."""
    stem = file_name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if stem.lower().endswith((".yaml", ".yml")) else stem
    scenario_id = _NOT_ID.sub("-", stem.lower()).strip("-")[:40] or "uploaded"
    scenario, problems = check_upload(raw, f"{scenario_id}.yaml")
    if scenario is None:
        raise ScenarioRejected(file_name, problems)
    return scenario
