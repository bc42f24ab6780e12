"""Shared fixtures: a small hand-built scenario that every session and server test can play fast."""

from __future__ import annotations

import os
from dataclasses import replace

import pytest
from hypothesis import settings

from game.model import (
    Account,
    Card,
    CardKind,
    Comeback,
    EventEffects,
    Hidden,
    Market,
    Persona,
    Role,
    Round,
    Scenario,
    Scope,
    StartingCompany,
)

# CI must give the same verdict on the same commit: Hypothesis searches the same examples on every
# run. Set CURB_EXPLORE=1 to let it search new ones (do that before a release, not in CI).
# No deadline: these machines are shared, and a slow example says nothing about the game (speed is
# measured in bench/, never in tests).
settings.register_profile("repeatable", derandomize=True, deadline=None)
settings.register_profile("explore", derandomize=False, deadline=None)
settings.load_profile("explore" if os.environ.get("CURB_EXPLORE") else "repeatable")


def small_scenario() -> Scenario:
    """Three rounds of two or three cards, one event, one deal with role hints and hidden values."""
    deal = Card(
        id="acme-sso",
        kind=CardKind.DEAL,
        title="SSO for Acme",
        asker="Acme Corp",
        contact="CIO",
        text="Acme signs if we ship single sign-on this quarter.",
        effort=3,
        deal_size=80.0,
        deadline=2,
        scope=Scope.CUSTOM,
        hidden=Hidden(
            curb_appeal=8.0,
            lasting_value=2.0,
            persona="buyer",
            requirement_accuracy=0.6,
            maintenance=1.0,
            debt=2.0,
        ),
        hints=(
            (Role.SALES, "Their champion will sign this quarter."),
            (Role.PRODUCT, "Nobody else has asked for this."),
            (Role.ENGINEERING, "This touches login: expect debt."),
        ),
        comes_back=Comeback(after=1, min_customer_value=0.0, deal_size=60.0, effort=2),
    )
    request = Card(
        id="export",
        kind=CardKind.REQUEST,
        title="CSV export",
        asker="Globex",
        effort=2,
        deadline=2,
        hidden=Hidden(curb_appeal=3.0, lasting_value=7.0, persona="user"),
        hints=((Role.PRODUCT, "Globex users ask for this weekly."),),
    )
    cleanup = Card(
        id="cleanup",
        kind=CardKind.IMPROVEMENT,
        title="Pay down test debt",
        effort=2,
        hidden=Hidden(curb_appeal=1.0, lasting_value=3.0, debt_paydown=3.0),
    )
    news = Card(
        id="competitor",
        kind=CardKind.EVENT,
        title="A competitor launches",
        text="Buyers now compare demos.",
        effects=EventEffects(market_pressure=0.1),
    )
    addon = Card(
        id="dark-mode",
        kind=CardKind.DEAL,
        title="Dark mode for Initech",
        asker="Initech",
        effort=1,
        deal_size=20.0,
        scope=Scope.ADD_ON,
        hidden=Hidden(curb_appeal=7.0, lasting_value=1.0, persona="buyer"),
    )
    reports = Card(
        id="reports",
        kind=CardKind.REQUEST,
        title="Better reports",
        asker="Globex",
        effort=3,
        hidden=Hidden(curb_appeal=4.0, lasting_value=6.0, persona="user"),
    )
    return Scenario(
        id="tiny",
        title="Tiny test start-up",
        story="A small company with two customers.",
        target_persona="user",
        personas=(Persona("user", "Analysts"), Persona("buyer", "IT buyers")),
        market=Market(pressure=0.5, organic_growth=0.3),
        company=StartingCompany(
            name="Tinyco",
            capacity=5,
            cash=200.0,
            burn=40.0,
            customer_value=40.0,
            tech_debt=4.0,
            accounts=(
                Account(1, "Globex", "user", 60.0),
                Account(2, "Umbrella", "user", 40.0),
            ),
        ),
        rounds=(
            Round("Q1", (deal, request)),
            Round("Q2", (news, addon, cleanup), story="The market heats up."),
            Round("Q3", (reports,)),
        ),
        debrief_prompts=("Which deal would you take again?", "Who owned the SSO feature?"),
    )


def tight_scenario(efforts: tuple[int, int, int], capacity: int = 5) -> Scenario:
    """The small scenario with three cards of the given efforts in round 1 (the deal, the request,
    and a 'polish' improvement) and no debt, so capacity is ``capacity``: for the rush limit."""
    base = small_scenario()
    deal, request = base.rounds[0].cards
    polish = Card(
        id="polish",
        kind=CardKind.IMPROVEMENT,
        title="Polish onboarding",
        effort=efforts[2],
        hidden=Hidden(curb_appeal=2.0, lasting_value=4.0),
    )
    first = replace(
        base.rounds[0], cards=(replace(deal, effort=efforts[0]), replace(request, effort=efforts[1]), polish)
    )
    company = replace(base.company, capacity=capacity, tech_debt=0.0)
    return replace(base, company=company, rounds=(first, *base.rounds[1:]))


@pytest.fixture
def scenario() -> Scenario:
    return small_scenario()
