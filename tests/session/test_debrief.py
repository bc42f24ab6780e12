"""The debrief data and the exports."""

from __future__ import annotations

import csv
import io

from game import commands as c
from game.debrief import debrief, export_csv, export_json
from game.model import STRATEGY_NAMES, Decision
from game.playthrough import play
from game.signals import five_signals


def finished(game):
    g = game(teams=2, seed=5)
    ann = g.join("Ann")
    g.join("=HYPERLINK(evil)")
    g.act(ann, c.RenameMyTeam(name="@Rockets"))
    g.host(c.Start())
    for r in range(3):
        if r == 0:
            g.act(ann, c.SetCard(card="acme-sso", decision=Decision.BUILD))
        for step in (c.Close(), c.Reveal(), c.Next()):
            g.host(step)
    return g, ann


def test_the_facilitator_debrief_has_everything(game, scenario) -> None:
    g, _ = finished(game)
    data = debrief(g.state)
    assert data["rounds_played"] == 3 and data["seed"] == 5
    team = data["teams"][0]
    assert len(team["history"]) == 4  # the starting figures and one per round
    assert team["history"][0]["arr"] == 100.0
    assert team["rounds"][0]["decisions"][0] == {
        "card": "acme-sso",
        "title": "SSO for Acme",
        "kind": "deal",
        "decision": "build",
        "by": "Ann",
    }
    assert [s["key"] for s in team["signals"]] == [
        s.key for s in five_signals(scenario, g.state.teams["t1"].outcomes)
    ]
    assert {lia["card"] for lia in team["liabilities"]} <= {"acme-sso"}
    refs = {ref["strategy"]: ref for ref in data["references"]}
    assert list(refs) == list(STRATEGY_NAMES)
    game_ref = play(scenario, "balanced", 5)
    assert refs["balanced"]["history"][-1]["arr"] == game_ref.outcomes[-1].after.arr
    cards = {card["id"]: card for card in data["cards"]}
    assert cards["acme-sso"]["hidden"]["requirement_accuracy"] == 0.6
    assert data["prompts"] == list(scenario.debrief_prompts)


def test_a_phone_gets_only_its_own_team_and_the_references(game) -> None:
    g, _ = finished(game)
    data = debrief(g.state, "t2")
    assert [t["id"] for t in data["teams"]] == ["t2"]
    assert len(data["references"]) == len(STRATEGY_NAMES)


def test_csv_has_a_row_per_team_round_and_card_and_defuses_formulas(game) -> None:
    g, _ = finished(game)
    rows = list(csv.DictReader(io.StringIO(export_csv(g.state))))
    expected = sum(len(o.decisions) for t in g.state.teams.values() for o in t.outcomes)
    assert len(rows) == expected
    assert rows[0]["team"] == "'@Rockets" and rows[0]["decided_by"] == "Ann"
    assert any(r["decided_by"] == "" for r in rows)
    assert {r["round"] for r in rows} == {"1", "2", "3"}


def test_json_export_holds_every_decision(game) -> None:
    g, _ = finished(game)
    data = export_json(g.state)
    assert data["seed"] == 5 and len(data["teams"]) == 2
    assert data["teams"][1]["members"] == ["=HYPERLINK(evil)"]
    assert all(len(t["rounds"]) == 3 for t in data["teams"])
