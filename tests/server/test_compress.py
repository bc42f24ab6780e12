"""Text goes out gzipped to browsers that accept it, so phones download the compressed weight."""

from __future__ import annotations

import gzip
from pathlib import Path

from tests.server.conftest import Server

STATIC = Path(__file__).resolve().parents[2] / "static"


def test_a_script_is_gzipped_for_a_browser_that_accepts_it(server: Server) -> None:
    http = server.app.test_client()
    original = (STATIC / "js" / "net.js").read_bytes()
    zipped = http.get("/static/js/net.js", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert zipped.status_code == 200
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.data) == original
    assert len(zipped.data) < len(original)
    again = http.get("/static/js/net.js", headers={"Accept-Encoding": "gzip"})
    assert again.data == zipped.data


def test_pages_are_gzipped_and_plain_clients_get_plain_bytes(server: Server) -> None:
    http = server.app.test_client()
    page = http.get("/", headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip"
    assert b"<html" in gzip.decompress(page.data).lower()
    plain = http.get("/")
    assert "Content-Encoding" not in plain.headers
    assert b"<html" in plain.data.lower()


def test_tiny_and_error_responses_are_left_alone(server: Server) -> None:
    http = server.app.test_client()
    health = http.get("/healthz", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in health.headers
    missing = http.get("/static/js/nope.js", headers={"Accept-Encoding": "gzip"})
    assert missing.status_code == 404 and "Content-Encoding" not in missing.headers
