"""Each mechanic of the simulation, one small table or case at a time."""

from __future__ import annotations

import pytest

from game.errors import PlanError
from game.model import COMEBACK_SUFFIX, Account, Decision, Scope
from game.sim import rules
from game.sim.engine import resolve_round, start_company
from game.sim.table import cards_on_table
from tests.engine.factory import BUYERS, USERS, Comeback, Hidden, deal, event, improvement, request, scenario

B, D, N = Decision.BUILD, Decision.DEFER, Decision.NO


def play(sc, plans, seed=1):
    company = start_company(sc)
    outcomes = []
    for r, plan in enumerate(plans):
        company, outcome = resolve_round(sc, company, plan, r, seed)
        outcomes.append(outcome)
    return company, outcomes


def test_a_one_off_custom_feature_keeps_eating_capacity() -> None:
    custom = deal("sso", scope=Scope.CUSTOM, hidden=Hidden(persona=USERS, maintenance=2.0))
    sc = scenario((custom,), (), (), capacity=10)
    company, outcomes = play(sc, [{"sso": B}, {}, {}])
    assert [o.capacity for o in outcomes] == [10, 8, 8]
    assert company.maintenance == 2.0
    assert any("will need upkeep every round" in line for line in outcomes[0].lines)
    upkeep = [c for c in outcomes[0].capacity_parts if c.card_id == "sso"]
    assert [c.amount for c in upkeep] == [-2.0] and "upkeep of Deal sso" in upkeep[0].text


def test_a_deferred_deal_past_its_deadline_is_lost() -> None:
    patient = deal("big", deadline=2)
    sc = scenario((patient,), (), ())
    company, outcomes = play(sc, [{"big": D}, {"big": D}, {}])
    assert [p.card_id for p in company.backlog] == []  # gone from the backlog, not kept waiting
    assert any("stopped waiting" in line for line in outcomes[1].lines)
    assert "big" not in {c.id for c in cards_on_table(sc, company, 2)}


def test_a_deferred_deal_within_its_deadline_waits_in_the_backlog() -> None:
    sc = scenario((deal("big", deadline=2),), ())
    company, _ = play(sc, [{"big": D}])
    assert [p.card_id for p in company.backlog] == ["big"]
    assert "big" in {c.id for c in cards_on_table(sc, company, 1)}


def test_saying_no_loses_the_deal_but_adds_no_debt() -> None:
    risky = deal("shiny", hidden=Hidden(persona=USERS, debt=5.0, maintenance=1.0))
    sc = scenario((risky,), (), accounts=())
    company, outcomes = play(sc, [{"shiny": N}, {}])
    assert company.tech_debt == 0.0
    assert company.arr == 0.0
    assert company.features == ()
    assert "shiny" not in {c.id for c in cards_on_table(sc, company, 1)}
    assert any("Said no" in line for line in outcomes[0].lines)


@pytest.mark.parametrize(
    ("effort", "capacity", "rushed"),
    [
        (8, 10, 0),
        (10, 10, 0),
        (12, 10, 2),
        (13, 10, 3),  # 10 + rush_limit(10) = 13: the most that fits
    ],
)
def test_building_past_capacity_is_rushed_adds_debt_and_bugs(effort: int, capacity: int, rushed: int) -> None:
    sc = scenario((improvement("big", paydown=0.0, effort=effort),), capacity=capacity, customer_value=50.0)
    company, outcomes = play(sc, [{"big": B}])
    assert company.tech_debt == pytest.approx(rushed * rules.RUSH_DEBT_PER_POINT)
    assert outcomes[0].effort_used == effort
    assert any("past capacity" in line for line in outcomes[0].lines) == (rushed > 0)
    bugs = [c for c in outcomes[0].causes if c.metric == "customer_value" and "bugs" in c.text]
    assert sum(c.amount for c in bugs) == pytest.approx(-rushed * rules.RUSH_INCIDENT_VALUE)


@pytest.mark.parametrize(("capacity", "limit"), [(10, 13), (6, 8), (3, 4), (1, 2)])
def test_the_rush_limit_is_a_share_of_capacity_and_at_least_one_point(capacity: int, limit: int) -> None:
    assert rules.build_limit(capacity) == limit


