"""How fast the balance check plays full games on one core (median of several runs).

It times ``game.balance.finals_for_seed``, the exact path ``curb-appeal balance`` uses: every
reference strategy on each seed, played without narration (no story lines or causes). Pass
``--narrated`` to time the debrief's path instead, the same games with every line and cause.

Run: .venv/bin/python bench/balance_speed.py [--games N] [--runs R] [--scenario NAME] [--narrated]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from game.balance import finals_for_seed
from game.model import STRATEGY_NAMES
from game.playthrough import play
from game.scenarios import find_scenario, load_scenario


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--games", type=int, default=500, help="seeds per run (each plays every strategy)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--scenario", default="saas-startup")
    ap.add_argument("--narrated", action="store_true", help="time narrated games (the debrief's path)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    scenario = load_scenario(find_scenario(args.scenario))
    path = "narrated play()" if args.narrated else "balance check (finals_for_seed, no narration)"
    rates = []
    for run in range(args.runs):
        start = time.perf_counter()
        played = 0
        for seed in range(run * args.games, (run + 1) * args.games):
            if args.narrated:
                for name in STRATEGY_NAMES:
                    play(scenario, name, seed)
            else:
                finals_for_seed(scenario, seed)
            played += len(STRATEGY_NAMES)
        rates.append(played / (time.perf_counter() - start))
    result = {
        "scenario": scenario.id,
        "path": path,
        "rounds": len(scenario.rounds),
        "games_per_run": args.games * len(STRATEGY_NAMES),
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
