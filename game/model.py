"""The game's nouns: scenarios, cards, companies and round outcomes, as frozen data."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import MISSING, dataclass, field, fields, replace
from enum import StrEnum
from typing import Any, TypeVar

_T = TypeVar("_T")


def quick_init(cls: type[_T]) -> type[_T]:
    """Give a frozen, slotted dataclass an ``__init__`` that is about a third cheaper.

    A frozen dataclass cannot assign its own fields: its ``__init__`` sets each one with
    ``object.__setattr__``, and a bound slot setter costs about as much. The engine builds
    thousands of accounts, snapshots and companies per game, so this ``__init__`` briefly lends
    the new instance a mutable twin class with the very same slots, assigns the fields the cheap
    way, and hands it back its class before anyone can see it. Nothing else changes: the class
    stays frozen (assignment still raises), equal, hashable and picklable exactly as before
    (tests/test_model.py). Only fields with plain defaults are supported, on a class whose only
    base is ``object``.
    """
    slots = getattr(cls, "__slots__", None)
    if cls.__bases__ != (object,) or slots is None:
        raise TypeError(f"{cls.__name__}: quick_init takes a slotted dataclass with no base class")
    params, body = [], []
    namespace: dict[str, Any] = {"_lend": object.__setattr__, "_own": cls}
    for i, f in enumerate(fields(cls)):  # type: ignore[arg-type]
        if f.default_factory is not MISSING or not f.init:
            raise TypeError(f"{cls.__name__}.{f.name}: quick_init takes plain fields")
        if f.default is MISSING:
            params.append(f.name)
        else:
            namespace[f"_default_{i}"] = f.default
            params.append(f"{f.name}=_default_{i}")
        body.append(f"    self.{f.name} = {f.name}")
    twin = type(f"{cls.__name__}Draft", (), {"__slots__": slots, "__module__": cls.__module__})
    namespace["_twin"] = twin
    probe = object.__new__(cls)
    object.__setattr__(probe, "__class__", twin)  # raises here, at import, if the layouts differ
    namespace["_alloc"] = object.__new__
    fill = "\n".join(body) + "\n    self.__class__ = _own\n"
    source = (
        f"def __init__(self, {', '.join(params)}):\n    _lend(self, '__class__', _twin)\n{fill}"
        f"def new({', '.join(params)}):\n    self = _alloc(_twin)\n{fill}    return self\n"
    )
    # generated from the class's own field names, as dataclasses does; named for profilers
    exec(compile(source, f"<quick_init {cls.__qualname__}>", "exec"), namespace)
    init, new = namespace["__init__"], namespace["new"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = cls.__init__.__doc__
    new.__qualname__ = f"quick_new({cls.__qualname__})"
    cls.__init__ = init  # type: ignore[method-assign]
    _QUICK_NEW[cls] = new
    return cls


_QUICK_NEW: dict[type, Callable[..., Any]] = {}


def quick_new(cls: type[_T]) -> Callable[..., _T]:
    """A plain function that makes a ``quick_init`` class's value from its fields, in order.

    ``cls(...)`` goes through the type's call machinery; the engine's innermost loops (accounts
    copied as they change, the company frozen after each round) call this instead, at about half
    the cost. The value is the same: exactly the class, frozen, equal and hashable.
    """
    try:
        return _QUICK_NEW[cls]
    except KeyError:
        raise TypeError(f"{cls.__name__} has no quick_init") from None


class Decision(StrEnum):
    """What a team does with one card this round."""

    BUILD = "build"
    DEFER = "defer"
    NO = "no"


class CardKind(StrEnum):
    """Deals come from prospects, requests from existing accounts, events from the market."""

    DEAL = "deal"
    REQUEST = "request"
    IMPROVEMENT = "improvement"
    EVENT = "event"


class Scope(StrEnum):
    """How the ask relates to the product, as the team can see it."""

    CORE = "core"  # on the roadmap's own line
    CUSTOM = "custom"  # built for one customer
    ADD_ON = "add-on"  # "if it could also do X..."


class Role(StrEnum):
    """A seat's role inside its team; each role sees its own hints."""

    SALES = "sales"
    PRODUCT = "product"
    ENGINEERING = "engineering"


ROLES: tuple[Role, ...] = (Role.SALES, Role.PRODUCT, Role.ENGINEERING)

STRATEGY_NAMES: tuple[str, ...] = (
    "always-yes",
    "product-first",
    "balanced",
    "random",
    "always-no",
    "always-defer",
)
"""The reference strategies, by the names scenarios and the command line use."""


