"""Scenario files: find them, check them and load them into the model.

This is the only place that reads YAML. A file is checked in two stages: first against
``scenarios/schema.json`` (the same schema editors use), then for what a schema cannot
say (ids that must be unique, names that must point at something declared, the rules
that depend on a card's kind). Every problem is reported with its line, in plain words.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from game.errors import Problem, ScenarioError
from game.model import (
    ROLES,
    STRATEGY_NAMES,
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
    Round,
    Scenario,
    Scope,
    StartingCompany,
)
from game.scenario_yaml import DocPath, Document, read_document

__all__ = [
    "DEFAULT_SCENARIO",
    "check_file",
    "find_scenario",
    "list_scenarios",
    "load_scenario",
    "scenario_dir",
    "schema_path",
]

DEFAULT_SCENARIO = "saas-startup"
MAX_NUMBER = 1e12  # anything bigger is a typo, and would overflow the simulation

_ID_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"
_TYPE_WORDS = {
    "integer": "a whole number",
    "number": "a number",
    "string": "text",
    "object": "a block of fields",
    "array": "a list",
}
_ITEM_NOUNS = {"personas": "persona", "rounds": "round", "cards": "card"}
_DEFAULT_DEADLINE = {CardKind.DEAL: 1, CardKind.REQUEST: 2, CardKind.IMPROVEMENT: 2, CardKind.EVENT: 1}


# -- Finding scenarios ---------------------------------------------------------------------------


def scenario_dir() -> Path:
    """The repository's ``scenarios/`` folder."""
    return Path(__file__).resolve().parent.parent / "scenarios"


def schema_path() -> Path:
    """The JSON Schema every scenario file is checked against."""
    return scenario_dir() / "schema.json"


def list_scenarios() -> list[Path]:
    """Every scenario file in ``scenarios/``, sorted."""
    return sorted(scenario_dir().glob("*.yaml"))


def find_scenario(name_or_path: str) -> Path:
    """A scenario file from a path, or from a bare id like ``saas-startup``."""
    candidate = Path(name_or_path)
    if candidate.is_file():
        return candidate
    if candidate.is_dir():
        raise ScenarioError([Problem(name_or_path, 0, "", "is a folder, not a scenario file")])
    if candidate.name == name_or_path:  # no folder given: look among the bundled scenarios
        stem = candidate.stem if candidate.suffix in (".yaml", ".yml") else name_or_path
        bundled = scenario_dir() / f"{stem}.yaml"
        if bundled.is_file():
            return bundled
    known = [p.stem for p in list_scenarios()]
    message = "no such file, and no scenario with this id in scenarios/"
    message += _suggest(Path(name_or_path).stem, known)
    message += f" (available: {', '.join(known)})" if known else " (there are none yet)"
    raise ScenarioError([Problem(name_or_path, 0, "", message)])


# -- Checking and loading ------------------------------------------------------------------------


def check_file(path: str | Path) -> list[Problem]:
    """Every problem in a scenario file, in line order; ``[]`` when it is fine. Never raises."""
    return _check(read_document(path))


def load_scenario(path: str | Path) -> Scenario:
    """Load a scenario file; raises ``ScenarioError`` carrying every problem found."""
    doc = read_document(path)
    problems = _check(doc)
    if problems:
        raise ScenarioError(problems)
    return _build(doc.data, Path(path).stem)


def _check(doc: Document) -> list[Problem]:
    problems = list(doc.problems)
    if doc.readable:
        problems += _schema_problems(doc)
        problems += _Checker(doc).run()
    unique = list(dict.fromkeys(problems))  # Problem is frozen, hence hashable
    return sorted(unique, key=lambda p: p.line)


# -- Stage 1: the JSON Schema --------------------------------------------------------------------


@cache
def _schema() -> dict[str, Any]:
    """The schema, with its lists of names taken from the model so the two cannot drift apart."""
    schema: dict[str, Any] = json.loads(schema_path().read_text(encoding="utf-8"))
    defs = schema["$defs"]
    defs["card"]["properties"]["kind"]["enum"] = [k.value for k in CardKind]
    defs["card"]["properties"]["scope"]["enum"] = [s.value for s in Scope]
    defs["claim"]["properties"]["metric"]["enum"] = [m.value for m in Metric]
    for key in ("winner", "loser", "strategy"):
        defs["claim"]["properties"][key]["enum"] = list(STRATEGY_NAMES)
    return schema


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(_schema())


def _schema_problems(doc: Document) -> Iterator[Problem]:
    for error in _validator().iter_errors(doc.data):
        # The kind-dependent rules are in the schema for editors; stage 2 words them better.
        if "then" in error.absolute_schema_path:
            continue
        yield from _translate(doc, error, tuple(error.absolute_path))


