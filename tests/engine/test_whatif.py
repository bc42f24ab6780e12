"""The what-if: a team's recorded plans replayed with one decision flipped, on the real scenarios."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.errors import CommandRejected
from game.model import Decision, Scenario
from game.scenario.catalogue import find_scenario, load_scenario
from game.sim.playthrough import play, replay
from game.sim.whatif import Flip, PlanKey, plan_key, played, whatif

NAMES = ("saas-startup", "fierce-market", "persona-drift")
STRATEGIES = ("always-yes", "product-first", "balanced", "random", "always-no", "always-defer")


@cache
def scenario(name: str) -> Scenario:
    return load_scenario(find_scenario(name))


def plans_of(name: str, strategy: str, seed: int) -> PlanKey:
    """A reference game's plans as a team's recorded plans (every card it decided, in table order)."""
    game = play(scenario(name), strategy, seed)
    return plan_key([dict(o.decisions) for o in game.outcomes])


def test_the_recorded_plans_replay_the_real_game() -> None:
    sc = scenario("saas-startup")
    plans = plans_of("saas-startup", "balanced", 7)
    again = played(sc, plans, 7)
    direct = replay(sc, [dict(p) for p in plans], 7)
    assert [o.after for o in again.outcomes] == [o.after for o in direct.outcomes]
    assert again.valuation == direct.valuation


@given(
    name=st.sampled_from(NAMES),
    strategy=st.sampled_from(STRATEGIES),
    seed=st.integers(0, 10_000),
    pick=st.integers(0, 10_000),
    other=st.integers(0, 1),
)
def test_a_flip_replays_identically_up_to_its_round_and_flipping_back_gives_the_game(
    name: str, strategy: str, seed: int, pick: int, other: int
) -> None:
    sc = scenario(name)
    plans = plans_of(name, strategy, seed)
    real = played(sc, plans, seed)
    choices = [(o.round_index, cid, d) for o in real.outcomes for cid, d in o.decisions]
    r, card, _ = choices[pick % len(choices)]
    chosen = dict(plans[r]).get(card, Decision.DEFER)
    to = [d for d in Decision if d is not chosen][other]
    same, flipped, replaced = whatif(sc, plans, seed, Flip(r, card, to))
    assert same == real and replaced is chosen
    # every round before the flip is the real game, to the number and the word
    assert flipped.outcomes[:r] == real.outcomes[:r]
    assert flipped.companies[:r] == real.companies[:r]
    assert dict(flipped.outcomes[r].decisions)[card] in (to, Decision.DEFER)  # a build may not fit
    # flipping back, from the flipped game's own plans, gives the real game again
    replayed = [dict(p) for p in plans]
    replayed[r] = {**replayed[r], card: to}
    flipped_plans = plan_key(replayed)
    _, again, _ = whatif(sc, flipped_plans, seed, Flip(r, card, chosen))
    assert again.outcomes == real.outcomes and again.valuation == real.valuation


def test_later_plans_are_kept_only_for_cards_still_on_the_table() -> None:
    """Building a request early takes it off later tables: the later plan's word for it is dropped."""
    sc = scenario("saas-startup")
    plans = plans_of("saas-startup", "always-defer", 3)
    real = played(sc, plans, 3)
    r, card = next(
        (o.round_index, cid)
        for o in real.outcomes
        for cid, _ in o.decisions
        if any(cid in dict(p) for p in plans[o.round_index + 1 :])
    )
    _, flipped, _ = whatif(sc, plans, 3, Flip(r, card, Decision.BUILD))
    later = [dict(o.decisions) for o in flipped.outcomes[r + 1 :]]
    assert all(card not in d for d in later)  # built, so never on a table again


@pytest.mark.parametrize(
    ("flip", "error"),
    [
        (Flip(9, "anything", Decision.BUILD), "round 10 was not played"),
        (Flip(0, "no-such-card", Decision.BUILD), "was not on the team's table in round 1"),
        (Flip(0, "", Decision.NO), "was not on the team's table"),
    ],
)
def test_a_flip_that_cannot_be_is_refused_clearly(flip: Flip, error: str) -> None:
    sc = scenario("saas-startup")
    plans = plans_of("saas-startup", "balanced", 1)
    with pytest.raises(CommandRejected, match=error):
        whatif(sc, plans, 1, flip)


def test_flipping_to_what_was_decided_is_refused() -> None:
    sc = scenario("saas-startup")
    plans = plans_of("saas-startup", "always-yes", 1)
    card, decision = plans[0][0]
    with pytest.raises(CommandRejected, match="that is what the team decided"):
        whatif(sc, plans, 1, Flip(0, card, decision))