@dataclass(frozen=True, slots=True)
class Persona:
    """A kind of user or buyer."""

    id: str
    name: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Hidden:
    """Card values the team cannot see until the debrief."""

    curb_appeal: float = 5.0  # 0-10: how well it demos and sells
    lasting_value: float = 5.0  # 0-10: value it keeps delivering to users
    persona: str = ""  # the persona it really serves ("" = the target persona)
    requirement_accuracy: float = 1.0  # 0-1: chance the prospect asked for the right thing
    maintenance: float = 0.0  # capacity points it eats every round once built
    debt: float = 0.0  # technical debt added when built
    debt_paydown: float = 0.0  # technical debt removed when built (improvements)


@dataclass(frozen=True, slots=True)
class Comeback:
    """A prospect that was told no may return once the product fits them."""

    after: int  # rounds after the No
    min_customer_value: float  # only if the product delivers at least this much value
    deal_size: float
    effort: int
    persona: str = ""  # whom the returning deal really serves ("" = as the original deal)


@dataclass(frozen=True, slots=True)
class EventEffects:
    """What a market event changes when it lands."""

    market_pressure: float = 0.0  # added to the scenario's market pressure from now on
    churn: float = 0.0  # extra churn probability for every account this round
    arr_pct: float = 0.0  # every account's ARR changes by this percentage
    customer_value: float = 0.0
    tech_debt: float = 0.0
    renewal: str = ""  # an account that decides now whether to renew


@dataclass(frozen=True, slots=True)
class Card:
    """One thing on the table in a round: a deal, a request, an improvement or an event."""

    id: str
    kind: CardKind
    title: str
    asker: str = ""  # the company asking: a prospect (deal) or an existing account (request)
    contact: str = ""  # who at that company ("VP Operations")
    text: str = ""
    effort: int = 0
    deal_size: float = 0.0  # $k ARR if won (deals)
    deadline: int = 1  # rounds the asker waits: 1 = decide this round
    scope: Scope = Scope.CORE
    hidden: Hidden = field(default_factory=Hidden)
    hints: tuple[tuple[Role, str], ...] = ()
    comes_back: Comeback | None = None
    effects: EventEffects | None = None

    @property
    def decidable(self) -> bool:
        """Events are news; everything else needs a decision."""
        return self.kind is not CardKind.EVENT

    def hint_for(self, role: Role) -> str:
        """The hint only that role's phone shows."""
        for r, text in self.hints:
            if r is role:
                return text
        return ""


@dataclass(frozen=True, slots=True)
class Round:
    """One quarter of the game."""

    title: str
    cards: tuple[Card, ...]
    story: str = ""


@quick_init
@dataclass(frozen=True, slots=True)
class Account:
    """A paying customer."""

    id: int
    name: str
    persona: str
    arr: float
    since_round: int = 0
    neglect: float = 0.0  # grows while their requests wait or are refused
    pooled: bool = False  # many small self-serve customers: they churn a share, not all at once
    grievances: tuple[Grievance, ...] = ()  # what the team did to their asks, oldest first
    sold_with: str = ""  # the deal card that signed them ("" = a customer from the start)


@quick_init
@dataclass(frozen=True, slots=True)
class Grievance:
    """One of an account's asks that the team deferred or refused: the named cause if they leave."""

    card_id: str
    round_index: int
    decision: Decision


SELF_SERVE = "Self-serve customers"
"""The pooled account that word of mouth fills."""


@dataclass(frozen=True, slots=True)
class StartingCompany:
    """The company every team starts from."""

    name: str
    capacity: int
    cash: float
    burn: float  # $k spent per round
    customer_value: float
    tech_debt: float
    accounts: tuple[Account, ...]


@dataclass(frozen=True, slots=True)
class Market:
    """How the market rewards selling versus value."""

    pressure: float = 0.5  # 0 = buyers judge lasting value, 1 = buyers judge the demo
    organic_growth: float = 0.3  # $k ARR per customer-value point per round, from word of mouth


class Metric(StrEnum):
    """End-of-game figures that claims and the balance check talk about."""

    ARR = "arr"
    CUSTOMER_VALUE = "customer_value"
    TECH_DEBT = "tech_debt"
    CHURNED_ACCOUNTS = "churned_accounts"
    CASH = "cash"
    COMPANY_VALUE = "company_value"  # after the year played out: only known at the end

    @property
    def higher_is_better(self) -> bool:
        return self not in (Metric.TECH_DEBT, Metric.CHURNED_ACCOUNTS)