def test_a_build_that_does_not_fit_is_deferred_in_the_order_the_team_chose() -> None:
    """Capacity 10 can build 13: the first two chosen fit (6 + 6), the third (2) fits too, the fourth not."""
    cards = (
        request("a", effort=6, deadline=3),
        request("b", effort=6, deadline=3),
        request("c", effort=2, deadline=3),
        request("d", effort=1, deadline=3),
    )
    sc = scenario(cards, (), capacity=10)
    plan = {"b": B, "a": B, "d": B, "c": B}  # the team's order: b, a, d, c
    company, outcomes = play(sc, [plan])
    assert dict(outcomes[0].decisions) == {"a": B, "b": B, "c": D, "d": B}
    assert outcomes[0].bumped == ("c",)
    assert outcomes[0].effort_used == 13
    assert [p.card_id for p in company.backlog] == ["c"]
    assert any("No room to build Request c" in line for line in outcomes[0].lines)


def test_rushing_raises_churn_for_the_round() -> None:
    """Same dice, same cards: the team that rushes loses more accounts over many seeds."""
    accounts = tuple(Account(i, f"Acct {i}", USERS, 100.0) for i in range(1, 21))
    sc = scenario((improvement("big", paydown=0.0, effort=13),), capacity=10, accounts=accounts)
    calm = scenario((improvement("big", paydown=0.0, effort=10),), capacity=10, accounts=accounts)
    rushed = sum(len(play(sc, [{"big": B}], seed)[0].churned) for seed in range(200))
    steady = sum(len(play(calm, [{"big": B}], seed)[0].churned) for seed in range(200))
    assert rushed > steady * 1.05  # same rolls, higher risk: every steady churn is a rushed churn, and more


def test_upkeep_the_floor_excuses_rots_into_debt() -> None:
    """Liabilities are never free: at the capacity floor, the upkeep nobody has time for becomes debt."""
    heavy = tuple(
        deal(
            f"x{i}",
            scope=Scope.CUSTOM,
            hidden=Hidden(persona=USERS, requirement_accuracy=0.0, maintenance=2.0),
        )
        for i in range(4)
    )
    sc = scenario(heavy, (), (), capacity=10)
    # three liabilities: 10 - 6 upkeep = 4, above the floor of 3: nothing rots
    _, outcomes = play(sc, [{c.id: B for c in heavy[:3]}, {}, {}])
    assert not any("upkeep nobody had time for" in c.text for o in outcomes for c in o.causes)
    # four: 10 - 8 = 2, below the floor: the team still gets 3 points, and one point rots every round
    _, outcomes = play(sc, [{c.id: B for c in heavy}, {}, {}])
    assert [o.capacity for o in outcomes] == [10, 3, 3]
    for o in outcomes[1:]:
        rot = [c for c in o.causes if c.metric == "tech_debt" and "upkeep nobody had time for" in c.text]
        assert [c.amount for c in rot] == [rules.UNMAINTAINED_DEBT_PER_POINT]


@pytest.mark.parametrize(("pressure", "calmer"), [(0.2, True), (0.9, False)])
def test_market_pressure_decides_whether_value_keeps_customers(pressure: float, calmer: bool) -> None:
    """In a calm market high customer value cuts churn; under full pressure it protects nobody."""
    assert (
        rules.churn_pressure(0.0, 90.0, 0.0, pressure) < rules.churn_pressure(0.0, 50.0, 0.0, pressure) - 0.02
    ) == calmer


@pytest.mark.parametrize(("pressure", "slick_wins"), [(0.1, False), (0.9, True)])
def test_market_pressure_decides_whether_the_demo_keeps_customers(pressure: float, slick_wins: bool) -> None:
    slick = rules.churn_pressure(0.0, 50.0, 0.0, pressure, product_curb=9.0)
    plain = rules.churn_pressure(0.0, 50.0, 0.0, pressure, product_curb=2.0)
    assert (plain - slick > 0.05) == slick_wins


def test_a_wrong_requirement_loses_the_deal_and_leaves_a_liability() -> None:
    wrong = deal(
        "export", scope=Scope.CUSTOM, hidden=Hidden(persona=USERS, requirement_accuracy=0.0, maintenance=1.0)
    )
    sc = scenario((wrong,), (), accounts=())
    company, outcomes = play(sc, [{"export": B}, {}])
    assert company.arr == 0.0
    (liability,) = company.liabilities
    assert liability.card_id == "export" and "requirement was wrong" in liability.liability
    assert outcomes[1].capacity == 9  # still maintained a round later
    assert any("wasn't what they needed" in line for line in outcomes[0].lines)


