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
