"""The simulation: one round of one company, as a pure function of state, plan and seed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from game import rules
from game.dice import Purpose, roll_in_round, round_key, subject_key
from game.errors import PlanError
from game.model import (
    SELF_SERVE,
    Account,
    Card,
    CardKind,
    Cause,
    Company,
    Decision,
    Feature,
    Pending,
    Return,
    RoundOutcome,
    Scenario,
    Scope,
    Snapshot,
)
from game.table import COMEBACK_SUFFIX, cards_on_table

# Python 3.11 looks an enum member up through its class on every use (about 60 ns, more than
# the comparison itself); the per-card and per-account code reads these module names instead.
_EVENT, _DEAL, _REQUEST = CardKind.EVENT, CardKind.DEAL, CardKind.REQUEST
_BUILD, _DEFER, _NO = Decision.BUILD, Decision.DEFER, Decision.NO
_CUSTOM = Scope.CUSTOM
_ACCURACY, _WIN, _CHURN, _RENEWAL = Purpose.ACCURACY, Purpose.WIN, Purpose.CHURN, Purpose.RENEWAL


def start_company(scenario: Scenario) -> Company:
    """The company every team starts the game with."""
    sc = scenario.company
    return Company(
        name=sc.name,
        base_capacity=sc.capacity,
        cash=sc.cash,
        burn=sc.burn,
        customer_value=min(sc.customer_value, rules.MAX_CUSTOMER_VALUE),
        tech_debt=sc.tech_debt,
        accounts=sc.accounts,
        next_account_id=max((a.id for a in sc.accounts), default=0) + 1,
    )


def snapshot(company: Company, capacity: int | None = None) -> Snapshot:
    """The headline figures; pass the capacity when it is already known (it costs a sum)."""
    return Snapshot(
        arr=company.arr,
        customer_value=company.customer_value,
        tech_debt=company.tech_debt,
        capacity=rules.capacity_of(company) if capacity is None else capacity,
        cash=company.cash,
        accounts=len(company.accounts),
        churned_accounts=len(company.churned),
    )


def money(k: float) -> str:
    """$k figures the way a person says them: $60k, $1.2M."""
    sign = "-" if k < 0 else ""
    k = abs(k)
    if k >= 1000:
        return f"{sign}${k / 1000:.1f}M"
    return f"{sign}${k:.0f}k"


@dataclass(slots=True)
class _Round:
    """Scratch state while one round resolves; frozen into a Company at the end."""

    scenario: Scenario
    company: Company
    round_index: int
    dice: int  # round_key(seed, round_index): every roll this round starts from it
    accounts: dict[str, Account]
    debt: float
    value: float
    pressure_shift: float
    features: list[Feature]
    working_curb: list[float]  # curb appeal of every feature that is not a liability, in build order
    backlog: list[Pending] = field(default_factory=list)
    returns: list[Return] = field(default_factory=list)
    churned: list[Account] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    causes: list[Cause] = field(default_factory=list)
    extra_churn: float = 0.0
    renewals: set[str] = field(default_factory=set)
    next_account_id: int = 1
    new_accounts: set[str] = field(default_factory=set)
    waiting: set[str] = field(default_factory=set)  # accounts with a request still in the backlog
    maintenance: float = 0.0  # of every feature, kept up to date as features are added
    headline: str = ""
    headline_weight: float = 0.0
    rushed: int = 0
    narrate: bool = True  # False: skip the story lines and causes; the numbers are the same

    def say(self, line: str, weight: float = 0.0) -> None:
        """Add a line of the round's story; the weightiest line (in $k-like terms) is the headline."""
        self.lines.append(line)
        if weight > self.headline_weight:
            self.headline, self.headline_weight = line, weight

    def cause(self, metric: str, amount: float, card_id: str = "", text: str = "") -> None:
        if amount:
            self.causes.append(Cause(metric, amount, card_id, text))


