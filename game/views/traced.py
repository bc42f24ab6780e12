"""Client JSON for the causes behind each figure and for company value: shared by the reveal, the
final results, the debrief and the what-if, so every screen itemises a change the same way."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from game.model import Card, Cause, RoundOutcome
from game.sim import Valuation
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
