"""Scenario files: loading into the model, and every problem reported with its line."""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from game.errors import Problem, ScenarioError
from game.model import (
    STRATEGY_NAMES,
    Account,
    CardKind,
    Claim,
    Comeback,
    Decision,
    EventEffects,
    Hidden,
    Market,
    Metric,
    Persona,
    Prompt,
    PromptCondition,
    Role,
    Scope,
    StrategyRule,
    StrategySpec,
)
from game.scenario.catalogue import (
    DEFAULT_SCENARIO,
    check_file,
    find_scenario,
    list_scenarios,
    load_scenario,
    scenario_dir,
    schema_path,
)

FIXTURES = Path(__file__).parent / "fixtures" / "scenarios"
VALID = FIXTURES / "valid.yaml"


def lines_for(path: Path) -> list[str]:
    """The problems of a file as the command line prints them, without the file name."""
    out = []
    for problem in check_file(path):
        text = str(problem)
        prefix = f"{path}:" if problem.line else f"{path}: "
        assert text.startswith(prefix)
        out.append(text.removeprefix(prefix))
    return out


# -- A valid file loads into the model -------------------------------------------------------------


def test_valid_fixture_has_no_problems() -> None:
    assert check_file(VALID) == []


def test_valid_fixture_loads_the_top_level() -> None:
    sc = load_scenario(VALID)
    assert sc.id == "valid"
    assert sc.title == "Tiny: a test scenario"
    assert sc.story == "A small company with one customer."  # the block's trailing newline is gone
    assert sc.target_persona == "controllers"
    assert sc.personas == (
        Persona("controllers", "Finance controllers", "They close the books."),
        Persona("ops-managers", "Operations managers", ""),
    )
    assert sc.market == Market(pressure=0.5, organic_growth=0.3)  # the defaults
    assert sc.debrief_prompts == ("Which deal did you regret most?",)
    assert [r.title for r in sc.rounds] == ["Q1: first traction", "Q2"]
    assert [r.story for r in sc.rounds] == ["", "The market heats up."]


def test_valid_fixture_loads_the_company() -> None:
    company = load_scenario(VALID).company
    assert (company.name, company.capacity, company.cash, company.burn) == ("Tinyco", 10, 900.0, 260.5)
    assert (company.customer_value, company.tech_debt) == (40.0, 0.0)
    assert company.accounts == (
        Account(id=1, name="Acme Accounting", persona="controllers", arr=120.0, since_round=0),
        Account(id=2, name="Bolt Freight", persona="ops-managers", arr=80.5, since_round=0),
    )
    assert isinstance(company.capacity, int)


def test_valid_fixture_loads_a_full_deal() -> None:
    card = load_scenario(VALID).card("northwind-sso")
    assert card.kind is CardKind.DEAL
    assert (card.title, card.asker, card.contact, card.text) == (
        "Single sign-on for Northwind",
        "Northwind Logistics",
        "VP Operations",
        "",
    )
    assert (card.effort, card.deal_size, card.deadline, card.scope) == (3, 60.0, 1, Scope.CUSTOM)
    assert card.hidden == Hidden(
        curb_appeal=7,
        lasting_value=2,
        persona="ops-managers",
        requirement_accuracy=0.7,
        maintenance=1,
        debt=3,
    )
    assert card.hints == (
        (Role.SALES, "Their champion will sign this quarter."),
        (Role.ENGINEERING, "This touches billing: expect debt."),
    )
    assert card.hint_for(Role.PRODUCT) == ""
    assert card.comes_back == Comeback(after=2, min_customer_value=55, deal_size=80, effort=1)
    assert card.effects is None


