"""Which cards are on a team's table in a round: the round's own, its backlog, and returning prospects."""

from __future__ import annotations

from dataclasses import replace

from game.model import Card, CardKind, Company, Hidden, Scenario, Scope
from game.rules import clamp

COMEBACK_SUFFIX = "~back"
COMEBACK_DEADLINE = 2

_INDEX: dict[int, tuple[Scenario, dict[str, Card]]] = {}


def card_index(scenario: Scenario) -> dict[str, Card]:
    """Every card a scenario can put on a table, by id, including prospects that come back."""
    cached = _INDEX.get(id(scenario))
    if cached is not None and cached[0] is scenario:
        return cached[1]
    index: dict[str, Card] = {}
    for rnd in scenario.rounds:
        for card in rnd.cards:
            index[card.id] = card
            if card.comes_back is not None:
                back = comeback_card(card)
                index[back.id] = back
    if len(_INDEX) > 64:
        _INDEX.clear()
    _INDEX[id(scenario)] = (scenario, index)
    return index


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
    index = card_index(scenario)
    customers = {a.name for a in company.accounts}
    cards: list[Card] = [c for c in scenario.rounds[round_index].cards if _concerns(c, customers)]
    cards.extend(
        index[p.card_id]
        for p in company.backlog
        if index[p.card_id].kind is not CardKind.REQUEST or index[p.card_id].asker in customers
    )
    cards.extend(
        index[r.card_id + COMEBACK_SUFFIX]
        for r in company.returns
        if r.due_round <= round_index and company.customer_value >= _min_value(index[r.card_id])
    )
    return tuple(cards)


def _concerns(card: Card, customers: set[str]) -> bool:
    """Requests need a current customer to ask; a renewal event needs a customer to renew."""
    if card.kind is CardKind.REQUEST:
        return card.asker in customers
    if card.kind is CardKind.EVENT and card.effects is not None and card.effects.renewal:
        return card.effects.renewal in customers
    return True


def decidable_ids(cards: tuple[Card, ...]) -> tuple[str, ...]:
    return tuple(c.id for c in cards if c.kind is not CardKind.EVENT)


def _min_value(card: Card) -> float:
    return card.comes_back.min_customer_value if card.comes_back is not None else 0.0
