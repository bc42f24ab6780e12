"""Client JSON for the causes behind each figure and for company value: shared by the reveal, the
final results, the debrief and the what-if, so every screen itemises a change the same way."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from game.model import Card, Cause, Decision, RoundOutcome
from game.session import Reason, Session, Team
from game.sim import Valuation, card_index
from game.views.callouts import CallOut

JSON = dict[str, Any]

TRACED = ("arr", "customer_value", "tech_debt", "cash")
"""The figures whose causes add up to the round's change (capacity's causes are its parts)."""


def cause_json(cause: Cause, cards: Mapping[str, Card]) -> JSON:
    card = cards.get(cause.card_id) if cause.card_id else None
    return {
        "amount": round(cause.amount, 3),
        "text": cause.text,
        "card": cause.card_id,
        "title": card.title if card is not None else "",
        "decision": cause.decision,
    }


def causes_json(outcome: RoundOutcome, cards: Mapping[str, Card]) -> JSON:
    """Each figure's causes this round (capacity: the parts of the capacity after it), by figure."""
    out: JSON = {m: [] for m in (*TRACED, "capacity")}
    for c in outcome.causes:
        if c.metric in out and c.metric != "capacity":
            out[c.metric].append(cause_json(c, cards))
    out["capacity"] = [cause_json(c, cards) for c in outcome.capacity_parts]
    return out


def decisions_json(outcome: RoundOutcome, cards: Mapping[str, Card]) -> list[JSON]:
    """Every card on the table and what became of it (a build that did not fit says so)."""
    bumped = set(outcome.bumped)
    return [
        {
            "card": cid,
            "title": cards[cid].title if cid in cards else cid,
            "asker": cards[cid].asker if cid in cards else "",
            "kind": cards[cid].kind.value if cid in cards else "",
            "decision": d.value,
            "bumped": cid in bumped,
        }
        for cid, d in outcome.decisions
    ]


def reasons_json(
    outcome: RoundOutcome,
    reasons: Mapping[str, Reason],
    cards: Mapping[str, Card],
    names: Mapping[str, str],
    *,
    projector: bool = False,
) -> list[JSON]:
    """Each reason the team gave this round, in table order, beside what its decision caused: the
    card's own causes (and its part of the capacity after the round) and the story's lines naming it.

    ``projector``: a reason the facilitator kept off the projector comes without its text."""
    if not reasons:
        return []
    bumped = set(outcome.bumped)
    order = {cid: i for i, (cid, _) in enumerate(outcome.decisions)}
    decided = dict(outcome.decisions)
    out = []
    for cid in sorted(reasons, key=lambda k: order.get(k, len(order))):
        why = reasons[cid]
        card = cards.get(cid)
        title = card.title if card is not None else cid
        caused = [c for c in (*outcome.causes, *outcome.capacity_parts) if c.card_id == cid]
        out.append(
            {
                "card": cid,
                "title": title,
                "decision": decided.get(cid, Decision.DEFER).value,
                "bumped": cid in bumped,
                "text": "" if projector and why.off_projector else why.text,
                "by": names.get(why.by, ""),
                "off_projector": why.off_projector,
                "caused": [{"metric": c.metric, **cause_json(c, cards)} for c in caused],
                "lines": [line for line in outcome.lines if title in line],
            }
        )
    return out


def reasons_of(state: Session, team: Team, outcome: RoundOutcome, *, projector: bool = False) -> list[JSON]:
    """The reasons the team gave in a resolved round, each beside what its decision caused."""
    r = outcome.round_index
    kept: Mapping[str, Reason] = team.past_reasons[r] if r < len(team.past_reasons) else {}
    names = {why.by: state.seats[why.by].name for why in kept.values() if why.by in state.seats}
    return reasons_json(outcome, kept, card_index(state.scenario), names, projector=projector)


def value_json(v: Valuation) -> JSON:
    return {
        "total": round(v.total, 1),
        "parts": [
            {"key": p.key, "label": p.label, "amount": round(p.amount, 1), "text": p.text} for p in v.parts
        ],
        "arr_at_end": round(v.arr_at_end, 1),
        "arr_after_year": round(v.arr_after_year, 1),
        "growth": round(v.growth, 4),
    }


def callout_json(c: CallOut) -> JSON:
    return {"key": c.key, "title": c.title, "text": c.text, "cards": list(c.cards), "rounds": list(c.rounds)}
