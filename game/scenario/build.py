"""Builds the frozen model from a scenario's data once every check has passed.

Nothing here validates: it trusts the checks, fills in the defaults the schema documents
and turns plain data into ``game.model`` values.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from game.model import (
    CLAIM_SHARE,
    ROLES,
    Account,
    Card,
    CardKind,
    Claim,
    Comeback,
    EventEffects,
    Hidden,
    Market,
    Metric,
    Persona,
    Prompt,
    PromptCondition,
    Round,
    Scenario,
    Scope,
    StartingCompany,
    StrategySpec,
)
from game.scenario.reader import block_of, text_of

_DEFAULT_DEADLINE = {CardKind.DEAL: 1, CardKind.REQUEST: 2, CardKind.IMPROVEMENT: 2, CardKind.EVENT: 1}


def build_scenario(
    data: dict[str, Any], scenario_id: str, strategies: tuple[StrategySpec, ...] = ()
) -> Scenario:
    """The model for a document that passed every check, with its strategies already built."""
    prompts = tuple(_build_prompt(p) for p in data.get("debrief_prompts", []))
    target = text_of(data["target_persona"])
    company = data["company"]
    return Scenario(
        id=scenario_id,
        title=text_of(data["title"]),
        story=text_of(data["story"]),
        target_persona=target,
        personas=tuple(
            Persona(text_of(p["id"]), text_of(p["name"]), text_of(p.get("description")))
            for p in data["personas"]
        ),
        market=Market(**_numbers(block_of(data.get("market")))),
        company=StartingCompany(
            name=text_of(company["name"]),
            capacity=int(company["capacity"]),
            cash=float(company["cash"]),
            burn=float(company["burn"]),
            customer_value=float(company["customer_value"]),
            tech_debt=float(company.get("tech_debt", 0.0)),
            accounts=tuple(
                Account(id=i, name=text_of(a["name"]), persona=text_of(a["persona"]), arr=float(a["arr"]))
                for i, a in enumerate(company.get("accounts", []), start=1)
            ),
        ),
        rounds=tuple(
            Round(
                title=text_of(r["title"]),
                cards=tuple(_build_card(c, target) for c in r["cards"]),
                story=text_of(r.get("story")),
            )
            for r in data["rounds"]
        ),
        debrief_prompts=tuple(p.text for p in prompts if p.condition is None),
        claims=tuple(_build_claim(c) for c in data.get("claims", [])),
        strategies=strategies,
        prompts=prompts,
    )


def _numbers(block: Mapping[str, Any], text_field: str = "") -> dict[str, float]:
    """Every field of a block of numbers as a float, leaving out its one text field if it has one."""
    return {k: float(v) for k, v in block.items() if k != text_field}


def _build_card(card: dict[str, Any], target_persona: str) -> Card:
    kind = CardKind(card["kind"])
    hidden = block_of(card.get("hidden"))
    hints = block_of(card.get("hints"))
    comes_back = card.get("comes_back")
    effects = card.get("effects")
    return Card(
        id=text_of(card["id"]),
        kind=kind,
        title=text_of(card["title"]),
        asker=text_of(card.get("from")),
        contact=text_of(card.get("contact")),
        text=text_of(card.get("text")),
        effort=int(card.get("effort", 0)),
        deal_size=float(card.get("deal_size", 0.0)),
        deadline=int(card.get("deadline", _DEFAULT_DEADLINE[kind])),
        scope=Scope(card.get("scope", Scope.CORE.value)),
        hidden=Hidden(
            persona=text_of(hidden.get("persona")) or target_persona, **_numbers(hidden, "persona")
        ),
        hints=tuple(
            (role, text_of(hints.get(role.value))) for role in ROLES if text_of(hints.get(role.value))
        ),
        comes_back=None
        if comes_back is None
        else Comeback(
            after=int(comes_back["after"]),
            min_customer_value=float(comes_back["min_customer_value"]),
            deal_size=float(comes_back["deal_size"]),
            effort=int(comes_back["effort"]),
            persona=text_of(comes_back.get("persona")),
        ),
        effects=None
        if effects is None
        else EventEffects(renewal=text_of(effects.get("renewal")), **_numbers(effects, "renewal")),
    )


def _build_claim(claim: dict[str, Any]) -> Claim:
    def optional(key: str) -> float | None:
        return float(claim[key]) if key in claim else None

    return Claim(
        text=text_of(claim["text"]),
        metric=Metric(claim["metric"]),
        winner=text_of(claim.get("winner")),
        loser=text_of(claim.get("loser")),
        margin=float(claim.get("margin", 0.0)),
        strategy=text_of(claim.get("strategy")),
        at_least=optional("at_least"),
        at_most=optional("at_most"),
        after_round=int(claim["after_round"]) if "after_round" in claim else None,
        share=float(claim.get("share", CLAIM_SHARE)),
        on_average=bool(claim.get("on_average", False)),
    )


def _build_prompt(prompt: str | dict[str, Any]) -> Prompt:
    if isinstance(prompt, str):
        return Prompt(text_of(prompt))
    when = prompt["when"]
    ahead = "team_beats" in when
    return Prompt(
        text=text_of(prompt["text"]),
        condition=PromptCondition(
            strategy=text_of(when["team_beats" if ahead else "team_trails"]),
            metric=Metric(when["metric"]),
            team_ahead=ahead,
        ),
    )
