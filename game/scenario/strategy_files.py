"""Strategy files: a strategy written as a few rules in YAML, checked like a scenario and built into data.

A strategy file (or a block under a scenario's ``strategies:``) is read with the line of every
value (``reader``), checked against the scenario schema's ``strategy`` block
(``schema``), then for what a schema cannot say (a name taken by a reference strategy,
a rule that can never decide anything), and only then built into a ``StrategySpec``.
``game.sim.strategy_rules`` turns that into a player. Every problem has its file, line and path.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from game.errors import Problem, ScenarioError
from game.model import STRATEGY_NAMES, CardKind, Decision, Scope, StrategyRule, StrategySpec
from game.scenario.reader import DocPath, Document, block_of, blocks_of, read_document, text_of
from game.scenario.schema import strategy_schema_problems, strategy_validator
from game.scenario.words import suggest

__all__ = ["check_strategy_file", "load_strategy_file", "scenario_strategies"]

_WHEN_FIELDS: tuple[tuple[str, type[CardKind] | type[Scope] | None], ...] = (
    ("kind", CardKind),
    ("scope", Scope),
    ("rounds", None),
)


def check_strategy_file(path: str | Path) -> list[Problem]:
    """Every problem in a strategy file, in line order; ``[]`` when it is fine. Never raises."""
    return _check_file(read_document(path, noun="strategy"))


def load_strategy_file(path: str | Path) -> StrategySpec:
    """Load a strategy file; raises ``ScenarioError`` carrying every problem found."""
    doc = read_document(path, noun="strategy")
    problems = _check_file(doc)
    if problems:
        raise ScenarioError(problems)
    return build_spec(doc.data, str(path))


def _check_file(doc: Document) -> list[Problem]:
    problems = list(doc.problems)
    if doc.readable:
        problems += strategy_schema_problems(doc)
        problems += strategy_problems(doc, block_of(doc.data), ())
    return sorted(dict.fromkeys(problems), key=lambda p: p.line)


def strategy_problems(doc: Document, data: Mapping[str, Any], at: DocPath) -> list[Problem]:
    """Stage 2 for one strategy at ``at`` in ``doc``: tolerant of what the schema already refused."""
    problems: list[Problem] = []
    name = text_of(data.get("name"))
    if name in STRATEGY_NAMES:
        problems.append(
            doc.problem((*at, "name"), f"'{name}' is a reference strategy; give this one a name of its own")
        )
    seen: list[tuple[int, dict[str, frozenset[Any]]]] = []
    for i, rule in blocks_of(data.get("rules")):
        when = _when_sets(rule.get("when"))
        if when is None:
            continue
        for j, earlier in seen:
            if all(
                key not in earlier or (key in when and when[key] <= earlier[key]) for key, _ in _WHEN_FIELDS
            ):
                line = doc.line((*at, "rules", j))
                problems.append(
                    doc.problem(
                        (*at, "rules", i),
                        f"never decides anything: rule {j + 1} (line {line}) already matches every card "
                        "this one does; move this rule above it, or remove it",
                    )
                )
                break
        seen.append((i, when))
    return problems


def _when_sets(when: Any) -> dict[str, frozenset[Any]] | None:
    """A rule's ``when`` as sets of values per field (a missing field: any), or None when it is malformed."""
    if when is None:
        return {}
    if not isinstance(when, dict):
        return None
    sets: dict[str, frozenset[Any]] = {}
    for key, _ in _WHEN_FIELDS:
        if key in when:
            value = when[key]
            values = value if isinstance(value, list) else [value]
            if not values or not all(isinstance(v, str | int) and not isinstance(v, bool) for v in values):
                return None
            sets[key] = frozenset(values)
    return sets if set(when) <= set(sets) else None


def build_spec(data: Mapping[str, Any], source: str = "") -> StrategySpec:
    """The spec for a strategy that passed every check."""
    rules = []
    for rule in data["rules"]:
        when = block_of(rule.get("when"))
        rules.append(
            StrategyRule(
                decide=Decision(rule["decide"]),
                kinds=tuple(CardKind(v) for v in _listed(when.get("kind"))),
                scopes=tuple(Scope(v) for v in _listed(when.get("scope"))),
                rounds=tuple(int(v) for v in _listed(when.get("rounds"))),
            )
        )
    return StrategySpec(
        name=text_of(data["name"]),
        rules=tuple(rules),
        description=text_of(data.get("description")),
        source=source,
    )


def _listed(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(dict.fromkeys(value if isinstance(value, list) else [value]))


def scenario_strategies(
    doc: Document, base: Path | None
) -> tuple[tuple[StrategySpec, ...], tuple[str, ...], list[Problem]]:
    """A scenario's ``strategies:``: the specs, every name given (even of a broken one), and the problems.

    An entry is a strategy file's path, relative to the scenario's folder ``base``, or a block
    written in place. Uploaded scenarios (``base`` None) cannot point at files on the server.
    Problems inside a strategy file name that file and its lines.
    """
    entries = block_of(doc.data).get("strategies")
    specs: list[StrategySpec] = []
    names: dict[str, int] = {}
    problems: list[Problem] = []
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        path: DocPath = ("strategies", i)
        if isinstance(entry, dict):
            data, source, own = entry, "", strategy_problems(doc, entry, path)
            valid = not own and strategy_validator().is_valid(entry)
        elif isinstance(entry, str) and entry.strip():
            sub, own = _read_listed(doc, path, entry.strip(), base)
            if sub is None:
                problems += own
                continue
            data, source = block_of(sub.data), sub.file
            valid = not own
        else:
            continue  # the schema has said what is wrong with it
        problems += own
        name = text_of(data.get("name"))
        if not name:
            continue
        if name in names:
            problems.append(
                doc.problem(path, f"another strategy is already called '{name}' (line {names[name]})")
            )
            continue
        names[name] = doc.line(path)
        if valid:
            specs.append(build_spec(data, source))
    return tuple(specs), tuple(names), problems


def _read_listed(
    doc: Document, path: DocPath, text: str, base: Path | None
) -> tuple[Document | None, list[Problem]]:
    """The strategy file an entry names, and its problems (or, with no file, the entry's problem)."""
    if base is None:
        message = (
            "an uploaded scenario cannot point at other files; write the strategy here as a block "
            "with name and rules"
        )
        return None, [doc.problem(path, message)]
    target = base / text
    try:
        found = target.is_file()
    except (OSError, ValueError):
        found = False
    if not found:
        near = [p.name for p in target.parent.glob("*.yaml")] if target.parent.is_dir() else []
        message = f"no strategy file '{text}' in the scenario's folder{suggest(target.name, near)}"
        return None, [doc.problem(path, message)]
    sub = read_document(target, noun="strategy")
    return sub, _check_file(sub)
