"""The web shell: Flask routes and Socket.IO events around the pure session rules."""

from __future__ import annotations

from game.web.app import create_app
from game.web.budget import GreenCpu
from game.web.config import WebConfig
from game.web.frames import cap_messages
from game.web.security import RawErrorHeaders

__all__ = ["GreenCpu", "RawErrorHeaders", "WebConfig", "cap_messages", "create_app"]
