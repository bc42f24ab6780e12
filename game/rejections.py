"""The one refusal every layer of a session raises: a field check, a command parser, a rule.

It sits below all of them, so the checks of untrusted fields need not import the commands
(nor the rules the checks) just to say no.
"""

from __future__ import annotations

from game.errors import CurbAppealError


class CommandRejected(CurbAppealError):
    """A command the session refuses; nothing changed. ``code`` is machine-readable."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def as_error(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


def bad(message: str) -> CommandRejected:
    return CommandRejected("bad_request", message)
