"""The team's reasons: written while the round is open, seen by teammates, kept with the round's
plan, shown beside what each decision caused, hidden from the projector by the facilitator."""

from __future__ import annotations

from typing import Any

import pytest

from game.errors import CommandRejected
from game.model import Decision
from game.session import HOST, Act, NoticeKind, Phase, apply, decode, encode
from game.session import commands as c
from game.views.debrief import debrief
from game.views.live import host_view, seat_view, team_plan

B, N = Decision.BUILD, Decision.NO
SEATS = "They'll sign 40 seats this quarter"


def started(game, teams: int = 1, people: int = 2):
    g = game(teams=teams)
    seats = [g.join(name) for name in ("Ana", "Ben", "Cy", "Di")[:people]]
    g.host(c.Start())
    return g, seats


def parsed(payload: dict[str, Any], allowed=c.SEAT_COMMANDS) -> c.Command:
    return c.parse_command({"id": "r1", **payload}, allowed)[1]


def test_a_teammate_sees_the_reason_live_and_the_last_one_stands_with_its_author(game) -> None:
    g, (ana, ben) = started(game)
    g.act(ana, c.SetCard(card="acme-sso", decision=B))
    said = g.act(ana, c.SetReason(card="acme-sso", text=SEATS))
    assert [n.kind for n in said.notices] == [NoticeKind.PLAN]  # the team's room gets team:plan
    assert team_plan(g.state, "t1")["reasons"] == {"acme-sso": {"text": SEATS, "by": ana}}
    assert seat_view(g.state, ben, g.now)["team"]["reasons"]["acme-sso"]["text"] == SEATS

    g.act(ben, c.SetReason(card="acme-sso", text="It's one customer's pet feature"))
    assert seat_view(g.state, ana, g.now)["team"]["reasons"] == {
        "acme-sso": {"text": "It's one customer's pet feature", "by": ben}
    }
    assert g.state.teams["t1"].plan["acme-sso"].decision is B  # a reason changes no decision

    g.act(ana, c.SetReason(card="acme-sso", text=""))
    assert seat_view(g.state, ben, g.now)["team"]["reasons"] == {}


def test_saying_the_same_again_changes_nothing(game) -> None:
    g, (ana, _) = started(game)
    g.act(ana, c.SetReason(card="acme-sso", text=SEATS))
    rev = g.state.rev
    again = g.act(ana, c.SetReason(card="acme-sso", text=SEATS))
    assert again.notices == () and g.state.rev == rev
    assert g.act(ana, c.SetReason(card="export", text="")).notices == ()  # clearing nothing


def test_a_reason_may_be_written_while_the_plan_is_locked(game) -> None:
    g, (ana, ben) = started(game)
    g.act(ana, c.Lock())
    g.act(ben, c.SetReason(card="export", text="Nobody uses exports"))
    assert g.state.teams["t1"].reasons["export"].text == "Nobody uses exports"


def test_reasons_are_player_text_checked_at_the_door() -> None:
    ok = parsed({"type": "set_reason", "card": "acme-sso", "text": "  " + "x" * 140 + " "})
    assert isinstance(ok, c.SetReason) and ok.text == "x" * 140  # trimmed, then at most 140
    for text in ("x" * 141, "line one\nline two", "bidi \u202e trick", 42, None):
        with pytest.raises(CommandRejected) as err:
            parsed({"type": "set_reason", "card": "acme-sso", "text": text})
        assert err.value.code == "bad_request", text
    with pytest.raises(CommandRejected) as err:
        parsed({"type": "set_reason", "card": "acme-sso", "text": "hi", "team": "t2"})
    assert err.value.code == "bad_request"  # the team comes from the seat, never the payload
    with pytest.raises(CommandRejected) as err:
        parsed({"type": "set_reason", "card": "acme-sso", "text": "hi"}, c.HOST_COMMANDS)
    assert err.value.code == "forbidden"
    with pytest.raises(CommandRejected) as err:
        parsed({"type": "hide_reason", "team": "t1", "in_round": 0, "card": "acme-sso", "hidden": True})
    assert err.value.code == "forbidden"  # only the facilitator hides a reason


def test_only_cards_on_the_table_and_only_while_the_round_is_open(game) -> None:
    g = game(teams=1)
    ana = g.join("Ana")
    assert g.rejected(ana, c.SetReason(card="acme-sso", text="early")) == "wrong_phase"
    g.host(c.Start())
    assert g.rejected(ana, c.SetReason(card="reports", text="a later card")) == "not_found"
    assert g.rejected(ana, c.SetReason(card="competitor", text="news")) == "not_found"  # an event
    g.host(c.Close())
    assert g.rejected(ana, c.SetReason(card="acme-sso", text="too late")) == "wrong_phase"