def test_valid_fixture_fills_card_defaults_by_kind() -> None:
    sc = load_scenario(VALID)
    request = sc.card("acme-export")
    assert (request.kind, request.asker, request.deadline, request.scope) == (
        CardKind.REQUEST,
        "Acme Accounting",
        2,
        Scope.CORE,
    )
    assert request.hidden == Hidden(persona="controllers")  # hidden persona defaults to the target
    assert (request.hints, request.comes_back, request.deal_size) == ((), None, 0.0)
    improvement = sc.card("refactor-ledger")
    assert (improvement.effort, improvement.deadline, improvement.asker) == (3, 3, "")
    assert isinstance(improvement.effort, int)  # 3.0 in the file
    assert improvement.hidden.debt_paydown == 4.0
    event = sc.card("competitor-launch")
    assert (event.effort, event.deadline, event.decidable) == (0, 1, False)
    assert event.effects == EventEffects(market_pressure=0.1, renewal="Northwind Logistics")


def test_valid_fixture_loads_its_prompts_and_its_own_strategy() -> None:
    sc = load_scenario(VALID)
    assert sc.prompts == (
        Prompt("Which deal did you regret most?"),
        Prompt(
            "Where did you make money that product-first did not?",
            PromptCondition("product-first", Metric.CASH, team_ahead=True),
        ),
    )
    assert sc.debrief_prompts == ("Which deal did you regret most?",)  # what a plain reader may show
    assert sc.strategies == (
        StrategySpec(
            name="careful",
            description="Builds what existing customers ask for; refuses custom work.",
            rules=(
                StrategyRule(Decision.BUILD, kinds=(CardKind.REQUEST,)),
                StrategyRule(Decision.NO, scopes=(Scope.CUSTOM, Scope.ADD_ON), rounds=(1, 2)),
                StrategyRule(Decision.DEFER),
            ),
        ),
    )


def test_valid_fixture_loads_every_kind_of_claim() -> None:
    assert load_scenario(VALID).claims == (
        Claim(
            text="Product-first ends with more customer value than always-yes",
            metric=Metric.CUSTOMER_VALUE,
            winner="product-first",
            loser="always-yes",
            margin=10.0,
        ),
        Claim(
            text="Product-first does not run out of cash",
            metric=Metric.CASH,
            strategy="product-first",
            at_least=0.0,
        ),
        Claim(
            text="Careful sells less than always-yes after the first round",
            metric=Metric.ARR,
            winner="always-yes",
            loser="careful",
            after_round=1,
        ),
    )


def test_loading_is_fast() -> None:
    load_scenario(VALID)  # warm the schema cache
    start = time.perf_counter()
    load_scenario(VALID)
    assert time.perf_counter() - start < 0.1


# -- Broken files: every problem, with its line -----------------------------------------------------

