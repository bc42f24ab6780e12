"""Fuzz a real server with many malformed and hostile events, and check that nothing changed.

Run:  .venv/bin/python bench/fuzz.py [--events 100000] [--seed 1] [--strangers 8] [--campaigns 1]

Starts ``python -m game serve`` (eventlet, trusting one proxy hop so each hostile connection can
play its own address) on a free loopback port with a temp database, sets up two sessions mid-round
(one with a locked team and a removed seat), snapshots every view, command log and export, then
sends the corpus of tests/hardening/fuzzing.py over several pipelined connections plus bad packets
below the event layer. It prints the counts by kind and by answer, and every check it made; the exit
status is 1 if any check failed. The default test suite runs the same thing with about 12,000 events
(tests/hardening/test_fuzz_server.py).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.hardening.fuzzing import TwoSessions, check, fuzz  # noqa: E402
from tests.hardening.live import LiveServer  # noqa: E402

CHECKS = (
    "the server process is alive and /healthz answers",
    "every event that asked for an answer got one, and it was a refusal {ok: false, error: {code, message}}",
    "both sessions' views (facilitator and every phone), command logs, the export and the session "
    "count are exactly as before",
    "no honest client was sent anything during the campaign",
    "no hostile client was sent a secret, a token or another team's plan; unbound ones were sent nothing",
    "the server log holds no traceback, no ERROR line, no secret, token or room code, and one line per "
    "bad packet",
)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--events", type=int, default=100_000, help="events with an ack, per campaign")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--strangers", type=int, default=8, help="unbound hostile connections")
    p.add_argument("--campaigns", type=int, default=1, help="campaigns against the same server")
    p.add_argument("--deadline", type=float, default=600, help="seconds a campaign may take")
    p.add_argument("--keep", action="store_true", help="keep the temp directory (database, log)")
    args = p.parse_args()
    work = Path(tempfile.mkdtemp(prefix="curb-fuzz-"))
    live = LiveServer(work, "--trusted-proxies", "1")
    live.start()
    failed = False
    try:
        game = TwoSessions(live)
        for n in range(args.campaigns):
            before = game.snapshot()
            game.drain()
            started = time.monotonic()
            out = fuzz(live, game.targets, args.events, args.seed + n, args.strangers, args.deadline)
            print(out.summary())
            print(f"  {out.sent / max(0.001, time.monotonic() - started):.0f} events/s")
            problems = check(live, game, before, out, expected=args.events)
            for line in CHECKS:
                print(f"  checked: {line}")
            for problem in problems:
                print(f"  FAILED: {problem}")
            failed = failed or bool(problems)
        game.close()
    finally:
        live.stop()
        print(f"server log: {live.log} ({'kept' if args.keep else 'removed'})")
        if not args.keep:
            for f in work.iterdir():
                f.unlink()
            work.rmdir()
    print("FAILED" if failed else "OK: nothing changed, nothing leaked, nothing crashed")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
