"""`python -m game` and the `curb-appeal` script: serving patches eventlet before anything loads."""

from __future__ import annotations

import sys


def run() -> int:
    """Entry point: patch for eventlet before the rest of the game loads, then run the CLI."""
    if sys.argv[1:2] in (["serve"], []):
        import game.serve  # noqa: F401  (monkey-patches eventlet before the rest of the game loads)
    from game.cli import main

    return main()


if __name__ == "__main__":
    raise SystemExit(run())
