"""The `curb-appeal` command: serve the game, check scenarios, simulate and balance them, keep sessions."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict

from game import cli_sessions
from game.engine import money
from game.errors import CurbAppealError, ScenarioError
from game.model import STRATEGY_NAMES, Metric, Scenario


def _load(name: str) -> Scenario:
    from game.scenarios import find_scenario, load_scenario

    return load_scenario(find_scenario(name))


def cmd_check(args: argparse.Namespace) -> int:
    from game.scenarios import check_file, list_scenarios

    paths = args.files or [str(p) for p in list_scenarios()]
    bad = 0
    for path in paths:
        problems = check_file(path)
        for problem in problems:
            print(problem)
        if problems:
            bad += 1
        elif not args.quiet:
            print(f"{path}: ok")
    if bad:
        print(f"{bad} of {len(paths)} file{'s' if len(paths) != 1 else ''} with problems", file=sys.stderr)
    return 1 if bad else 0


def cmd_simulate(args: argparse.Namespace) -> int:
    from game.playthrough import play
    from game.signals import five_signals

    scenario = _load(args.scenario)
    game = play(scenario, args.strategy, args.seed)
    signals = five_signals(scenario, game.outcomes)
    if args.json:
        print(
            json.dumps(
                {
                    "scenario": scenario.id,
                    "strategy": args.strategy,
                    "seed": args.seed,
                    "rounds": [
                        {
                            "round": o.round_index + 1,
                            "title": scenario.rounds[o.round_index].title,
                            "decisions": {cid: d.value for cid, d in o.decisions},
                            "before": asdict(o.before),
                            "after": asdict(o.after),
                            "lines": list(o.lines),
                        }
                        for o in game.outcomes
                    ],
                    "signals": [asdict(s) for s in signals],
                },
                indent=2,
            )
        )
        return 0
    print(f"{scenario.title} — strategy {args.strategy}, seed {args.seed}\n")
    header = f"{'round':<7}{'built':>6}{'cap':>5}{'ARR':>9}{'value':>7}{'debt':>6}{'cash':>9}{'accts':>6}"
    print(header)
    print("-" * len(header))
    for o in game.outcomes:
        built = sum(1 for _, d in o.decisions if d.value == "build")
        a = o.after
        print(
            f"{o.round_index + 1:<7}{built:>6}{o.capacity:>5}{money(a.arr):>9}"
            f"{a.customer_value:>7.0f}{a.tech_debt:>6.0f}{money(a.cash):>9}{a.accounts:>6}"
        )
        for line in o.lines:
            print(f"         {line}")
    print("\nFive signals (0 = product-driven, 100 = sales-driven):")
    for s in signals:
        print(f"  {s.name:<32}{s.score:>4}  {s.explanation}")
    return 0


def cmd_balance(args: argparse.Namespace) -> int:
    from game.balance import report_json, run_balance

    if args.games < 1:
        raise CurbAppealError("--games must be at least 1")
    scenario = _load(args.scenario)
    report = run_balance(scenario, args.games, args.first_seed)
    if args.json:
        print(json.dumps(report_json(report), indent=2))
        return 0 if report.ok else 1
    print(f"{scenario.title}: {args.games} games per strategy\n")
    cols = [Metric.ARR, Metric.CUSTOMER_VALUE, Metric.TECH_DEBT, Metric.CHURNED_ACCOUNTS, Metric.CASH]
    print(f"{'strategy':<15}" + "".join(f"{m.value + ' p10/p50/p90':>30}" for m in cols))
    for name, per in report.spreads.items():
        cells = []
        for m in cols:
            s = per[m]
            cells.append(f"{s.p10:>9.0f} {s.p50:>9.0f} {s.p90:>9.0f}")
        print(f"{name:<15}" + "".join(f"{c:>30}" for c in cells))
    print(f"\n{'mean':<15}" + "".join(f"{m.value:>30}" for m in cols))
    for name, per in report.spreads.items():
        print(f"{name:<15}" + "".join(f"{per[m].mean:>30.1f}" for m in cols))
    if report.claims:
        print("\nClaims (must hold in at least 90% of seeds):")
    for c in report.claims:
        mark = "ok  " if c.holds else "FAIL"
        print(f"  {mark} {c.holds_rate:6.1%}  {c.claim.text}")
    return 0 if report.ok else 1


def cmd_serve(args: argparse.Namespace, rest: list[str]) -> int:
    from game.serve import main as serve_main

    return serve_main(rest)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="curb-appeal",
        description="Curb Appeal: a workshop game about sales-driven versus product-driven roadmaps.",
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("serve", help="run the game server (see `curb-appeal serve --help`)", add_help=False)
    c = sub.add_parser("check", help="check scenario files and report every problem with its line")
    c.add_argument("files", nargs="*", help="scenario files (default: every file in scenarios/)")
    c.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    s = sub.add_parser("simulate", help="play a scenario with one reference strategy, round by round")
    s.add_argument("scenario", help="a scenario file or a name from scenarios/ (e.g. saas-startup)")
    s.add_argument("--strategy", default="balanced", choices=STRATEGY_NAMES)
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--json", action="store_true", help="print JSON instead of a table")
    b = sub.add_parser("balance", help="play every reference strategy over many seeds; check claims")
    b.add_argument("scenario", help="a scenario file or a name from scenarios/")
    b.add_argument("--games", type=int, default=200, help="seeds per strategy (default 200)")
    b.add_argument("--first-seed", type=int, default=1)
    b.add_argument("--json", action="store_true", help="print one JSON object")
    cli_sessions.add_parser(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "serve":
        return cmd_serve(argparse.Namespace(), argv[1:])
    args = parser().parse_args(argv)
    try:
        if args.command == "check":
            return cmd_check(args)
        if args.command == "simulate":
            return cmd_simulate(args)
        if args.command == "balance":
            return cmd_balance(args)
        if args.command == "sessions":
            return cli_sessions.run(args)
    except ScenarioError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return 1
    except CurbAppealError as err:
        print(f"curb-appeal: {err}", file=sys.stderr)
        return 2
    if args.command is None:
        return cmd_serve(argparse.Namespace(), [])
    return 2