def resolve_round(
    scenario: Scenario,
    company: Company,
    plan: Mapping[str, Decision],
    round_index: int,
    seed: int,
    table: tuple[Card, ...] | None = None,
    before: Snapshot | None = None,
    *,
    narrate: bool = True,
) -> tuple[Company, RoundOutcome]:
    """Apply one round's plan to one company. Undecided cards count as Defer. Never mutates input.

    ``table`` (``cards_on_table(...)``) and ``before`` (``snapshot(company)``) may be passed in
    when the caller already has them; a whole game loop does.

    ``narrate=False`` is for callers that read only the numbers (the balance check): the
    outcome then has no lines, headline or causes, and none of their strings are built.
    Every number -- the company, both snapshots, effort and decisions -- is the same either way.
    """
    if table is None:
        table = cards_on_table(scenario, company, round_index)
    decidable = {c.id for c in table if c.kind is not _EVENT}
    unknown = [cid for cid in plan if cid not in decidable]
    if unknown:
        raise PlanError(f"not on the table this round: {', '.join(sorted(unknown))}")
    maintenance = company.maintenance
    capacity = rules.capacity_for(company.base_capacity, maintenance, company.tech_debt)
    st = _Round(
        scenario=scenario,
        company=company,
        round_index=round_index,
        dice=round_key(seed, round_index),
        accounts={a.name: a for a in company.accounts},
        debt=company.tech_debt,
        value=company.customer_value,
        pressure_shift=company.market_pressure_shift,
        features=list(company.features),
        working_curb=[f.curb_appeal for f in company.features if not f.liability],
        maintenance=maintenance,
        churned=list(company.churned),
        next_account_id=company.next_account_id,
        narrate=narrate,
    )
    waited = {p.card_id: p for p in company.backlog} if company.backlog else {}
    for card in table:
        if card.kind is _EVENT:
            _land_event(st, card)
    decisions: list[tuple[str, Decision]] = []
    used = 0
    for card in table:
        if card.kind is _EVENT:
            continue
        decision = plan.get(card.id, _DEFER)
        decisions.append((card.id, decision))
        if decision is _BUILD:
            rushed = used + card.effort - (capacity if capacity > used else used)
            rushed = rushed if rushed > 0 else 0
            used += card.effort
            _build(st, card, rushed)
        elif decision is _NO:
            _refuse(st, card)
        else:
            _defer(st, card, waited.get(card.id))
    if st.rushed and narrate:
        st.say(
            f"Rushed {st.rushed} point{'s' if st.rushed > 1 else ''} of work past capacity: "
            f"+{st.rushed * rules.RUSH_DEBT_PER_POINT:.0f} tech debt.",
            st.rushed * 15.0,
        )
    # Returning prospects that were not yet due stay in line.
    if company.returns:
        on_table = {c.id for c in table}
        st.returns.extend(r for r in company.returns if r.card_id + COMEBACK_SUFFIX not in on_table)
    _slack(st, capacity - used)
    _grow_organically(st)
    _erode_value(st)
    _churn(st)
    arr = sum(a.arr for a in st.accounts.values())
    revenue = arr / 4.0
    after = _freeze(st, company.cash + revenue - company.burn)
    if narrate:
        st.cause("cash", revenue, text="a quarter of ARR collected")
        st.cause("cash", -company.burn, text="the quarter's burn")
        if after.cash < 0 <= company.cash:
            st.say(f"Out of cash: {money(after.cash)}. The board wants a rescue plan.", 1e9)
    outcome = RoundOutcome(
        round_index=round_index,
        before=snapshot(company, capacity) if before is None else before,
        after=Snapshot(
            arr=arr,
            customer_value=after.customer_value,
            tech_debt=after.tech_debt,
            capacity=rules.capacity_for(after.base_capacity, st.maintenance, after.tech_debt),
            cash=after.cash,
            accounts=len(after.accounts),
            churned_accounts=len(after.churned),
        ),
        lines=tuple(st.lines),
        headline=st.headline or (st.lines[0] if st.lines else ""),
        causes=tuple(st.causes),
        effort_used=used,
        capacity=capacity,
        decisions=tuple(decisions),
    )
    return after, outcome


