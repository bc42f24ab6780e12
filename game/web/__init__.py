"""The web shell: Flask routes and Socket.IO events around the pure session rules."""

from __future__ import annotations

from game.web.app import create_app
from game.web.config import WebConfig

__all__ = ["WebConfig", "create_app"]