def test_a_built_deal_that_signs_becomes_an_account_with_the_deals_persona() -> None:
    good = deal("sure", deal_size=70.0, hidden=Hidden(persona=BUYERS, curb_appeal=10.0))
    sc = scenario((good,), accounts=(), pressure=1.0)
    odds = rules.win_probability(10.0, 5.0, 50.0, 1.0)
    wins = []
    for seed in range(200):
        company, _ = play(sc, [{"sure": B}], seed=seed)
        wins.append(company.arr == 70.0)
        if company.arr:
            (acc,) = company.accounts
            assert (acc.name, acc.persona) == ("Prospect sure", BUYERS)
    assert sum(wins) / len(wins) == pytest.approx(odds, abs=0.1)
    assert not all(wins)  # odds, not a certainty


def test_curb_appeal_wins_more_deals_under_market_pressure() -> None:
    def win_rate(curb: float, pressure: float) -> float:
        card = deal("d", hidden=Hidden(persona=USERS, curb_appeal=curb))
        sc = scenario((card,), accounts=(), pressure=pressure)
        return sum(play(sc, [{"d": B}], seed=s)[0].arr > 0 for s in range(300)) / 300

    assert win_rate(10, 0.9) > win_rate(0, 0.9) + 0.3
    assert abs(win_rate(10, 0.0) - win_rate(0, 0.0)) < 0.1


def test_deferred_requests_raise_the_accounts_churn_risk() -> None:
    sc = scenario((request("fix", deadline=3),), (), ())
    company, _ = play(sc, [{"fix": D}])
    acme = next(a for a in company.accounts if a.name == "Acme")
    calm = next(a for a in company.accounts if a.name == "Globex")
    assert acme.neglect == rules.NEGLECT_DEFERRED
    pressure = rules.churn_pressure(0.0, 50.0, 0.0)
    assert rules.churn_probability(acme, USERS, pressure) > rules.churn_probability(calm, USERS, pressure)


def test_building_a_request_resets_the_accounts_neglect() -> None:
    sc = scenario((request("fix", deadline=3),), ())
    company, outcomes = play(sc, [{"fix": D}, {"fix": B}])
    assert next(a for a in company.accounts if a.name == "Acme").neglect == 0.0
    assert any("Shipped Request fix for Acme" in line for line in outcomes[1].lines)


def test_accounts_sold_outside_the_target_persona_churn_more() -> None:
    users, buyers = Account(1, "U", USERS, 10.0), Account(2, "B", BUYERS, 10.0)
    pressure = rules.churn_pressure(0.0, 50.0, 0.0)
    assert rules.churn_probability(buyers, USERS, pressure) > rules.churn_probability(users, USERS, pressure)


def test_debt_raises_churn_and_erodes_customer_value() -> None:
    assert rules.churn_pressure(40.0, 50.0, 0.0) > rules.churn_pressure(0.0, 50.0, 0.0)
    assert rules.value_erosion(50.0, 40.0) > rules.value_erosion(50.0, 0.0)


def test_a_prospect_told_no_comes_back_once_the_product_fits() -> None:
    card = deal("later", comes_back=Comeback(after=1, min_customer_value=0.0, deal_size=90.0, effort=1))
    sc = scenario((card,), (), ())
    company, _ = play(sc, [{"later": N}])
    back = [c for c in cards_on_table(sc, company, 1) if c.id == "later" + COMEBACK_SUFFIX]
    assert len(back) == 1 and back[0].deal_size == 90.0 and back[0].effort == 1


def test_a_prospect_does_not_come_back_while_the_product_does_not_fit() -> None:
    card = deal("later", comes_back=Comeback(after=1, min_customer_value=500.0, deal_size=90.0, effort=1))
    sc = scenario((card,), (), ())
    company, _ = play(sc, [{"later": N}])
    assert all(not c.id.endswith(COMEBACK_SUFFIX) for c in cards_on_table(sc, company, 1))
    assert len(company.returns) == 1  # still waiting for the product to fit


def test_market_events_land_in_their_round() -> None:
    sc = scenario((event("crash", arr_pct=-10.0, market_pressure=0.2),), ())
    company, outcomes = play(sc, [{}])
    assert outcomes[0].lines[0] == "Market news: Event crash."
    assert company.market_pressure_shift == pytest.approx(0.2)
    assert any(c.metric == "arr" and c.card_id == "crash" and c.amount == -10.0 for c in outcomes[0].causes)


def test_an_improvement_pays_down_debt() -> None:
    sc = scenario((improvement("refactor", paydown=6.0),), tech_debt=10.0)
    company, _ = play(sc, [{"refactor": B}])
    assert company.tech_debt < 10.0 - 6.0 + 0.01


