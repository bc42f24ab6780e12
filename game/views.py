"""The only producer of JSON for clients: the facilitator's view, a seat's view and compact deltas.

Secrecy lives here: a card's hidden values never appear, a phone sees only its own team's plan,
and figures of a resolved round stay hidden until the facilitator reveals it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from game.engine import snapshot
from game.model import Card, CardKind, Decision, Role, RoundOutcome, Scenario
from game.rules import capacity_of
from game.session import Phase, Session, Team, roles_for
from game.table import card_index, cards_on_table

JSON = dict[str, Any]


class Shared(dict[str, Any]):
    """A part many phones' views hold (a team's state): the web layer encodes it once per fan-out."""


class SharedList(list[Any]):
    """A list many phones' views hold (a role's cards): encoded once per fan-out."""


def timer_json(state: Session, now_ms: int) -> JSON:
    """The clock, with the server's now so a client can count down without trusting its own clock."""
    t = state.timer
    status = (
        "running" if t.ends_at_ms is not None else "paused" if t.paused_remaining_ms is not None else "off"
    )
    return {
        "status": status,
        "ends_at_ms": t.ends_at_ms,
        "remaining_ms": t.remaining_ms(now_ms),
        "server_now_ms": now_ms,
        "round_seconds": state.settings.round_seconds,
    }


def round_json(state: Session) -> JSON:
    r = state.round_index
    rnd = state.scenario.rounds[r] if 0 <= r < state.rounds else None
    return {
        "index": r,
        "number": r + 1,
        "count": state.rounds,
        "title": rnd.title if rnd else "",
        "story": rnd.story if rnd else "",
    }


def card_json(
    card: Card, roles: tuple[Role, ...] = (), *, waiting: bool = False, rounds_left: int | None = None
) -> JSON:
    """A card as a team sees it: visible fields only, plus the hints of the given roles.

    ``rounds_left`` counts this round: 1 means it is now or never.
    """
    if card.kind is CardKind.EVENT:
        return {"id": card.id, "kind": card.kind.value, "title": card.title, "text": card.text}
    out: JSON = {
        "id": card.id,
        "kind": card.kind.value,
        "title": card.title,
        "asker": card.asker,
        "contact": card.contact,
        "text": card.text,
        "effort": card.effort,
        "deal_size": card.deal_size,
        "deadline": card.deadline,
        "scope": card.scope.value,
        "waiting": waiting,  # from the team's backlog or a returning prospect
        "rounds_left": card.deadline if rounds_left is None else rounds_left,
    }
    hints = {r.value: card.hint_for(r) for r in roles if card.hint_for(r)}
    if hints:
        out["hints"] = hints
    return out


def table_of(state: Session, team: Team) -> tuple[Card, ...]:
    """The cards on this team's table for the current round (events first)."""
    r = state.round_index
    if state.phase is Phase.ROUND_OPEN:
        return cards_on_table(state.scenario, team.company, r)
    if state.phase in (Phase.ROUND_CLOSED, Phase.REVEALED) and len(team.outcomes) > r:
        index = card_index(state.scenario)
        events = tuple(c for c in state.scenario.rounds[r].cards if c.kind is CardKind.EVENT)
        return events + tuple(index[cid] for cid, _ in team.outcomes[r].decisions)
    return ()


def revealed_outcomes(state: Session, team: Team) -> tuple[RoundOutcome, ...]:
    """The outcomes this team may see: a resolved round stays hidden until it is revealed."""
    if state.phase in (Phase.REVEALED, Phase.DEBRIEF):
        return team.outcomes
    return team.outcomes[: max(0, state.round_index)]


def figures(state: Session, team: Team) -> JSON:
    """The company's headline figures as the team may know them now."""
    shown = revealed_outcomes(state, team)
    if len(team.outcomes) > len(shown):
        return asdict(team.outcomes[len(shown)].before)
    return asdict(snapshot(team.company))


