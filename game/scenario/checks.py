"""Stage 2 of checking a scenario: what a schema cannot say.

Ids that must be unique, names that must point at something declared (a persona, a customer the
company already has), the rules that depend on a card's kind, claims that mix two shapes and
numbers too large to simulate. Tolerant of data that failed the schema: stage 1 reports that.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from game.errors import Problem
from game.model import STRATEGY_NAMES, CardKind, Metric
from game.scenario.reader import DocPath, Document, block_of, blocks_of, text_of
from game.scenario.schema import card_fields
from game.scenario.words import misspelled, suggest

MAX_NUMBER = 1e12  # anything bigger is a typo, and would overflow the simulation
_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def cross_check(doc: Document, strategies: Sequence[str] = ()) -> list[Problem]:
    """Every cross-reference and kind-rule problem in a readable document.

    ``strategies`` are the names of the scenario's own strategies, which claims and prompts may
    name beside the reference ones.
    """
    return _Checker(doc, strategies).run()


def _kind(card: Mapping[str, Any]) -> CardKind | None:
    kind = card.get("kind")
    return next((k for k in CardKind if k.value == kind), None)


class _Checker:
    """Cross-references and kind rules, tolerant of data that failed the schema."""

    def __init__(self, doc: Document, strategies: Sequence[str]) -> None:
        self.doc = doc
        self.strategies = [*STRATEGY_NAMES, *(s for s in strategies if s not in STRATEGY_NAMES)]
        self.data = block_of(doc.data)
        self.problems: list[Problem] = []
        self.personas: list[str] = []
        self.accounts: dict[str, int] = {}  # name -> line, at the start of the game
        self.won: dict[str, tuple[int, str, DocPath]] = {}  # deal asker -> round, card id, path

    def run(self) -> list[Problem]:
        self.check_numbers(self.data, ())
        self.check_personas()
        self.check_accounts()
        self.check_rounds()
        self.check_claims()
        self.check_prompts()
        return self.problems

    def report(self, path: DocPath, message: str) -> None:
        self.problems.append(self.doc.problem(path, message))

    def check_numbers(self, value: Any, path: DocPath) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                self.check_numbers(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self.check_numbers(item, (*path, index))
        elif isinstance(value, int | float) and not isinstance(value, bool) and abs(value) > MAX_NUMBER:
            self.report(path, f"is far too large a number (at most {MAX_NUMBER:,.0f})")

    def check_personas(self) -> None:
        seen: dict[str, int] = {}
        for i, persona in blocks_of(self.data.get("personas")):
            pid = text_of(persona.get("id"))
            if not pid:
                continue
            path = ("personas", i, "id")
            if pid in seen:
                self.report(path, f"the persona id '{pid}' is already used on line {seen[pid]}")
            seen.setdefault(pid, self.doc.line(path))
        self.personas = list(seen)
        self.check_persona(("target_persona",), self.data.get("target_persona"))

    def check_persona(self, path: DocPath, value: Any) -> None:
        name = text_of(value)
        if name and self.personas and name not in self.personas:
            self.report(
                path,
                f"'{name}' is not one of the personas declared under 'personas' "
                f"({', '.join(self.personas)}){suggest(name, self.personas)}",
            )

    def check_accounts(self) -> None:
        for i, account in blocks_of(block_of(self.data.get("company")).get("accounts")):
            path: DocPath = ("company", "accounts", i)
            self.check_persona((*path, "persona"), account.get("persona"))
            name = text_of(account.get("name"))
            if not name:
                continue
            if name in self.accounts:
                self.report(
                    (*path, "name"),
                    f"another account is already called '{name}' (line {self.accounts[name]})",
                )
            self.accounts.setdefault(name, self.doc.line((*path, "name")))

    def check_rounds(self) -> None:
        card_ids: dict[str, int] = {}
        for r, rnd in blocks_of(self.data.get("rounds")):
            deals: list[tuple[str, str, DocPath]] = []
            for c, card in blocks_of(rnd.get("cards")):
                path: DocPath = ("rounds", r, "cards", c)
                card_id = text_of(card.get("id"))
                if card_id in card_ids:
                    self.report(
                        (*path, "id"),
                        f"the card id '{card_id}' is already used on line {card_ids[card_id]}; "
                        "every card needs its own id",
                    )
                elif card_id:
                    card_ids[card_id] = self.doc.line((*path, "id"))
                hidden = block_of(card.get("hidden"))
                self.check_persona((*path, "hidden", "persona"), hidden.get("persona"))
                comeback = block_of(card.get("comes_back"))
                self.check_persona((*path, "comes_back", "persona"), comeback.get("persona"))
                kind = _kind(card)
                if kind is None:
                    continue
                self.check_kind_rules(path, card, kind)
                if kind is CardKind.REQUEST:
                    self.check_account(r, (*path, "from"), card.get("from"), "a request must come from")
                if kind is CardKind.EVENT:
                    renewal = block_of(card.get("effects")).get("renewal")
                    self.check_account(r, (*path, "effects", "renewal"), renewal, "a renewal must name")
                if kind is CardKind.DEAL and text_of(card.get("from")):
                    deals.append((text_of(card.get("from")), card_id, path))
            for asker, card_id, path in deals:
                self.won.setdefault(asker, (r, card_id, path))

    def check_kind_rules(self, path: DocPath, card: Mapping[str, Any], kind: CardKind) -> None:
        a_kind = f"an {kind.value}" if kind.value[0] in "aeiou" else f"a {kind.value}"
        known = card_fields()
        needs = {
            "from": "who asks" if kind in (CardKind.DEAL, CardKind.REQUEST) else None,
            "effort": None if kind is CardKind.EVENT else "the effort points it takes to build",
            "deal_size": "the $k of ARR it brings if won" if kind is CardKind.DEAL else None,
            "effects": "what it changes when it lands" if kind is CardKind.EVENT else None,
        }
        for key, meaning in needs.items():
            if meaning and key not in card and not misspelled(key, card, known):
                self.report(path, f"{a_kind} needs '{key}': {meaning}")
        if kind is CardKind.EVENT and "effort" in card:
            self.report((*path, "effort"), "events take no effort; remove this line")
        if kind is not CardKind.EVENT and "effects" in card:
            self.report((*path, "effects"), f"only events have effects; this card is {a_kind}")
        if kind is not CardKind.DEAL and "deal_size" in card:
            self.report((*path, "deal_size"), f"only deals have a deal size; this card is {a_kind}")
        if kind is not CardKind.DEAL and "comes_back" in card:
            self.report((*path, "comes_back"), f"only deals can come back after a No; this card is {a_kind}")
        if kind is not CardKind.IMPROVEMENT and "debt_paydown" in block_of(card.get("hidden")):
            self.report(
                (*path, "hidden", "debt_paydown"), f"only improvements pay down debt; this card is {a_kind}"
            )

    def check_account(self, round_index: int, path: DocPath, value: Any, rule: str) -> None:
        """``value`` must name an account at the start, or one won by a deal in an earlier round."""
        name = text_of(value)
        if not name or name in self.accounts:
            return
        won = self.won.get(name)
        if won is not None and won[0] < round_index:
            return
        if won is not None or (won := self.later_deal(name)) is not None:
            self.report(
                path,
                f"'{name}' only becomes a customer by signing the deal '{won[1]}' in rounds[{won[0]}] "
                f"(line {self.doc.line(won[2])}); {rule} a customer the company already has",
            )
            return
        known = [*self.accounts, *self.won]
        self.report(
            path,
            f"'{name}' is not a customer: {rule} an account under company.accounts "
            f"or a deal's 'from' in an earlier round{suggest(name, known)}",
        )

    def later_deal(self, name: str) -> tuple[int, str, DocPath] | None:
        """The first deal from ``name`` anywhere in the scenario (for a clearer message)."""
        for r, rnd in blocks_of(self.data.get("rounds")):
            for c, card in blocks_of(rnd.get("cards")):
                if _kind(card) is CardKind.DEAL and text_of(card.get("from")) == name:
                    return r, text_of(card.get("id")), ("rounds", r, "cards", c)
        return None

    def check_claims(self) -> None:
        for i, claim in blocks_of(self.data.get("claims")):
            path: DocPath = ("claims", i)
            comparison = [k for k in ("winner", "loser", "margin") if k in claim]
            bound = [k for k in ("strategy", "at_least", "at_most") if k in claim]
            if comparison and bound:
                self.report(
                    path,
                    f"mixes a comparison ({', '.join(comparison)}) with a bound ({', '.join(bound)}); "
                    "a claim is either winner and loser, or strategy with at_least or at_most",
                )
            elif comparison:
                for key in ("winner", "loser"):
                    if key not in claim:
                        self.report(path, f"a comparison claim needs '{key}' as well")
                winner = claim.get("winner")
                if winner in self.strategies and winner == claim.get("loser"):
                    self.report((*path, "loser"), "must be a different strategy from the winner")
            elif bound:
                if "strategy" not in claim:
                    self.report(path, "a bound claim needs 'strategy': the strategy it is about")
                if ("at_least" in claim) == ("at_most" in claim):
                    self.report(path, "a bound claim needs exactly one of 'at_least' or 'at_most'")
            else:
                self.report(
                    path, "needs either winner and loser (a comparison) or strategy with at_least or at_most"
                )
            for key in ("winner", "loser", "strategy"):
                self.check_strategy_name((*path, key), claim.get(key))
            self.check_after_round(path, claim)
            if claim.get("on_average") is True and ("share" in claim or "winner" not in claim):
                self.report(
                    (*path, "on_average"),
                    "on_average compares two strategies' means: it needs winner and loser, and no share",
                )

    def check_strategy_name(self, path: DocPath, value: Any) -> None:
        """A claim or a prompt must name a reference strategy or one of the scenario's own."""
        name = text_of(value)
        if not name or name in self.strategies or not _ID.fullmatch(name):
            return  # nothing to check, or the schema has said what is wrong with it
        self.report(
            path,
            f"'{name}' is not a strategy this scenario knows: name one of {', '.join(self.strategies)}, "
            f"or add it under 'strategies'{suggest(name, self.strategies)}",
        )

    def check_after_round(self, path: DocPath, claim: Mapping[str, Any]) -> None:
        after = claim.get("after_round")
        if not isinstance(after, int) or isinstance(after, bool):
            return
        if claim.get("metric") == Metric.COMPANY_VALUE.value:
            self.report(
                (*path, "after_round"),
                "company_value is only known at the end of the game (after the year played out); "
                "remove after_round, or compare another metric",
            )
            return
        rounds = self.data.get("rounds")
        count = len(rounds) if isinstance(rounds, list) else 0
        if count and after > count:
            self.report(
                (*path, "after_round"), f"the scenario has only {count} round{'s' if count != 1 else ''}"
            )

    def check_prompts(self) -> None:
        for i, prompt in blocks_of(self.data.get("debrief_prompts")):
            path: DocPath = ("debrief_prompts", i, "when")
            when = prompt.get("when")
            if not isinstance(when, dict):
                continue
            named = [k for k in ("team_beats", "team_trails") if k in when]
            if len(named) != 1:
                self.report(
                    path,
                    "needs exactly one of team_beats (shown when a team ended ahead of the strategy) "
                    "or team_trails (shown when a team ended behind it)",
                )
            for key in named:
                self.check_strategy_name((*path, key), when.get(key))