BROKEN: dict[str, list[str]] = {
    "bad-syntax.yaml": [
        "6: is not valid YAML: this line does not fit here; check its indentation and quotes",
    ],
    "unknown-field.yaml": [
        "19: rounds[0].cards[0]: unknown field 'efort' (did you mean 'effort'?)",
        "21: rounds[0].cards[0].hidden: unknown field 'curb_apeal' (did you mean 'curb_appeal'?)",
        "22: rounds[0].cards[0].hidden: unknown field 'zzz' (allowed here: curb_appeal, lasting_value,"
        " persona, requirement_accuracy, maintenance, debt, debt_paydown)",
    ],
    "wrong-type.yaml": [
        "8: company.name: must be text, got 2024; put the text in quotes",
        "9: company.capacity: must be a whole number of at least 1, got 'lots'",
        "19: rounds[0].cards[0].effort: must be a whole number of at least 0, got true (a yes/no value)",
        "20: rounds[0].cards[0].scope: must be one of core, custom, add-on; got 'bespoke'",
        "21: rounds[0].cards[1].id: must be lowercase letters, digits and hyphens (like 'northwind-sso'),"
        " got 'Big Deal'",
        "22: rounds[0].cards[1].kind: must be one of deal, request, improvement, event; got 'dael'"
        " (did you mean 'deal'?)",
        "23: rounds[0].cards[1].title: must be text, got a list",
    ],
    "out-of-range.yaml": [
        "8: market.pressure: must be a number from 0 to 1, got 1.5",
        "9: market.organic_growth: must be a number of at least 0, got -1",
        "12: company.capacity: must be a whole number of at least 1, got 0",
        "29: rounds[1].cards[0].effort: must be a whole number of at least 0, got 2.5",
        "30: rounds[1].cards[0].deal_size: must be a number greater than 0, got 0",
        "31: rounds[1].cards[0].deadline: must be a whole number from 1 to 8, got 9",
        "33: rounds[1].cards[0].hidden.curb_appeal: must be a number from 0 to 10, got 11",
        "34: rounds[1].cards[0].hidden.requirement_accuracy: must be a number from 0 to 1, got -0.1",
        "40: rounds[2].cards[0].effort: must be a whole number of at least 0, got -3",
    ],
    "duplicate-card-ids.yaml": [
        "22: rounds[1].cards[0].id: the card id 'polish' is already used on line 16;"
        " every card needs its own id",
    ],
    "duplicate-keys.yaml": [
        "20: rounds[0].cards[0].effort: this field appears twice (also on line 19); keep only one",
        "21: title: this field appears twice (also on line 1); keep only one",
    ],
    "unknown-persona.yaml": [
        "3: target_persona: 'user' is not one of the personas declared under 'personas'"
        " (users, buyers) (did you mean 'users'?)",
        "17: company.accounts[0].persona: 'purchasers' is not one of the personas declared under"
        " 'personas' (users, buyers) (did you mean 'users'?)",
        "27: rounds[0].cards[0].hidden.persona: 'buyer' is not one of the personas declared under"
        " 'personas' (users, buyers) (did you mean 'buyers'?)",
    ],
    "request-unknown-account.yaml": [
        "23: rounds[0].cards[0].from: 'Acme Acounting' is not a customer: a request must come from an"
        " account under company.accounts or a deal's 'from' in an earlier round"
        " (did you mean 'Acme Accounting'?)",
        "29: rounds[0].cards[1].effects.renewal: 'Globex' is not a customer: a renewal must name an"
        " account under company.accounts or a deal's 'from' in an earlier round",
    ],
    "request-later-account.yaml": [
        "19: rounds[0].cards[0].from: 'Northwind' only becomes a customer by signing the deal"
        " 'northwind-deal' in rounds[1] (line 28); a request must come from a customer the company"
        " already has",
        "26: rounds[1].cards[0].from: 'Northwind' only becomes a customer by signing the deal"
        " 'northwind-deal' in rounds[1] (line 28); a request must come from a customer the company"
        " already has",
    ],
    "unknown-strategy.yaml": [
        "23: claims[0].winner: 'product-frist' is not a strategy this scenario knows: name one of"
        " always-yes, product-first, balanced, random, always-no, always-defer, or add it under"
        " 'strategies' (did you mean 'product-first'?)",
        "28: claims[1].loser: must be a different strategy from the winner",
        "29: claims[2]: a comparison claim needs 'loser' as well",
        "32: claims[3]: mixes a comparison (winner, loser) with a bound (strategy, at_least);"
        " a claim is either winner and loser, or strategy with at_least or at_most",
        "38: claims[4]: a bound claim needs exactly one of 'at_least' or 'at_most'",
        "43: claims[5]: needs either winner and loser (a comparison) or strategy with at_least or at_most",
        "44: claims[5].metric: must be one of arr, customer_value, tech_debt, churned_accounts, cash,"
        " company_value; got 'profit'",
    ],
    "strategies-and-prompts.yaml": [
        "21: strategies[0]: no strategy file 'no-such-file.yaml' in the scenario's folder"
        " (did you mean 'unknown-field.yaml'?)",
        "24: strategies[1].rules[0].decide: must be one of build, defer, no; got 'nope' (did you mean 'no'?)",
        "25: strategies[2]: another strategy is already called 'careful' (line 22)",
        "28: strategies[3].name: 'always-yes' is a reference strategy; give this one a name of its own",
        "31: strategies[4]: must be text, got 42; put the text in quotes",
        "36: claims[0].loser: 'carefull' is not a strategy this scenario knows: name one of always-yes,"
        " product-first, balanced, random, always-no, always-defer, careful, or add it under 'strategies'"
        " (did you mean 'careful'?)",
        "41: claims[1].after_round: company_value is only known at the end of the game (after the year"
        " played out); remove after_round, or compare another metric",
        "46: claims[2].after_round: the scenario has only 1 round",
        "50: debrief_prompts[1].when.team_beats: 'product-frist' is not a strategy this scenario knows:"
        " name one of always-yes, product-first, balanced, random, always-no, always-defer, careful,"
        " or add it under 'strategies' (did you mean 'product-first'?)",
        "52: debrief_prompts[2].when: needs exactly one of team_beats (shown when a team ended ahead of"
        " the strategy) or team_trails (shown when a team ended behind it)",
        "54: debrief_prompts[3].when: missing required field 'metric'",
        "55: debrief_prompts[4].text: must not be empty",
        "56: debrief_prompts[4].when.metric: must be one of arr, customer_value, tech_debt,"
        " churned_accounts, cash, company_value; got 'profit'",
    ],
    "event-with-effort.yaml": [
        "19: rounds[0].cards[0].effort: events take no effort; remove this line",
        "22: rounds[0].cards[1]: an event needs 'effects': what it changes when it lands",
        "28: rounds[0].cards[2].effects: must set at least one of market_pressure, churn, arr_pct,"
        " customer_value, tech_debt, renewal",
        "33: rounds[0].cards[3].effects: only events have effects; this card is an improvement",
    ],
    "deal-without-size.yaml": [
        "20: rounds[0].cards[0]: a deal needs 'deal_size': the $k of ARR it brings if won",
        "30: rounds[0].cards[1].deal_size: only deals have a deal size; this card is a request",
        "31: rounds[0].cards[1].comes_back: only deals can come back after a No; this card is a request",
        "37: rounds[0].cards[1].hidden.debt_paydown: only improvements pay down debt; this card is a request",
    ],
    "missing-field.yaml": [
        "1: missing required field 'story'",
        "6: company: missing required field 'capacity'",
        "14: rounds[0].cards[0]: a deal needs 'from': who asks",
    ],
    "many-problems.yaml": [
        "2: story: must not be empty",
        "11: company.burn: must be a number of at least 0, got -5",
        "20: rounds[0].cards[0]: unknown field 'colour' (allowed here: id, kind, title, from, contact, text,"
        " effort, deal_size, deadline, scope, hidden, hints, comes_back, effects)",
        "21: rounds[0].cards[1].id: the card id 'polish' is already used on line 16;"
        " every card needs its own id",
        "24: rounds[0].cards[1].from: 'Nobody' is not a customer: a request must come from an account"
        " under company.accounts or a deal's 'from' in an earlier round",
    ],
    "empty.yaml": [
        "is empty; a scenario needs a title, a story, a company, rounds and more",
    ],
    "top-level-list.yaml": [
        "1: the file must be a block of fields (title:, story:, ...), not a list",
    ],
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_fixture_reports_every_problem_with_its_line(name: str) -> None:
    assert lines_for(FIXTURES / name) == BROKEN[name]


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_loading_a_broken_fixture_raises_with_the_same_problems(name: str) -> None:
    path = FIXTURES / name
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert list(caught.value.problems) == check_file(path)
    assert str(caught.value) == "\n".join(str(p) for p in check_file(path))


def test_every_fixture_is_covered() -> None:
    on_disk = {p.name for p in FIXTURES.glob("*.yaml")}
    assert on_disk == {*BROKEN, VALID.name}


# -- Files that are not scenarios at all -----------------------------------------------------------


def write(tmp_path: Path, content: str | bytes, name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_a_missing_file_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    assert check_file(path) == [Problem(str(path), 0, "", "no such file")]
    with pytest.raises(ScenarioError):
        load_scenario(path)


def test_a_folder_is_one_problem(tmp_path: Path) -> None:
    assert check_file(tmp_path) == [Problem(str(tmp_path), 0, "", "is a folder, not a scenario file")]


def test_a_file_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "title: ok\nstory: caf\xe9\n".encode("latin-1"))
    assert lines_for(path) == ["2: is not UTF-8 text; save it from your editor as UTF-8"]


def test_a_utf8_byte_order_mark_is_fine(tmp_path: Path) -> None:
    path = write(tmp_path, b"\xef\xbb\xbf" + VALID.read_bytes())
    assert check_file(path) == []


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("title: x\n\tstory: y\n", "2: is not valid YAML: use spaces, not tabs, to indent"),
        ('title: "open\nstory: y\n', "1: is not valid YAML: a quote opened here is never closed"),
        (
            "title: x\n---\nstory: y\n",
            "2: is not valid YAML: a file holds one scenario; remove the extra '---'",
        ),
        (
            "title: a: b\n",
            "1: is not valid YAML: a ':' is out of place; check the indentation,"
            " or put text that contains ': ' in quotes",
        ),
        ("title: x\nstory: \x07\n", "2: contains an invisible control character (U+0007); delete it"),
        ("# only a comment\n", "is empty; a scenario needs a title, a story, a company, rounds and more"),
        (
            "just some text\n",
            "1: the file must be a block of fields (title:, story:, ...), not 'just some text'",
        ),
    ],
)
def test_unreadable_yaml_is_explained(tmp_path: Path, content: str, expected: str) -> None:
    assert lines_for(write(tmp_path, content)) == [expected]