def _translate(doc: Document, error: ValidationError, path: DocPath) -> Iterator[Problem]:
    keyword: Any = error.validator
    value: Any = error.instance
    schema: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    if keyword == "additionalProperties":
        known = list(schema.get("properties", {}))
        for key in value:
            if key not in known:
                line = doc.line((*path, key))
                hint = _suggest(key, known) or f" (allowed here: {', '.join(known)})"
                yield doc.problem(path, f"unknown field {_quote(key)}{hint}", line)
    elif keyword == "required":
        known = list(schema.get("properties", {}))
        for key in schema["required"]:
            if key not in value and not _misspelled(key, value, known):
                yield doc.problem(path, f"missing required field '{key}'")
    elif keyword == "type" and not path:
        yield doc.problem(
            path, f"the file must be a block of fields (title:, story:, ...), not {_describe(value)}"
        )
    elif keyword in ("type", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        yield doc.problem(
            path, f"must be {_expected(schema)}, got {_describe(value)}{_quote_hint(schema, value)}"
        )
    elif keyword == "enum":
        options = [str(o) for o in schema["enum"]]
        got = _suggest(str(value), options) if isinstance(value, str) else ""
        yield doc.problem(path, f"must be one of {', '.join(options)}; got {_describe(value)}{got}")
    elif keyword == "pattern" and schema.get("pattern") == _ID_PATTERN:
        yield doc.problem(
            path,
            f"must be lowercase letters, digits and hyphens (like 'northwind-sso'), got {_describe(value)}",
        )
    elif keyword in ("pattern", "minLength"):
        yield doc.problem(path, "must not be empty")
    elif keyword == "maxLength":
        limit = schema["maxLength"]
        yield doc.problem(path, f"is too long ({len(value):,} characters; at most {limit:,})")
    elif keyword in ("minItems", "maxItems"):
        noun = _ITEM_NOUNS.get(str(path[-1]) if path else "", "item")
        limit = schema[keyword]
        amount = f"at least {limit}" if keyword == "minItems" else f"at most {limit}"
        yield doc.problem(path, f"must have {amount} {_plural(noun, limit)}, has {len(value)}")
    elif keyword == "minProperties":
        yield doc.problem(path, f"must set at least one of {', '.join(schema.get('properties', {}))}")
    else:  # pragma: no cover - the schema uses no other keywords outside if/then
        yield doc.problem(path, error.message)


def _expected(schema: Mapping[str, Any]) -> str:
    words = _TYPE_WORDS.get(str(schema.get("type")), "something else")
    low, high = schema.get("minimum"), schema.get("maximum")
    above = schema.get("exclusiveMinimum")
    if low is not None and high is not None:
        return f"{words} from {_number(low)} to {_number(high)}"
    if above is not None:
        return f"{words} greater than {_number(above)}"
    if low is not None:
        return f"{words} of at least {_number(low)}"
    if high is not None:
        return f"{words} of at most {_number(high)}"
    return words


def _quote_hint(schema: Mapping[str, Any], value: Any) -> str:
    """A hint for the two usual slips: text that YAML read as a number, and numbers it read as text."""
    if schema.get("type") == "string" and isinstance(value, bool | int | float):
        return "; put the text in quotes"
    if schema.get("type") in ("number", "integer") and isinstance(value, str):
        if re.fullmatch(r"\s*[-+]?\d+(\.\d+)?\s*", value):
            return "; remove the quotes around the number"
        try:
            float(value.replace(",", ""))
        except ValueError:
            return ""
        return "; write numbers as plain digits, like 1500 or 0.25"
    return ""


def _describe(value: Any) -> str:
    """A value as a facilitator would recognise it in their file."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, str):
        return _quote(value)
    return "a list" if isinstance(value, list) else "a block of fields"


def _number(value: float) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _quote(text: str, limit: int = 60) -> str:
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return f"'{text}'"


def _closest(word: str, options: Sequence[str]) -> str | None:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if not close:
        close = [o for o in options if o.casefold() == word.casefold()]
    return close[0] if close else None


def _suggest(word: str, options: Sequence[str]) -> str:
    close = _closest(word, options)
    return f" (did you mean '{close}'?)" if close else ""


def _misspelled(key: str, mapping: Mapping[str, Any], known: Sequence[str]) -> bool:
    """Whether ``mapping`` has an unknown field that looks like ``key`` (reported as a typo already)."""
    return any(k not in known and _closest(k, known) == key for k in mapping)


def _plural(noun: str, count: int) -> str:
    return noun if count == 1 else f"{noun}s"


# -- Stage 2: what the schema cannot say --------------------------------------------------------


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _items(value: Any) -> list[tuple[int, dict[str, Any]]]:
    """The (index, mapping) entries of a list, skipping malformed ones (stage 1 reports those)."""
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _kind(card: Mapping[str, Any]) -> CardKind | None:
    kind = card.get("kind")
    return next((k for k in CardKind if k.value == kind), None)


class _Checker:
    """Cross-references and kind rules, tolerant of data that failed the schema."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.data = _mapping(doc.data)
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
        for i, persona in _items(self.data.get("personas")):
            pid = _text(persona.get("id"))
            if not pid:
                continue
            path = ("personas", i, "id")
            if pid in seen:
                self.report(path, f"the persona id '{pid}' is already used on line {seen[pid]}")
            seen.setdefault(pid, self.doc.line(path))
        self.personas = list(seen)
        self.check_persona(("target_persona",), self.data.get("target_persona"))

    def check_persona(self, path: DocPath, value: Any) -> None:
        name = _text(value)
        if name and self.personas and name not in self.personas:
            self.report(
                path,
                f"'{name}' is not one of the personas declared under 'personas' "
                f"({', '.join(self.personas)}){_suggest(name, self.personas)}",
            )

    def check_accounts(self) -> None:
        for i, account in _items(_mapping(self.data.get("company")).get("accounts")):
            path: DocPath = ("company", "accounts", i)
            self.check_persona((*path, "persona"), account.get("persona"))
            name = _text(account.get("name"))
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
        for r, rnd in _items(self.data.get("rounds")):
            deals: list[tuple[str, str, DocPath]] = []
            for c, card in _items(rnd.get("cards")):
                path: DocPath = ("rounds", r, "cards", c)
                card_id = _text(card.get("id"))
                if card_id in card_ids:
                    self.report(
                        (*path, "id"),
                        f"the card id '{card_id}' is already used on line {card_ids[card_id]}; "
                        "every card needs its own id",
                    )
                elif card_id:
                    card_ids[card_id] = self.doc.line((*path, "id"))
                hidden = _mapping(card.get("hidden"))
                self.check_persona((*path, "hidden", "persona"), hidden.get("persona"))
                comeback = _mapping(card.get("comes_back"))
                self.check_persona((*path, "comes_back", "persona"), comeback.get("persona"))
                kind = _kind(card)
                if kind is None:
                    continue
                self.check_kind_rules(path, card, kind)
                if kind is CardKind.REQUEST:
                    self.check_account(r, (*path, "from"), card.get("from"), "a request must come from")
                if kind is CardKind.EVENT:
                    renewal = _mapping(card.get("effects")).get("renewal")
                    self.check_account(r, (*path, "effects", "renewal"), renewal, "a renewal must name")
                if kind is CardKind.DEAL and _text(card.get("from")):
                    deals.append((_text(card.get("from")), card_id, path))
            for asker, card_id, path in deals:
                self.won.setdefault(asker, (r, card_id, path))

    def check_kind_rules(self, path: DocPath, card: Mapping[str, Any], kind: CardKind) -> None:
        a_kind = f"an {kind.value}" if kind.value[0] in "aeiou" else f"a {kind.value}"
        known = list(_schema()["$defs"]["card"]["properties"])
        needs = {
            "from": "who asks" if kind in (CardKind.DEAL, CardKind.REQUEST) else None,
            "effort": None if kind is CardKind.EVENT else "the effort points it takes to build",
            "deal_size": "the $k of ARR it brings if won" if kind is CardKind.DEAL else None,
            "effects": "what it changes when it lands" if kind is CardKind.EVENT else None,
        }
        for key, meaning in needs.items():
            if meaning and key not in card and not _misspelled(key, card, known):
                self.report(path, f"{a_kind} needs '{key}': {meaning}")
        if kind is CardKind.EVENT and "effort" in card:
            self.report((*path, "effort"), "events take no effort; remove this line")
        if kind is not CardKind.EVENT and "effects" in card:
            self.report((*path, "effects"), f"only events have effects; this card is {a_kind}")
        if kind is not CardKind.DEAL and "deal_size" in card:
            self.report((*path, "deal_size"), f"only deals have a deal size; this card is {a_kind}")
        if kind is not CardKind.DEAL and "comes_back" in card:
            self.report((*path, "comes_back"), f"only deals can come back after a No; this card is {a_kind}")
        if kind is not CardKind.IMPROVEMENT and "debt_paydown" in _mapping(card.get("hidden")):
            self.report(
                (*path, "hidden", "debt_paydown"), f"only improvements pay down debt; this card is {a_kind}"
            )

    def check_account(self, round_index: int, path: DocPath, value: Any, rule: str) -> None:
        """``value`` must name an account at the start, or one won by a deal in an earlier round."""
        name = _text(value)
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
            f"or a deal's 'from' in an earlier round{_suggest(name, known)}",
        )

    def later_deal(self, name: str) -> tuple[int, str, DocPath] | None:
        """The first deal from ``name`` anywhere in the scenario (for a clearer message)."""
        for r, rnd in _items(self.data.get("rounds")):
            for c, card in _items(rnd.get("cards")):
                if _kind(card) is CardKind.DEAL and _text(card.get("from")) == name:
                    return r, _text(card.get("id")), ("rounds", r, "cards", c)
        return None

    def check_claims(self) -> None:
        for i, claim in _items(self.data.get("claims")):
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
                if winner in STRATEGY_NAMES and winner == claim.get("loser"):
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


