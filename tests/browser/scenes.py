"""Setting scenes for browser tests: the facilitator as a plain socket client, and the screens it opens."""

from __future__ import annotations

from typing import Any

import socketio
from playwright.sync_api import Browser, Page

from tests.browser.support import Server, Watch, projector


class Facilitator:
    """The facilitator as a plain socket client, to set scenes quickly.

    ``settings`` go into ``host:create``; a game plays saas-startup unless they bring their
    own scenario file (``scenario_yaml``).
    """

    def __init__(self, url: str, **settings: Any) -> None:
        self.sio = socketio.Client(reconnection=False)
        self.sio.connect(url, transports=["websocket"], wait_timeout=5)
        self.n = 0
        payload = {"teams": 2, "seed": 3, **settings}
        if "scenario_yaml" not in payload:
            payload.setdefault("scenario", "saas-startup")
        ack = self.sio.call(
            "host:create", payload, timeout=15
        )  # an uploaded file is read cold the first time
        assert ack["ok"], ack
        self.code: str = ack["code"]
        self.secret: str = ack["secret"]

    def command(self, type_: str, **fields: Any) -> dict[str, Any]:
        self.n += 1
        ack: dict[str, Any] = self.sio.call(
            "command", {"id": f"f-{self.n}", "type": type_, **fields}, timeout=5
        )
        assert ack["ok"], ack
        return ack

    def view(self) -> dict[str, Any]:
        ack: dict[str, Any] = self.sio.call("sync", {}, timeout=5)
        return ack["view"]

    def close(self) -> None:
        self.sio.disconnect()


def facilitator(server: Server, made: list[Facilitator], **settings: Any) -> Facilitator:
    """A new facilitator, closed by the ``facilitators`` fixture that keeps ``made``."""
    f = Facilitator(server.url, **settings)
    made.append(f)
    return f


def join(page: Page, url: str, code: str, name: str) -> None:
    page.goto(f"{url}/join/{code}")
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Join", exact=True).click()


def host_screen(browser: Browser, server: Server, watch: Watch, f: Facilitator) -> Page:
    """The projector, opened on the facilitator's session with the key in the link."""
    host = watch.attach(projector(browser).new_page())
    host.goto(f"{server.url}/host/{f.code}#key={f.secret}")
    return host


def no_sideways_scroll(page: Page, where: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{where} scrolls sideways ({width}px)"  # type: ignore[index]
