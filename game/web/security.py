"""Security headers on every HTTP response: a strict Content-Security-Policy and friends.

No inline script anywhere (``script-src 'self'``): the pages load ES modules from /static. Styles
come from /static too (``style-src 'self'``, no 'unsafe-inline'): the UI sets computed styles
through the CSSOM (``el.style``), which CSP does not block. Sockets go to the same host over
ws/wss. Nobody may frame the pages (clickjacking a "reveal" or "remove player" button), no page
sends a Referer (join links carry the room code), and browsers must not sniff content types.
"""

from __future__ import annotations

import re

from flask import Flask, Response, request

_HOST = re.compile(r"^[A-Za-z0-9.\-]+(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$")

BASE_POLICY = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}


def content_security_policy(host: str) -> str:
    """The policy for a page served as ``host``: sockets may go back to that host only."""
    connect = "connect-src 'self'"
    if _HOST.match(host):  # never copy an odd Host header into the policy
        connect += f" ws://{host} wss://{host}"
    return "; ".join((*BASE_POLICY, connect))


def add_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = content_security_policy(request.host)
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.path.startswith("/api/sessions/"):  # exports hold names and decisions
        response.headers["Cache-Control"] = "no-store"
    return response


def install(app: Flask) -> None:
    """Hook the headers into the app (the app factory calls this)."""
    app.after_request(add_headers)
