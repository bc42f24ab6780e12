"""The debrief: each team's company value and its parts, history with every figure's causes, call-outs,
signals and liabilities, hidden values, reference games; the final results; exports."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict
from typing import Any

from game.model import STRATEGY_NAMES, Company, Decision, RoundOutcome, Scenario
from game.session import BOT, Session, Team
from game.sim import (
    STRATEGY_BLURBS,
    PlayedGame,
    card_index,
    figures_of,
    five_signals,
    snapshot,
    start_company,
)
from game.views.callouts import call_outs
from game.views.games import Games
from game.views.prompts import prompts_for
from game.views.traced import callout_json, causes_json, decisions_json, reasons_of, value_json

JSON = dict[str, Any]


def _prompts(state: Session, played: int, games: Games) -> list[str]:
    """The scenario's prompts that this game bears out (every team counts, even on a phone)."""
    if not played:  # no figures prove anything: only the plain prompts
        return prompts_for(state.scenario, {}, {})
    teams = {t.name: figures_of(games.team(t)) for t in state.teams.values()}
    refs = {n: figures_of(games.reference_cut(n, played)) for n in STRATEGY_NAMES}
    return prompts_for(state.scenario, teams, refs)


def rounds_played(state: Session) -> int:
    return max((len(t.outcomes) for t in state.teams.values()), default=0)


def _liabilities(company: Company) -> list[JSON]:
    return [
        {
            "card": f.card_id,
            "title": f.title,
            "for_whom": f.for_whom,
            "round_built": f.round_built,
            "why": f.liability,
            "maintenance": f.maintenance,
        }
        for f in company.liabilities
    ]


def _history(scenario: Scenario, outcomes: tuple[RoundOutcome, ...]) -> list[JSON]:
    start = outcomes[0].before if outcomes else snapshot(start_company(scenario))
    return [asdict(start), *(asdict(o.after) for o in outcomes)]


def _signals(scenario: Scenario, outcomes: tuple[RoundOutcome, ...]) -> list[JSON]:
    return [asdict(s) for s in five_signals(scenario, outcomes)] if outcomes else []


def _round(
    state: Session,
    outcome: RoundOutcome,
    plan_by: dict[str, str],
    chosen: dict[str, Decision] | None = None,
    reasons: list[JSON] | None = None,
) -> JSON:
    """One round: what was decided (and chosen: a build that did not fit was taken as a deferral),
    the team's reasons beside what their decisions caused, the story, and every figure's causes."""
    cards = card_index(state.scenario)
    decisions = decisions_json(outcome, cards)
    for d in decisions:
        d["by"] = plan_by.get(d["card"], "")
        d["chosen"] = (chosen or {}).get(d["card"], Decision(d["decision"])).value
    return {
        "round": outcome.round_index,
        "title": state.scenario.rounds[outcome.round_index].title,
        "decisions": decisions,
        "reasons": reasons or [],
        "lines": list(outcome.lines),
        "headline": outcome.headline,
        "causes": causes_json(outcome, cards),
        "effort_used": outcome.effort_used,
        "capacity": outcome.capacity,
        "before": asdict(outcome.before),
        "after": asdict(outcome.after),
    }


def year_after_json(state: Session, game: PlayedGame) -> list[JSON]:
    """The four quarters played out after the game, each with its story and causes."""
    cards = card_index(state.scenario)
    return [
        {
            "quarter": i + 1,
            "lines": list(o.lines),
            "causes": causes_json(o, cards),
            "before": asdict(o.before),
            "after": asdict(o.after),
        }
        for i, o in enumerate(game.year_after)
    ]


def _who(state: Session, seat_id: str) -> str:
    if seat_id == BOT:
        return "bot"
    seat = state.seats.get(seat_id)
    return seat.name if seat is not None else ""


