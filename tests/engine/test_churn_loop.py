"""The churn loop is written out for speed: it must decide exactly what the rules and the dice say.

``mechanics.churn`` inlines ``rules.churn_probability`` and rolls through ``dice.roll_for``; these
tests play the rule the plain way, account by account, and compare who stays, who leaves and at
what ARR, for accounts with every mix of neglect, persona, renewal, waiting and a fresh signature.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from game.model import SELF_SERVE, Account
from game.sim import rules
from game.sim.dice import Purpose, purpose_key, roll, roll_for, round_key, subject_key
from game.sim.engine import start_company
from game.sim.mechanics import churn
from game.sim.round_state import open_round
from tests.engine.factory import BUYERS, USERS, scenario

NAMES = ("Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay")


@settings(max_examples=300)
@given(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.integers(min_value=0, max_value=50),
    st.text(min_size=1, max_size=30),
    st.sampled_from(list(Purpose)),
)
def test_a_roll_by_name_is_the_same_roll(seed: int, round_index: int, name: str, purpose: Purpose) -> None:
    by_name = roll_for(purpose_key(round_key(seed, round_index), purpose), name)
    assert by_name == roll(seed, round_index, subject_key(name), purpose)


account_specs = st.lists(
    st.tuples(
        st.sampled_from((0.0, 0.5, 1.0, 2.5, 6.0)),  # neglect
        st.sampled_from((USERS, BUYERS)),
        st.booleans(),  # renewing this round
        st.booleans(),  # a request of theirs still waits
        st.booleans(),  # signed this round
    ),
    min_size=1,
    max_size=len(NAMES),
)


@settings(max_examples=200)
@given(
    account_specs,
    st.integers(min_value=0, max_value=10_000),
    st.floats(min_value=0.0, max_value=60.0),  # debt
    st.floats(min_value=0.0, max_value=100.0),  # customer value
    st.floats(min_value=0.0, max_value=1.0),  # market pressure
    st.floats(min_value=-0.05, max_value=0.3),  # extra churn from events and rushing
    st.floats(min_value=0.0, max_value=400.0),  # the self-serve pool's ARR
)
def test_the_churn_loop_decides_what_the_rule_says(
    specs: list[tuple[float, str, bool, bool, bool]],
    seed: int,
    debt: float,
    value: float,
    pressure: float,
    extra: float,
    pool_arr: float,
) -> None:
    named = [Account(i + 1, NAMES[i], s[1], 50.0 + 10 * i, 0, s[0]) for i, s in enumerate(specs)]
    accounts = (*named, Account(99, SELF_SERVE, USERS, pool_arr, 0, 0.0, True))
    sc = scenario((), pressure=pressure, accounts=accounts)
    state = open_round(sc, start_company(sc), 0, seed, 0.0, None)
    state.debt, state.value, state.extra_churn = debt, value, extra
    state.renewals = {NAMES[i] for i, s in enumerate(specs) if s[2]}
    state.waiting = {NAMES[i] for i, s in enumerate(specs) if s[3]}
    state.new_accounts = {NAMES[i] for i, s in enumerate(specs) if s[4]}

    shared = rules.churn_pressure(
        debt, value, extra, state.pressure, rules.mean_curb_appeal(state.working_curb)
    )
    misfit = rules.misfit_churn(state.pressure)
    expected: dict[str, tuple[float, float]] = {}  # name -> (ARR, neglect) after the round
    left: list[str] = []
    for acc in accounts:
        if acc.name in state.new_accounts:
            expected[acc.name] = (acc.arr, acc.neglect)
            continue
        renewing = acc.name in state.renewals
        p = rules.churn_probability(acc, USERS, shared + (rules.RENEWAL_RISK if renewing else 0.0), misfit)
        if acc.pooled:
            lost = acc.arr * p
            expected[acc.name] = (acc.arr - lost if lost >= 1.0 else acc.arr, 0.0)
            continue
        purpose = Purpose.RENEWAL if renewing else Purpose.CHURN
        if p > 0.0 and roll(seed, 0, subject_key(acc.name), purpose) < p:
            left.append(acc.name)
            continue
        neglect = acc.neglect
        if neglect and acc.name not in state.waiting:
            calmed = neglect * rules.NEGLECT_CALMING
            neglect = calmed if calmed >= rules.NEGLECT_FORGOTTEN else 0.0
        expected[acc.name] = (acc.arr, neglect)

    kept = churn(state)

    assert {n: (a.arr, a.neglect) for n, a in state.accounts.items()} == expected
    assert [a.name for a in state.churned] == left
    assert kept == sum(a.arr for a in state.accounts.values())
