"""`curb-appeal sessions`: list what a server keeps, and delete old games on purpose.

The server never deletes a session by itself (nothing a player did is lost behind anyone's back);
sessions hold people's names, so the operator decides how long to keep them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from game.errors import CurbAppealError
from game.store import DEFAULT_DB, HOUR_MS, Keeper, KeptSession, busy_recently, idle_for, kept_sessions

LIVE_WINDOW_MS = 6 * HOUR_MS  # a running server keeps a session this long after its last command


def add_parser(sub: Any) -> None:
    env = os.environ.get
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument("--db", default=env("CURB_DB", DEFAULT_DB), help="SQLite file [CURB_DB]")
    where.add_argument("--redis-url", default=env("CURB_REDIS_URL", ""), help="Redis [CURB_REDIS_URL]")
    s = sub.add_parser("sessions", help="list stored sessions, delete old ones (`curb-appeal sessions -h`)")
    act = s.add_subparsers(dest="action", metavar="ACTION", required=True)
    ls = act.add_parser("list", parents=[where], help="every stored session, least recently used first")
    ls.add_argument("--json", action="store_true", help="print JSON")
    pr = act.add_parser("prune", parents=[where], help="delete sessions nobody has touched for some days")
    pr.add_argument("--idle-days", type=float, required=True, help="at least 1")
    pr.add_argument("--yes", action="store_true", help="really delete (without it, only show what would go)")
    fg = act.add_parser("forget", parents=[where], help="delete the named sessions (idle 6 hours at least)")
    fg.add_argument("codes", nargs="+", metavar="CODE")
    fg.add_argument("--yes", action="store_true", help="really delete (without it, only show what would go)")
    bk = act.add_parser(
        "backup",
        parents=[where],
        help="a consistent copy of the database in FILE, safe while the server runs (docs/deploy.md)",
    )
    bk.add_argument("file", metavar="FILE", help="where to write the copy (a new file)")


def run(args: argparse.Namespace) -> int:
    if args.action == "backup":
        return _backup(args)
    store = _open(args)
    try:
        kept = kept_sessions(store)
        now = int(time.time() * 1000)
        if args.action == "list":
            return _list(kept, args.json)
        if args.action == "prune":
            if args.idle_days < 1:
                raise CurbAppealError("--idle-days must be at least 1: a game idle for less may still be on")
            return _delete(store, idle_for(kept, args.idle_days, now), args.yes)
        return _delete(store, _named(kept, args.codes, now), args.yes)
    finally:
        store.close()


def _open(args: argparse.Namespace) -> Any:
    if args.redis_url:
        from game.store.redis import RedisStore

        return RedisStore(args.redis_url)  # StoreUnavailable says why when it cannot
    from game.store import SqliteStore

    if not args.db:
        raise CurbAppealError("CURB_DB is empty: pass --db FILE (the server's database)")
    if not Path(args.db).is_file():
        raise CurbAppealError(f"no database at {args.db} (pass --db FILE, or set CURB_DB)")
    return SqliteStore(args.db, awake_since_ms=None)


def _backup(args: argparse.Namespace) -> int:
    """SQLite's online backup: a consistent copy page by page, while a server keeps writing."""
    if args.redis_url:
        raise CurbAppealError(
            "with Redis the sessions are in Redis: back up its append-only file or run `redis-cli "
            "BGSAVE` and copy dump.rdb (docs/deploy.md, Backups)"
        )
    target = Path(args.file)
    if target.exists():
        raise CurbAppealError(f"{target} already exists: give a new file name (nothing was written)")
    if not target.parent.is_dir():
        raise CurbAppealError(f"the folder {target.parent} does not exist (nothing was written)")
    store = _open(args)
    try:
        store.backup(target)
        kept = len(store.codes())
    finally:
        store.close()
    print(f"backed up {kept} session(s) from {args.db} to {target}")
    return 0


def _named(kept: list[KeptSession], codes: list[str], now: int) -> list[KeptSession]:
    """The sessions asked for; any unknown or recently used code refuses the whole request."""
    by_code = {k.code: k for k in kept}
    wanted = [c.strip().upper() for c in codes]
    unknown = [c for c in wanted if c not in by_code]
    if unknown:
        raise CurbAppealError(f"no stored session with code {', '.join(unknown)}; nothing was deleted")
    busy = [c for c in wanted if busy_recently(by_code[c], now, LIVE_WINDOW_MS)]
    if busy:
        raise CurbAppealError(
            f"{', '.join(busy)} had a command in the last 6 hours and may be on a server now; "
            "nothing was deleted"
        )
    return [by_code[c] for c in dict.fromkeys(wanted)]


def _delete(store: Keeper, chosen: list[KeptSession], really: bool) -> int:
    if not chosen:
        print("no session to delete")
        return 0
    _table(chosen)
    if not really:
        print(f"\n{len(chosen)} session(s) would be deleted; run again with --yes to delete them")
        return 0
    for k in chosen:
        store.forget(k.code)
    print(f"\ndeleted {len(chosen)} session(s) and every command they held")
    return 0


def _list(kept: list[KeptSession], as_json: bool) -> int:
    if as_json:
        rows = [
            {
                "code": k.code,
                "scenario": k.scenario,
                "created_ms": k.created_ms,
                "last_activity_ms": k.touched_ms,
                "phase": k.phase.value,
                "round": k.round,
                "rounds": k.rounds,
                "teams": k.teams,
                "players": k.players,
                "log_ref": k.log_ref,
            }
            for k in kept
        ]
        print(json.dumps({"sessions": rows}))
    elif kept:
        _table(kept)
    else:
        print("no stored sessions")
    return 0


def _when(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000).strftime("%Y-%m-%d %H:%M")


def _table(kept: list[KeptSession]) -> None:
    width = max(len(k.scenario) for k in kept)
    head = f"{'CODE':<6}  {'SCENARIO':<{width}}  {'CREATED':<16}  {'LAST USED':<16}  {'PHASE':<12}"
    print(head + "  ROUND  TEAMS  PLAYERS  LOG REF")
    for k in kept:
        print(
            f"{k.code:<6}  {k.scenario:<{width}}  {_when(k.created_ms):<16}  {_when(k.touched_ms):<16}  "
            f"{k.phase.value:<12}  {f'{k.round}/{k.rounds}':>5}  {k.teams:>5}  {k.players:>7}",
            file=sys.stdout,
        )
