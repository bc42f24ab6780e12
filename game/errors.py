"""Every error the game raises on purpose, in one place."""

from __future__ import annotations

from dataclasses import dataclass


class CurbAppealError(Exception):
    """Base of every error a user can cause."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One mistake in a scenario file, located as precisely as we can."""

    file: str
    line: int  # 1-based; 0 when the whole file is at fault
    path: str  # where in the document ("rounds[2].cards[0].effort"); "" for the file itself
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class ScenarioError(CurbAppealError):
    """A scenario file could not be loaded; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in problems))


class PlanError(CurbAppealError):
    """A plan names a card that is not on the table, or a decision that does not exist."""


class UnknownStrategy(CurbAppealError):
    """A strategy name that the game does not know."""


class CommandRejected(CurbAppealError):
    """A command or request the session refuses; nothing changed. ``code`` is machine-readable.

    Every layer of a session raises it (a field check, a command parser, a rule), so it lives here,
    below all of them."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def as_error(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


def bad(message: str) -> CommandRejected:
    """A payload that is malformed: the one refusal a client can always fix itself."""
    return CommandRejected("bad_request", message)
