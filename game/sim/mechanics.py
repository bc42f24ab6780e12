"""What each card, and the end of the round, does to one company's numbers.

The steps change a ``RoundState`` (``game.sim.round_state``) in place; ``game.sim.engine`` calls them
in order. Every
number is decided here; when the round is narrated each step also tells its ``Story``
(``game.sim.narrative``) what happened, and a quiet round (no story) skips that and nothing else.
"""

from __future__ import annotations

from game.model import (
    SELF_SERVE,
    Account,
    Card,
    CardKind,
    Decision,
    Grievance,
    Pending,
    Return,
    Scope,
    built_feature,
    quick_new,
)
from game.sim import rules
from game.sim.dice import Purpose, purpose_key, roll_for
from game.sim.round_state import RoundState
from game.sim.table import card_index

# Python 3.11 looks an enum member up through its class on every use (about 60 ns, more than
# the comparison itself); the per-card and per-account code reads these module names instead.
_DEAL, _REQUEST = CardKind.DEAL, CardKind.REQUEST
_CUSTOM = Scope.CUSTOM
_ACCURACY, _WIN, _CHURN, _RENEWAL = Purpose.ACCURACY, Purpose.WIN, Purpose.CHURN, Purpose.RENEWAL
_DEFER, _NO = Decision.DEFER, Decision.NO
# The values made in the innermost loops, made by plain functions (see model.quick_new).
_account, _grievance, _pending = quick_new(Account), quick_new(Grievance), quick_new(Pending)


def land_event(st: RoundState, card: Card) -> None:
    fx = card.effects
    if fx is None:
        return
    story = st.story
    if story is not None:
        story.market_news(card)
    if fx.market_pressure:
        st.shift_pressure(fx.market_pressure)
    st.extra_churn += fx.churn
    if fx.arr_pct:
        for name, acc in list(st.accounts.items()):
            delta = acc.arr * fx.arr_pct / 100.0
            st.accounts[name] = _with_arr(acc, max(0.0, acc.arr + delta))
            if story is not None:
                story.event_moved_arr(card, name, delta)
    if fx.customer_value:
        new_value = rules.clamp(st.value + fx.customer_value, 0.0, rules.MAX_CUSTOMER_VALUE)
        if story is not None:
            story.event_moved(card, "customer_value", new_value - st.value)
        st.value = new_value
    if fx.tech_debt:
        new_debt = max(0.0, st.debt + fx.tech_debt)
        if story is not None:
            story.event_moved(card, "tech_debt", new_debt - st.debt)
        st.debt = new_debt
    if fx.renewal:
        st.renewals.add(fx.renewal)


def build(st: RoundState, card: Card, rushed: int) -> None:
    """Build the card; ``rushed`` is how many of its points went past capacity (see ``rush``)."""
    h = card.hidden
    story = st.story
    if h.debt:
        st.debt += h.debt
        if story is not None:
            story.built(card, h.debt)
    if h.debt_paydown:
        paid = min(st.debt, h.debt_paydown)
        st.debt -= paid
        if story is not None:
            story.paid_down(card, paid)
    st.rushed += rushed
    liability = ""
    if card.kind is _DEAL:
        liability = _close_deal(st, card)
    elif card.kind is _REQUEST:
        acc = st.accounts.get(card.asker)
        if acc is not None and (acc.neglect or acc.grievances):  # a calm account stays as it is
            st.accounts[card.asker] = _with_neglect(acc, 0.0, ())
        if story is not None:
            story.shipped(card)
    gained = 0.0 if liability else rules.feature_value(h.lasting_value, h.persona, st.scenario.target_persona)
    gained = min(gained, rules.MAX_CUSTOMER_VALUE - st.value)
    if gained > 0:
        st.value += gained
        if story is not None:
            story.delivers_value(card, gained)
    if h.maintenance:
        st.maintenance += h.maintenance
        if story is not None:
            story.maintaining(card, burden=bool(liability) or card.scope is _CUSTOM)
    if liability:
        st.features.append(built_feature(card, st.round_index, liability))
    else:
        st.working_curb.append(h.curb_appeal)
        st.features.append(st.scenario.working[card.id][st.round_index])


