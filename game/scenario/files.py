"""Where scenario files live: the bundled folder, its schema, and finding one by path or by id."""

from __future__ import annotations

from pathlib import Path

from game.errors import Problem, ScenarioError
from game.scenario.words import suggest

DEFAULT_SCENARIO = "saas-startup"


def scenario_dir() -> Path:
    """The repository's ``scenarios/`` folder."""
    return Path(__file__).resolve().parents[2] / "scenarios"


def schema_path() -> Path:
    """The JSON Schema every scenario file is checked against."""
    return scenario_dir() / "schema.json"


def list_scenarios() -> list[Path]:
    """Every scenario file in ``scenarios/``, sorted."""
    return sorted(scenario_dir().glob("*.yaml"))


def find_scenario(name_or_path: str) -> Path:
    """A scenario file from a path, or from a bare id like ``saas-startup``."""
    candidate = Path(name_or_path)
    if candidate.is_file():
        return candidate
    if candidate.is_dir():
        raise ScenarioError([Problem(name_or_path, 0, "", "is a folder, not a scenario file")])
    if candidate.name == name_or_path:  # no folder given: look among the bundled scenarios
        stem = candidate.stem if candidate.suffix in (".yaml", ".yml") else name_or_path
        bundled = scenario_dir() / f"{stem}.yaml"
        if bundled.is_file():
            return bundled
    known = [p.stem for p in list_scenarios()]
    message = "no such file, and no scenario with this id in scenarios/"
    message += suggest(Path(name_or_path).stem, known)
    message += f" (available: {', '.join(known)})" if known else " (there are none yet)"
    raise ScenarioError([Problem(name_or_path, 0, "", message)])
