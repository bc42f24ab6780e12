"""A small driver for the pure session: apply acts with a fake clock and fresh command ids."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import fields
from typing import Any

import pytest

from game.errors import CommandRejected
from game.model import Scenario
from game.session import HOST, Act, Applied, Session, Settings, apply, new_session
from game.session.commands import Command, Join


def _contents(state: Session) -> dict[str, Any]:
    """A deep copy of everything in a session but its (large, immutable) scenario."""
    return copy.deepcopy({f.name: getattr(state, f.name) for f in fields(state) if f.name != "scenario"})


class Driver:
    def __init__(self, scenario: Scenario, settings: Settings) -> None:
        self.state: Session = new_session("TEST1", scenario, settings, 0)
        self.now = 1_000
        self.n = 0

    def act(self, actor: str, cmd: Command, cid: str | None = None) -> Applied:
        self.n += 1
        result = apply(self.state, Act(actor, cmd, f"c{self.n}" if cid is None else cid, self.now))
        self.state = result.state
        return result

    def host(self, cmd: Command) -> Applied:
        return self.act(HOST, cmd)

    def join(self, name: str, team: str = "") -> str:
        return self.act("", Join(name=name, team=team)).seat

    def rejected(self, actor: str, cmd: Command) -> str:
        """Apply a command that must be refused; check that nothing changed; return the error code."""
        before = self.state
        snapshot = _contents(before)
        with pytest.raises(CommandRejected) as err:
            apply(before, Act(actor, cmd, "x-rejected", self.now))
        assert _contents(before) == snapshot  # no rule changed the session it was given in place
        return err.value.code


@pytest.fixture
def game(scenario: Scenario) -> Callable[..., Driver]:
    def make(**settings: Any) -> Driver:
        return Driver(scenario, Settings(**settings))

    return make
