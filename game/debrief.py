"""The debrief: each team's history, signals and liabilities, hidden values, reference games; exports."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict
from functools import lru_cache
from typing import Any

from game.engine import snapshot, start_company
from game.model import STRATEGY_NAMES, Company, RoundOutcome, Scenario
from game.playthrough import PlayedGame, play
from game.session import BOT, Session, Team
from game.signals import five_signals
from game.strategies import STRATEGY_BLURBS
from game.table import card_index

JSON = dict[str, Any]


@lru_cache(maxsize=64)
def _reference(scenario: Scenario, name: str, seed: int) -> PlayedGame:
    return play(scenario, name, seed)


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


def _round(state: Session, outcome: RoundOutcome, plan_by: dict[str, str]) -> JSON:
    titles = card_index(state.scenario)
    return {
        "round": outcome.round_index,
        "title": state.scenario.rounds[outcome.round_index].title,
        "decisions": [
            {
                "card": cid,
                "title": titles[cid].title,
                "kind": titles[cid].kind.value,
                "decision": d.value,
                "by": plan_by.get(cid, ""),
            }
            for cid, d in outcome.decisions
        ],
        "lines": list(outcome.lines),
        "causes": [asdict(c) for c in outcome.causes],
        "effort_used": outcome.effort_used,
        "capacity": outcome.capacity,
        "before": asdict(outcome.before),
        "after": asdict(outcome.after),
    }


def _who(state: Session, seat_id: str) -> str:
    if seat_id == BOT:
        return "bot"
    seat = state.seats.get(seat_id)
    return seat.name if seat is not None else ""


def team_debrief(state: Session, team: Team) -> JSON:
    rounds = []
    for i, outcome in enumerate(team.outcomes):
        plan = team.plans[i] if i < len(team.plans) else {}
        rounds.append(_round(state, outcome, {k: _who(state, ch.by) for k, ch in plan.items()}))
    return {
        "id": team.id,
        "name": team.name,
        "bot": team.bot,
        "members": [state.seats[m].name for m in team.members],
        "history": _history(state.scenario, team.outcomes),
        "rounds": rounds,
        "signals": _signals(state.scenario, team.outcomes),
        "liabilities": _liabilities(team.company),
    }


def reference_debrief(state: Session, name: str, played: int) -> JSON:
    """What a reference strategy would have done with the same cards and seed, over the rounds played."""
    game = _reference(state.scenario, name, state.settings.seed)
    outcomes = game.outcomes[:played]
    return {
        "strategy": name,
        "blurb": STRATEGY_BLURBS[name],
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


def debrief(state: Session, team_id: str | None = None) -> JSON:
    """The whole debrief (facilitator), or one team's own part plus the references (a phone)."""
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
        "ended_early": state.ended_early,
        "teams": [team_debrief(state, t) for t in teams],
        "references": [reference_debrief(state, n, played) for n in STRATEGY_NAMES],
        "cards": cards_revealed(sc),
        "prompts": list(sc.debrief_prompts),
    }


# -- Export ---------------------------------------------------------------------------------------------

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
    "arr",
    "customer_value",
    "tech_debt",
    "capacity",
    "cash",
    "accounts",
    "churned_accounts",
    "effort_used",
    "round_capacity",
)


def _cell(value: Any) -> Any:
    """Text people typed could start a spreadsheet formula; defuse it."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export_csv(state: Session) -> str:
    """One row per team x round x card, with the round's figures after it."""
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(CSV_COLUMNS)
    for team in state.teams.values():
        data = team_debrief(state, team)
        for rnd in data["rounds"]:
            after = rnd["after"]
            for d in rnd["decisions"]:
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
                    after["arr"],
                    after["customer_value"],
                    after["tech_debt"],
                    after["capacity"],
                    after["cash"],
                    after["accounts"],
                    after["churned_accounts"],
                    rnd["effort_used"],
                    rnd["capacity"],
                ]
                out.writerow([_cell(v) for v in row])
    return buf.getvalue()


def export_json(state: Session) -> JSON:
    """Every decision and outcome of every team, with the settings needed to replay them."""
    return {
        "code": state.code,
        "scenario": state.scenario.id,
        "seed": state.settings.seed,
        "rounds_played": rounds_played(state),
        "teams": [
            {
                "id": t.id,
                "name": t.name,
                "bot": t.bot,
                "members": [state.seats[m].name for m in t.members],
                "rounds": team_debrief(state, t)["rounds"],
            }
            for t in state.teams.values()
        ],
    }
