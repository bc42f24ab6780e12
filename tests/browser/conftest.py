"""Fixtures for browser tests: a real server process per module and Debian's Chromium via Playwright."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright

from tests.browser.scenes import Facilitator
from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, Server, Watch


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = Server(tmp_path_factory.mktemp("curb") / "browser.db")
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (make browser installs it)")
    b = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield b
    b.close()


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def facilitators(server: Server) -> Iterator[list[Facilitator]]:
    """Facilitators a test opens (``scenes.facilitator``), closed after it."""
    made: list[Facilitator] = []
    yield made
    for f in made:
        f.close()
