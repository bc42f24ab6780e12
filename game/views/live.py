"""The only producer of JSON for clients: the facilitator's view, a seat's view and compact deltas.

Secrecy lives here: a card's hidden values never appear, a phone sees only its own team's plan,
and figures of a resolved round stay hidden until the facilitator reveals it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from typing import Any

from game.model import Card, CardKind, Role, RoundOutcome, Scenario, Snapshot
from game.session import Phase, Session, Team, build_order, roles_for, room_of
from game.sim import capacity_of, card_index, cards_on_table, snapshot
from game.views.debrief import final_results
from game.views.games import Games
from game.views.traced import causes_json, decisions_json, reasons_of

JSON = dict[str, Any]


class Shared(dict[str, Any]):
    """A part many phones' views hold (a team's state): the web layer encodes it once per fan-out."""


class SharedList(list[Any]):
    """A list many phones' views hold (a role's cards): encoded once per fan-out."""


class SeatView(dict[str, Any]):
    """One phone's view: a plain dict to every reader, made of ``head`` (all of it but ``you``,
    the same object for every seat holding the same roles in a team) and the seat's own ``you``,
    so a fan-out writes each head's JSON once and a few dozen bytes more per phone."""

    head: Shared


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
        # every team has locked: the round closes then unless a team unlocks or the facilitator keeps it open
        "closing_at_ms": state.closing_at_ms,
        "kept_open": state.kept_open,
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


_SNAPSHOT_FIELDS = tuple(f.name for f in fields(Snapshot))


def snapshot_json(s: Snapshot) -> JSON:
    """A snapshot's figures (``asdict`` deep-copies each one: a tenth of a big room's phase change)."""
    return {name: getattr(s, name) for name in _SNAPSHOT_FIELDS}


def figures(state: Session, team: Team) -> JSON:
    """The company's headline figures as the team may know them now."""
    shown = revealed_outcomes(state, team)
    if len(team.outcomes) > len(shown):
        return snapshot_json(team.outcomes[len(shown)].before)
    return snapshot_json(snapshot(team.company))


def capacity_json(state: Session, team: Team, *, plan_detail: bool = True) -> JSON:
    """What fits this round (capacity, the rush allowance past it, the limit) and what the plan builds.

    With ``plan_detail`` (the team's own view) also the build order and, for each card not being
    built, how far past the limit a Build would take the plan (``no_room``), so a phone can show a
    card that does not fit before anyone taps; the facilitator's summary leaves both out: they tell
    the plan.
    """
    if plan_detail:
        cards = {c.id: c for c in table_of(state, team) if c.kind is not CardKind.EVENT}
    else:  # only what the plan builds, and every card in a plan is on the table: no table needed
        index = card_index(state.scenario)
        cards = {k: index[k] for k in team.plan}
    if state.phase in (Phase.ROUND_CLOSED, Phase.REVEALED) and len(team.outcomes) > state.round_index:
        available = team.outcomes[state.round_index].capacity
    else:
        available = capacity_of(team.company)
    room = room_of(available, team.plan, {k: c.effort for k, c in cards.items()})
    out: JSON = {
        "used": room.planned,  # the name older clients read
        "planned": room.planned,
        "available": available,
        "rush_limit": room.rush,
        "limit": room.limit,
        "rushed": max(0, min(room.planned, room.limit) - available),
        "left": room.left,
        "over": room.over,
    }
    if plan_detail:
        out["order"] = build_order(team.plan)
        if state.phase is Phase.ROUND_OPEN:
            building = set(out["order"])
            out["no_room"] = {
                k: over for k, c in cards.items() if k not in building and (over := room.over_with(c.effort))
            }
    return out


def live_reasons(team: Team) -> JSON:
    """This round's reasons as the team writes them: card -> the text and who wrote it (a seat id)."""
    return {k: {"text": why.text, "by": why.by} for k, why in team.reasons.items()}


def outcome_json(outcome: RoundOutcome, scenario: Scenario, *, traced: bool = True) -> JSON:
    """A revealed round: figures before and after, the story and (``traced``) each figure's causes.

    Only the result screen shows the causes; a view sent while the next round is open leaves them
    out (they are most of the outcome's size)."""
    out: JSON = {
        "round": outcome.round_index,
        "before": snapshot_json(outcome.before),
        "after": snapshot_json(outcome.after),
        "lines": list(outcome.lines),
        "effort_used": outcome.effort_used,
        "capacity": outcome.capacity,
    }
    if traced:
        cards = card_index(scenario)
        out["causes"] = causes_json(outcome, cards)
        out["decisions"] = decisions_json(outcome, cards)
    return out


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
        "reasons": live_reasons(team),
        "locked": team.locked,
        "locked_by": team.locked_by,
        "capacity": capacity_json(state, team),
    }


