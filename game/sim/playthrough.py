"""Play a whole game with a strategy (or any decision source), no people needed."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from game.model import Company, Decision, RoundOutcome, Scenario, quick_init
from game.sim.engine import play_round, resolve_round, snapshot, start_company
from game.sim.round_state import RoundState, open_round
from game.sim.strategies import Strategy
from game.sim.strategy_rules import find_strategy
from game.sim.table import cards_on_table
from game.sim.valuation import YEAR_AFTER_QUARTERS, Valuation, company_value
from game.sim.year_after import play_out_year


@quick_init
@dataclass(frozen=True, slots=True)
class PlayedGame:
    """Every round's outcome and the company after it, then the year after and what it is all worth."""

    scenario_id: str
    seed: int
    strategy: str
    outcomes: tuple[RoundOutcome, ...]
    companies: tuple[Company, ...]  # the company after each round
    year_after: tuple[RoundOutcome, ...]  # each quarter played out after the last round (narrated games)
    valuation: Valuation

    @property
    def final(self) -> Company:
        """The company after the last round (before the year played out)."""
        return self.companies[-1]


def finish(
    scenario: Scenario,
    label: str,
    seed: int,
    outcomes: Sequence[RoundOutcome],
    companies: Sequence[Company],
    *,
    narrate: bool = True,
    scratch: RoundState | None = None,
) -> PlayedGame:
    """Play out the year after the rounds played and value the company.

    ``scratch``: the scratch copy the rounds were played on, frozen into the last company; the
    year after carries on with it instead of opening its own.
    """
    last = companies[-1] if companies else start_company(scenario)
    after_year, quarters = play_out_year(
        scenario, last, seed, YEAR_AFTER_QUARTERS, narrate=narrate, scratch=scratch
    )
    value = company_value(scenario, last, after_year, narrate=narrate)
    return PlayedGame(scenario.id, seed, label, tuple(outcomes), tuple(companies), quarters, value)


def strategy_rng(seed: int) -> random.Random:
    """The dice a strategy (the random one) uses for a whole game: fixed by the seed."""
    return random.Random(_strategy_seed(seed))


def _strategy_seed(seed: int) -> int:
    return seed * 1_000_003 + 17


class _DiceOnDemand(random.Random):
    """``strategy_rng(seed)``, seeded on its first roll: the same rolls, but most strategies never
    roll, and seeding a Mersenne Twister (about 6 us) is a few per cent of a balance-check game."""

    def __init__(self, seed: int) -> None:  # Random.__init__ would seed now
        self._seed: int | None = _strategy_seed(seed)

    def _wake(self) -> None:
        if self._seed is not None:
            seed, self._seed = self._seed, None
            super().seed(seed)

    def random(self) -> float:
        self._wake()
        return super().random()

    def getrandbits(self, k: int, /) -> int:
        self._wake()
        return super().getrandbits(k)

    def getstate(self) -> tuple[Any, ...]:
        self._wake()
        return super().getstate()

    def setstate(self, state: tuple[Any, ...]) -> None:
        self._seed = None
        super().setstate(state)

    def seed(self, *args: Any, **kwargs: Any) -> None:
        self._seed = None
        super().seed(*args, **kwargs)


def play(scenario: Scenario, strategy_name: str, seed: int, *, narrate: bool = True) -> PlayedGame:
    """Play every round of the scenario with one strategy: a reference one or one of the scenario's own.

    ``narrate=False`` leaves out each round's story lines and causes (the balance check reads
    only the numbers, which are the same either way); the debrief keeps the default.
    """
    return play_with(scenario, find_strategy(scenario, strategy_name), strategy_name, seed, narrate=narrate)


def play_with(
    scenario: Scenario, choose: Strategy, label: str, seed: int, *, narrate: bool = True
) -> PlayedGame:
    """Play every round with a strategy already in hand (the balance check resolves each name once)."""
    company = start_company(scenario)
    rng = _DiceOnDemand(seed)
    outcomes: list[RoundOutcome] = []
    companies: list[Company] = []
    before = snapshot(company)
    st = open_round(scenario, company, 0, seed, company.maintenance, None)  # one scratch copy for the game
    for r in range(len(scenario.rounds)):
        table = cards_on_table(
            scenario, company, r, st.accounts
        )  # the scratch copy's accounts are the company's
        plan = choose(company, table, before.capacity, rng)
        company, outcome = play_round(st, company, plan, r, seed, table, before, narrate=narrate)
        before = outcome.after
        outcomes.append(outcome)
        companies.append(company)
    return finish(scenario, label, seed, outcomes, companies, narrate=narrate, scratch=st)


def replay(
    scenario: Scenario, plans: Sequence[dict[str, Decision]], seed: int, label: str = "team"
) -> PlayedGame:
    """Re-run a game from its recorded plans: the same seed gives the same game."""
    company = start_company(scenario)
    outcomes: list[RoundOutcome] = []
    companies: list[Company] = []
    for r, plan in enumerate(plans):
        company, outcome = resolve_round(scenario, company, plan, r, seed)
        outcomes.append(outcome)
        companies.append(company)
    return finish(scenario, label, seed, outcomes, companies)
