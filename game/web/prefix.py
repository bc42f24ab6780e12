"""Serving under a path prefix (https://host/curb/): ``--root-path``, or a trusted proxy's header.

A proxy that serves the game under ``/curb/`` either strips the prefix before passing a request
on (``proxy_pass http://workers/;``) and says so in ``X-Forwarded-Prefix``, or passes the path
whole. Either way this middleware leaves the game seeing its usual paths (``/host``,
``/socket.io/``) and Flask seeing the prefix as ``SCRIPT_NAME``, which the pages, join links and
QR codes are built from (``request.script_root``). The header is believed only from a trusted
proxy (``--trusted-proxies``); ``--root-path`` needs no header at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

_PREFIX = re.compile(r"^(/[A-Za-z0-9._~-]+)+$")  # /curb, /games/curb: no dots-only parts, no slash at the end


def clean_prefix(raw: str) -> str:
    """``/curb`` from ``/curb/`` or ``curb``; "" for the root or anything that is not a plain path."""
    text = "/" + raw.strip().strip("/")
    if text == "/":
        return ""
    if not _PREFIX.match(text) or any(part in (".", "..") for part in text.split("/")):
        return ""
    return text


class RootPath:
    """WSGI middleware: the prefix moves from the path (if there) into ``SCRIPT_NAME``."""

    def __init__(self, app: Callable[..., Iterable[bytes]], root: str, trust_header: bool) -> None:
        self.app = app
        self.root = clean_prefix(root)
        self.trust_header = trust_header

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        root = self.root
        if not root and self.trust_header:
            root = clean_prefix(environ.get("HTTP_X_FORWARDED_PREFIX", ""))
        if root:
            path = environ.get("PATH_INFO", "")
            if path == root or path.startswith(root + "/"):
                environ["PATH_INFO"] = path[len(root) :] or "/"
            environ["SCRIPT_NAME"] = root
        return self.app(environ, start_response)
