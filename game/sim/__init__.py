"""The simulation: pure, deterministic for a seed, no I/O and no clock.

Rule of this folder: nothing here knows about sessions, players, transport or storage; it turns
a company, a round's cards and a plan into the next company and what happened, and plays whole
games (the reference strategies, the balance check, the year after, the what-if) the same way.
Siblings import each other's modules; everything outside imports from this face.
"""

from __future__ import annotations

from game.sim.balance import SUMMARY_METRICS, report_json, run_balance
from game.sim.engine import money, resolve_round, snapshot, start_company
from game.sim.figures import ahead, figures_of
from game.sim.playthrough import PlayedGame, finish, play, play_with, strategy_rng
from game.sim.rules import build_limit, capacity_of, rush_limit
from game.sim.signals import five_signals
from game.sim.strategies import STRATEGY_BLURBS, strategy
from game.sim.strategy_rules import compile_strategy, find_strategy
from game.sim.table import card_index, cards_on_table, decidable_ids
from game.sim.valuation import Valuation
from game.sim.whatif import Flip, PlanKey, plan_key, played, whatif

__all__ = [
    "STRATEGY_BLURBS",
    "SUMMARY_METRICS",
    "Flip",
    "PlanKey",
    "PlayedGame",
    "Valuation",
    "ahead",
    "build_limit",
    "capacity_of",
    "card_index",
    "cards_on_table",
    "compile_strategy",
    "decidable_ids",
    "figures_of",
    "find_strategy",
    "finish",
    "five_signals",
    "money",
    "plan_key",
    "play",
    "play_with",
    "played",
    "report_json",
    "resolve_round",
    "run_balance",
    "rush_limit",
    "snapshot",
    "start_company",
    "strategy",
    "strategy_rng",
    "whatif",
]
