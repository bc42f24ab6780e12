"""Which cards are on a team's table in a round: the round's own, its backlog, and returning prospects."""

from __future__ import annotations

from collections.abc import Container, Mapping

from game.model import COMEBACK_SUFFIX, Card, CardKind, Company, Scenario


def card_index(scenario: Scenario) -> Mapping[str, Card]:
    """Every card a scenario can put on a table, by id, including prospects that come back."""
    return scenario.cards


def cards_on_table(
    scenario: Scenario, company: Company, round_index: int, customers: Container[str] | None = None
) -> tuple[Card, ...]:
    """The round's news and cards first, then the backlog, then prospects returning this round.

    Requests come only from current customers: an account that churned (or a prospect the
    team never signed) asks for nothing, and its renewal never comes up. ``customers``: the
    company's account names when the caller already holds them (a whole game's scratch copy).
    """
    index = scenario.cards
    if customers is None:
        customers = {a.name for a in company.accounts}
    cards = [c for c, needs in scenario.tables[round_index] if needs is None or needs in customers]
    if company.backlog:
        request = CardKind.REQUEST
        for p in company.backlog:
            card = index[p.card_id]
            if card.kind is not request or card.asker in customers:
                cards.append(card)
    if company.returns:
        cards.extend(
            index[r.card_id + COMEBACK_SUFFIX]
            for r in company.returns
            if r.due_round <= round_index and company.customer_value >= _min_value(index[r.card_id])
        )
    return tuple(cards)


def _min_value(card: Card) -> float:
    return card.comes_back.min_customer_value if card.comes_back is not None else 0.0


def decidable_ids(cards: tuple[Card, ...]) -> tuple[str, ...]:
    return tuple(c.id for c in cards if c.kind is not CardKind.EVENT)