CLAIM_SHARE = 0.9
"""By default a claim must hold in at least this share of the seeds the balance check plays."""


@dataclass(frozen=True, slots=True)
class Claim:
    """What a scenario says about its strategies; the balance check tests it.

    Either a comparison (``winner`` ends better than ``loser`` on ``metric`` by at least
    ``margin``) or a bound (``strategy`` ends with ``metric`` at least / at most a value).
    ``after_round`` (1-based) compares the figure after that round instead of at the end.
    A claim holds when it is true in at least ``share`` of the seeds played; an ``on_average``
    comparison instead holds when the winner's mean over the seeds beats the loser's.
    """

    text: str
    metric: Metric
    winner: str = ""
    loser: str = ""
    margin: float = 0.0
    strategy: str = ""
    at_least: float | None = None
    at_most: float | None = None
    after_round: int | None = None
    share: float = CLAIM_SHARE
    on_average: bool = False


@dataclass(frozen=True, slots=True)
class StrategyRule:
    """One rule of a strategy file: the cards it matches (empty = any) and what it decides for them."""

    decide: Decision
    kinds: tuple[CardKind, ...] = ()
    scopes: tuple[Scope, ...] = ()
    rounds: tuple[int, ...] = ()  # 1-based round numbers


@dataclass(frozen=True, slots=True)
class StrategySpec:
    """A strategy written as rules, in a file or a scenario: the first rule that matches a card decides."""

    name: str
    rules: tuple[StrategyRule, ...]
    description: str = ""
    source: str = ""  # the file it was read from ("" = written inside the scenario)


@dataclass(frozen=True, slots=True)
class PromptCondition:
    """When a debrief prompt is true: some team ended ahead of (or behind) a strategy on a metric."""

    strategy: str
    metric: Metric
    team_ahead: bool  # True: `team_beats`; False: `team_trails`


@dataclass(frozen=True, slots=True)
class Prompt:
    """A debrief question, shown only when its condition (if any) holds in this game."""

    text: str
    condition: PromptCondition | None = None


COMEBACK_SUFFIX = "~back"  # a returning prospect's card id: the original's, with this suffix
COMEBACK_DEADLINE = 2


