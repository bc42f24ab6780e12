"""The five signals of a sales-driven roadmap, scored 0 (product-driven) to 100 (sales-driven)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from game.model import Card, CardKind, Decision, RoundOutcome, Scenario, Scope
from game.sim.table import card_index


@dataclass(frozen=True, slots=True)
class Signal:
    """One learning goal, scored for one team, with the sentence that explains the score."""

    key: str
    name: str
    score: int
    explanation: str


SIGNAL_NAMES: dict[str, str] = {
    "curb_appeal": "Curb appeal over lasting value",
    "deals_steer": "Deals steer the roadmap",
    "persona_drift": "Sales dictates the persona",
    "cant_say_no": "Can't say no",
    "new_over_existing": "New over existing",
}


def final_decisions(outcomes: Sequence[RoundOutcome]) -> dict[str, Decision]:
    """Each card's last decision: a card deferred twice and then built counts as built."""
    final: dict[str, Decision] = {}
    for outcome in outcomes:
        for card_id, decision in outcome.decisions:
            final[card_id] = decision
    return final


def _pct(part: float, whole: float) -> int:
    return round(100 * part / whole) if whole > 0 else 0


def _titles(cards: list[Card], limit: int = 2) -> str:
    names = [f"'{c.title}'" for c in cards[:limit]]
    return " and ".join(names)


def five_signals(scenario: Scenario, outcomes: Sequence[RoundOutcome]) -> tuple[Signal, ...]:
    """Score a team's whole game on the five signals from the decisions it made."""
    index = card_index(scenario)
    final = final_decisions(outcomes)
    cards = [index[cid] for cid in final]
    built = [c for c in cards if final[c.id] is Decision.BUILD]
    effort = sum(max(1, c.effort) for c in built)
    return (
        _curb_appeal(built, effort),
        _deals_steer(built, effort),
        _persona(scenario, built, effort),
        _cant_say_no(cards, final),
        _new_over_existing(cards, built, effort, final),
    )


def _signal(key: str, score: float, explanation: str) -> Signal:
    return Signal(key, SIGNAL_NAMES[key], max(0, min(100, round(score))), explanation)


def _curb_appeal(built: list[Card], effort: int) -> Signal:
    flashy = [c for c in built if c.hidden.curb_appeal > c.hidden.lasting_value + 1]
    flashy.sort(key=lambda c: c.hidden.lasting_value - c.hidden.curb_appeal)
    share = _pct(sum(max(1, c.effort) for c in flashy), effort)
    if not built:
        return _signal("curb_appeal", 0, "You built nothing, so nothing was built for show.")
    text = f"{share}% of your build effort went into features that demo better than they last"
    text += f", such as {_titles(flashy)}." if flashy else "."
    return _signal("curb_appeal", share, text)


def _deals_steer(built: list[Card], effort: int) -> Signal:
    one_off = [c for c in built if c.kind is CardKind.DEAL and c.scope is not Scope.CORE]
    share = _pct(sum(max(1, c.effort) for c in one_off), effort)
    upkeep = sum(c.hidden.maintenance for c in one_off)
    text = f"{share}% of your build effort went into work shaped for a single prospect"
    if one_off:
        text += f"; it costs {upkeep:g} capacity points every round to keep alive."
    else:
        text += "."
    return _signal("deals_steer", share, text)


def _persona(scenario: Scenario, built: list[Card], effort: int) -> Signal:
    target = scenario.target_persona
    off = [c for c in built if c.hidden.persona != target]
    share = _pct(sum(max(1, c.effort) for c in off), effort)
    text = (
        f"{share}% of your build effort served people other than "
        f"{scenario.persona_name(target)}, the users the product is for"
    )
    drift = sorted({scenario.persona_name(c.hidden.persona) for c in off})
    text += f" (mostly {', '.join(drift[:2])})." if drift else "."
    return _signal("persona_drift", share, text)


def _cant_say_no(cards: list[Card], final: dict[str, Decision]) -> Signal:
    add_ons = [c for c in cards if c.scope is Scope.ADD_ON]
    if not add_ons:
        return _signal("cant_say_no", 0, "No 'could it also do…' asks reached your table.")
    yes = [c for c in add_ons if final[c.id] is Decision.BUILD]
    no = sum(1 for c in add_ons if final[c.id] is Decision.NO)
    text = f"You built {len(yes)} of {len(add_ons)} 'could it also do…' asks and said no to {no}"
    text += f": {_titles(yes)} broadened the product." if yes else "."
    return _signal("cant_say_no", _pct(len(yes), len(add_ons)), text)


def _new_over_existing(
    cards: list[Card], built: list[Card], effort: int, final: dict[str, Decision]
) -> Signal:
    new = sum(max(1, c.effort) for c in built if c.kind is CardKind.DEAL)
    existing = [c for c in cards if c.kind in (CardKind.REQUEST, CardKind.IMPROVEMENT)]
    left = [c for c in existing if final[c.id] is not Decision.BUILD]
    score = 0.6 * _pct(new, effort) + 0.4 * _pct(len(left), len(existing))
    text = (
        f"{_pct(new, effort)}% of your build effort went into new deals; "
        f"{len(left)} of {len(existing)} asks to improve what customers already use were left undone."
    )
    return _signal("new_over_existing", score, text)