def test_yaml_tags_that_build_objects_are_refused(tmp_path: Path) -> None:
    text = VALID.read_text(encoding="utf-8").replace(
        "title: Export to Excel", "title: !!python/object/apply:os.system ['echo hi']"
    )
    problems = lines_for(write(tmp_path, text))
    assert problems[0] == (
        "53: rounds[0].cards[1].title: uses the YAML tag '!!python/object/apply:os.system',"
        " which scenario files do not support"
    )


def test_anchors_aliases_and_merge_keys_work(tmp_path: Path) -> None:
    text = VALID.read_text(encoding="utf-8")
    text = text.replace(
        "        hidden:\n          curb_appeal: 7", "        hidden: &flashy\n          curb_appeal: 7"
    )
    text = text.replace(
        "        from: Acme Accounting\n        effort: 2",
        "        from: Acme Accounting\n        effort: 2\n        hidden:\n          <<: *flashy\n"
        "          debt: 0",
    )
    path = write(tmp_path, text)
    assert check_file(path) == []
    hidden = load_scenario(path).card("acme-export").hidden
    assert (hidden.curb_appeal, hidden.persona, hidden.debt) == (7.0, "ops-managers", 0.0)


def test_an_alias_loop_is_a_problem_not_a_hang(tmp_path: Path) -> None:
    path = write(tmp_path, "title: &a [*a]\n")
    assert lines_for(path)[0] == "1: title[0]: an alias (*name) here refers to the block that contains it"