def capacity_json(state: Session, team: Team) -> JSON:
    cards = {c.id: c for c in table_of(state, team)}
    used = sum(cards[k].effort for k, ch in team.plan.items() if ch.decision is Decision.BUILD and k in cards)
    if state.phase is Phase.ROUND_OPEN:
        available = capacity_of(team.company)
    elif state.phase in (Phase.ROUND_CLOSED, Phase.REVEALED) and len(team.outcomes) > state.round_index:
        available = team.outcomes[state.round_index].capacity
    else:
        available = capacity_of(team.company)
    return {"used": used, "available": available}


def outcome_json(outcome: RoundOutcome) -> JSON:
    return {
        "round": outcome.round_index,
        "before": asdict(outcome.before),
        "after": asdict(outcome.after),
        "lines": list(outcome.lines),
        "effort_used": outcome.effort_used,
        "capacity": outcome.capacity,
    }


def members_json(state: Session, team: Team) -> list[JSON]:
    n = len(team.members)  # members are active seats in join order: roles follow the position
    return [
        {
            "id": sid,
            "name": state.seats[sid].name,
            "roles": [r.value for r in roles_for(i, n)],
            "connected": state.seats[sid].connected,
        }
        for i, sid in enumerate(team.members)
    ]


def plan_json(team: Team) -> JSON:
    return {k: {"decision": ch.decision.value, "by": ch.by} for k, ch in team.plan.items()}


def team_plan(state: Session, team_id: str) -> JSON:
    """The compact delta a team's room gets after a plan edit, lock or unlock."""
    team = state.teams[team_id]
    return {
        "rev": state.rev,
        "team": team.id,
        "round": state.round_index,
        "plan": plan_json(team),
        "locked": team.locked,
        "locked_by": team.locked_by,
        "capacity": capacity_json(state, team),
    }


def team_members(state: Session, team_id: str) -> JSON:
    """The compact delta a team's room gets when a teammate connects or goes away."""
    team = state.teams[team_id]
    return {"rev": state.rev, "team": team.id, "members": members_json(state, team)}


def seat_view(state: Session, seat_id: str, now_ms: int) -> JSON:
    """Everything one phone shows: its team, its plan, its cards with its roles' hints only."""
    return seat_views(state, (seat_id,), now_ms)[seat_id]


def team_json(state: Session, team: Team) -> JSON:
    """The part of a seat view every member of a team shares."""
    shown = revealed_outcomes(state, team)
    return {
        "id": team.id,
        "name": team.name,
        "members": members_json(state, team),
        "plan": plan_json(team),
        "locked": team.locked,
        "locked_by": team.locked_by,
        "capacity": capacity_json(state, team),
        "figures": figures(state, team),
        "outcome": outcome_json(shown[-1]) if shown else None,
    }


def seat_views(state: Session, seat_ids: Iterable[str], now_ms: int) -> dict[str, JSON]:
    """Several phones' views at once: what a team (or a role in it) shares is built once, not per phone.

    A phase change sends every phone its view; building each from scratch made the reveal cost
    grow with the room times the team. The parts are shared, read-only, by the views returned.
    """
    base: JSON = {"view": "seat", "code": state.code, "rev": state.rev, "phase": state.phase.value}
    common: JSON = {}
    teams: dict[str, JSON] = {}
    cards: dict[tuple[str, tuple[Role, ...]], list[JSON]] = {}
    card_parts: dict[tuple[str, tuple[Role, ...], bool, int], Shared] = {}

    def same_card(card: Card, roles: tuple[Role, ...], waiting: bool, rounds_left: int) -> Shared:
        """Teams mostly hold the same cards: one object per card as a role sees it, for every team."""
        k = (card.id, roles, waiting, rounds_left)
        if k not in card_parts:
            card_parts[k] = Shared(card_json(card, roles, waiting=waiting, rounds_left=rounds_left))
        return card_parts[k]

    own = {c.id for c in state.scenario.rounds[state.round_index].cards} if state.round_index >= 0 else set()
    out: dict[str, JSON] = {}
    for seat_id in seat_ids:
        seat = state.seats[seat_id]
        if seat.removed:
            out[seat_id] = {**base, "removed": True}
            continue
        if not common:
            common = {
                "scenario": Shared({"title": state.scenario.title}),
                "round": Shared(round_json(state)),
                "timer": Shared(timer_json(state, now_ms)),
            }
            lobby = state.phase is Phase.LOBBY
            common["teams"] = SharedList(
                [{"id": t.id, "name": t.name, "size": len(t.members)} for t in state.human_teams()]
                if lobby
                else []
            )
        team = state.teams[seat.team]
        if team.id not in teams:
            teams[team.id] = Shared(team_json(state, team))
        roles = roles_for(team.members.index(seat_id), len(team.members))
        key = (team.id, roles)  # the cards differ only by the hints of the seat's roles
        if key not in cards:
            waited = (  # during a round the company is still the one the table was dealt from
                {p.card_id: p.rounds_waited + 1 for p in team.company.backlog}
                if state.phase is Phase.ROUND_OPEN
                else {}
            )
            cards[key] = SharedList(
                same_card(c, roles, c.id not in own, c.deadline - waited.get(c.id, 0))
                for c in table_of(state, team)
            )
        out[seat_id] = {
            **base,
            "scenario": common["scenario"],
            "round": common["round"],
            "timer": common["timer"],
            "you": {"id": seat.id, "name": seat.name, "team": team.id, "roles": [r.value for r in roles]},
            "team": teams[team.id],
            "cards": cards[key],
            "teams": common["teams"],
        }
    return out