def _reasons(state: Session, team: Team, outcome: RoundOutcome, projector: bool) -> list[JSON]:
    """The round's reasons; a card that became a liability says so, with its upkeep every round."""
    owed = {f.card_id: f for f in team.company.liabilities}
    reasons = reasons_of(state, team, outcome, projector=projector)
    for r in reasons:
        f = owed.get(r["card"])
        r["liability"] = {"why": f.liability, "maintenance": f.maintenance} if f is not None else None
    return reasons


def team_debrief(state: Session, team: Team, games: Games, *, projector: bool = False) -> JSON:
    """One team's debrief; ``projector``: reasons the facilitator hid come without their text."""
    rounds = []
    for i, outcome in enumerate(team.outcomes):
        plan = team.plans[i] if i < len(team.plans) else {}
        by = {k: _who(state, ch.by) for k, ch in plan.items()}
        chosen = {k: ch.decision for k, ch in plan.items()}
        rounds.append(_round(state, outcome, by, chosen, _reasons(state, team, outcome, projector)))
    game = games.team(team)
    return {
        "id": team.id,
        "name": team.name,
        "bot": team.bot,
        "members": [state.seats[m].name for m in team.members],
        "value": value_json(game.valuation),
        "history": _history(state.scenario, team.outcomes),
        "rounds": rounds,
        "year_after": year_after_json(state, game),
        "callouts": [
            callout_json(c) for c in call_outs(team.outcomes, card_index(state.scenario), game.year_after)
        ],
        "signals": _signals(state.scenario, team.outcomes),
        "liabilities": _liabilities(team.company),
    }


def reference_debrief(state: Session, name: str, played: int, games: Games) -> JSON:
    """What a reference strategy would have done with the same cards and seed, over the rounds played."""
    game = games.reference(name)
    outcomes = game.outcomes[:played]
    return {
        "strategy": name,
        "blurb": STRATEGY_BLURBS[name],
        "value": value_json(games.reference_cut(name, played).valuation),
        "history": _history(state.scenario, outcomes),
        "rounds": [_round(state, o, {}) for o in outcomes],
        "signals": _signals(state.scenario, outcomes),
        "liabilities": _liabilities(game.companies[played - 1]) if played else [],
    }


def cards_revealed(scenario: Scenario) -> list[JSON]:
    """Every card with its hidden values and every role's hint, for the debrief."""
    return [
        {
            "id": c.id,
            "kind": c.kind.value,
            "title": c.title,
            "asker": c.asker,
            "effort": c.effort,
            "deal_size": c.deal_size,
            "scope": c.scope.value,
            "hidden": asdict(c.hidden),
            "hints": {r.value: text for r, text in c.hints},
        }
        for c in card_index(scenario).values()
    ]


def debrief(state: Session, team_id: str | None = None, games: Games | None = None) -> JSON:
    """The whole debrief (facilitator), or one team's own part plus the references (a phone)."""
    games = Games.of(state) if games is None else games
    played = rounds_played(state)
    teams = [state.teams[team_id]] if team_id else list(state.teams.values())
    sc = state.scenario
    return {
        "view": "debrief",
        "code": state.code,
        "scenario": {
            "id": sc.id,
            "title": sc.title,
            "story": sc.story,
            "target_persona": sc.persona_name(sc.target_persona),
        },
        "seed": state.settings.seed,
        "rounds_played": played,
        "rounds": state.rounds,
        "ended_early": state.ended_early,
        "value_note": value_note(state, played),
        "teams": _ranked([team_debrief(state, t, games, projector=team_id is None) for t in teams]),
        "references": [reference_debrief(state, n, played, games) for n in STRATEGY_NAMES],
        "cards": cards_revealed(sc),
        "prompts": _prompts(state, played, games),
    }


def _ranked(teams: list[JSON]) -> list[JSON]:
    """Each team gets its rank by company value (1 = worth most); the order stays the teams' own."""
    order = sorted(range(len(teams)), key=lambda i: -teams[i]["value"]["total"])
    for rank, i in enumerate(order, 1):
        teams[i]["rank"] = rank
    return teams


