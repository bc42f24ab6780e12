"""The layers, kept honest by reading imports: nothing below the web shell touches transport or storage."""

from __future__ import annotations

import ast
from pathlib import Path

GAME = Path(__file__).resolve().parents[1] / "game"
WEB_ONLY = {"flask", "flask_socketio", "socketio", "engineio", "eventlet", "werkzeug", "segno"}
STORAGE = {"sqlite3", "redis"}


def imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def modules(path: Path) -> set[str]:
    """Every ``game.*`` module a file imports, in full."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("game"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("game"):
            found.add(node.module)
    return found


def layer(path: Path) -> str:
    rel = path.relative_to(GAME).as_posix()
    if rel.startswith("web/"):
        return "web"
    if rel.startswith("store/"):
        return "store"
    if rel in ("cli.py", "cli_sessions.py", "__main__.py", "serve.py"):
        return "entry"
    return "core"


def test_nothing_below_the_web_shell_imports_transport_or_databases() -> None:
    for path in GAME.rglob("*.py"):
        banned = WEB_ONLY | STORAGE
        if layer(path) == "store":
            banned = WEB_ONLY
        if layer(path) in ("web", "entry"):
            continue
        assert not imports(path) & banned, f"{path}: {imports(path) & banned}"


def test_only_the_redis_store_and_the_web_factory_import_the_redis_driver() -> None:
    users = {p.relative_to(GAME).as_posix() for p in GAME.rglob("*.py") if "redis" in imports(p)}
    assert users <= {"store/redis.py", "web/app.py"}
    assert "store/redis.py" in users


def test_only_serve_imports_eventlet() -> None:
    users = {p.relative_to(GAME).as_posix() for p in GAME.rglob("*.py") if "eventlet" in imports(p)}
    assert users <= {"serve.py"}


def test_only_the_scenario_reader_parses_yaml() -> None:
    """The rest of the game gets scenarios through ``game.scenario.catalogue``, already checked."""
    users = {p.relative_to(GAME).as_posix() for p in GAME.rglob("*.py") if "yaml" in imports(p)}
    assert users == {"scenario/reader.py"}


def test_imports_point_down() -> None:
    order = {"core": 0, "store": 1, "web": 2, "entry": 3}
    for path in GAME.rglob("*.py"):
        for mod in modules(path):
            parts = mod.split(".")
            target = GAME / "/".join(parts[1:]) if len(parts) > 1 else GAME
            target = (
                target.with_suffix(".py") if target.with_suffix(".py").exists() else target / "__init__.py"
            )
            if not target.exists():
                continue
            assert order[layer(target)] <= order[layer(path)], f"{path} imports {mod} from a higher layer"
