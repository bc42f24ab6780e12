"""Garbage on the wire is the sender's problem: one log line, not a traceback.

Engine.IO logs an exception with its traceback when a client's packet cannot be decoded
(bad JSON, JSON nested past the recursion limit, an unknown packet type, a binary attachment
that does not fit). Those come from the client, not from a bug here, so they are logged as a
single warning; a traceback in the log then always means a bug in this server: anything raised
from our own handlers (a frame in ``game`` or ``flask_socketio``) keeps its traceback.
"""

from __future__ import annotations

import logging
from pathlib import Path
from types import TracebackType

_GAME = str(Path(__file__).resolve().parents[1])  # the game package
_WIRE = ("/socketio/", "/engineio/")
LOGGERS = ("engineio.server", "socketio.server")


def _frames(tb: TracebackType | None) -> list[str]:
    files = []
    while tb is not None:
        files.append(tb.tb_frame.f_code.co_filename)
        tb = tb.tb_next
    return files


def from_the_wire(exc: BaseException) -> bool:
    """Raised inside the Socket.IO/Engine.IO packet handling, with none of our code on the stack."""
    files = _frames(exc.__traceback__)
    ours = ("packets.py", "gate.py")  # the packet codec and the door before the library: not handlers
    if any("flask_socketio" in f or (f.startswith(_GAME) and not f.endswith(ours)) for f in files):
        return False
    return any(any(w in f for w in _WIRE) for f in files)


class MalformedPackets(logging.Filter):
    """Turns the library's traceback for an undecodable client packet into one warning line."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is not None and from_the_wire(exc):
            record.msg = "dropped a malformed packet from a client (%s: %.80s)"
            record.args = (type(exc).__name__, str(exc))
            record.exc_info = None
            record.exc_text = None
            record.levelno = logging.WARNING
            record.levelname = "WARNING"
        return True


def quiet_malformed_packets() -> None:
    """Install the filter on the Socket.IO and Engine.IO loggers (once per process)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, MalformedPackets) for f in logger.filters):
            logger.addFilter(MalformedPackets())
