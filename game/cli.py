"""The `curb-appeal` command: serve the game, check scenarios, simulate and balance them, keep sessions."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING

from game import cli_sessions
from game.errors import CurbAppealError, ScenarioError
from game.model import STRATEGY_NAMES, Cause, RoundOutcome, Scenario, StrategySpec
from game.sim import money

if TYPE_CHECKING:
    from game.sim import PlayedGame


def _load(name: str, settings: Sequence[str] = ()) -> Scenario:
    from game.scenario import find_scenario, load_scenario

    return load_scenario(find_scenario(name), settings)


def _strategy_files(scenario: Scenario, files: Sequence[str]) -> list[StrategySpec]:
    """The strategy files given on the command line, each checked; two strategies may not share a name."""
    from game.errors import Problem
    from game.scenario import check_strategy_file, load_strategy_file

    problems = [p for f in files for p in check_strategy_file(f)]
    if problems:
        raise ScenarioError(problems)
    specs = [load_strategy_file(f) for f in files]
    taken = {s.name: "a strategy the scenario lists" for s in scenario.strategies}
    clashes = []
    for f, spec in zip(files, specs, strict=True):
        if spec.name in taken:
            clashes.append(Problem(f, 0, "name", f"'{spec.name}' is already the name of {taken[spec.name]}"))
        taken[spec.name] = f"the strategy in {f}"
    if clashes:
        raise ScenarioError(clashes)
    return specs


def cmd_check(args: argparse.Namespace) -> int:
    from game.scenario import check_file, list_scenarios

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


def _cause_json(cause: Cause) -> dict[str, object]:
    return {
        "metric": cause.metric,
        "amount": cause.amount,
        "card": cause.card_id,
        "decision": cause.decision,
        "text": cause.text,
    }


def _round_json(o: RoundOutcome, title: str) -> dict[str, object]:
    return {
        "round": o.round_index + 1,
        "title": title,
        "decisions": {cid: d.value for cid, d in o.decisions},
        "before": asdict(o.before),
        "after": asdict(o.after),
        "lines": list(o.lines),
        "causes": [_cause_json(c) for c in o.causes],
        "capacity_parts": [_cause_json(c) for c in o.capacity_parts],
        "bumped": list(o.bumped),
    }


def _quarter_title(o: RoundOutcome, scenario: Scenario) -> str:
    return f"The year after: quarter {o.round_index - len(scenario.rounds) + 1}"


def _simulate_json(scenario: Scenario, game: PlayedGame, args: argparse.Namespace) -> dict[str, object]:
    from game.sim import five_signals

    value = game.valuation
    return {
        "scenario": scenario.id,
        "strategy": game.strategy,
        "seed": args.seed,
        "settings": list(args.set),
        "rounds": [_round_json(o, scenario.rounds[o.round_index].title) for o in game.outcomes],
        "year_after": [_round_json(o, _quarter_title(o, scenario)) for o in game.year_after],
        "company_value": {
            "total": value.total,
            "parts": [
                {"key": p.key, "label": p.label, "amount": p.amount, "text": p.text} for p in value.parts
            ],
            "arr_at_end": value.arr_at_end,
            "arr_after_year": value.arr_after_year,
            "growth": value.growth,
        },
        "signals": [asdict(s) for s in five_signals(scenario, game.outcomes)],
    }


def cmd_simulate(args: argparse.Namespace) -> int:
    from game.sim import compile_strategy, find_strategy, five_signals, play_with

    scenario = _load(args.scenario, args.set)
    if args.strategy_file:
        (spec,) = _strategy_files(scenario, [args.strategy_file])
        name, choose = spec.name, compile_strategy(spec)
    else:
        name, choose = args.strategy, find_strategy(scenario, args.strategy)
    game = play_with(scenario, choose, name, args.seed)
    if args.json:
        print(json.dumps(_simulate_json(scenario, game, args), indent=2))
        return 0
    settings = f" with {', '.join(args.set)}" if args.set else ""
    print(f"{scenario.title} — strategy {name}, seed {args.seed}{settings}\n")
    header = f"{'round':<7}{'built':>6}{'cap':>5}{'ARR':>9}{'value':>7}{'debt':>6}{'cash':>9}{'accts':>6}"
    print(header)
    print("-" * len(header))
    quarters = [(f"+Q{i + 1}", o) for i, o in enumerate(game.year_after)]
    for label, o in [(str(o.round_index + 1), o) for o in game.outcomes] + quarters:
        if label == "+Q1":
            print("The year after: no new cards; upkeep, debt, erosion and churn run on")
        built = sum(1 for _, d in o.decisions if d.value == "build")
        a = o.after
        print(
            f"{label:<7}{built:>6}{o.capacity:>5}{money(a.arr):>9}"
            f"{a.customer_value:>7.0f}{a.tech_debt:>6.0f}{money(a.cash):>9}{a.accounts:>6}"
        )
        for line in o.lines:
            print(f"         {line}")
    value = game.valuation
    print(f"\nCompany value: {money(value.total)}")
    for part in value.parts:
        print(f"  {part.label:<24}{money(part.amount):>9}  {part.text}")
    print("\nFive signals (0 = product-driven, 100 = sales-driven):")
    for s in five_signals(scenario, game.outcomes):
        print(f"  {s.name:<32}{s.score:>4}  {s.explanation}")
    return 0


def cmd_balance(args: argparse.Namespace) -> int:
    from game.sim import SUMMARY_METRICS, report_json, run_balance

    if args.games < 1:
        raise CurbAppealError("--games must be at least 1")
    scenario = _load(args.scenario, args.set)
    extra = _strategy_files(scenario, args.strategy_file)
    report = run_balance(scenario, args.games, args.first_seed, extra)
    if args.json:
        data = report_json(report)
        print(json.dumps({**data, "settings": list(args.set)}, indent=2))
        return 0 if report.ok else 1
    settings = f" with {', '.join(args.set)}" if args.set else ""
    print(f"{scenario.title}{settings}: {args.games} games per strategy\n")
    cols = list(SUMMARY_METRICS)  # company value first
    width = max(15, *(len(n) + 2 for n in report.spreads))
    print(f"{'strategy':<{width}}" + "".join(f"{m.value + ' p10/p50/p90':>30}" for m in cols))
    for name, per in report.spreads.items():
        cells = []
        for m in cols:
            s = per[m]
            cells.append(f"{s.p10:>9.0f} {s.p50:>9.0f} {s.p90:>9.0f}")
        print(f"{name:<{width}}" + "".join(f"{c:>30}" for c in cells))
    print(f"\n{'mean':<{width}}" + "".join(f"{m.value:>30}" for m in cols))
    for name, per in report.spreads.items():
        print(f"{name:<{width}}" + "".join(f"{per[m].mean:>30.1f}" for m in cols))
    names = list(report.beats)
    print(f"\nShare of seeds where the row's company value beats the column's:\n{'':<{width}}", end="")
    print("".join(f"{n[:13]:>14}" for n in names))
    for a in names:
        row = report.beats[a]
        print(f"{a:<{width}}" + "".join(f"{'—' if a == b else f'{row[b]:.0%}':>14}" for b in names))
    if report.claims:
        print("\nClaims (each must hold in its share of seeds, 90% unless it says otherwise):")
    for c in report.claims:
        mark = "ok  " if c.holds else "FAIL"
        if c.claim.on_average:
            need = f"mean lead {c.mean_lead:+.0f}"
        else:
            need = f"{c.holds_rate:6.1%} of seeds, needs {c.claim.share:.0%}"
        print(f"  {mark} {need}  {c.claim.text}")
    return 0 if report.ok else 1


def cmd_serve(args: argparse.Namespace, rest: list[str]) -> int:
    from game.serve import main as serve_main

    return serve_main(rest)


def _add_set(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="what if: put VALUE in place of the scenario's value at PATH, like market.pressure=0.2 "
        "or rounds.0.cards.1.effort=3 (repeatable; checked like the file)",
    )


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
    s = sub.add_parser(
        "simulate", help="play a scenario with one strategy, round by round, then the year after"
    )
    s.add_argument("scenario", help="a scenario file or a name from scenarios/ (e.g. saas-startup)")
    who = s.add_mutually_exclusive_group()
    known = ", ".join(STRATEGY_NAMES)
    who.add_argument(
        "--strategy",
        default="balanced",
        metavar="NAME",
        help=f"a reference strategy ({known}) or one the scenario lists (default: balanced)",
    )
    who.add_argument("--strategy-file", metavar="FILE", help="play the strategy in this strategy file")
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--json", action="store_true", help="print JSON instead of a table")
    _add_set(s)
    b = sub.add_parser("balance", help="play every strategy over many seeds; compare them and check claims")
    b.add_argument("scenario", help="a scenario file or a name from scenarios/")
    b.add_argument("--games", type=int, default=200, help="seeds per strategy (default 200)")
    b.add_argument("--first-seed", type=int, default=1)
    b.add_argument(
        "--strategy-file",
        action="append",
        default=[],
        metavar="FILE",
        help="also play the strategy in this strategy file (repeatable)",
    )
    b.add_argument("--json", action="store_true", help="print one JSON object")
    _add_set(b)
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
