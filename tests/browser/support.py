"""Helpers for browser tests: the server process, page watchers, screenshots and the axe-core scan."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import requests
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CURB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = ROOT / "static" / "vendor" / "axe.min.js"
SCREENS = Path(os.environ.get("CURB_SCREENSHOTS", "/tmp/curb-appeal-screens"))  # never in the repo
PROJECTOR: ViewportSize = {"width": 1280, "height": 720}
PHONE: ViewportSize = {"width": 375, "height": 667}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``python -m game serve`` on a free port with a throwaway database."""

    def __init__(self, db: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cmd = [sys.executable, "-m", "game", "serve", "--host", "127.0.0.1"]
        cmd += ["--port", str(self.port), "--db", str(db)]
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"the server exited: {self.proc.communicate()[0]}")
            try:
                if requests.get(self.url + "/healthz", timeout=0.5).ok:
                    return
            except requests.ConnectionError:
                time.sleep(0.05)
        self.stop()
        raise AssertionError("the server did not start in time")

    def stop(self) -> str:
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            return self.proc.communicate(timeout=5)[0]
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.communicate()[0]


class Watch:
    """Collects what a page must never do: script errors and dialogs (an alert means injected script ran)."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.allowed: list[str] = []

    def allow(self, text: str) -> None:
        """A console error this test causes on purpose (say, going offline)."""
        self.allowed.append(text)

    def attach(self, page: Page) -> Page:
        page.on("pageerror", lambda e: self.errors.append(f"{page.url}: {e}"))
        # Console errors include Content-Security-Policy refusals and failed loads.
        page.on("console", lambda m: self._console(page, m))
        page.on("dialog", self._dialog)
        page.set_default_timeout(8000)
        return page

    def _console(self, page: Page, message: Any) -> None:
        if message.type == "error" and not any(a in message.text for a in self.allowed):
            self.errors.append(f"{page.url}: console: {message.text}")

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def check(self) -> None:
        assert not self.dialogs, f"a dialog fired (injected script ran?): {self.dialogs}"
        assert not self.errors, "script errors:\n" + "\n".join(self.errors)


# Reduced motion: entrance animations fade colours for a moment, which axe would measure mid-fade.
def projector(browser: Browser, **kw: Any) -> BrowserContext:
    return browser.new_context(viewport=PROJECTOR, accept_downloads=True, reduced_motion="reduce", **kw)


def phone(browser: Browser) -> BrowserContext:
    return browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2, reduced_motion="reduce"
    )


def shot(page: Page, name: str, *, full_page: bool = False) -> None:
    """Keep a screenshot of every screen out of the repo, to look at."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=full_page)


def axe(page: Page, where: str) -> None:
    """Run axe-core on the page: no serious or critical violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # The pages run under a strict Content-Security-Policy (script-src 'self'), which refuses an
        # inline script: load axe-core from our own static/vendor as a same-origin script instead.
        origin = page.evaluate("location.origin")
        assert AXE.exists(), "static/vendor/axe.min.js is missing: run make setup"
        page.add_script_tag(url=f"{origin}/static/vendor/axe.min.js")
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations
              .filter(v => v.impact === 'serious' || v.impact === 'critical')
              .map(v => ({id: v.id, impact: v.impact, help: v.help,
                          nodes: v.nodes.slice(0, 3)
                            .map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
        }"""
    )
    assert not result, f"axe on {where}:\n{json.dumps(result, indent=2)}"
