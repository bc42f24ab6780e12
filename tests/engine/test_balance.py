"""The balance check: spreads per strategy, claims per seed, and the shipped scenarios' own claims."""

from __future__ import annotations

import pytest

from game.balance import claim_holds, quantile, report_json, run_balance
from game.engine import start_company
from game.model import Claim, Company, Metric
from game.scenarios import list_scenarios, load_scenario
from tests.engine.factory import scenario


def company(**kw: float) -> Company:
    base = start_company(scenario(()))
    return Company(
        name=base.name,
        base_capacity=base.base_capacity,
        cash=kw.get("cash", 0.0),
        burn=0.0,
        customer_value=kw.get("value", 0.0),
        tech_debt=kw.get("debt", 0.0),
        accounts=base.accounts,
    )


@pytest.mark.parametrize(
    ("claim", "holds"),
    [
        (Claim("v", Metric.CUSTOMER_VALUE, winner="product-first", loser="always-yes", margin=10), True),
        (Claim("v", Metric.CUSTOMER_VALUE, winner="product-first", loser="always-yes", margin=30), False),
        (Claim("d", Metric.TECH_DEBT, winner="product-first", loser="always-yes"), True),
        (Claim("d", Metric.TECH_DEBT, winner="always-yes", loser="product-first"), False),
        (Claim("c", Metric.CASH, strategy="product-first", at_least=0), True),
        (Claim("c", Metric.CASH, strategy="always-yes", at_least=0), False),
        (Claim("c", Metric.CASH, strategy="always-yes", at_most=0), True),
        (Claim("tie", Metric.ARR, winner="product-first", loser="always-yes"), False),
    ],
)
def test_a_claim_is_judged_on_one_seeds_final_companies(claim: Claim, holds: bool) -> None:
    finals = {
        "product-first": company(value=80, debt=2, cash=100),
        "always-yes": company(value=60, debt=40, cash=-50),
    }
    assert claim_holds(claim, finals) is holds


def test_quantiles_interpolate() -> None:
    assert quantile([0.0, 10.0], 0.5) == 5.0
    assert quantile([1.0, 2.0, 3.0, 4.0, 5.0], 0.1) == pytest.approx(1.4)
    assert quantile([], 0.5) == 0.0


def test_the_json_report_has_the_documented_shape() -> None:
    sc = load_scenario(list_scenarios()[0])
    data = report_json(run_balance(sc, 5))
    assert data["scenario"] == sc.id and data["games"] == 5
    strategies = data["strategies"]
    assert isinstance(strategies, dict)
    assert set(strategies) == {"always-yes", "product-first", "balanced", "random"}
    for per in strategies.values():
        for key in ("arr", "customer_value", "tech_debt", "churned_accounts"):
            assert set(per[key]) == {"mean", "p10", "p50", "p90"}
            assert per[key]["p10"] <= per[key]["p50"] <= per[key]["p90"]
    claims = data["claims"]
    assert isinstance(claims, list) and len(claims) == len(sc.claims)
    assert all(0.0 <= c["holds_rate"] <= 1.0 for c in claims)


@pytest.mark.slow
@pytest.mark.parametrize("path", list_scenarios(), ids=lambda p: p.stem)
def test_every_shipped_scenario_passes_its_own_claims_at_1000_games(path: object) -> None:
    sc = load_scenario(path)  # type: ignore[arg-type]
    assert sc.claims, "a shipped scenario must say what it teaches"
    report = run_balance(sc, 1000)
    failing = [(c.claim.text, c.holds_rate) for c in report.claims if not c.holds]
    assert not failing
