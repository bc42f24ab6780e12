"""Pages: security headers on every response, no inline script or style in the templates, no HTML
sinks in the browser code, and every piece of user- or scenario-controlled text escaped."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import render_template

from game.web.security import content_security_policy
from tests.server.conftest import Server

ROOT = Path(__file__).resolve().parents[2]


def policy(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


@pytest.fixture
def pages(server: Server) -> tuple[Server, str]:
    _host, created = server.host(teams=1)
    return server, created["code"]


def test_every_response_carries_the_security_headers(pages: tuple[Server, str]) -> None:
    server, code = pages
    web = server.app.test_client()
    urls = [
        "/",
        f"/join/{code}",
        "/host",
        f"/host/{code}",
        "/join/QQQQQ",
        "/api/scenarios",
        f"/qr/{code}.svg",
    ]
    urls += ["/static/js/phone.js", "/static/css/base.css", "/healthz", "/no/such/page"]
    urls += [  # Socket.IO's own answers: the polling handshake, and its errors
        "/socket.io/?EIO=4&transport=polling",
        "/socket.io/?EIO=4&transport=polling&sid=nosuchsession",
        "/socket.io/?EIO=99&transport=polling",
        f"/api/sessions/{code}/export.csv",
    ]
    for url in urls:
        got = web.get(url, headers={"Host": "game.example:8000"})
        assert got.status_code in (200, 400, 403, 404), (url, got.status_code)
        csp = policy(got.headers["Content-Security-Policy"])
        assert csp["script-src"] == ["'self'"], url
        assert csp["style-src"] == ["'self'"], url
        assert csp["default-src"] == ["'self'"] and csp["object-src"] == ["'none'"]
        assert csp["frame-ancestors"] == ["'none'"] and csp["base-uri"] == ["'none'"]
        assert csp["img-src"] == ["'self'", "data:"]
        assert csp["connect-src"] == ["'self'", "ws://game.example:8000", "wss://game.example:8000"]
        assert got.headers["X-Content-Type-Options"] == "nosniff"
        assert got.headers["Referrer-Policy"] == "no-referrer"
        assert got.headers["X-Frame-Options"] == "DENY"
        got.close()
    script = web.get("/static/js/phone.js")
    assert script.mimetype in ("text/javascript", "application/javascript")
    script.close()


def test_an_odd_host_header_is_not_copied_into_the_policy() -> None:
    assert "evil" not in content_security_policy("x; script-src * evil")
    assert content_security_policy("[::1]:8000").endswith("ws://[::1]:8000 wss://[::1]:8000")


def test_exports_are_not_cached(pages: tuple[Server, str]) -> None:
    server, code = pages
    got = server.app.test_client().get(f"/api/sessions/{code}/export.json", headers={"X-Curb-Secret": "x"})
    assert got.status_code == 403 and got.headers["Cache-Control"] == "no-store"


class Markup(HTMLParser):
    """Collects what would run or style a page inline."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {k for k, _ in attrs}
        if tag == "script":
            self.in_script = True
            if "src" not in names:
                self.problems.append("a <script> without src")
        if tag == "style":
            self.problems.append("a <style> element")
        for k, v in attrs:
            if k.startswith("on") or k == "style" or (v or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {k}=...>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and data.strip():
            self.problems.append("inline script text")


@pytest.mark.parametrize("template", sorted(p.name for p in (ROOT / "templates").glob("*.html")))
def test_templates_have_no_inline_script_or_style(template: str) -> None:
    parser = Markup()
    parser.feed((ROOT / "templates" / template).read_text())
    assert parser.problems == []


SINKS = re.compile(
    r"\.innerHTML\s*=|\.outerHTML\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(|"
    r"setAttribute\(\s*[\"']on|setAttribute\(\s*[\"']style|\.srcdoc\s*="
)


@pytest.mark.parametrize("script", sorted(p.name for p in (ROOT / "static" / "js").glob("*.js")))
def test_browser_code_builds_text_nodes_not_html(script: str) -> None:
    """Names, team names and card text reach the page as text: no HTML sink in our own modules."""
    source = (ROOT / "static" / "js" / script).read_text()
    assert SINKS.findall(source) == []


def test_templates_escape_what_they_are_given(pages: tuple[Server, str]) -> None:
    server, _code = pages
    hostile = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    with server.app.test_request_context("/"):
        page = render_template("join.html", code=hostile, error=hostile)
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page or "&#34;&gt;&lt;script&gt;" in page


def test_a_wrong_code_in_a_link_shows_the_join_page_with_a_plain_message(pages: tuple[Server, str]) -> None:
    server, _code = pages
    web = server.app.test_client()
    got = web.get("/join/QQQQQ")
    assert got.status_code == 404 and b"No game has the code QQQQQ" in got.data
    assert b'<script type="module"' in got.data  # the real join page, so the person can type the code
    odd = web.get("/join/%3Cscript%3Ealert(1)")
    assert (
        odd.status_code == 404 and b"<script>alert" not in odd.data and b"No game has that code" in odd.data
    )
