"""How fast the balance check plays full games on one core (median of several runs).

It times ``game.sim.balance.run_balance``, the exact path ``curb-appeal balance`` uses: every
strategy (the reference ones and the scenario's own) on each seed, played without narration (no
story lines or causes), with the year after, company value, the signals, ``beats`` and the
claims tallied. Pass ``--narrated`` to time the debrief's path instead: the same games with every
line and cause.

Run: .venv/bin/python bench/balance_speed.py [--games N] [--runs R] [--scenario NAME] [--narrated]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from game.scenario.catalogue import find_scenario, load_scenario
from game.sim.balance import run_balance
from game.sim.playthrough import play
from game.sim.strategy_rules import strategy_names


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--games", type=int, default=500, help="seeds per run (each plays every strategy)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--scenario", default="saas-startup")
    ap.add_argument("--narrated", action="store_true", help="time narrated games (the debrief's path)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    scenario = load_scenario(find_scenario(args.scenario))
    path = "narrated play()" if args.narrated else "balance check (run_balance, no narration)"
    names = strategy_names(scenario)
    rates = []
    for run in range(args.runs):
        start = time.perf_counter()
        if args.narrated:
            for seed in range(run * args.games, (run + 1) * args.games):
                for name in names:
                    play(scenario, name, seed)
        else:
            run_balance(scenario, args.games, run * args.games)
        rates.append(args.games * len(names) / (time.perf_counter() - start))
    result = {
        "scenario": scenario.id,
        "path": path,
        "rounds": len(scenario.rounds),
        "games_per_run": args.games * len(names),
        "runs": args.runs,
        "games_per_second_median": round(statistics.median(rates)),
        "games_per_second_min": round(min(rates)),
        "games_per_second_max": round(max(rates)),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"{result['scenario']} [{path}]: {result['games_per_second_median']} full games/s on one core "
            f"(median of {args.runs} runs of {result['games_per_run']} games; "
            f"min {result['games_per_second_min']}, max {result['games_per_second_max']})"
        )


if __name__ == "__main__":
    main()