def _close_deal(st: RoundState, card: Card) -> str:
    """Roll the built deal; returns why the feature became a liability, or ""."""
    h = card.hidden
    if roll_for(purpose_key(st.dice, _ACCURACY), card.id) >= h.requirement_accuracy:
        if st.story is not None:
            st.story.wrong_requirement(card)
        return f"built as {card.asker} asked, but their requirement was wrong"
    pressure = st.pressure
    product_curb = rules.mean_curb_appeal(st.working_curb)
    p = rules.win_probability(h.curb_appeal, product_curb, st.value, pressure)
    if roll_for(purpose_key(st.dice, _WIN), card.id) < p:
        acc = _account(
            id=st.next_account_id,
            name=card.asker,
            persona=h.persona,
            arr=card.deal_size,
            since_round=st.round_index + 1,
            sold_with=card.id,
        )
        st.next_account_id += 1
        name = card.asker
        if name in st.accounts:  # a second deal with the same company grows the account
            old = st.accounts[name]
            acc = _with_arr(old, old.arr + card.deal_size)
        st.accounts[name] = acc
        st.new_accounts.add(name)
        if st.story is not None:
            st.story.signed(card)
        return ""
    if st.story is not None:
        st.story.lost_to_competitor(card)
    if card.scope is _CUSTOM:
        return f"built for {card.asker}, who never signed"
    return ""


def refuse(st: RoundState, card: Card) -> None:
    if card.kind is _DEAL:
        if st.story is not None:
            st.story.said_no(card)
        if card.comes_back is not None:
            st.returns.append(Return(card.id, st.round_index + card.comes_back.after))
    elif card.kind is _REQUEST:
        _neglect(st, card, rules.NEGLECT_REFUSED, _NO)
        if st.story is not None:
            st.story.refused_request(card)
    elif st.story is not None:
        st.story.refused_improvement(card)


def defer(st: RoundState, card: Card, pending: Pending | None, bumped: bool = False) -> None:
    """Leave the card for later (``pending``: how it has waited so far), unless its asker stops waiting.

    ``bumped``: the team chose to build it, but it did not fit the round.
    """
    story = st.story
    if bumped and story is not None:
        story.no_room(card)
    waited = 0 if pending is None else pending.rounds_waited + 1
    since = st.round_index if pending is None else pending.since_round
    if waited + 1 >= card.deadline:  # deadline 1 = this round only; 2 = one more round; ...
        if card.kind is _DEAL:
            if story is not None:
                story.stopped_waiting(card)
        elif card.kind is _REQUEST:
            _neglect(st, card, rules.NEGLECT_GAVE_UP, _DEFER)
            if story is not None:
                story.gave_up(card)
        elif story is not None:
            story.dropped(card)
        return
    if card.kind is _REQUEST:
        _neglect(st, card, rules.NEGLECT_DEFERRED, _DEFER)
        st.waiting.add(card.asker)
    if story is not None and not bumped:
        story.deferred(card, card.deadline - waited - 1)
    if waited >= 1:
        st.debt += rules.LIMBO_DEBT_PER_CARD
        if story is not None:
            story.in_limbo(card, rules.LIMBO_DEBT_PER_CARD)
    st.backlog.append(_pending(card.id, since, waited))


def give_up_backlog(st: RoundState, backlog: tuple[Pending, ...]) -> None:
    """The game is over and nobody will decide again: every request still waiting is given up on."""
    index = card_index(st.scenario)
    for pending in backlog:
        card = index[pending.card_id]
        acc = st.accounts.get(card.asker) if card.kind is _REQUEST else None
        if acc is not None:  # their deferrals are already on record: no new grievance after the game
            st.accounts[card.asker] = _with_neglect(acc, acc.neglect + rules.NEGLECT_GAVE_UP)
            if st.story is not None:
                st.story.gave_up(card)


def _neglect(st: RoundState, card: Card, amount: float, decision: Decision) -> None:
    """The asker of a request feels ignored; what the team did is kept as the reason they may leave."""
    acc = st.accounts.get(card.asker)
    if acc is not None:
        grievance = _grievance(card.id, st.round_index, decision)
        st.accounts[card.asker] = _with_neglect(acc, acc.neglect + amount, (*acc.grievances, grievance))


def rush(st: RoundState) -> None:
    """Work rushed past capacity: shortcuts add debt, and the bugs hurt users and raise churn now."""
    points = st.rushed
    debt = points * rules.RUSH_DEBT_PER_POINT
    st.debt += debt
    lost = min(st.value, points * rules.RUSH_INCIDENT_VALUE)
    st.value -= lost
    st.extra_churn += points * rules.RUSH_INCIDENT_CHURN
    if st.story is not None:
        st.story.rushed(points, debt, lost)


