"""A facilitator's own scenario file: checked with its lines before use, then played like any other."""

from __future__ import annotations

import re
from pathlib import Path

from game.inbound.uploads import MAX_UPLOAD_BYTES
from game.scenario.catalogue import check_file, scenario_dir
from game.web.limits import Limits
from tests.server.conftest import Server

OWN = (scenario_dir() / "saas-startup.yaml").read_text()


def test_a_good_file_is_summarised_and_a_session_plays_it(scenario) -> None:
    server = Server(scenario)
    host = server.client()
    checked = host.emit("scenario:check", {"scenario_yaml": OWN, "scenario_file": "Our Q3 game.yaml"})
    assert checked["ok"], checked
    assert checked["scenario"]["title"].startswith("Ledgerly") and checked["scenario"]["rounds"] == 7
    assert checked["scenario"]["id"] == "our-q3-game"
    made = host.emit("host:create", {"scenario_yaml": OWN, "scenario_file": "Our Q3 game.yaml", "teams": 1})
    assert made["ok"], made
    assert made["view"]["scenario"]["title"].startswith("Ledgerly")
    ann, _ = server.player(made["code"], "Ann")
    host.command("start")
    assert ann.emit("sync")["view"]["cards"], "the uploaded scenario's cards reach the phones"


def test_a_broken_file_comes_back_with_every_problem_and_its_line(tmp_path: Path, scenario) -> None:
    broken = OWN.replace("effort: 4", "effort: four", 1).replace("deal_size: 90", "deal_size: -90", 1)
    (tmp_path / "ours.yaml").write_text(broken)
    expected = [(p.line, p.message) for p in check_file(tmp_path / "ours.yaml")]
    server = Server(scenario)
    host = server.client()
    for event in ("scenario:check", "host:create"):
        refused = host.emit(event, {"scenario_yaml": broken, "scenario_file": "ours.yaml"})
        assert refused["ok"] is False and refused["error"]["code"] == "bad_scenario"
        assert (
            refused["error"]["message"]
            == f"ours.yaml has {len(expected)} problems; fix them and choose the file again"
        )
        assert [(p["line"], p["message"]) for p in refused["error"]["problems"]] == expected
        assert len(expected) == 2  # the same lines and words as `curb-appeal check`
    assert server.hub.store.codes() == []  # nothing was created


def test_garbage_and_oversized_files_are_refused_plainly(scenario) -> None:
    server = Server(scenario)
    host = server.client()
    cases = [
        ({"scenario_yaml": "x" * (MAX_UPLOAD_BYTES + 1)}, "bad_request", "too big"),
        ({"scenario_yaml": 42}, "bad_request", "must be the file's text"),
        ({"scenario_yaml": "a: &a [*a, *a]\n"}, "bad_scenario", "problem"),
        ({"scenario_yaml": "title: [unclosed\n"}, "bad_scenario", "problem"),
        ({"scenario_yaml": "", "extra": 1}, "bad_request", "extra"),
        ({}, "bad_request", "scenario_yaml"),
    ]
    for payload, code, words in cases:
        refused = host.emit("scenario:check", payload)
        assert refused["error"]["code"] == code, (payload, refused)
        assert words in refused["error"]["message"], refused
    assert server.hub.store.codes() == []


def test_a_server_can_offer_only_its_own_scenarios(scenario) -> None:
    server = Server(scenario, scenario_uploads=False)
    host = server.client()
    assert host.emit("scenario:check", {"scenario_yaml": OWN})["error"]["code"] == "forbidden"
    assert host.emit("host:create", {"scenario_yaml": OWN})["error"]["code"] == "forbidden"
    assert server.app.test_client().get("/api/scenarios").get_json()["uploads"] is False


def test_checking_files_is_rate_limited_per_address(scenario) -> None:
    server = Server(scenario)
    host = server.client()
    for _ in range(Limits().scenario_checks.burst):
        assert host.emit("scenario:check", {"scenario_yaml": OWN})["ok"]
    limited = host.emit("scenario:check", {"scenario_yaml": OWN})
    assert limited["error"]["code"] == "rate_limited"
    assert re.search(r"Wait \d+ seconds", limited["error"]["message"])


def test_a_session_from_an_uploaded_file_survives_a_restart(tmp_path: Path, scenario) -> None:
    db = str(tmp_path / "curb.db")
    first = Server(scenario, db=db)
    made = first.client().emit(
        "host:create", {"scenario_yaml": OWN, "scenario_file": "ours.yaml", "teams": 1}
    )
    _ann, joined = first.player(made["code"], "Ann")
    again = Server(scenario, db=db)
    back = again.client().emit("player:resume", {"token": joined["token"]})
    assert back["ok"] and back["view"]["scenario"]["title"].startswith("Ledgerly")


def test_a_facilitator_can_read_the_guide_and_download_an_example_to_start_from() -> None:
    from game.web import WebConfig, create_app

    app, _ = create_app(WebConfig(ticker=False))
    web = app.test_client()
    example = web.get("/scenarios/saas-startup.yaml")
    assert example.status_code == 200 and example.data.decode() == OWN
    assert "attachment" in example.headers["Content-Disposition"]
    for wrong in ("/scenarios/nope.yaml", "/scenarios/..%2Fpyproject.yaml", "/scenarios/schema.yaml"):
        assert web.get(wrong).status_code == 404, wrong
    guide = web.get("/guide/scenarios")
    assert guide.status_code == 200 and guide.mimetype == "text/plain"
    assert guide.data.decode().startswith("# Writing scenarios")
