"""Scenario files: find them, check them and load them into the model.

The public face of the ``scenario_*`` modules, the only ones that read YAML. A file is read
with the line of every value (``scenario_yaml``), checked in two stages, first against
``scenarios/schema.json`` (``scenario_schema``), then for what a schema cannot say
(``scenario_checks``), and only then built into the model (``scenario_build``). Every problem
is reported with its line, in plain words.
"""

from __future__ import annotations

from pathlib import Path

from game.errors import Problem, ScenarioError
from game.model import Scenario
from game.scenario_build import build_scenario
from game.scenario_checks import MAX_NUMBER, cross_check
from game.scenario_files import DEFAULT_SCENARIO, find_scenario, list_scenarios, scenario_dir, schema_path
from game.scenario_schema import schema_problems
from game.scenario_yaml import Document, parse_document, read_document

__all__ = [
    "DEFAULT_SCENARIO",
    "MAX_NUMBER",
    "check_file",
    "check_upload",
    "find_scenario",
    "list_scenarios",
    "load_scenario",
    "scenario_dir",
    "schema_path",
]


def check_file(path: str | Path) -> list[Problem]:
    """Every problem in a scenario file, in line order; ``[]`` when it is fine. Never raises."""
    return _check(read_document(path))


def load_scenario(path: str | Path) -> Scenario:
    """Load a scenario file; raises ``ScenarioError`` carrying every problem found."""
    doc = read_document(path)
    problems = _check(doc)
    if problems:
        raise ScenarioError(problems)
    return build_scenario(doc.data, Path(path).stem)


def check_upload(raw: bytes, name: str) -> tuple[Scenario | None, list[Problem]]:
    """A scenario a facilitator uploaded: the model, or every problem with its line. Never raises."""
    doc = parse_document(raw, name)
    problems = _check(doc)
    if problems:
        return None, problems
    return build_scenario(doc.data, Path(name).stem), []


def _check(doc: Document) -> list[Problem]:
    problems = list(doc.problems)
    if doc.readable:
        problems += schema_problems(doc)
        problems += cross_check(doc)
    unique = list(dict.fromkeys(problems))  # Problem is frozen, hence hashable
    return sorted(unique, key=lambda p: p.line)
