"""Soak with faults: many bot players over a whole game, dropping and rejoining, the server killed.

Run:  .venv/bin/python bench/soak.py [--players 500] [--rounds 0] [--drop-rate 0.1] [--kills 2]
                                     [--seed 1] [--scenario saas-startup] [--team-size 0]

Starts ``python -m game serve`` (eventlet) on a free loopback port with a temp database; a
facilitator and N bot phones (python-socketio AsyncClients over websockets, one event loop) join
and play every round (or ``--rounds``): each bot decides one to three cards at a human pace and
now and then locks; in every round ``--drop-rate`` of the bots drop and rejoin on a new
connection; in ``--kills`` rounds the server is killed with SIGKILL mid-round and restarted, and
everyone reconnects and resumes by themselves, re-sending unanswered commands with the same ids.
At the end the server is stopped and its stored command log read back. Prints what it checked
and exits 1 if anything failed. tests/hardening/test_soak.py runs 200 bots with one kill.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.hardening.live import LiveServer  # noqa: E402
from tests.hardening.soaking import SoakConfig, run  # noqa: E402


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--players", type=int, default=500)
    p.add_argument("--rounds", type=int, default=0, help="0 = every round of the scenario")
    p.add_argument("--drop-rate", type=float, default=0.10, help="share of bots dropping per round")
    p.add_argument("--kills", type=int, default=2, help="rounds in which the server is killed with -9")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--scenario", default="saas-startup")
    p.add_argument("--team-size", type=int, default=0, help="0 = automatic (about five per team)")
    p.add_argument("--deadline", type=float, default=900, help="seconds the soak may take")
    p.add_argument("--keep", action="store_true", help="keep the temp directory (database, log)")
    args = p.parse_args()
    work = Path(tempfile.mkdtemp(prefix="curb-soak-"))
    live = LiveServer(work)
    live.start()
    config = SoakConfig(
        players=args.players,
        rounds=args.rounds,
        drop_rate=args.drop_rate,
        kills=args.kills,
        seed=args.seed,
        scenario=args.scenario,
        team_size=args.team_size,
        deadline=args.deadline,
    )
    try:
        report = run(live, config)
    finally:
        live.stop()
    print(report.summary())
    for line in report.checked:
        print(f"  checked: {line}")
    for problem in report.problems:
        print(f"  FAILED: {problem}")
    print(f"server log: {live.log} ({'kept' if args.keep else 'removed'})")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    print("FAILED" if report.problems else "OK: nothing lost, nothing applied twice, everyone back in place")
    return 1 if report.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