LISTED_TEAMS = 12  # a phone lists the other teams to move to in a room of at most this many


def lobby_teams(state: Session) -> JSON:
    """The lobby's teams and how many people each has: every phone's "Move to" list, kept current.

    Only a room of up to ``LISTED_TEAMS`` teams is listed (``listed``): a hall of 250 teams is no
    list to choose from on a phone (the facilitator moves people there), and sending every phone
    every team on every join made a filling hall cost the square of its size in bytes.
    """
    teams = state.human_teams()
    listed = len(teams) <= LISTED_TEAMS
    return {
        "rev": state.rev,
        "listed": listed,
        "teams": [{"id": t.id, "name": t.name, "size": len(t.members)} for t in teams] if listed else [],
    }


def lobby_heard(state: Session) -> bool:
    """Whether phones must hear a lobby change: while the room is listed, and once when it stops being."""
    return len(state.human_teams()) <= LISTED_TEAMS + 1


def team_members(state: Session, team_id: str) -> JSON:
    """The compact delta a team's room gets when a teammate connects or goes away."""
    team = state.teams[team_id]
    return {"rev": state.rev, "team": team.id, "members": members_json(state, team)}


def seat_view(state: Session, seat_id: str, now_ms: int) -> JSON:
    """Everything one phone shows: its team, its plan, its cards with its roles' hints only."""
    return seat_views(state, (seat_id,), now_ms)[seat_id]


def team_json(state: Session, team: Team, *, traced: bool = True) -> JSON:
    """The part of a seat view every member of a team shares.

    ``traced``: a revealed round carries each figure's causes. The reveal's broadcast to a team's
    room leaves them out (they would double a big room's reveal); a phone asks for its own view
    (``sync``) when someone taps a figure."""
    shown = revealed_outcomes(state, team)
    outcome = None
    if shown:
        outcome = outcome_json(shown[-1], state.scenario, traced=traced and state.phase is Phase.REVEALED)
        outcome["reasons"] = reasons_of(state, team, shown[-1])  # a few lines: always sent
    return {
        "id": team.id,
        "name": team.name,
        "members": members_json(state, team),
        "plan": plan_json(team),
        "reasons": live_reasons(team),
        "locked": team.locked,
        "locked_by": team.locked_by,
        "capacity": capacity_json(state, team),
        "figures": figures(state, team),
        "outcome": outcome,
    }


HINTS_SHOWN = frozenset({Phase.ROUND_OPEN})  # role hints matter while a team decides, not after
# After the round closes a phase change looks the same to every member of a team (no hints, and
# the members cannot change with it): one view per team room, see ``team_views``.
TEAM_ROOM_PHASES = frozenset({Phase.ROUND_CLOSED, Phase.REVEALED, Phase.DEBRIEF})


class _Heads:
    """Builds the parts of seat views that a team (or a role in it) shares, each once per fan-out.

    A phase change sends every phone its view; building each from scratch made the reveal cost
    grow with the room times the team. A head is a whole view but for ``you``: the same object
    for every seat that holds the same roles in a team (every seat of a team once hints are gone).
    """

    def __init__(self, state: Session, now_ms: int, *, traced: bool = True) -> None:
        self.state = state
        self.traced = traced
        lobby = state.phase is Phase.LOBBY
        listing: JSON = lobby_teams(state) if lobby else {"teams": [], "listed": False}
        self.common: JSON = {
            "view": "seat",
            "code": state.code,
            "rev": state.rev,
            "phase": state.phase.value,
            "scenario": Shared({"title": state.scenario.title}),
            "round": Shared(round_json(state)),
            "timer": Shared(timer_json(state, now_ms)),
            "teams": SharedList(listing["teams"]),  # [] in a room too big to list (teams_listed)
            "teams_listed": listing["listed"],
            "next_game": state.next_code,  # a phone that sees it asks for its seat in that game
        }
        r = state.round_index
        self.own = {c.id for c in state.scenario.rounds[r].cards} if r >= 0 else set()
        self.teams: dict[str, Shared] = {}
        self.heads: dict[tuple[str, tuple[Role, ...]], Shared] = {}
        self.card_parts: dict[tuple[str, tuple[Role, ...], bool, int], Shared] = {}

    def _card(self, card: Card, roles: tuple[Role, ...], waiting: bool, rounds_left: int) -> Shared:
        """Teams mostly hold the same cards: one object per card as a role sees it, for every team."""
        k = (card.id, roles, waiting, rounds_left)
        if k not in self.card_parts:
            self.card_parts[k] = Shared(card_json(card, roles, waiting=waiting, rounds_left=rounds_left))
        return self.card_parts[k]

    def head(self, team: Team, roles: tuple[Role, ...]) -> Shared:
        shown = roles if self.state.phase in HINTS_SHOWN else ()  # the cards differ only by hints
        key = (team.id, shown)
        found = self.heads.get(key)
        if found is not None:
            return found
        if team.id not in self.teams:
            self.teams[team.id] = Shared(team_json(self.state, team, traced=self.traced))
        waited = (  # during a round the company is still the one the table was dealt from
            {p.card_id: p.rounds_waited + 1 for p in team.company.backlog}
            if self.state.phase is Phase.ROUND_OPEN
            else {}
        )
        cards = SharedList(
            self._card(c, shown, c.id not in self.own, c.deadline - waited.get(c.id, 0))
            for c in table_of(self.state, team)
        )
        head = self.heads[key] = Shared({**self.common, "team": self.teams[team.id], "cards": cards})
        return head


