"""The five signals of a sales-driven roadmap, scored 0 (product-driven) to 100 (sales-driven)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from game.model import Card, CardKind, Decision, RoundOutcome, Scenario, Scope
from game.sim.table import card_index

_BUILD, _DEAL = Decision.BUILD, CardKind.DEAL
_CORE, _ADD_ON = Scope.CORE, Scope.ADD_ON


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


def signal_scores(scenario: Scenario, final: Mapping[str, Decision]) -> tuple[int, ...]:
    """The five scores, in ``SIGNAL_NAMES`` order, from each card's last decision: one pass.

    The balance check scores thousands of games and needs no sentences; ``five_signals`` scores
    with this and then explains.
    """
    index = scenario.cards
    target = scenario.target_persona
    effort = flashy = one_off = off = new = 0
    add_ons = add_ons_built = existing = left = 0
    for cid, decision in final.items():
        c = index[cid]
        kind, scope, h = c.kind, c.scope, c.hidden
        built = decision is _BUILD
        if scope is _ADD_ON:
            add_ons += 1
            add_ons_built += built
        if kind is not _DEAL:
            existing += 1
            left += not built
        if not built:
            continue
        w = c.effort if c.effort > 1 else 1
        effort += w
        if h.curb_appeal > h.lasting_value + 1:
            flashy += w
        if kind is _DEAL:
            new += w
            if scope is not _CORE:
                one_off += w
        if h.persona != target:
            off += w
    return (
        _score(_pct(flashy, effort) if effort else 0),
        _score(_pct(one_off, effort)),
        _score(_pct(off, effort)),
        _score(_pct(add_ons_built, add_ons) if add_ons else 0),
        _score(0.6 * _pct(new, effort) + 0.4 * _pct(left, existing)),
    )


def _score(x: float) -> int:
    return max(0, min(100, round(x)))


def five_signals(scenario: Scenario, outcomes: Sequence[RoundOutcome]) -> tuple[Signal, ...]:
    """Score a team's whole game on the five signals from the decisions it made, and explain each."""
    index = card_index(scenario)
    final = final_decisions(outcomes)
    scores = dict(zip(SIGNAL_NAMES, signal_scores(scenario, final), strict=True))
    cards = [index[cid] for cid in final]
    built = [c for c in cards if final[c.id] is Decision.BUILD]
    effort = sum(max(1, c.effort) for c in built)
    return tuple(
        Signal(key, SIGNAL_NAMES[key], scores[key], text)
        for key, text in (
            ("curb_appeal", _curb_appeal(built, effort)),
            ("deals_steer", _deals_steer(built, effort)),
            ("persona_drift", _persona(scenario, built, effort)),
            ("cant_say_no", _cant_say_no(cards, final)),
            ("new_over_existing", _new_over_existing(cards, built, effort, final)),
        )
    )


def _curb_appeal(built: list[Card], effort: int) -> str:
    if not built:
        return "You built nothing, so nothing was built for show."
    flashy = [c for c in built if c.hidden.curb_appeal > c.hidden.lasting_value + 1]
    flashy.sort(key=lambda c: c.hidden.lasting_value - c.hidden.curb_appeal)
    share = _pct(sum(max(1, c.effort) for c in flashy), effort)
    text = f"{share}% of your build effort went into features that demo better than they last"
    return text + (f", such as {_titles(flashy)}." if flashy else ".")


def _deals_steer(built: list[Card], effort: int) -> str:
    one_off = [c for c in built if c.kind is CardKind.DEAL and c.scope is not Scope.CORE]
    share = _pct(sum(max(1, c.effort) for c in one_off), effort)
    upkeep = sum(c.hidden.maintenance for c in one_off)
    text = f"{share}% of your build effort went into work shaped for a single prospect"
    if one_off:
        return text + f"; it costs {upkeep:g} capacity points every round to keep alive."
    return text + "."


def _persona(scenario: Scenario, built: list[Card], effort: int) -> str:
    target = scenario.target_persona
    off = [c for c in built if c.hidden.persona != target]
    share = _pct(sum(max(1, c.effort) for c in off), effort)
    text = (
        f"{share}% of your build effort served people other than "
        f"{scenario.persona_name(target)}, the users the product is for"
    )
    drift = sorted({scenario.persona_name(c.hidden.persona) for c in off})
    return text + (f" (mostly {', '.join(drift[:2])})." if drift else ".")


def _cant_say_no(cards: list[Card], final: dict[str, Decision]) -> str:
    add_ons = [c for c in cards if c.scope is Scope.ADD_ON]
    if not add_ons:
        return "No 'could it also do…' asks reached your table."
    yes = [c for c in add_ons if final[c.id] is Decision.BUILD]
    no = sum(1 for c in add_ons if final[c.id] is Decision.NO)
    text = f"You built {len(yes)} of {len(add_ons)} 'could it also do…' asks and said no to {no}"
    return text + (f": {_titles(yes)} broadened the product." if yes else ".")


def _new_over_existing(cards: list[Card], built: list[Card], effort: int, final: dict[str, Decision]) -> str:
    new = sum(max(1, c.effort) for c in built if c.kind is CardKind.DEAL)
    existing = [c for c in cards if c.kind in (CardKind.REQUEST, CardKind.IMPROVEMENT)]
    left = [c for c in existing if final[c.id] is not Decision.BUILD]
    return (
        f"{_pct(new, effort)}% of your build effort went into new deals; "
        f"{len(left)} of {len(existing)} asks to improve what customers already use were left undone."
    )