def _land_event(st: _Round, card: Card) -> None:
    fx = card.effects
    if fx is None:
        return
    narrate = st.narrate
    if narrate:
        st.say(f"Market news: {card.title}.")
    st.pressure_shift += fx.market_pressure
    st.extra_churn += fx.churn
    if fx.arr_pct:
        for name, acc in list(st.accounts.items()):
            delta = acc.arr * fx.arr_pct / 100.0
            st.accounts[name] = _with_arr(acc, max(0.0, acc.arr + delta))
            if narrate:
                st.cause("arr", delta, card.id, f"{name}: {card.title}")
    if fx.customer_value:
        new_value = rules.clamp(st.value + fx.customer_value, 0.0, rules.MAX_CUSTOMER_VALUE)
        if narrate:
            st.cause("customer_value", new_value - st.value, card.id, card.title)
        st.value = new_value
    if fx.tech_debt:
        st.debt = max(0.0, st.debt + fx.tech_debt)
        if narrate:
            st.cause("tech_debt", fx.tech_debt, card.id, card.title)
    if fx.renewal:
        st.renewals.add(fx.renewal)


def _build(st: _Round, card: Card, rushed: int) -> None:
    h = card.hidden
    narrate = st.narrate
    debt = h.debt + rushed * rules.RUSH_DEBT_PER_POINT - h.debt_paydown
    new_debt = max(0.0, st.debt + debt)
    if narrate:
        st.cause("tech_debt", new_debt - st.debt, card.id, f"built {card.title}")
    st.debt = new_debt
    st.rushed += rushed
    liability = ""
    if card.kind is _DEAL:
        liability = _close_deal(st, card)
    elif card.kind is _REQUEST:
        acc = st.accounts.get(card.asker)
        if acc is not None and acc.neglect:  # an account with no neglect stays as it is
            st.accounts[card.asker] = _with_neglect(acc, 0.0)
        if narrate:
            st.say(f"Shipped {card.title} for {card.asker}.", 10.0)
    elif h.debt_paydown and narrate:
        st.say(f"{card.title}: -{h.debt_paydown:.0f} tech debt.", h.debt_paydown * 3.0)
    gained = 0.0 if liability else rules.feature_value(h.lasting_value, h.persona, st.scenario.target_persona)
    gained = min(gained, rules.MAX_CUSTOMER_VALUE - st.value)
    if gained > 0:
        st.value += gained
        if narrate:
            st.cause("customer_value", gained, card.id, f"{card.title} delivers value")
    if h.maintenance:
        st.maintenance += h.maintenance
        if narrate:
            st.cause("capacity", -h.maintenance, card.id, f"maintaining {card.title}")
            if liability or card.scope is _CUSTOM:
                st.say(
                    f"{card.title} adds {h.maintenance:g} maintenance point"
                    f"{'s' if h.maintenance != 1 else ''} a round.",
                    h.maintenance * 20.0,
                )
    if liability:
        st.features.append(_feature(card, st.round_index, liability))
    else:
        st.working_curb.append(h.curb_appeal)
        st.features.append(_working_feature(card, st.round_index))


def _feature(card: Card, round_index: int, liability: str) -> Feature:
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


# (id(card), round) -> (card, the feature it becomes when it works). Features are immutable, so
# every game shares one per card and round: the balance check builds the same few hundred
# features hundreds of thousands of times. Keeping the card in the value keeps its id() unique.
_WORKING: dict[tuple[int, int], tuple[Card, Feature]] = {}


def _working_feature(card: Card, round_index: int) -> Feature:
    """``_feature(card, round_index, "")``, built once per card and round."""
    key = (id(card), round_index)
    hit = _WORKING.get(key)
    if hit is not None and hit[0] is card:
        return hit[1]
    if len(_WORKING) > 8192:  # bounded: scenarios come and go in a long-running server
        _WORKING.clear()
    feature = _feature(card, round_index, "")
    _WORKING[key] = (card, feature)
    return feature


