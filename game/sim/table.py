"""Which cards are on a team's table in a round: the round's own, its backlog, and returning prospects."""

from __future__ import annotations

from dataclasses import dataclass, replace

from game.model import Card, CardKind, Company, Hidden, Scenario, Scope
from game.sim.rules import clamp

COMEBACK_SUFFIX = "~back"
COMEBACK_DEADLINE = 2


@dataclass(frozen=True, slots=True)
class _Lookups:
    """What a scenario's tables are built from, worked out once per scenario (they run every round)."""

    index: dict[str, Card]  # every card by id, including prospects that come back
    rounds: tuple[tuple[tuple[Card, str | None], ...], ...]  # each round's cards, and who must be a customer


_CACHE: dict[int, tuple[Scenario, _Lookups]] = {}


def _lookups(scenario: Scenario) -> _Lookups:
    """The scenario's lookups, built on first use; keyed by identity, since scenarios are immutable."""
    cached = _CACHE.get(id(scenario))
    if cached is not None and cached[0] is scenario:
        return cached[1]
    index: dict[str, Card] = {}
    for rnd in scenario.rounds:
        for card in rnd.cards:
            index[card.id] = card
            if card.comes_back is not None:
                back = comeback_card(card)
                index[back.id] = back
    rounds = tuple(tuple((c, _needs(c)) for c in rnd.cards) for rnd in scenario.rounds)
    if len(_CACHE) > 64:
        _CACHE.clear()
    found = _Lookups(index, rounds)
    _CACHE[id(scenario)] = (scenario, found)
    return found


def card_index(scenario: Scenario) -> dict[str, Card]:
    """Every card a scenario can put on a table, by id, including prospects that come back."""
    return _lookups(scenario).index


def comeback_card(card: Card) -> Card:
    """The deal a prospect brings back once the product fits them: standard work, no surprises."""
    assert card.comes_back is not None
    cb = card.comes_back
    hidden: Hidden = replace(
        card.hidden,
        persona=cb.persona or card.hidden.persona,
        requirement_accuracy=1.0,
        maintenance=0.0,
        debt=0.0,
        curb_appeal=clamp(card.hidden.curb_appeal, 0.0, 10.0),
    )
    return replace(
        card,
        id=card.id + COMEBACK_SUFFIX,
        title=f"{card.title} (they're back)",
        text=f"{card.asker} liked where the product went and came back, ready to buy it as it is.",
        effort=cb.effort,
        deal_size=cb.deal_size,
        deadline=COMEBACK_DEADLINE,
        scope=Scope.CORE,
        hidden=hidden,
        comes_back=None,
        hints=(),
    )


def cards_on_table(scenario: Scenario, company: Company, round_index: int) -> tuple[Card, ...]:
    """The round's news and cards first, then the backlog, then prospects returning this round.

    Requests come only from current customers: an account that churned (or a prospect the
    team never signed) asks for nothing, and its renewal never comes up.
    """
    found = _lookups(scenario)
    index = found.index
    customers = {a.name for a in company.accounts}
    cards = [c for c, needs in found.rounds[round_index] if needs is None or needs in customers]
    request = CardKind.REQUEST
    for p in company.backlog:
        card = index[p.card_id]
        if card.kind is not request or card.asker in customers:
            cards.append(card)
    cards.extend(
        index[r.card_id + COMEBACK_SUFFIX]
        for r in company.returns
        if r.due_round <= round_index and company.customer_value >= _min_value(index[r.card_id])
    )
    return tuple(cards)


def _needs(card: Card) -> str | None:
    """Who must be a customer for the card to be on the table (a request's asker, a renewer), or None."""
    if card.kind is CardKind.REQUEST:
        return card.asker
    if card.kind is CardKind.EVENT and card.effects is not None and card.effects.renewal:
        return card.effects.renewal
    return None


def decidable_ids(cards: tuple[Card, ...]) -> tuple[str, ...]:
    return tuple(c.id for c in cards if c.kind is not CardKind.EVENT)


def _min_value(card: Card) -> float:
    return card.comes_back.min_customer_value if card.comes_back is not None else 0.0
