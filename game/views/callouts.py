"""The debrief's call-outs: what a team failed to do, said in plain words, whatever its signals say.

The five signals measure how sales-driven a roadmap was; a team that builds nothing scores as
"product-driven" on most of them. These call-outs name the failures the signals cannot see:
customers' asks left undone until they gave up or left, capacity left idle while customers
waited, saying no to (or deferring) nearly everything, and revenue that left in the year after
the game (the bill for what was sold, paid after the last round). Each names the cards, rounds or
customers. Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from game.model import Card, CardKind, Decision, RoundOutcome
from game.sim import money

__all__ = ["IDLE_MIN_POINTS", "NOTHING_SHARE", "YEAR_AFTER_LOSS_SHARE", "CallOut", "call_outs"]

IDLE_MIN_POINTS = 2  # unused capacity points in a round that count as idle, if a waiting card fit them
NOTHING_SHARE = 0.5  # building nothing in at least this share of rounds is "doing nothing"
FEW_BUILDS_SHARE = 0.2  # building at most this share of the cards decided is saying no to nearly everything
MIN_ROUNDS = 2  # too few rounds to judge a habit
SHOWN = 3  # asks named in full; the rest are counted
YEAR_AFTER_LOSS_SHARE = 1 / 3  # losing at least this share of ARR in the year after is called out
DEPARTURES_SHOWN = 2  # customers named, biggest first, when revenue leaves in the year after


@dataclass(frozen=True, slots=True)
class CallOut:
    """One failure named in the debrief: a key for tests and styling, a title, and the sentence."""

    key: str  # "undone_asks", "idle_capacity", "doing_nothing", "year_after_loss"
    title: str
    text: str
    cards: tuple[str, ...] = ()
    rounds: tuple[int, ...] = ()  # 0-based


_VERB = {Decision.DEFER: "deferred", Decision.NO: "said no to"}


def _rounds_text(rounds: Sequence[int]) -> str:
    """ "round 2", "rounds 2 and 3", "rounds 2, 3 and 5" (given 0-based indices)."""
    n = [str(r + 1) for r in rounds]
    if len(n) == 1:
        return f"round {n[0]}"
    return f"rounds {', '.join(n[:-1])} and {n[-1]}"


def _list(items: Sequence[str], limit: int = 3) -> str:
    shown = list(items[:limit])
    more = len(items) - len(shown)
    if more:
        shown.append(f"{more} more")
    if len(shown) == 1:
        return shown[0]
    return f"{', '.join(shown[:-1])} and {shown[-1]}"


def _points(n: int) -> str:
    return f"{n} point{'s' if n != 1 else ''}"


def _first_up(text: str) -> str:
    return text[:1].upper() + text[1:]


def _history(outcomes: Sequence[RoundOutcome]) -> dict[str, list[tuple[int, Decision]]]:
    """Every card's decisions, round by round, as the engine took them."""
    seen: dict[str, list[tuple[int, Decision]]] = {}
    for o in outcomes:
        for cid, d in o.decisions:
            seen.setdefault(cid, []).append((o.round_index, d))
    return seen


def _undone_asks(outcomes: Sequence[RoundOutcome], cards: Mapping[str, Card]) -> CallOut | None:
    """Customers' requests never built that their asker left over, or that waited until they gave up.

    A plain no to a request is a decision (often the right one: "can't say no" is a signal); a
    request kept waiting and then dropped, or one its asker left the company over, is neglect.
    """
    left = {c.card_id for o in outcomes for c in o.causes if c.metric == "arr" and c.amount < 0 and c.card_id}
    last = outcomes[-1].round_index if outcomes else -1
    undone: list[tuple[Card, list[tuple[int, Decision]]]] = []
    for cid, history in _history(outcomes).items():
        card = cards.get(cid)
        if card is None or card.kind is not CardKind.REQUEST:
            continue
        if any(d is Decision.BUILD for _, d in history):
            continue
        final_round, final = history[-1]
        gave_up = final is Decision.DEFER and final_round < last  # deferred, then off the table
        waited_out = final is Decision.DEFER and len(history) >= 2  # still waiting at the end
        if cid in left or gave_up or waited_out:
            undone.append((card, history))
    if not undone:
        return None
    told = []
    for card, history in undone:
        by_verb: dict[Decision, list[int]] = {}
        for r, d in history:
            by_verb.setdefault(d, []).append(r)
        did = " and ".join(f"{_VERB[d]} it in {_rounds_text(rs)}" for d, rs in by_verb.items())
        gone = f"; {card.asker} left" if card.id in left else ""
        if not gone and history[-1][0] < last:
            gone = "; they gave up waiting"
        told.append(f"{card.asker} asked for '{card.title}': you {did}{gone}")
    rounds = sorted({r for _, h in undone for r, _ in h})
    return CallOut(
        "undone_asks",
        "Customers' asks left undone",
        f"{len(undone)} request{'s' if len(undone) != 1 else ''} from your own customers never got built. "
        + ". ".join(told[:SHOWN])
        + (f". And {len(told) - SHOWN} more." if len(told) > SHOWN else "."),
        tuple(c.id for c, _ in undone),
        tuple(rounds),
    )