def _close_deal(st: _Round, card: Card) -> str:
    """Roll the built deal; returns why the feature became a liability, or ""."""
    h = card.hidden
    key = subject_key(card.id)
    if roll_in_round(st.dice, key, _ACCURACY) >= h.requirement_accuracy:
        if st.narrate:
            st.say(
                f"Built {card.title} exactly as {card.asker} asked, but it wasn't what they needed: "
                f"the deal slipped and the feature stays as a liability.",
                card.deal_size * 1.2,
            )
        return f"built as {card.asker} asked, but their requirement was wrong"
    pressure = rules.clamp(st.scenario.market.pressure + st.pressure_shift, 0.0, 1.0)
    product_curb = rules.mean_curb_appeal(st.working_curb)
    p = rules.win_probability(h.curb_appeal, product_curb, st.value, pressure)
    if roll_in_round(st.dice, key, _WIN) < p:
        acc = Account(
            id=st.next_account_id,
            name=card.asker,
            persona=h.persona,
            arr=card.deal_size,
            since_round=st.round_index + 1,
        )
        st.next_account_id += 1
        name = card.asker
        if name in st.accounts:  # a second deal with the same company grows the account
            old = st.accounts[name]
            acc = _with_arr(old, old.arr + card.deal_size)
        st.accounts[name] = acc
        st.new_accounts.add(name)
        if st.narrate:
            st.cause("arr", card.deal_size, card.id, f"{card.asker} signed")
            st.say(f"{card.asker} signed: +{money(card.deal_size)} ARR.", card.deal_size)
        return ""
    if st.narrate:
        st.say(f"{card.asker} chose a competitor despite {card.title}.", card.deal_size * 0.8)
    if card.scope is _CUSTOM:
        return f"built for {card.asker}, who never signed"
    return ""


def _refuse(st: _Round, card: Card) -> None:
    if card.kind is _DEAL:
        if st.narrate:
            st.say(f"Said no to {card.asker}: the deal is off, focus kept.", 5.0)
        if card.comes_back is not None:
            st.returns.append(Return(card.id, st.round_index + card.comes_back.after))
    elif card.kind is _REQUEST:
        _neglect(st, card.asker, rules.NEGLECT_REFUSED)


def _defer(st: _Round, card: Card, pending: Pending | None) -> None:
    waited = 0 if pending is None else pending.rounds_waited + 1
    since = st.round_index if pending is None else pending.since_round
    if waited + 1 >= card.deadline:  # deadline 1 = this round only; 2 = one more round; ...
        if card.kind is _DEAL:
            if st.narrate:
                st.say(f"{card.asker} stopped waiting and signed with a competitor.", card.deal_size * 0.5)
        elif card.kind is _REQUEST:
            _neglect(st, card.asker, rules.NEGLECT_GAVE_UP)
            if st.narrate:
                st.say(f"{card.asker} gave up waiting for {card.title}.", 30.0)
        return
    if card.kind is _REQUEST:
        _neglect(st, card.asker, rules.NEGLECT_DEFERRED)
        st.waiting.add(card.asker)
    if waited >= 1:
        st.debt += rules.LIMBO_DEBT_PER_CARD
        if st.narrate:
            st.cause("tech_debt", rules.LIMBO_DEBT_PER_CARD, card.id, f"{card.title} left in limbo")
    st.backlog.append(Pending(card.id, since, waited))


def _neglect(st: _Round, name: str, amount: float) -> None:
    acc = st.accounts.get(name)
    if acc is not None:
        st.accounts[name] = _with_neglect(acc, acc.neglect + amount)


def _slack(st: _Round, unused: int) -> None:
    if unused > 0 and st.debt > 0:
        paid = min(st.debt, unused * rules.SLACK_PAYDOWN_PER_POINT)
        st.debt -= paid
        if st.narrate:
            st.cause("tech_debt", -paid, text=f"{unused} unused points went into clean-up")


