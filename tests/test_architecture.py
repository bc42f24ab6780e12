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


# The layers, lowest first. A module may import from its own folder and from lower layers;
# ``sim`` and ``scenario`` are peers that never import each other.
LAYERS = {
    "model": 0,
    "sim": 1,
    "scenario": 1,
    "inbound": 2,
    "session": 3,
    "views": 4,
    "store": 5,
    "web": 6,
    "entry": 7,
}
PACKAGES = {"sim", "scenario", "inbound", "session", "views", "store", "web"}
ENTRY = {"cli.py", "cli_sessions.py", "__main__.py", "serve.py", "settings.py"}
# The one module reached past its package's face: it loads the Redis driver, which only a
# Redis deployment needs, so the store's face does not import it.
PAST_THE_FACE = {"game.store.redis"}


def layer(path: Path) -> str:
    rel = path.relative_to(GAME).as_posix()
    top = rel.split("/")[0]
    if top in PACKAGES:
        return top
    if rel in ENTRY:
        return "entry"
    return "model"


def module_path(mod: str) -> Path | None:
    """The file a ``game.*`` module name lives in, or None."""
    target = GAME.joinpath(*mod.split(".")[1:])
    for candidate in (target.with_suffix(".py"), target / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def module_name(path: Path) -> str:
    rel = path.relative_to(GAME.parent).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def edges(path: Path) -> set[str]:
    """Every ``game.*`` module a file depends on; ``from game.p import submodule`` names the submodule."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("game"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("game"):
            for a in node.names:
                sub = f"{node.module}.{a.name}"
                found.add(sub if module_path(sub) is not None else node.module)
    return found


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
    """The rest of the game gets scenarios through ``game.scenario``, already checked."""
    users = {p.relative_to(GAME).as_posix() for p in GAME.rglob("*.py") if "yaml" in imports(p)}
    assert users == {"scenario/reader.py"}


def test_imports_point_down() -> None:
    for path in GAME.rglob("*.py"):
        for mod in edges(path):
            target = module_path(mod)
            if target is None:
                continue
            here, there = layer(path), layer(target)
            assert here == there or LAYERS[there] < LAYERS[here], (
                f"{path} imports {mod} ({there} is not below {here})"
            )


def test_other_folders_use_a_package_only_through_its_face() -> None:
    """Outside ``game/p/``, only ``game.p`` itself (its ``__init__`` and ``__all__``) is imported."""
    for path in GAME.rglob("*.py"):
        for mod in modules(path):
            parts = mod.split(".")
            if len(parts) < 3 or parts[1] not in PACKAGES or layer(path) == parts[1]:
                continue
            assert mod in PAST_THE_FACE, f"{path} reaches past the face of game.{parts[1]}: {mod}"


def test_every_package_states_its_rule_and_its_face() -> None:
    for package in sorted(PACKAGES):
        init = GAME / package / "__init__.py"
        tree = ast.parse(init.read_text())
        assert ast.get_docstring(tree), f"{init} has no docstring stating the folder's rule"
        assert any(
            isinstance(n, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__all__" for t in n.targets)
            for n in tree.body
        ), f"{init} has no __all__"


def test_no_import_cycles() -> None:
    graph = {module_name(p): {m for m in edges(p) if module_path(m) is not None} for p in GAME.rglob("*.py")}
    done: set[str] = set()

    def visit(node: str, trail: list[str]) -> None:
        if node in trail:
            raise AssertionError("import cycle: " + " -> ".join([*trail[trail.index(node) :], node]))
        if node in done:
            return
        for nxt in sorted(graph.get(node, ())):
            visit(nxt, [*trail, node])
        done.add(node)

    for start in sorted(graph):
        visit(start, [])


def test_the_layer_test_sees_a_violation() -> None:
    """The checks above are not vacuous: the session imports the simulation, a lower layer."""
    assert "game.sim" in {
        m.rsplit(".", 1)[0] if m.count(".") > 1 else m for m in edges(GAME / "session" / "rounds.py")
    }
    assert LAYERS[layer(GAME / "web" / "hub.py")] > LAYERS[layer(GAME / "views" / "live.py")]
