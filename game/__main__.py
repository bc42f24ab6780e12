"""``python -m game``: the command line. Serving imports ``game.serve`` first so eventlet patches early."""

from __future__ import annotations

import sys

if sys.argv[1:2] in (["serve"], []):
    import game.serve  # noqa: F401  (monkey-patches eventlet before the rest of the game loads)

from game.cli import main

raise SystemExit(main())
