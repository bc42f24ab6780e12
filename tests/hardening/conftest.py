"""Fixtures for the hardening tests: a test-client server that tells callers apart by address."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, sync_playwright

from game.model import Scenario
from tests.browser.support import CHROMIUM, CHROMIUM_ARGS
from tests.server.conftest import Client, Server


class Caller(Client):
    """A socket client that appears to come from ``address`` (the server trusts one proxy hop)."""

    def __init__(self, server: Server, address: str) -> None:
        self.sio_client = server.sio.test_client(
            server.app, flask_test_client=server.app.test_client(), headers={"X-Forwarded-For": address}
        )
        self.seen: list[tuple[str, Any]] = []


class ProxiedServer(Server):
    """A test-client server behind one trusted proxy, so each test can play many client addresses."""

    def __init__(self, scenario: Scenario, **config: Any) -> None:
        super().__init__(scenario, trusted_proxies=1, **config)

    def caller(self, address: str) -> Caller:
        return Caller(self, address)


@pytest.fixture
def proxied(scenario: Scenario) -> ProxiedServer:
    return ProxiedServer(scenario)


@pytest.fixture
def server(scenario: Scenario) -> Server:
    return Server(scenario)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium for the hardening tests that need a real browser (one per module)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()
