"""The scenarios this server offers by name, loaded once each, and facilitators' own files."""

from __future__ import annotations

from pathlib import Path

from game.errors import CommandRejected
from game.inbound import uploaded_scenario
from game.model import Scenario
from game.scenario import DEFAULT_SCENARIO, list_scenarios, load_scenario
from game.web.config import WebConfig
from game.web.offload import Offload
from game.web.scenario_worker import check_in_child


class Catalogue:
    """What a facilitator may start a game from: a name on offer, or (if allowed) their own file."""

    def __init__(self, config: WebConfig, offload: Offload | None = None) -> None:
        self.config = config
        self.offload = offload or Offload()
        self._loaded: dict[str, Scenario] = {}

    def offered(self) -> dict[str, Scenario | Path]:
        if self.config.scenarios is not None:
            return dict(self.config.scenarios)
        return {p.stem: p for p in list_scenarios()}

    def named(self, name: str) -> Scenario:
        """A scenario by name: only names the server offers, never a path from a client."""
        offered = self.offered()
        name = name or (DEFAULT_SCENARIO if DEFAULT_SCENARIO in offered else next(iter(offered), ""))
        if name not in offered:
            raise CommandRejected("not_found", f"no scenario named {name!r}")
        if name not in self._loaded:
            loaded = offered[name]
            self._loaded[name] = loaded if isinstance(loaded, Scenario) else load_scenario(loaded)
        return self._loaded[name]

    def uploaded(self, file_name: str, raw: bytes) -> Scenario:
        """A facilitator's own scenario file, if this server takes them (checked like any file)."""
        if not self.config.scenario_uploads:
            raise CommandRejected("forbidden", "this server only offers its own scenarios")
        if self.config.scenario_worker:  # a child process: the loop only waits for its answer
            return self.offload.aside(check_in_child, file_name, raw)
        return self.offload(uploaded_scenario, file_name, raw)  # a thread of the pool, if there is one
