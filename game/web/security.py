"""Security headers on every HTTP response: a strict Content-Security-Policy and friends.

No inline script anywhere (``script-src 'self'``): the pages load ES modules from /static. Styles
come from /static too (``style-src 'self'``, no 'unsafe-inline'): the UI sets computed styles
through the CSSOM (``el.style``), which CSP does not block. Sockets go to the same host over
ws/wss. Nobody may frame the pages (clickjacking a "reveal" or "remove player" button), no page
sends a Referer (join links carry the room code), and browsers must not sniff content types.

The headers are added by a WSGI middleware around the whole application, so Flask's pages, static
files and exports, Socket.IO's polling answers and its errors all carry them; the few answers the
HTTP server writes by itself (a request line too long, a bad header) get ``raw_error_headers``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask

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
StartResponse = Callable[..., Any]


def content_security_policy(host: str) -> str:
    """The policy for a page served as ``host``: sockets may go back to that host only."""
    connect = "connect-src 'self'"
    if _HOST.match(host):  # never copy an odd Host header into the policy
        connect += f" ws://{host} wss://{host}"
    return "; ".join((*BASE_POLICY, connect))


def headers_for(path: str, host: str) -> list[tuple[str, str]]:
    """Every security header a response to ``path`` (asked of ``host``) carries."""
    out = [("Content-Security-Policy", content_security_policy(host)), *HEADERS.items()]
    if path.startswith("/api/sessions/"):  # exports hold names and decisions
        out.append(("Cache-Control", "no-store"))
    return out


def raw_error_headers() -> bytes:
    """The headers as raw lines, for the error answers the HTTP server writes without the app."""
    return b"".join(f"{k}: {v}\r\n".encode("latin-1") for k, v in headers_for("", ""))


class SecurityHeaders:
    """WSGI middleware: the headers on every response of the wrapped application, whoever wrote it."""

    def __init__(self, app: Callable[[dict[str, Any], StartResponse], Iterable[bytes]]) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        ours = headers_for(str(environ.get("PATH_INFO") or ""), str(environ.get("HTTP_HOST") or ""))

        override = {k.lower() for k, _ in ours if k in ("Content-Security-Policy", "Cache-Control")}

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            names = {k.lower() for k, _ in headers}
            kept = [(k, v) for k, v in headers if k.lower() not in override]
            added = [(k, v) for k, v in ours if k.lower() in override or k.lower() not in names]
            return start_response(status, kept + added, *([exc_info] if exc_info else []))

        return self.app(environ, start)


def install(app: Flask) -> None:
    """Wrap the whole application, Socket.IO included (the app factory calls this last)."""
    app.wsgi_app = SecurityHeaders(app.wsgi_app)  # type: ignore[method-assign]


class RawErrorHeaders:
    """A connection's write side that adds the headers to the error answers the HTTP server writes
    by itself, before any application runs (eventlet's 414 and 400s); everything else passes as is."""

    def __init__(self, wfile: Any) -> None:
        self._wfile = wfile

    def write(self, data: bytes) -> Any:
        if data[:10] in (b"HTTP/1.0 4", b"HTTP/1.1 4") and b"Content-Security-Policy" not in data:
            status, sep, rest = data.partition(b"\r\n")
            data = status + sep + raw_error_headers() + rest
        return self._wfile.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._wfile, name)