def seat_views(state: Session, seat_ids: Iterable[str], now_ms: int) -> dict[str, JSON]:
    """Several phones' views at once, their shared parts built once (see ``_Heads``)."""
    heads: _Heads | None = None
    out: dict[str, JSON] = {}
    for seat_id in seat_ids:
        seat = state.seats[seat_id]
        if seat.removed:
            where = {"view": "seat", "code": state.code, "rev": state.rev, "phase": state.phase.value}
            out[seat_id] = {**where, "removed": True}
            continue
        heads = heads or _Heads(state, now_ms)
        team = state.teams[seat.team]
        roles = roles_for(team.members.index(seat_id), len(team.members))
        head = heads.head(team, roles)
        view = out[seat_id] = SeatView(head)
        view["you"] = {"id": seat.id, "name": seat.name, "team": team.id, "roles": [r.value for r in roles]}
        view.head = head
    return out


def team_views(state: Session, team_ids: Iterable[str], now_ms: int) -> dict[str, JSON]:
    """Once hints are gone (the round closed), every member of a team sees the same view but for
    ``you``, which a phone already holds: one view per team, for its room, instead of one per phone.
    A revealed round comes without its causes: a phone fetches its full view when they are wanted."""
    assert state.phase in TEAM_ROOM_PHASES, "before the round closes each role sees its own hints"
    heads = _Heads(state, now_ms, traced=False)
    return {t: heads.head(state.teams[t], ()) for t in team_ids}


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
        "capacity": capacity_json(state, team, plan_detail=False),
        "figures": figures(state, team),
        **_revealed(state, team, shown, traced=len(state.teams) <= HOST_TRACED_TEAMS),
    }


HOST_TRACED_TEAMS = 24
"""Up to this many teams the projector's reveal opens each figure's causes; a bigger room's reveal
leaves them out (each phone still has its own team's): they would be most of a large view."""


def _revealed(state: Session, team: Team, shown: tuple[RoundOutcome, ...], *, traced: bool = True) -> JSON:
    """While a round is revealed: its story, its headline, the figures before and after and (``traced``)
    what moved each figure and the team's reasons beside what their decisions caused (a reason the
    facilitator hid comes without its text: this is the projector)."""
    if not shown or state.phase is not Phase.REVEALED:
        return {"lines": []}
    last = shown[-1]
    outcome: JSON = {
        "before": snapshot_json(last.before),
        "after": snapshot_json(last.after),
        "effort_used": last.effort_used,
        "capacity": last.capacity,
    }
    if traced:
        cards = card_index(state.scenario)
        outcome["causes"] = causes_json(last, cards)
        outcome["decisions"] = decisions_json(last, cards)
        outcome["reasons"] = reasons_of(state, team, last, projector=True)
    return {"lines": list(last.lines), "headline": last.headline, "outcome": outcome}


def host_view(state: Session, now_ms: int, games: Games | None = None) -> JSON:
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
            "close_when_locked": state.settings.close_when_locked,
            "reveal_on_close": state.settings.reveal_on_close,
        },
        "joining_open": state.joining_open,
        "next_code": state.next_code,  # the game these people went on to, from the debrief
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
        # After the last reveal: every team and strategy ranked by company value (the final results).
        "final": final_results(state, games) if last_revealed(state) else None,
    }


def last_revealed(state: Session) -> bool:
    return state.phase is Phase.REVEALED and state.round_index + 1 >= state.rounds


def host_team(state: Session, team_id: str) -> JSON:
    """The compact delta the facilitator gets when one team changes."""
    return {"rev": state.rev, "team": team_summary(state, state.teams[team_id])}
