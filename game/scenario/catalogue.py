"""Scenario files: find them, check them and load them into the model.

The public face of the ``scenario_*`` modules, the only ones that read YAML. A file is read
with the line of every value (``reader``), checked in two stages, first against
``scenarios/schema.json`` (``schema``), then for what a schema cannot say
(``checks``), and only then built into the model (``build``). Every problem
is reported with its line, in plain words.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from game.errors import Problem, ScenarioError
from game.model import Scenario, StrategySpec
from game.scenario.build import build_scenario
from game.scenario.checks import MAX_NUMBER, cross_check
from game.scenario.files import DEFAULT_SCENARIO, find_scenario, list_scenarios, scenario_dir, schema_path
from game.scenario.reader import Document, parse_document, read_document
from game.scenario.schema import schema_problems
from game.scenario.settings import apply_settings
from game.scenario.strategy_files import check_strategy_file, load_strategy_file, scenario_strategies

__all__ = [
    "DEFAULT_SCENARIO",
    "MAX_NUMBER",
    "check_file",
    "check_strategy_file",
    "check_upload",
    "find_scenario",
    "list_scenarios",
    "load_scenario",
    "load_strategy_file",
    "scenario_dir",
    "schema_path",
]


def check_file(path: str | Path, settings: Sequence[str] = ()) -> list[Problem]:
    """Every problem in a scenario file (with ``--set`` settings applied), in line order; ``[]`` when fine.

    Never raises. Problems in the strategy files it lists come after its own, each in its file.
    """
    return _check(read_document(path), Path(path).parent, settings)[0]


def load_scenario(path: str | Path, settings: Sequence[str] = ()) -> Scenario:
    """Load a scenario file, with each ``PATH=VALUE`` setting in place of the file's value.

    Raises ``ScenarioError`` carrying every problem found, in the file or in a setting.
    """
    doc = read_document(path)
    problems, strategies = _check(doc, Path(path).parent, settings)
    if problems:
        raise ScenarioError(problems)
    return build_scenario(doc.data, Path(path).stem, strategies)


def check_upload(raw: bytes, name: str) -> tuple[Scenario | None, list[Problem]]:
    """A scenario a facilitator uploaded: the model, or every problem with its line. Never raises.

    An upload cannot point at strategy files on the server; its strategies are written inline.
    """
    doc = parse_document(raw, name)
    problems, strategies = _check(doc, None, ())
    if problems:
        return None, problems
    return build_scenario(doc.data, Path(name).stem, strategies), []


def _check(
    doc: Document, base: Path | None, settings: Sequence[str]
) -> tuple[list[Problem], tuple[StrategySpec, ...]]:
    problems = list(doc.problems)
    strategies: tuple[StrategySpec, ...] = ()
    if doc.readable:
        problems += apply_settings(doc, settings)
        problems += schema_problems(doc)
        strategies, names, found = scenario_strategies(doc, base)
        problems += found
        problems += cross_check(doc, names)
    unique = list(dict.fromkeys(problems))  # Problem is frozen, hence hashable
    # The file's own problems (and the settings', on "line 0") first, then each strategy file's.
    return sorted(unique, key=lambda p: _order(p, doc.file)), strategies


def _order(problem: Problem, file: str) -> tuple[bool, str, int]:
    elsewhere = problem.file != file and not problem.file.startswith("--set ")
    return elsewhere, problem.file if elsewhere else "", problem.line