def test_an_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 8)]
    path = write(tmp_path, "\n".join(lines) + "\n")
    assert lines_for(path) == [
        "uses aliases (*name) that expand to far more data than a scenario needs",
    ]


def test_too_long_text_is_reported(tmp_path: Path) -> None:
    text = VALID.read_text(encoding="utf-8").replace("title: Q2", "title: " + "Q" * 2001)
    assert lines_for(write(tmp_path, text)) == [
        "56: rounds[1].title: is too long (2,001 characters; at most 2,000)"
    ]


def test_quoted_numbers_and_huge_numbers_are_explained(tmp_path: Path) -> None:
    text = VALID.read_text(encoding="utf-8")
    text = text.replace("capacity: 10", 'capacity: "10"').replace("cash: 900", "cash: 1e99999")
    text = text.replace("burn: 260.5", "burn: 1000000000000000")
    assert lines_for(write(tmp_path, text)) == [
        "14: company.capacity: must be a whole number of at least 1, got '10';"
        " remove the quotes around the number",
        "15: company.cash: must be a number, got '1e99999'; write numbers as plain digits, like 1500 or 0.25",
        "16: company.burn: is far too large a number (at most 1,000,000,000,000)",
    ]


def test_duplicate_account_and_persona_names_are_reported(tmp_path: Path) -> None:
    text = VALID.read_text(encoding="utf-8")
    text = text.replace("name: Bolt Freight", "name: Acme Accounting")
    text = text.replace("company:", "  - id: controllers\n    name: Again\ncompany:")
    assert lines_for(write(tmp_path, text)) == [
        "12: personas[2].id: the persona id 'controllers' is already used on line 7",
        "24: company.accounts[1].name: another account is already called 'Acme Accounting' (line 21)",
    ]


