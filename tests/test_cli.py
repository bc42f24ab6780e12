"""The command line as a scenario author uses it: clear output, clear errors, honest exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.cli import main


def test_check_passes_the_shipped_scenarios(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    assert "saas-startup.yaml: ok" in capsys.readouterr().out


def test_check_reports_every_problem_with_its_line_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: x\nstory: y\ntarget_persona: nobody\n")
    assert main(["check", str(bad)]) == 1
    out = capsys.readouterr()
    lines = [line for line in out.out.splitlines() if line.startswith(str(bad))]
    assert len(lines) >= 3  # missing personas, company, rounds at least
    assert all(line.startswith(f"{bad}:") for line in lines)
    assert "1 of 1 file with problems" in out.err


def test_simulate_prints_the_game_round_by_round(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "saas-startup", "--strategy", "always-yes", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    assert "strategy always-yes, seed 3" in out
    assert "Five signals" in out and "Can't say no" in out
    assert out.count("\n7 ") == 1  # the seventh round's row


def test_simulate_json_is_one_object_with_every_round(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "saas-startup", "--seed", "2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["rounds"]) == 7 and len(data["signals"]) == 5
    assert data["rounds"][0]["decisions"]


def test_balance_json_and_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["balance", "saas-startup", "--games", "30", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["games"] == 30 and all(c["holds"] for c in data["claims"])


def test_an_unknown_scenario_is_a_clear_error_not_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "no-such-scenario"]) == 1
    err = capsys.readouterr().err
    assert "no-such-scenario" in err and "Traceback" not in err


def test_a_bad_games_count_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["balance", "saas-startup", "--games", "0"]) == 2
    assert "--games must be at least 1" in capsys.readouterr().err


STRATEGY_FILE = Path(__file__).parent / "fixtures" / "strategies" / "late-yes.yaml"
BROKEN_STRATEGY = Path(__file__).parent / "fixtures" / "strategies" / "no-decide.yaml"


def test_simulate_json_traces_every_change_to_its_causes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "saas-startup", "--strategy", "always-yes", "--seed", "5", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    for period in [*data["rounds"], *data["year_after"]]:
        for metric in ("arr", "customer_value", "tech_debt", "cash"):
            total = sum(c["amount"] for c in period["causes"] if c["metric"] == metric)
            assert period["before"][metric] + total == pytest.approx(period["after"][metric], abs=0.01), (
                metric
            )
        assert all(set(c) == {"metric", "amount", "card", "decision", "text"} for c in period["causes"])
        assert all(c["metric"] == "capacity" for c in period["capacity_parts"])
    assert len(data["year_after"]) == 4 and data["year_after"][0]["round"] == 8
    value = data["company_value"]
    assert set(value) == {"total", "parts", "arr_at_end", "arr_after_year", "growth"}
    assert sum(p["amount"] for p in value["parts"]) == pytest.approx(value["total"])
    assert value["arr_at_end"] == data["rounds"][-1]["after"]["arr"]


def test_simulate_prints_company_value_and_its_parts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "saas-startup", "--strategy-file", str(STRATEGY_FILE), "--seed", "2"]) == 0
    out = capsys.readouterr().out
    assert "strategy late-yes, seed 2" in out
    assert "The year after" in out and "+Q4" in out
    assert "Company value: $" in out and "Recurring revenue" in out


def test_simulate_with_a_setting_plays_the_changed_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["simulate", "fierce-market", "--strategy", "always-yes", "--seed", "1", "--json"]
    assert main(args) == 0
    plain = json.loads(capsys.readouterr().out)
    assert main([*args, "--set", "market.pressure=0.2"]) == 0
    changed = json.loads(capsys.readouterr().out)
    assert changed["settings"] == ["market.pressure=0.2"]
    assert changed["company_value"] != plain["company_value"]


def test_balance_plays_strategy_files_beside_the_reference_strategies(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["balance", "saas-startup", "--games", "5", "--json", "--strategy-file", str(STRATEGY_FILE)]
    main(args)
    data = json.loads(capsys.readouterr().out)
    assert "late-yes" in data["strategies"] and "late-yes" in data["beats"]["balanced"]
    assert set(data["strategies"]["late-yes"]) >= {"company_value", "arr_by_round", "signals"}


def test_the_balance_table_leads_with_company_value_and_shows_who_beats_whom(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["balance", "saas-startup", "--games", "5"])
    out = capsys.readouterr().out
    header = next(line for line in out.splitlines() if line.startswith("strategy"))
    assert header.split()[1] == "company_value"
    assert "Share of seeds where the row's company value beats the column's" in out


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["balance", "saas-startup", "--set", "market.pressure=2"],
            1,
            "--set market.pressure=2: market.pressure: must be",
        ),
        (["simulate", "saas-startup", "--set", "market.presure=0.2"], 1, "did you mean 'pressure'?"),
        (["simulate", "saas-startup", "--set", "pressure"], 1, "write a setting as PATH=VALUE"),
        (
            ["simulate", "saas-startup", "--strategy-file", str(BROKEN_STRATEGY)],
            1,
            "no-decide.yaml:3: rules[0]: missing",
        ),
        (["balance", "saas-startup", "--strategy-file", "nowhere.yaml"], 1, "nowhere.yaml: no such file"),
        (
            [
                "balance",
                "saas-startup",
                "--strategy-file",
                str(STRATEGY_FILE),
                "--strategy-file",
                str(STRATEGY_FILE),
            ],
            1,
            "'late-yes' is already the name of the strategy in",
        ),
        (["simulate", "saas-startup", "--strategy", "late-yes"], 2, "unknown strategy 'late-yes'"),
    ],
)
def test_bad_strategy_files_and_settings_are_one_clear_message(
    capsys: pytest.CaptureFixture[str], args: list[str], code: int, message: str
) -> None:
    assert main(args) == code
    out = capsys.readouterr()
    assert message in out.err and "Traceback" not in out.err
    assert out.out == ""  # nothing played