def _grow_organically(st: _Round) -> None:
    """Word of mouth: customer value brings self-serve customers of the target persona."""
    inbound = st.scenario.market.organic_growth * max(0.0, st.value - 30.0) * 0.5
    if inbound < 1.0:
        return
    pool = st.accounts.get(SELF_SERVE)
    if pool is None:
        pool = Account(
            id=st.next_account_id,
            name=SELF_SERVE,
            persona=st.scenario.target_persona,
            arr=0.0,
            since_round=st.round_index + 1,
            pooled=True,
        )
        st.next_account_id += 1
    st.accounts[SELF_SERVE] = _with_arr(pool, pool.arr + inbound)
    if st.narrate:
        st.cause("arr", inbound, text="word of mouth from customer value")
        st.say(f"Word of mouth brought {money(inbound)} of new self-serve ARR.", inbound)


def _erode_value(st: _Round) -> None:
    lost = rules.value_erosion(st.value, st.debt)
    st.value = max(0.0, st.value - lost)
    if st.narrate:
        st.cause("customer_value", -lost, text="fading relevance and quality problems")


def _churn(st: _Round) -> None:
    """Each named account may leave; the self-serve pool loses its share without a roll."""
    target = st.scenario.target_persona
    shared = rules.churn_pressure(st.debt, st.value, st.extra_churn)
    waiting, renewals, new_accounts, narrate = st.waiting, st.renewals, st.new_accounts, st.narrate
    dice = st.dice
    for name, acc in list(st.accounts.items()):
        if not acc.pooled and name in new_accounts:  # just signed: no roll, no calming
            continue
        renewing = name in renewals
        p = rules.churn_probability(acc, target, shared + rules.RENEWAL_RISK if renewing else shared)
        if acc.pooled:
            lost = acc.arr * p
            if lost >= 1.0:
                st.accounts[name] = _with_arr(acc, acc.arr - lost)
                if narrate:
                    st.cause("arr", -lost, text=f"{name} churned")
                    st.say(f"{name}: -{money(lost)} ARR churned ({_why(acc, target, st.debt)}).", lost)
            continue
        purpose = _RENEWAL if renewing else _CHURN
        if p > 0.0 and roll_in_round(dice, subject_key(name), purpose) < p:  # a roll is never below 0
            del st.accounts[name]
            st.churned.append(acc)
            if narrate:
                st.cause("arr", -acc.arr, text=f"{name} churned")
                st.say(
                    f"{name} churned: -{money(acc.arr)} ARR ({_why(acc, target, st.debt)}).", acc.arr * 1.1
                )
        elif name not in waiting and acc.neglect:
            st.accounts[name] = _with_neglect(acc, acc.neglect * rules.NEGLECT_CALMING)


def _why(acc: Account, target: str, debt: float) -> str:
    if acc.pooled:
        return "quality problems" if debt > rules.DEBT_FREE_ALLOWANCE * 2 else "the usual turnover"
    if acc.neglect >= 1.0:
        return "they felt ignored"
    if acc.persona != target:
        return "the product was never built for them"
    if debt > rules.DEBT_FREE_ALLOWANCE * 2:
        return "quality problems"
    return "budget cuts"


# Accounts change several times a round; positional construction is the cheap way to copy one.
def _with_arr(acc: Account, arr: float) -> Account:
    """The account with a new ARR."""
    return Account(acc.id, acc.name, acc.persona, arr, acc.since_round, acc.neglect, acc.pooled)


def _with_neglect(acc: Account, neglect: float) -> Account:
    """The account with a new neglect."""
    return Account(acc.id, acc.name, acc.persona, acc.arr, acc.since_round, neglect, acc.pooled)


def _freeze(st: _Round, cash: float) -> Company:
    c = st.company
    return Company(
        name=c.name,
        base_capacity=c.base_capacity,
        cash=round(cash, 3),
        burn=c.burn,
        customer_value=round(st.value, 3),
        tech_debt=round(st.debt, 3),
        accounts=tuple(st.accounts.values()),
        features=tuple(st.features),
        backlog=tuple(st.backlog),
        returns=tuple(st.returns),
        churned=tuple(st.churned),
        market_pressure_shift=st.pressure_shift,
        next_account_id=st.next_account_id,
        rounds_played=c.rounds_played + 1,
    )
