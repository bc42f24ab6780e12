"""What-if settings (``--set PATH=VALUE``): one value of a scenario replaced, then checked like the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.errors import ScenarioError
from game.scenario.catalogue import check_file, load_scenario

VALID = Path(__file__).parent / "fixtures" / "scenarios" / "valid.yaml"


@pytest.mark.parametrize(
    ("setting", "read"),
    [
        ("market.pressure=0.2", lambda sc: sc.market.pressure == 0.2),
        ("company.capacity=8", lambda sc: sc.company.capacity == 8),
        ("company.tech_debt=4", lambda sc: sc.company.tech_debt == 4.0),  # not in the file: added
        ("rounds.0.cards.1.effort=3", lambda sc: sc.card("acme-export").effort == 3),
        ("rounds.1.title=Later", lambda sc: sc.rounds[1].title == "Later"),
        ('title="2024"', lambda sc: sc.title == "2024"),
        ("strategies.0.rules.2.decide=build", lambda sc: sc.strategies[0].rules[2].decide.value == "build"),
    ],
)
def test_a_setting_replaces_one_value(setting: str, read: object) -> None:
    sc = load_scenario(VALID, [setting])
    assert callable(read) and read(sc)
    assert load_scenario(VALID).market.pressure == 0.5  # the file itself is untouched


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        (
            "market.pressure=2",
            "--set market.pressure=2: market.pressure: must be a number from 0 to 1, got 2",
        ),
        (
            "company.capacity=eight",
            "--set company.capacity=eight: company.capacity: must be a whole number of at least 1,"
            " got 'eight'",
        ),
        (
            "market.presure=1",
            "--set market.presure=1: market.presure: market has no field 'presure'"
            " (did you mean 'pressure'?)",
        ),
        (
            "rounds.5.title=x",
            "--set rounds.5.title=x: rounds[5]: there is no item 5: 'rounds' has 2 items, numbered from 0",
        ),
        ("rounds.x=1", "--set rounds.x=1: rounds.x: 'rounds' is a list: name an item by its number, from 0"),
        (
            "company.name.x=1",
            "--set company.name.x=1: company.name.x: 'company.name' is a single value; it has no fields",
        ),
        ("pressure", "--set pressure: write a setting as PATH=VALUE, like market.pressure=0.2"),
        (
            "market..pressure=1",
            "--set market..pressure=1: 'market..pressure' has an empty part; name each field,"
            " like market.pressure=0.2",
        ),
        (
            "title=[1, 2]",
            "--set title=[1, 2]: title: VALUE must be a single value: a number, true or false, or text",
        ),
        (
            "rounds.0.cards.0.hidden.persona=nobody",
            "--set rounds.0.cards.0.hidden.persona=nobody: rounds[0].cards[0].hidden.persona:"
            " 'nobody' is not one of"
            " the personas declared under 'personas' (controllers, ops-managers)",
        ),
    ],
)
def test_a_bad_setting_is_one_clear_problem(setting: str, expected: str) -> None:
    assert [str(p) for p in check_file(VALID, [setting])] == [expected]
    with pytest.raises(ScenarioError):
        load_scenario(VALID, [setting])


def test_every_bad_setting_is_reported_at_once() -> None:
    problems = check_file(VALID, ["market.pressure=2", "company.capacity=0", "market.organic_growth=0.1"])
    assert [p.file for p in problems] == ["--set market.pressure=2", "--set company.capacity=0"]