# -- Building the model ---------------------------------------------------------------------------


def _build(data: dict[str, Any], scenario_id: str) -> Scenario:
    """The model for a document that passed every check."""
    target = _text(data["target_persona"])
    company = data["company"]
    return Scenario(
        id=scenario_id,
        title=_text(data["title"]),
        story=_text(data["story"]),
        target_persona=target,
        personas=tuple(
            Persona(_text(p["id"]), _text(p["name"]), _text(p.get("description"))) for p in data["personas"]
        ),
        market=Market(**{k: float(v) for k, v in _mapping(data.get("market")).items()}),
        company=StartingCompany(
            name=_text(company["name"]),
            capacity=int(company["capacity"]),
            cash=float(company["cash"]),
            burn=float(company["burn"]),
            customer_value=float(company["customer_value"]),
            tech_debt=float(company.get("tech_debt", 0.0)),
            accounts=tuple(
                Account(id=i, name=_text(a["name"]), persona=_text(a["persona"]), arr=float(a["arr"]))
                for i, a in enumerate(company.get("accounts", []), start=1)
            ),
        ),
        rounds=tuple(
            Round(
                title=_text(r["title"]),
                cards=tuple(_build_card(c, target) for c in r["cards"]),
                story=_text(r.get("story")),
            )
            for r in data["rounds"]
        ),
        debrief_prompts=tuple(_text(p) for p in data.get("debrief_prompts", [])),
        claims=tuple(_build_claim(c) for c in data.get("claims", [])),
    )


