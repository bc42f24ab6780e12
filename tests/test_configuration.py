"""The configuration reference and the deploy files agree with the code: nothing undocumented or stale."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from game.settings import OPTIONS, StartupError, read, reference

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "configuration.md").read_text()
DEPLOY = (ROOT / "docs" / "deploy.md").read_text()


def names_in(folder: str) -> set[str]:
    found: set[str] = set()
    for path in (ROOT / folder).rglob("*.py"):
        # As a string (a variable's name), not a constant that happens to start the same way.
        found |= set(re.findall(r"[\"'](CURB_[A-Z][A-Z_]*[A-Z])[\"'=]", path.read_text()))
    return found


def test_the_reference_table_is_the_one_in_the_code() -> None:
    assert reference() in DOC, "docs/configuration.md is stale: paste `python -m game.settings` into it"


def test_every_variable_the_server_reads_is_a_documented_option() -> None:
    options = {o.env for o in OPTIONS}
    assert {"CURB_PORT", "CURB_DB", "CURB_REDIS_URL"} <= names_in("game")  # the search finds them
    assert names_in("game") <= options, names_in("game") - options
    for o in OPTIONS:
        assert f"`{o.env}`" in DOC and (not o.flag or f"`{o.flag}`" in DOC), o


def test_every_variable_the_tests_and_benchmarks_read_is_documented() -> None:
    used = names_in("tests") | names_in("bench")
    missing = {n for n in used if f"`{n}`" not in DOC}
    assert not missing, missing


def test_the_worker_command_in_the_guide_carries_what_a_worker_behind_nginx_needs() -> None:
    command = DEPLOY[DEPLOY.index("## Several workers behind nginx") :]
    command = command[command.index("```sh") : command.index("```", command.index("```sh") + 5)]
    for needed in ("CURB_REDIS_URL=", "CURB_PUBLIC_URL=", "CURB_TRUSTED_PROXIES=1", "curb-appeal serve"):
        assert needed in command, needed
    env = (ROOT / "deploy" / "curb-appeal.env").read_text()
    assert "CURB_TRUSTED_PROXIES=1" in env and "CURB_PUBLIC_URL=" in env and "CURB_REDIS_URL=" in env
    unit = (ROOT / "deploy" / "curb-appeal@.service").read_text()
    assert "EnvironmentFile=/etc/curb-appeal.env" in unit and "curb-appeal serve" in unit


def test_the_cron_prune_names_its_database() -> None:
    cron = [line for line in DEPLOY.splitlines() if "sessions prune" in line and line.lstrip()[:1].isdigit()]
    assert cron and all("--db " in line or "--redis-url" in line for line in cron), cron


def parsed(**flags: str) -> argparse.Namespace:
    return argparse.Namespace(**{o.name: flags.get(o.name) for o in OPTIONS})


def test_a_flag_beats_its_variable_which_beats_the_default() -> None:
    assert read(parsed(), "serve", {})["port"] == 8000
    assert read(parsed(), "serve", {"CURB_PORT": "8123"})["port"] == 8123
    assert read(parsed(port="8124"), "serve", {"CURB_PORT": "8123"})["port"] == 8124
    assert read(parsed(), "serve", {"CURB_NO_SCENARIO_UPLOADS": "1"})["no_scenario_uploads"] is True
    assert read(parsed(), "serve", {"CURB_ROOT_PATH": "curb/"})["root_path"] == "/curb"


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"CURB_HEARTBEAT_SECONDS": "0"}, "CURB_HEARTBEAT_SECONDS=0 is out of range"),
        ({"CURB_TRUSTED_PROXIES": "one"}, "CURB_TRUSTED_PROXIES=one is not a number"),
        ({"CURB_ACCESS_LOG": "maybe"}, "CURB_ACCESS_LOG=maybe: say 1 or 0"),
        ({"CURB_LOG_FORMAT": "xml"}, "choose one of plain, json"),
        ({"CURB_ROOT_PATH": "/../etc"}, "is not a path prefix"),
        ({"CURB_REDIS_URL": "http://x:6379"}, "the scheme http:// is not Redis"),
    ],
)
def test_a_bad_variable_is_refused_by_name(env: dict[str, str], says: str) -> None:
    with pytest.raises(StartupError) as refused:
        read(parsed(), "serve", env)
    assert says in str(refused.value)