def _waiting(outcome: RoundOutcome, cards: Mapping[str, Card], room: int) -> list[Card]:
    """Customers' (and prospects') asks kept waiting this round that would have fit ``room``."""
    found = [
        cards[cid]
        for cid, d in outcome.decisions
        if d is Decision.DEFER and cid in cards and 0 < cards[cid].effort <= room
    ]
    found.sort(key=lambda c: c.kind is not CardKind.REQUEST)  # existing customers first
    return found


def _idle_capacity(outcomes: Sequence[RoundOutcome], cards: Mapping[str, Card]) -> CallOut | None:
    """Rounds with points left over while an ask that fitted them waited or was refused."""
    idle: list[tuple[RoundOutcome, Card]] = []
    for o in outcomes:
        room = o.capacity - o.effort_used
        if room < IDLE_MIN_POINTS:
            continue
        waiting = _waiting(o, cards, room)
        if waiting:
            idle.append((o, waiting[0]))
    if not idle:
        return None
    told = [
        f"in round {o.round_index + 1} you used {o.effort_used} of {o.capacity} points while "
        f"{c.asker or 'your own team'} waited for '{c.title}' ({_points(c.effort)})"
        for o, c in idle
    ]
    return CallOut(
        "idle_capacity",
        "Capacity left unused while customers waited",
        "Unused capacity is not focus. " + _first_up(_list(told)) + ".",
        tuple(dict.fromkeys(c.id for _, c in idle)),
        tuple(o.round_index for o, _ in idle),
    )


def _doing_nothing(outcomes: Sequence[RoundOutcome], cards: Mapping[str, Card]) -> CallOut | None:
    """Building nothing in most rounds, or saying no to / deferring nearly every card."""
    if len(outcomes) < MIN_ROUNDS:
        return None
    empty = [o for o in outcomes if o.decisions and not any(d is Decision.BUILD for _, d in o.decisions)]
    decided = sum(len(o.decisions) for o in outcomes)
    built = sum(1 for o in outcomes for _, d in o.decisions if d is Decision.BUILD)
    few = decided >= 5 and built <= FEW_BUILDS_SHARE * decided
    if len(empty) < NOTHING_SHARE * len(outcomes) and not few:
        return None
    asks = [
        cards[cid]
        for o in (empty or outcomes)
        for cid, d in o.decisions
        if d is not Decision.BUILD and cid in cards and cards[cid].kind is CardKind.REQUEST
    ]
    who = list(dict.fromkeys(f"{c.asker} waited for '{c.title}'" for c in asks))
    if empty:
        which = _rounds_text([o.round_index for o in empty])
        what = f"you built nothing in {len(empty)} of {len(outcomes)} rounds ({which})"
    else:
        what = f"you built {built} of the {decided} cards you decided"
    tail = f" while {_list(who, 2)}" if who else ""
    return CallOut(
        "doing_nothing",
        "Doing nothing is not product focus",
        f"Doing nothing is not product focus: {what}{tail}. "
        f"Saying no keeps focus only when the capacity goes into something.",
        tuple(dict.fromkeys(c.id for c in asks)),
        tuple(o.round_index for o in empty),
    )


def _year_after_loss(year_after: Sequence[RoundOutcome]) -> CallOut | None:
    """A third or more of the ARR gone in the year after the game, with who left and why, biggest first.

    Nobody decides anything in the year after: what leaves then was sold, deferred or left to rot
    during the game. This is the delay the essay warns about, said where the room can see it.
    """
    if not year_after:
        return None
    start, end = year_after[0].before.arr, year_after[-1].after.arr
    if start <= 0 or end > start * (1 - YEAR_AFTER_LOSS_SHARE):
        return None
    lost: dict[str, float] = {}  # who left (or the pool that shrank) -> ARR lost, first cause's words
    words: dict[str, str] = {}
    for quarter in year_after:
        for c in quarter.causes:
            if c.metric == "arr" and c.amount < 0:
                who = c.text.split(":", 1)[0]
                lost[who] = lost.get(who, 0.0) - c.amount
                words.setdefault(who, c.text)
    biggest = sorted(lost, key=lambda w: -lost[w])[:DEPARTURES_SHOWN]
    told = [f"{_first_up(words[w])} ({money(lost[w])})" for w in biggest]
    more = len(lost) - len(biggest)
    return CallOut(
        "year_after_loss",
        "The bill came after the game",
        f"Your ARR fell from {money(start)} to {money(end)} ({(end - start) / start:.0%}) in the year "
        "after the game, when nobody decided anything. "
        + ". ".join(told)
        + (f". And {more} more." if more else ".")
        + " What you sold and left undone kept costing after the last round.",
        tuple(dict.fromkeys(c.card_id for q in year_after for c in q.causes if c.card_id and c.amount < 0)),
    )


def call_outs(
    outcomes: Sequence[RoundOutcome], cards: Mapping[str, Card], year_after: Sequence[RoundOutcome] = ()
) -> tuple[CallOut, ...]:
    """Every call-out a team's rounds (and the year after them) earn; none for a team that did its job."""
    found = (
        _doing_nothing(outcomes, cards),
        _undone_asks(outcomes, cards),
        _idle_capacity(outcomes, cards),
        _year_after_loss(year_after),
    )
    return tuple(c for c in found if c is not None)
