"""Small hand-built scenarios for engine tests: each test states exactly the cards it needs."""

from __future__ import annotations

from dataclasses import replace

from game.model import (
    Account,
    Card,
    CardKind,
    Comeback,
    EventEffects,
    Hidden,
    Market,
    Persona,
    Round,
    Scenario,
    Scope,
    StartingCompany,
)

USERS = "users"
BUYERS = "buyers"


def deal(card_id: str, **kw: object) -> Card:
    hidden = kw.pop("hidden", Hidden(persona=USERS))
    base = Card(
        id=card_id,
        kind=CardKind.DEAL,
        title=f"Deal {card_id}",
        asker=f"Prospect {card_id}",
        effort=2,
        deal_size=50.0,
        deadline=1,
        hidden=hidden,  # type: ignore[arg-type]
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def request(card_id: str, asker: str = "Acme", **kw: object) -> Card:
    hidden = kw.pop("hidden", Hidden(persona=USERS))
    base = Card(
        id=card_id,
        kind=CardKind.REQUEST,
        title=f"Request {card_id}",
        asker=asker,
        effort=2,
        deadline=2,
        hidden=hidden,  # type: ignore[arg-type]
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def improvement(card_id: str, paydown: float, effort: int = 2) -> Card:
    return Card(
        id=card_id,
        kind=CardKind.IMPROVEMENT,
        title=f"Improvement {card_id}",
        effort=effort,
        deadline=2,
        hidden=Hidden(persona=USERS, lasting_value=0.0, curb_appeal=0.0, debt_paydown=paydown),
    )


def event(card_id: str, **effects: object) -> Card:
    return Card(
        id=card_id,
        kind=CardKind.EVENT,
        title=f"Event {card_id}",
        effects=EventEffects(**effects),  # type: ignore[arg-type]
    )


def scenario(
    *rounds: tuple[Card, ...],
    capacity: int = 10,
    tech_debt: float = 0.0,
    customer_value: float = 50.0,
    pressure: float = 0.5,
    organic_growth: float = 0.0,
    accounts: tuple[Account, ...] | None = None,
) -> Scenario:
    if accounts is None:
        accounts = (
            Account(1, "Acme", USERS, 100.0),
            Account(2, "Globex", USERS, 80.0),
        )
    return Scenario(
        id="test",
        title="Test",
        story="A test scenario.",
        target_persona=USERS,
        personas=(Persona(USERS, "Users"), Persona(BUYERS, "Buyers")),
        market=Market(pressure=pressure, organic_growth=organic_growth),
        company=StartingCompany(
            name="TestCo",
            capacity=capacity,
            cash=1000.0,
            burn=10.0,
            customer_value=customer_value,
            tech_debt=tech_debt,
            accounts=accounts,
        ),
        rounds=tuple(Round(title=f"Round {i + 1}", cards=cards) for i, cards in enumerate(rounds)),
    )


__all__ = ["BUYERS", "USERS", "Comeback", "Hidden", "Scope", "deal", "event", "improvement", "request"]
