"""Strategy files: read like scenarios, every problem with its line, and listed by scenarios."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.errors import ScenarioError
from game.model import Decision, Scope, StrategyRule, StrategySpec
from game.scenario.catalogue import (
    check_file,
    check_strategy_file,
    check_upload,
    load_scenario,
    load_strategy_file,
)
from game.sim.balance import run_balance

FIXTURES = Path(__file__).parent / "fixtures"
STRATEGIES = FIXTURES / "strategies"
LATE_YES = STRATEGIES / "late-yes.yaml"
VALID_SCENARIO = FIXTURES / "scenarios" / "valid.yaml"


def lines_for(path: Path) -> list[str]:
    """The problems of a strategy file as the command line prints them, without the file name."""
    out = []
    for problem in check_strategy_file(path):
        text = str(problem)
        assert text.startswith(f"{path}:")
        out.append(text.removeprefix(f"{path}:").lstrip())
    return out


def test_the_documented_example_loads() -> None:
    assert check_strategy_file(LATE_YES) == []
    assert load_strategy_file(LATE_YES) == StrategySpec(
        name="late-yes",
        description="Plays product-first, then says yes to everything in the last two rounds.",
        rules=(
            StrategyRule(Decision.BUILD, rounds=(6, 7)),
            StrategyRule(Decision.NO, scopes=(Scope.CUSTOM, Scope.ADD_ON)),
            StrategyRule(Decision.BUILD),
        ),
        source=str(LATE_YES),
    )


BROKEN: dict[str, list[str]] = {
    "many-problems.yaml": [
        "1: name: 'balanced' is a reference strategy; give this one a name of its own",
        "2: unknown field 'descripton' (did you mean 'description'?)",
        "4: rules[0].when.kind: must be one of deal, request, improvement; got 'event'",
        "4: rules[0].when.rounds[0]: must be a whole number from 1 to 12, got 0",
        "4: rules[0].when.rounds[1]: must be a whole number from 1 to 12, got 13",
        "5: rules[0].decide: must be one of build, defer, no; got false (a yes/no value); YAML reads a bare"
        ' no as false: write "no" in quotes',
        "6: rules[1].when.scope: must be one of core, custom, add-on; got 'bespoke'",
        "6: rules[1].when.rounds: must be a whole number from 1 to 12, got 2.5",
        "7: rules[1].decide: must be one of build, defer, no; got 'maybe'",
        "9: rules[3]: never decides anything: rule 3 (line 8) already matches every card this one does;"
        " move this rule above it, or remove it",
        "11: rules[4].when: must set at least one of kind, scope, rounds",
        "11: rules[4]: never decides anything: rule 3 (line 8) already matches every card this one does;"
        " move this rule above it, or remove it",
        "13: rules[5].when.kind: must have at least 1 item, has 0",
        "13: rules[5].when.rounds: must be a whole number from 1 to 12, got 'six'",
        "13: rules[5].when: unknown field 'colour' (allowed here: kind, scope, rounds)",
    ],
    "empty-rules.yaml": [
        "1: name: must be lowercase letters, digits and hyphens (like 'northwind-sso'), got 'Late Yes'",
        "2: rules: must have at least 1 rule, has 0",
    ],
    "no-decide.yaml": ["3: rules[0]: missing required field 'decide'"],
    "top-level-list.yaml": ["1: the file must be a block of fields (name:, rules:, ...), not a list"],
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_strategy_file_reports_every_problem_with_its_line(name: str) -> None:
    assert lines_for(STRATEGIES / name) == BROKEN[name]
    with pytest.raises(ScenarioError) as caught:
        load_strategy_file(STRATEGIES / name)
    assert list(caught.value.problems) == check_strategy_file(STRATEGIES / name)


def test_every_strategy_fixture_is_covered() -> None:
    assert {p.name for p in STRATEGIES.glob("*.yaml")} == {*BROKEN, LATE_YES.name}


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "is empty; a strategy needs a name and rules"),
        (
            "name: x\n---\nrules: []\n",
            "2: is not valid YAML: a file holds one strategy; remove the extra '---'",
        ),
        (
            "name: x\nrules:\n  - decide: maybe\n",
            "3: rules[0].decide: must be one of build, defer, no; got 'maybe'",
        ),
        (
            "name: x\nrules:\n  - when: {rounds: [2]}\n    decide: build\n"
            "  - when: {rounds: [2], kind: deal}\n    decide: defer\n",
            "5: rules[1]: never decides anything: rule 1 (line 3) already matches every card this one does;"
            " move this rule above it, or remove it",
        ),
    ],
)
def test_small_slips_are_explained(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(content, encoding="utf-8")
    assert lines_for(path) == [expected]


def test_a_missing_strategy_file_is_one_problem(tmp_path: Path) -> None:
    assert lines_for(tmp_path / "none.yaml") == ["no such file"]


# -- Listed by a scenario ----------------------------------------------------------------------------


def scenario_listing(tmp_path: Path, entry: str) -> Path:
    text = VALID_SCENARIO.read_text(encoding="utf-8").replace("strategies:\n", f"strategies:\n  - {entry}\n")
    path = tmp_path / "listing.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_scenario_lists_a_strategy_file_relative_to_itself(tmp_path: Path) -> None:
    (tmp_path / "strategies").mkdir()
    (tmp_path / "strategies" / "late-yes.yaml").write_bytes(LATE_YES.read_bytes())
    path = scenario_listing(tmp_path, "strategies/late-yes.yaml")
    assert check_file(path) == []
    sc = load_scenario(path)
    assert [s.name for s in sc.strategies] == ["late-yes", "careful"]
    assert sc.strategies[0].source == str(tmp_path / "strategies" / "late-yes.yaml")
    report = run_balance(sc, 3)
    assert list(report.spreads)[-2:] == ["late-yes", "careful"]


def test_problems_in_a_listed_file_name_that_file_and_its_lines(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_bytes((STRATEGIES / "no-decide.yaml").read_bytes())
    path = scenario_listing(tmp_path, "bad.yaml")
    assert [str(p) for p in check_file(path)] == [
        f"{tmp_path / 'bad.yaml'}:3: rules[0]: missing required field 'decide'"
    ]


def test_an_upload_cannot_point_at_files_on_the_server(tmp_path: Path) -> None:
    raw = scenario_listing(tmp_path, "/etc/passwd").read_bytes()
    scenario, problems = check_upload(raw, "upload.yaml")
    assert scenario is None
    assert [p.message for p in problems] == [
        "an uploaded scenario cannot point at other files; write the strategy here as a block"
        " with name and rules"
    ]


def test_an_upload_may_carry_its_strategies_inline() -> None:
    scenario, problems = check_upload(VALID_SCENARIO.read_bytes(), "upload.yaml")
    assert problems == [] and scenario is not None
    assert [s.name for s in scenario.strategies] == ["careful"]