def test_too_many_rounds_and_no_cards(tmp_path: Path) -> None:
    text = VALID.read_text(encoding="utf-8")
    head = text.split("rounds:\n")[0]
    many = "".join(f"  - title: R{i}\n    cards: []\n" for i in range(13))
    assert lines_for(write(tmp_path, head + "rounds:\n" + many)) == [
        "25: rounds: must have at most 12 rounds, has 13",
        *[f"{27 + 2 * i}: rounds[{i}].cards: must have at least 1 card, has 0" for i in range(13)],
    ]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([*"ab:-[]{}'\"&*!|> #\n\t01.,", "title", "  "]), max_size=60).map("".join))
def test_check_file_never_raises(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.yaml"
        path.write_text(text, encoding="utf-8")
        problems = check_file(path)
    assert all(isinstance(p, Problem) for p in problems)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_a_damaged_valid_file_never_crashes_the_loader(data: st.DataObject) -> None:
    lines = VALID.read_text(encoding="utf-8").splitlines()
    for _ in range(data.draw(st.integers(1, 3))):
        index = data.draw(st.integers(0, len(lines) - 1))
        replacement = data.draw(st.sampled_from(["", "  x: 1", "- y", "~", "z: []", "  effort: -1", "{}"]))
        lines[index] = replacement
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.yaml"
        path.write_text("\n".join(lines), encoding="utf-8")
        problems = check_file(path)
        if problems:
            with pytest.raises(ScenarioError):
                load_scenario(path)
        else:
            load_scenario(path)


# -- Finding scenarios ------------------------------------------------------------------------------


def test_scenario_dir_is_the_repositorys_scenarios_folder() -> None:
    assert scenario_dir() == Path(__file__).resolve().parent.parent / "scenarios"
    assert all(p.suffix == ".yaml" and p.parent == scenario_dir() for p in list_scenarios())
    assert list_scenarios() == sorted(list_scenarios())
    assert DEFAULT_SCENARIO == "saas-startup"


def test_find_scenario_accepts_a_path() -> None:
    assert find_scenario(str(VALID)) == VALID


@pytest.mark.parametrize("path", list_scenarios(), ids=lambda p: p.stem)
def test_find_scenario_accepts_a_bare_id(path: Path) -> None:
    assert find_scenario(path.stem) == path
    assert find_scenario(path.name) == path


def test_find_scenario_reports_an_unknown_name() -> None:
    with pytest.raises(ScenarioError) as caught:
        find_scenario("no-such-scenario")
    (problem,) = caught.value.problems
    assert problem.file == "no-such-scenario"
    assert problem.message.startswith("no such file, and no scenario with this id in scenarios/")


def test_find_scenario_reports_a_folder(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="is a folder"):
        find_scenario(str(tmp_path))


@pytest.mark.parametrize("path", list_scenarios(), ids=lambda p: p.stem)
def test_every_shipped_scenario_is_valid(path: Path) -> None:
    assert [str(p) for p in check_file(path)] == []
    scenario = load_scenario(path)
    assert scenario.id == path.stem


# -- The schema ------------------------------------------------------------------------------------


def schema() -> dict[str, object]:
    loaded: dict[str, object] = json.loads(schema_path().read_text(encoding="utf-8"))
    return loaded


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(schema())
    assert schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_every_schema_property_has_a_title_and_a_description() -> None:
    def walk(node: object, where: str) -> list[str]:
        missing = []
        if isinstance(node, dict):
            for name, prop in node.get("properties", {}).items():
                target = prop
                if isinstance(prop, dict) and "$ref" in prop:
                    target = schema()["$defs"][prop["$ref"].rsplit("/", 1)[1]]  # type: ignore[index]
                if not (isinstance(target, dict) and target.get("title") and target.get("description")):
                    missing.append(f"{where}.{name}")
            for key, value in node.items():
                if key not in ("if", "then"):
                    missing += walk(value, f"{where}.{key}")
        return missing

    assert walk(schema(), "") == []


def test_schema_lists_the_models_names() -> None:
    defs = schema()["$defs"]
    assert isinstance(defs, dict)
    card, claim = defs["card"]["properties"], defs["claim"]["properties"]
    assert card["kind"]["enum"] == [k.value for k in CardKind]
    assert card["scope"]["enum"] == [s.value for s in Scope]
    assert claim["metric"]["enum"] == [m.value for m in Metric]
    # Claims may name a scenario's own strategies: the schema suggests the reference ones to
    # editors, and stage 2 checks every name against the scenario.
    for key in ("winner", "loser", "strategy"):
        assert claim[key]["examples"] == list(STRATEGY_NAMES)
        assert "enum" not in claim[key]
    when = defs["strategy_when"]["properties"]
    assert when["kind"]["anyOf"][0]["enum"] == [k.value for k in CardKind if k is not CardKind.EVENT]
    assert when["scope"]["anyOf"][0]["enum"] == [s.value for s in Scope]
    assert defs["strategy_rule"]["properties"]["decide"]["enum"] == [d.value for d in Decision]
    assert defs["prompt_when"]["properties"]["metric"]["enum"] == [m.value for m in Metric]


def test_schema_rejects_unknown_fields_everywhere() -> None:
    def objects(node: object) -> list[dict[str, object]]:
        found = []
        if isinstance(node, dict):
            if node.get("type") == "object":
                found.append(node)
            for value in node.values():
                found += objects(value)
        elif isinstance(node, list):
            for value in node:
                found += objects(value)
        return found

    assert objects(schema())
    assert all(o.get("additionalProperties") is False for o in objects(schema()))


# -- The guide -------------------------------------------------------------------------------------

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "scenarios.md"


def test_the_guides_complete_example_is_a_valid_scenario(tmp_path: Path) -> None:
    blocks = GUIDE.read_text(encoding="utf-8").split("```yaml\n")[1:]
    examples = [b.split("```")[0] for b in blocks if "\nrounds:" in b]
    assert len(examples) == 1
    path = write(tmp_path, examples[0])
    assert check_file(path) == []
    assert load_scenario(path).card("northwind-sso").comes_back is not None


def test_the_guide_documents_every_field() -> None:
    guide = GUIDE.read_text(encoding="utf-8")

    def names(node: object) -> set[str]:
        found: set[str] = set()
        if isinstance(node, dict):
            found |= set(node.get("properties", {}))
            for key, value in node.items():
                if key not in ("if", "then"):
                    found |= names(value)
        return found

    assert sorted(n for n in names(schema()) if f"`{n}`" not in guide) == []


def test_an_unusable_file_name_is_a_problem() -> None:
    assert check_file("nul\0name.yaml") == [Problem("nul\0name.yaml", 0, "", "is not a valid file name")]


def test_a_comeback_persona_must_be_a_declared_persona(tmp_path: Path) -> None:
    text = VALID.read_text(encoding="utf-8").replace(
        "          effort: 1\n      - id: acme-export",
        "          effort: 1\n          persona: nobody-here\n      - id: acme-export",
    )
    assert "nobody-here" in text
    path = write(tmp_path, text)
    (problem,) = check_file(path)
    assert problem.line == 51 and problem.path.endswith("comes_back.persona")
    assert "'nobody-here' is not one of the personas" in problem.message