def test_debt_costs_capacity_but_never_below_the_floor() -> None:
    sc = scenario((), tech_debt=500.0, capacity=10)
    assert rules.capacity_of(start_company(sc)) == rules.capacity_floor(10) == 3
    sc = scenario((), tech_debt=16.0, capacity=10)
    assert rules.capacity_of(start_company(sc)) == 8


def test_undecided_cards_count_as_defer() -> None:
    sc = scenario((deal("a", deadline=2), request("b")), ())
    _, outcomes = play(sc, [{}])
    assert dict(outcomes[0].decisions) == {"a": D, "b": D}


def test_a_plan_naming_a_card_not_on_the_table_is_rejected() -> None:
    sc = scenario((deal("a"),))
    with pytest.raises(PlanError, match="not on the table"):
        resolve_round(sc, start_company(sc), {"zzz": B}, 0, 1)


def test_every_effect_is_traced_to_a_card_or_a_named_cause() -> None:
    sc = scenario((deal("d", hidden=Hidden(persona=USERS, debt=3.0)), request("r")), organic_growth=0.5)
    _, outcomes = play(sc, [{"d": B, "r": B}])
    debt_causes = [c for c in outcomes[0].causes if c.metric == "tech_debt"]
    assert any(c.card_id == "d" and c.amount == 3.0 for c in debt_causes)
    assert all(c.card_id or c.text for c in outcomes[0].causes)


def test_cash_moves_by_a_quarter_of_arr_less_burn() -> None:
    sc = scenario((), accounts=(Account(1, "Solo", USERS, 400.0),))
    company, outcomes = play(sc, [{}])
    arr_after = outcomes[0].after.arr
    assert company.cash == pytest.approx(1000.0 + arr_after / 4 - 10.0)


def test_only_current_customers_ask_for_things_or_come_up_for_renewal() -> None:
    ghost = request("ghost", asker="Nobody Inc")
    renewal = event("renew", renewal="Nobody Inc")
    sc = scenario((ghost, renewal, request("real")))
    table = {c.id for c in cards_on_table(sc, start_company(sc), 0)}
    assert table == {"real"}


def test_customer_value_is_a_score_that_stops_at_100() -> None:
    great = [request(f"r{i}", hidden=Hidden(persona=USERS, lasting_value=10.0)) for i in range(5)]
    sc = scenario(tuple(great), customer_value=95.0, capacity=20)
    company, outcomes = play(sc, [{c.id: B for c in great}])
    assert company.customer_value <= rules.MAX_CUSTOMER_VALUE
    gains = [c.amount for c in outcomes[0].causes if c.metric == "customer_value" and c.amount > 0]
    assert sum(gains) == pytest.approx(5.0)


def test_a_returning_prospect_can_come_back_for_the_product_as_it_is() -> None:
    card = deal(
        "exec",
        hidden=Hidden(persona=BUYERS),
        comes_back=Comeback(after=1, min_customer_value=0.0, deal_size=90.0, effort=1, persona=USERS),
    )
    sc = scenario((card,), (), ())
    company, _ = play(sc, [{"exec": N}])
    (back,) = [c for c in cards_on_table(sc, company, 1) if c.id.endswith(COMEBACK_SUFFIX)]
    assert back.hidden.persona == USERS


def test_debt_alone_at_the_floor_does_not_rot_into_more_debt() -> None:
    """Only upkeep rots: debt's own drag slows the team down but does not feed on itself."""
    sc = scenario((), (), capacity=10, tech_debt=80.0)
    _, outcomes = play(sc, [{}, {}])
    assert [o.capacity for o in outcomes] == [rules.capacity_floor(10)] * 2
    assert not any("upkeep nobody had time for" in c.text for o in outcomes for c in o.causes)


def test_a_churn_names_each_ignored_ask_once_with_its_rounds() -> None:
    bulk = request("bulk", asker="Acme", deadline=3)
    sc = scenario((bulk,), (), (), accounts=(Account(1, "Acme", USERS, 100.0),))
    for seed in range(300):
        _, outcomes = play(sc, [{"bulk": D}, {"bulk": D}, {}], seed)
        left = [c for o in outcomes for c in o.causes if c.metric == "arr" and c.text.startswith("Acme left")]
        if left and "felt ignored" in left[0].text:
            assert "you deferred 'Request bulk' in rounds 1 and 2" in left[0].text
            assert left[0].card_id == "bulk" and left[0].decision == "defer"
            return
    pytest.fail("Acme never left for being ignored")