def _build_card(card: dict[str, Any], target_persona: str) -> Card:
    kind = CardKind(card["kind"])
    hidden = dict(_mapping(card.get("hidden")))
    persona = _text(hidden.pop("persona", "")) or target_persona
    hints = _mapping(card.get("hints"))
    comes_back = card.get("comes_back")
    effects = card.get("effects")
    return Card(
        id=_text(card["id"]),
        kind=kind,
        title=_text(card["title"]),
        asker=_text(card.get("from")),
        contact=_text(card.get("contact")),
        text=_text(card.get("text")),
        effort=int(card.get("effort", 0)),
        deal_size=float(card.get("deal_size", 0.0)),
        deadline=int(card.get("deadline", _DEFAULT_DEADLINE[kind])),
        scope=Scope(card.get("scope", Scope.CORE.value)),
        hidden=Hidden(persona=persona, **{k: float(v) for k, v in hidden.items()}),
        hints=tuple((role, _text(hints.get(role.value))) for role in ROLES if _text(hints.get(role.value))),
        comes_back=None
        if comes_back is None
        else Comeback(
            after=int(comes_back["after"]),
            min_customer_value=float(comes_back["min_customer_value"]),
            deal_size=float(comes_back["deal_size"]),
            effort=int(comes_back["effort"]),
            persona=_text(comes_back.get("persona")),
        ),
        effects=None
        if effects is None
        else EventEffects(
            renewal=_text(effects.get("renewal")),
            **{k: float(v) for k, v in effects.items() if k != "renewal"},
        ),
    )


def _build_claim(claim: dict[str, Any]) -> Claim:
    def optional(key: str) -> float | None:
        return float(claim[key]) if key in claim else None

    return Claim(
        text=_text(claim["text"]),
        metric=Metric(claim["metric"]),
        winner=_text(claim.get("winner")),
        loser=_text(claim.get("loser")),
        margin=float(claim.get("margin", 0.0)),
        strategy=_text(claim.get("strategy")),
        at_least=optional("at_least"),
        at_most=optional("at_most"),
    )