def comeback_card(card: Card) -> Card:
    """The deal a prospect brings back once the product fits them: standard work, no surprises."""
    if card.comes_back is None:
        raise ValueError(f"{card.id} does not come back")
    cb = card.comes_back
    hidden = replace(
        card.hidden,
        persona=cb.persona or card.hidden.persona,
        requirement_accuracy=1.0,
        maintenance=0.0,
        debt=0.0,
        curb_appeal=min(10.0, max(0.0, card.hidden.curb_appeal)),
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


def needed_customer(card: Card) -> str | None:
    """Who must be a customer for the card to be on the table (a request's asker, a renewer), or None."""
    if card.kind is CardKind.REQUEST:
        return card.asker
    if card.kind is CardKind.EVENT and card.effects is not None and card.effects.renewal:
        return card.effects.renewal
    return None


@dataclass(frozen=True, slots=True)
class Scenario:
    """A whole game as a facilitator wrote it.

    ``cards`` and ``tables`` are worked out from the rounds when the value is made (and again by
    ``dataclasses.replace``): the engine looks cards up every round of thousands of games, and a
    lookup that lives on the immutable value can never go stale or leak between scenarios.
    """

    id: str
    title: str
    story: str
    target_persona: str
    personas: tuple[Persona, ...]
    market: Market
    company: StartingCompany
    rounds: tuple[Round, ...]
    debrief_prompts: tuple[str, ...] = ()  # the unconditional prompts' text (see ``prompts``)
    claims: tuple[Claim, ...] = ()
    strategies: tuple[StrategySpec, ...] = ()  # the scenario's own strategies, beside the reference ones
    prompts: tuple[Prompt, ...] = ()  # every debrief prompt, conditional or not, in the file's order
    # Every card a table can hold, by id, returning prospects' cards included (read-only).
    cards: Mapping[str, Card] = field(init=False, repr=False, compare=False)
    # Each round's cards, each with the customer it needs to be on a table (None: it always is).
    tables: tuple[tuple[tuple[Card, str | None], ...], ...] = field(init=False, repr=False, compare=False)
    # What each card becomes when it is built and works, by the round it is built in. Features are
    # immutable, so every game shares these: the balance check builds each hundreds of thousands of times.
    working: Mapping[str, tuple[Feature, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, Card] = {}
        for rnd in self.rounds:
            for card in rnd.cards:
                index[card.id] = card
                if card.comes_back is not None:
                    back = comeback_card(card)
                    index[back.id] = back
        tables = tuple(tuple((c, needed_customer(c)) for c in rnd.cards) for rnd in self.rounds)
        working = {
            cid: tuple(built_feature(c, r) for r in range(len(self.rounds))) for cid, c in index.items()
        }
        object.__setattr__(self, "cards", index)
        object.__setattr__(self, "tables", tables)
        object.__setattr__(self, "working", working)

    def card(self, card_id: str) -> Card:
        """Look up any card of the scenario by id (a returning prospect's too); KeyError if none."""
        return self.cards[card_id]

    def persona_name(self, persona_id: str) -> str:
        for p in self.personas:
            if p.id == persona_id:
                return p.name
        return persona_id


@quick_init
@dataclass(frozen=True, slots=True)
class Feature:
    """Something the company built and now lives with."""

    card_id: str
    title: str
    round_built: int
    lasting_value: float
    curb_appeal: float
    persona: str
    maintenance: float
    scope: Scope
    for_whom: str = ""  # the prospect or account it was built for
    liability: str = ""  # why it turned into a liability ("" = it is not one)


def built_feature(card: Card, round_index: int, liability: str = "") -> Feature:
    """What a built card becomes; a liability delivers no lasting value."""
    h = card.hidden
    return Feature(
        card_id=card.id,
        title=card.title,
        round_built=round_index,
        lasting_value=0.0 if liability else h.lasting_value,
        curb_appeal=h.curb_appeal,
        persona=h.persona,
        maintenance=h.maintenance,
        scope=card.scope,
        for_whom=card.asker,
        liability=liability,
    )


@quick_init
@dataclass(frozen=True, slots=True)
class Pending:
    """A deferred card waiting in the team's backlog."""

    card_id: str
    since_round: int  # the round it was first on the table
    rounds_waited: int = 0


@quick_init
@dataclass(frozen=True, slots=True)
class Return:
    """A prospect that was told no and may come back."""

    card_id: str
    due_round: int


@quick_init
@dataclass(frozen=True, slots=True)
class Company:
    """One team's company between rounds."""

    name: str
    base_capacity: int
    cash: float
    burn: float
    customer_value: float
    tech_debt: float
    accounts: tuple[Account, ...]
    features: tuple[Feature, ...] = ()
    backlog: tuple[Pending, ...] = ()
    returns: tuple[Return, ...] = ()
    churned: tuple[Account, ...] = ()
    market_pressure_shift: float = 0.0
    next_account_id: int = 1
    rounds_played: int = 0

    @property
    def arr(self) -> float:
        return sum(a.arr for a in self.accounts)

    @property
    def maintenance(self) -> float:
        return sum(f.maintenance for f in self.features)

    @property
    def liabilities(self) -> tuple[Feature, ...]:
        return tuple(f for f in self.features if f.liability)


@quick_init
@dataclass(frozen=True, slots=True)
class Cause:
    """One change of a figure in a round and the card and decision (if any) that produced it.

    For ``arr``, ``customer_value``, ``tech_debt`` and ``cash`` a round's causes add up to the
    change of the figure; ``capacity`` causes are the parts of the capacity after the round.
    """

    metric: str  # "arr", "customer_value", "tech_debt", "capacity", "cash"
    amount: float
    card_id: str = ""
    text: str = ""
    decision: str = ""  # "build", "defer", "no", or "" for the market, the backlog and the passing of time


@quick_init
@dataclass(frozen=True, slots=True)
class Snapshot:
    """The headline figures of a company at one moment."""

    arr: float
    customer_value: float
    tech_debt: float
    capacity: int
    cash: float
    accounts: int
    churned_accounts: int


@quick_init
@dataclass(frozen=True, slots=True)
class RoundOutcome:
    """What one round did to one company, readable on a phone and traceable in the debrief."""

    round_index: int
    before: Snapshot
    after: Snapshot
    lines: tuple[str, ...]
    causes: tuple[Cause, ...]
    effort_used: int
    capacity: int
    decisions: tuple[tuple[str, Decision], ...]  # every card on the table and what was done
    headline: str = ""  # the line that says most about the round, for the reveal
    capacity_parts: tuple[Cause, ...] = ()  # what the capacity after the round is made of
    bumped: tuple[str, ...] = ()  # builds that did not fit this round, deferred instead
