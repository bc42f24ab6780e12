"""The command line as a scenario author uses it: clear output, clear errors, honest exit codes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
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


# -- `curb-appeal serve`: a setting it cannot start with is one clear line and a non-zero exit --------

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve_cases(tmp: Path, taken: int) -> dict[str, tuple[list[str], dict[str, str], str]]:
    """name -> (arguments, environment, what the one line must say)."""
    empty = tmp / "no-scenarios"
    empty.mkdir()
    return {
        "port_in_use": (["--port", str(taken)], {}, f"port {taken} on 127.0.0.1 is already in use"),
        "port_out_of_range": (["--port", "99999"], {}, "--port 99999 is out of range"),
        "port_not_a_number": ([], {"CURB_PORT": "abc"}, "CURB_PORT=abc is not a number"),
        "db_in_a_missing_folder": (
            ["--db", str(tmp / "missing" / "curb.db")],
            {},
            f"the folder {tmp / 'missing'} for the database {tmp / 'missing' / 'curb.db'} does not exist",
        ),
        "db_that_cannot_be_opened": (["--db", "/proc/curb.db"], {}, "/proc/curb.db"),
        "db_empty": ([], {"CURB_DB": ""}, "CURB_DB is empty"),
        "redis_unreachable": (
            ["--redis-url", f"redis://127.0.0.1:{_free_port()}/0"],
            {},
            "cannot reach Redis at redis://127.0.0.1:",
        ),
        "redis_without_scheme": ([], {"CURB_REDIS_URL": "localhost:6379"}, "has no scheme: write redis://"),
        "scenarios_missing": (["--scenarios", "/nonexistent"], {}, "the scenarios folder /nonexistent"),
        "scenarios_empty": (["--scenarios", str(empty)], {}, "has no *.yaml files"),
        "unknown_async_mode": ([], {"CURB_ASYNC_MODE": "gevent"}, "choose one of eventlet, threading"),
    }


@pytest.fixture(scope="module")
def serve_refusals(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, str, str, str]]:
    """Every case started at once (each is its own process), with one port held by somebody else."""
    tmp = tmp_path_factory.mktemp("serve")
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen(1)
    taken = holder.getsockname()[1]
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CURB_")}
    procs = {}
    try:
        for name, (args, env, want) in _serve_cases(tmp, taken).items():
            cmd = [sys.executable, "-m", "game", "serve", "--host", "127.0.0.1", *args]
            if "--db" not in args and "CURB_DB" not in env:
                cmd += ["--db", str(tmp / f"{name}.db")]
            proc = subprocess.Popen(
                cmd, cwd=ROOT, env={**clean, **env}, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
            procs[name] = (proc, want)
        results = {}
        for name, (proc, want) in procs.items():
            try:
                out, err = proc.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                out, err = proc.communicate()
            results[name] = (proc.returncode, out, err, want)
        return results
    finally:
        holder.close()


SERVE_CASES = [
    "port_in_use",
    "port_out_of_range",
    "port_not_a_number",
    "db_in_a_missing_folder",
    "db_that_cannot_be_opened",
    "db_empty",
    "redis_unreachable",
    "redis_without_scheme",
    "scenarios_missing",
    "scenarios_empty",
    "unknown_async_mode",
]


@pytest.mark.slow  # eleven server processes start (and refuse) at once
@pytest.mark.parametrize("case", SERVE_CASES)
def test_serve_refuses_a_bad_setting_with_one_clear_line(
    serve_refusals: dict[str, tuple[int, str, str, str]], case: str
) -> None:
    code, out, err, want = serve_refusals[case]
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2, (out, err)
    assert len(lines) == 1 and lines[0].startswith("curb-appeal serve: "), err
    assert want in lines[0], lines[0]
    assert "Traceback" not in out + err
    assert "running" not in out  # nothing says "running" before the port is bound and the store open


@pytest.mark.slow
@pytest.mark.skipif(os.geteuid() == 0, reason="root may write in any folder")
def test_serve_names_a_db_folder_it_cannot_write(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    cmd = [sys.executable, "-m", "game", "serve", "--db", str(locked / "curb.db")]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and f"the folder {locked} is not writable" in done.stderr
    assert "Traceback" not in done.stderr
