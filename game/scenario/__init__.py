"""Scenarios from YAML: read, checked against the schema and the game's words, built into values.

Rule of this folder: the only code that parses YAML (``reader``); everything it hands out is a
checked, immutable ``Scenario`` (or ``StrategySpec``), and every problem names its file and line.
"""

from __future__ import annotations

from game.scenario.catalogue import (
    DEFAULT_SCENARIO,
    check_file,
    check_strategy_file,
    check_upload,
    find_scenario,
    list_scenarios,
    load_scenario,
    load_strategy_file,
)

__all__ = [
    "DEFAULT_SCENARIO",
    "check_file",
    "check_strategy_file",
    "check_upload",
    "find_scenario",
    "list_scenarios",
    "load_scenario",
    "load_strategy_file",
]
