"""The five signals tell a sales-driven game from a product-driven one, and explain themselves."""

from __future__ import annotations

import pytest

from game.model import Decision, Scope
from game.scenario.catalogue import find_scenario, load_scenario
from game.sim.playthrough import play, replay
from game.sim.signals import SIGNAL_NAMES, five_signals
from tests.engine.factory import BUYERS, USERS, Hidden, deal, request, scenario


def test_always_yes_reads_more_sales_driven_than_product_first_on_every_signal() -> None:
    sc = load_scenario(find_scenario("saas-startup"))
    yes = {s.key: s.score for s in five_signals(sc, play(sc, "always-yes", 7).outcomes)}
    focus = {s.key: s.score for s in five_signals(sc, play(sc, "product-first", 7).outcomes)}
    assert set(yes) == set(SIGNAL_NAMES)
    for key in SIGNAL_NAMES:
        assert yes[key] > focus[key], key
    assert sum(yes.values()) >= sum(focus.values()) + 150


def test_scores_stay_between_0_and_100_and_every_signal_has_a_sentence() -> None:
    sc = load_scenario(find_scenario("saas-startup"))
    for name in ("always-yes", "product-first", "balanced", "random"):
        for signal in five_signals(sc, play(sc, name, 3).outcomes):
            assert 0 <= signal.score <= 100
            assert signal.explanation.endswith(".") and len(signal.explanation) > 20


@pytest.mark.parametrize(
    ("plan", "key", "score"),
    [
        ({"flashy": Decision.BUILD}, "curb_appeal", 100),
        ({"solid": Decision.BUILD}, "curb_appeal", 0),
        ({"flashy": Decision.BUILD}, "deals_steer", 100),
        ({"solid": Decision.BUILD}, "deals_steer", 0),
        ({"flashy": Decision.BUILD}, "persona_drift", 100),
        ({"solid": Decision.BUILD}, "persona_drift", 0),
        ({"addon": Decision.BUILD}, "cant_say_no", 100),
        ({"addon": Decision.NO}, "cant_say_no", 0),
    ],
)
def test_each_signal_follows_the_decision_behind_it(plan: dict[str, Decision], key: str, score: int) -> None:
    flashy = deal(
        "flashy", scope=Scope.CUSTOM, hidden=Hidden(persona=BUYERS, curb_appeal=9.0, lasting_value=1.0)
    )
    solid = request("solid", hidden=Hidden(persona=USERS, curb_appeal=2.0, lasting_value=8.0))
    addon = request(
        "addon", scope=Scope.ADD_ON, hidden=Hidden(persona=USERS, curb_appeal=5.0, lasting_value=5.0)
    )
    sc = scenario((flashy, solid, addon))
    game = replay(sc, [plan], seed=1)
    signals = {s.key: s for s in five_signals(sc, game.outcomes)}
    assert signals[key].score == score