def rot(st: RoundState, points: int) -> None:
    """Upkeep that the capacity floor leaves undone: liabilities are never free, they rot into debt."""
    debt = points * rules.UNMAINTAINED_DEBT_PER_POINT
    st.debt += debt
    if st.story is not None:
        st.story.unmaintained(points, debt)


def clean_up(st: RoundState, unused: int) -> None:
    """Unused capacity pays down tech debt."""
    if unused > 0 and st.debt > 0:
        paid = min(st.debt, unused * rules.SLACK_PAYDOWN_PER_POINT)
        st.debt -= paid
        if st.story is not None:
            st.story.cleaned_up(unused, paid)


def grow_organically(st: RoundState) -> None:
    """Word of mouth: customer value brings target-persona self-serve customers (fewer under pressure)."""
    if st.value <= 30.0:
        return
    weight = rules.market_weight(st.pressure)
    inbound = st.scenario.market.organic_growth * (st.value - 30.0) * 0.5 * weight
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
    if st.story is not None:
        st.story.word_of_mouth(inbound)


def erode_value(st: RoundState) -> None:
    """Products age, and debt above the allowance shows up as quality problems users feel."""
    fading = st.value * rules.VALUE_DECAY
    quality = min(st.value - fading, rules.value_erosion(st.value, st.debt) - fading)
    st.value -= fading + quality
    if st.story is not None:
        st.story.eroded(fading, quality, st.debt)


def churn(st: RoundState) -> float:
    """Each named account may leave; the self-serve pool loses its share without a roll.

    Returns the ARR that stays (the accounts' sum in their order, as ``Company.arr`` adds it up).
    This loop runs for every account in every round and quarter of every balance-check game, so
    ``rules.churn_probability`` is written out inline here (tests/engine check the two agree).
    """
    target = st.scenario.target_persona
    pressure = st.pressure
    shared = rules.churn_pressure(
        st.debt, st.value, st.extra_churn, pressure, rules.mean_curb_appeal(st.working_curb)
    )
    renewing_shared = shared + rules.RENEWAL_RISK
    misfit = rules.misfit_churn(pressure)
    per_neglect, most = rules.NEGLECT_CHURN, rules.MAX_CHURN
    calming, forgotten = rules.NEGLECT_CALMING, rules.NEGLECT_FORGOTTEN
    waiting, renewals, new_accounts, story = st.waiting, st.renewals, st.new_accounts, st.story
    accounts = st.accounts
    leaving = purpose_key(st.dice, _CHURN)
    renewal = purpose_key(st.dice, _RENEWAL) if renewals else 0
    kept = 0.0
    for acc in list(accounts.values()):
        name, pooled, neglect = acc.name, acc.pooled, acc.neglect
        if new_accounts and not pooled and name in new_accounts:  # just signed: no roll, no calming
            kept += acc.arr
            continue
        renewing = name in renewals
        p = (renewing_shared if renewing else shared) + per_neglect * neglect
        if acc.persona != target:
            p += misfit
        if p > most:
            p = most
        if pooled:  # below zero, p loses nothing
            lost = acc.arr * p
            if lost >= 1.0:
                acc = accounts[name] = _with_arr(acc, acc.arr - lost)
                if story is not None:
                    story.pool_churned(acc, lost, target, st.debt)
            kept += acc.arr
            continue
        if p > 0.0 and roll_for(renewal if renewing else leaving, name) < p:  # a roll is never below 0
            del accounts[name]
            st.churned.append(acc)
            if story is not None:
                story.churned(acc, target, st.debt, card_index(st.scenario))
            continue
        if neglect and name not in waiting:
            calmed = neglect * calming
            acc = accounts[name] = _with_neglect(acc, calmed if calmed >= forgotten else 0.0)
        kept += acc.arr
    return kept


# Accounts change several times a round; positional construction is the cheap way to copy one.
def _with_arr(acc: Account, arr: float) -> Account:
    """The account with a new ARR."""
    return _account(
        acc.id,
        acc.name,
        acc.persona,
        arr,
        acc.since_round,
        acc.neglect,
        acc.pooled,
        acc.grievances,
        acc.sold_with,
    )


def _with_neglect(acc: Account, neglect: float, grievances: tuple[Grievance, ...] | None = None) -> Account:
    """The account with a new neglect (and, when given, its grievances)."""
    kept = acc.grievances if grievances is None else grievances
    return _account(
        acc.id, acc.name, acc.persona, acc.arr, acc.since_round, neglect, acc.pooled, kept, acc.sold_with
    )