def scenario_summary(scenario: Scenario, name: str = "") -> JSON:
    """A scenario as the start page lists it: what it is about, never its cards."""
    return {
        "name": name or scenario.id,
        "id": scenario.id,
        "title": scenario.title,
        "story": scenario.story,
        "rounds": len(scenario.rounds),
    }


def team_summary(state: Session, team: Team) -> JSON:
    """One team as the facilitator's screen shows it: presence, lock, progress, figures; never the plan."""
    shown = revealed_outcomes(state, team)
    table = table_of(state, team)
    return {
        "id": team.id,
        "name": team.name,
        "bot": team.bot,
        "members": members_json(state, team),
        "locked": team.locked,
        "decided": len(team.plan),
        "cards": sum(1 for c in table if c.kind is not CardKind.EVENT),
        "capacity": capacity_json(state, team),
        "figures": figures(state, team),
        **_revealed(state, shown),
    }


def _revealed(state: Session, shown: tuple[RoundOutcome, ...]) -> JSON:
    """While a round is revealed: its story, its headline and the figures before and after."""
    if not shown or state.phase is not Phase.REVEALED:
        return {"lines": []}
    last = shown[-1]
    return {
        "lines": list(last.lines),
        "headline": last.headline,
        "outcome": {"before": asdict(last.before), "after": asdict(last.after)},
    }


def host_view(state: Session, now_ms: int) -> JSON:
    """The facilitator's screen: settings, the round, every team's summary and the room's counts."""
    seats = [s for s in state.seats.values() if not s.removed]
    r = state.round_index
    cards = state.scenario.rounds[r].cards if 0 <= r < state.rounds else ()
    return {
        "view": "host",
        "code": state.code,
        "rev": state.rev,
        "phase": state.phase.value,
        "scenario": {"id": state.scenario.id, "title": state.scenario.title, "story": state.scenario.story},
        "settings": {
            "teams": state.settings.teams,
            "round_seconds": state.settings.round_seconds,
            "seed": state.settings.seed,
        },
        "joining_open": state.joining_open,
        "round": round_json(state),
        "timer": timer_json(state, now_ms),
        "cards": [card_json(c) for c in cards],
        "teams": [team_summary(state, t) for t in state.teams.values()],
        "counts": {
            "seats": len(seats),
            "connected": sum(1 for s in seats if s.connected),
            "teams": len(state.teams),
            "locked": sum(1 for t in state.teams.values() if t.locked),
        },
        "ended_early": state.ended_early,
    }


def host_team(state: Session, team_id: str) -> JSON:
    """The compact delta the facilitator gets when one team changes."""
    return {"rev": state.rev, "team": team_summary(state, state.teams[team_id])}