def value_note(state: Session, played: int) -> str:
    """How company value was reached, said once: the year after, and from how many rounds."""
    base = "Company value: a year after the game played out (no new cards), priced as an investor would."
    if played < state.rounds:
        return (
            f"{base} The game ended after {played} of {state.rounds} rounds: valued from the rounds played."
        )
    return base


def final_results(state: Session, games: Games | None = None) -> JSON:
    """The projector's final results after the last reveal: teams and strategies ranked by company value."""
    games = Games.of(state) if games is None else games
    played = rounds_played(state)
    teams = [
        {"id": t.id, "name": t.name, "bot": t.bot, "value": value_json(games.team(t).valuation)}
        for t in state.teams.values()
    ]
    refs = [
        {"strategy": n, "value": value_json(games.reference_cut(n, played).valuation)} for n in STRATEGY_NAMES
    ]
    return {
        "rounds_played": played,
        "value_note": value_note(state, played),
        "teams": sorted(teams, key=lambda t: -t["value"]["total"]),
        "references": sorted(refs, key=lambda r: -r["value"]["total"]),
    }


# -- Export ---------------------------------------------------------------------------------------------

VALUE_PARTS = tuple(
    f"value_{k}" for k in ("revenue", "growth", "debt", "liabilities", "unhappy_customers", "cash")
)
"""The company-value parts as CSV columns (the team's, repeated on each of its rows)."""

CSV_COLUMNS = (
    "team_id",
    "team",
    "bot",
    "round",
    "round_title",
    "card",
    "card_title",
    "kind",
    "decision",
    "decided_by",
    "reason",
    "reason_by",
    "reason_hidden",
    "arr",
    "customer_value",
    "tech_debt",
    "capacity",
    "cash",
    "accounts",
    "churned_accounts",
    "effort_used",
    "round_capacity",
    "company_value",
    *VALUE_PARTS,
)


def _cell(value: Any) -> Any:
    """Text people typed could start a spreadsheet formula; defuse it."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export_csv(state: Session, games: Games | None = None) -> str:
    """One row per team x round x card, with the round's figures after it."""
    games = Games.of(state) if games is None else games
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(CSV_COLUMNS)
    for team in state.teams.values():
        data = team_debrief(state, team, games)
        value = data["value"]
        parts = {f"value_{p['key']}": p["amount"] for p in value["parts"]}
        for rnd in data["rounds"]:
            after = rnd["after"]
            why = {r["card"]: r for r in rnd["reasons"]}
            for d in rnd["decisions"]:
                reason = why.get(d["card"], {})
                row = [
                    team.id,
                    team.name,
                    team.bot,
                    rnd["round"] + 1,
                    rnd["title"],
                    d["card"],
                    d["title"],
                    d["kind"],
                    d["decision"],
                    d["by"],
                    reason.get("text", ""),
                    reason.get("by", ""),
                    "yes" if reason.get("off_projector") else "",
                    after["arr"],
                    after["customer_value"],
                    after["tech_debt"],
                    after["capacity"],
                    after["cash"],
                    after["accounts"],
                    after["churned_accounts"],
                    rnd["effort_used"],
                    rnd["capacity"],
                    value["total"],
                    *(parts.get(k, 0.0) for k in VALUE_PARTS),
                ]
                out.writerow([_cell(v) for v in row])
    return buf.getvalue()


def export_json(state: Session, games: Games | None = None) -> JSON:
    """Every decision and outcome of every team (each round with its causes), with the settings needed
    to replay them, and each team's company value with its parts and the year after it rests on."""
    games = Games.of(state) if games is None else games
    teams = []
    for t in state.teams.values():
        data = team_debrief(state, t, games)
        teams.append(
            {
                "id": t.id,
                "name": t.name,
                "bot": t.bot,
                "members": data["members"],
                "company_value": data["value"],
                "callouts": data["callouts"],
                "rounds": data["rounds"],
                "year_after": data["year_after"],
            }
        )
    return {
        "code": state.code,
        "scenario": state.scenario.id,
        "seed": state.settings.seed,
        "rounds_played": rounds_played(state),
        "ended_early": state.ended_early,
        "teams": teams,
    }