def test_the_reveal_shows_each_reason_beside_what_its_decision_caused(game) -> None:
    g, (ana, ben) = started(game)
    g.act(ana, c.SetCard(card="acme-sso", decision=B))
    g.act(ana, c.SetReason(card="acme-sso", text=SEATS))
    g.act(ben, c.SetCard(card="export", decision=N))
    g.act(ben, c.SetReason(card="export", text="Not our users"))
    g.host(c.Close())
    assert seat_view(g.state, ana, g.now)["team"]["outcome"] is None  # nothing before the reveal
    g.host(c.Reveal())
    mine = seat_view(g.state, ben, g.now)["team"]
    assert mine["reasons"] == {}  # the round is over: its reasons went with its plan
    by_card = {r["card"]: r for r in mine["outcome"]["reasons"]}
    sso = by_card["acme-sso"]
    assert (sso["text"], sso["by"], sso["decision"], sso["title"]) == (SEATS, "Ana", "build", "SSO for Acme")
    outcome = g.state.teams["t1"].outcomes[0]
    own = [x for x in (*outcome.causes, *outcome.capacity_parts) if x.card_id == "acme-sso"]
    assert own and [(x["metric"], x["text"]) for x in sso["caused"]] == [(x.metric, x.text) for x in own]
    assert by_card["export"]["by"] == "Ben" and by_card["export"]["decision"] == "no"
    projector = host_view(g.state, g.now)["teams"][0]["outcome"]["reasons"]
    assert [r["text"] for r in projector] == [SEATS, "Not our users"]

    g.host(c.Next())
    assert seat_view(g.state, ana, g.now)["team"]["reasons"] == {}  # a new round starts without any


def test_the_facilitator_hides_a_reason_from_the_projector_only(game) -> None:
    g, (ana, _) = started(game)
    g.act(ana, c.SetReason(card="acme-sso", text="Ben is an idiot"))
    hide = c.HideReason(team="t1", in_round=0, card="acme-sso", hidden=True)
    assert g.rejected(HOST, hide) == "not_found"  # the round is still open: nothing kept yet
    g.host(c.Close())
    g.host(c.Reveal())
    assert [n.kind for n in g.host(hide).notices] == [NoticeKind.HOST]
    shown = host_view(g.state, g.now)["teams"][0]["outcome"]["reasons"][0]
    assert shown["text"] == "" and shown["off_projector"] and shown["by"] == "Ana"
    assert "idiot" not in str(host_view(g.state, g.now))
    assert seat_view(g.state, ana, g.now)["team"]["outcome"]["reasons"][0]["text"] == "Ben is an idiot"
    assert g.host(hide).notices == ()  # already hidden
    for wrong in (
        c.HideReason(team="t9", in_round=0, card="acme-sso"),
        c.HideReason(team="t1", in_round=1, card="acme-sso"),
        c.HideReason(team="t1", in_round=0, card="export"),
    ):
        assert g.rejected(HOST, wrong) == "not_found"

    g.host(c.End())
    assert "idiot" not in str(debrief(g.state))  # the projector's debrief
    assert debrief(g.state, "t1")["teams"][0]["rounds"][0]["reasons"][0]["text"] == "Ben is an idiot"
    g.host(c.HideReason(team="t1", in_round=0, card="acme-sso", hidden=False))
    assert debrief(g.state)["teams"][0]["rounds"][0]["reasons"][0]["text"] == "Ben is an idiot"


def reasoned_build(game, seed: int):
    g = game(teams=1, seed=seed)
    ana = g.join("Ana")
    g.host(c.Start())
    g.act(ana, c.SetCard(card="acme-sso", decision=B))
    g.act(ana, c.SetReason(card="acme-sso", text=SEATS))
    g.host(c.Close())
    g.host(c.End())
    return debrief(g.state)["teams"][0]["rounds"][0]["reasons"][0]


def test_the_debrief_says_when_a_reasoned_build_became_a_liability(game) -> None:
    wrong = reasoned_build(game, seed=5)  # with this seed Acme's requirement turns out wrong
    assert any("wasn't what they needed" in line for line in wrong["lines"])
    assert wrong["liability"]["maintenance"] > 0 and "Acme" in wrong["liability"]["why"]
    assert any(x["metric"] == "capacity" and "liability" in x["text"] for x in wrong["caused"])
    signed = reasoned_build(game, seed=2)  # and with this one Acme signs
    assert signed["liability"] is None
    assert any(x["metric"] == "arr" and x["amount"] > 0 for x in signed["caused"])


def test_replaying_the_command_log_restores_every_reason(game) -> None:
    """The command log is all that survives a kill -9: replayed, it gives the same reasons."""
    g, (ana, ben) = started(game)
    log: list[Act] = []
    for actor, cmd in (
        (ana, c.SetReason(card="acme-sso", text=SEATS)),
        (ben, c.SetReason(card="export", text="Not our users")),
        (HOST, c.Close()),
        (HOST, c.Reveal()),
        (HOST, c.HideReason(team="t1", in_round=0, card="export", hidden=True)),
        (HOST, c.Next()),
        (ana, c.SetReason(card="cleanup", text="Debt is slowing us down")),
    ):
        g.act(actor, cmd)
        log.append(Act(actor, decode(encode(cmd)), f"l{len(log)}", g.now))
    replayed = started(game)[0].state
    for act in log:
        replayed = apply(replayed, act).state
    assert replayed.teams["t1"].past_reasons == g.state.teams["t1"].past_reasons
    assert replayed.teams["t1"].reasons == g.state.teams["t1"].reasons
    assert replayed.teams["t1"].past_reasons[0]["export"].off_projector


def test_an_ended_round_keeps_no_reasons(game) -> None:
    g, (ana, _) = started(game)
    g.act(ana, c.SetReason(card="acme-sso", text=SEATS))
    g.host(c.End())
    assert g.state.phase is Phase.DEBRIEF and g.state.teams["t1"].reasons == {}
    assert g.state.teams["t1"].past_reasons == ()
