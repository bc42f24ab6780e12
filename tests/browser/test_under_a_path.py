"""In Chromium, the game served under /curb/ by nginx (deploy/nginx-under-a-path.conf): the pages load
every module, style sheet and image under the prefix, the socket connects there, and a game runs."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Request, expect

from bench.cluster import ROOT, Cluster
from tests.browser.support import Watch, phone, projector

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def under_a_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    if shutil.which("redis-server") is None and not Path("/usr/sbin/nginx").exists():
        pytest.skip("redis-server and nginx are missing: make services installs them")
    site = ROOT / "deploy" / "nginx-under-a-path.conf"
    c = Cluster(
        tmp_path_factory.mktemp("prefix"), 1, site=site, prefix="/curb", env={"CURB_TRUSTED_PROXIES": "1"}
    )
    try:
        c.start()
        yield c
    finally:
        c.stop()


def test_a_game_under_a_path_prefix(browser: Browser, under_a_path: Cluster, watch: Watch) -> None:
    base = under_a_path.url
    asked: list[str] = []

    def note(request: Request) -> None:
        asked.append(request.url)

    host = watch.attach(projector(browser).new_page())
    host.on("request", note)
    host.on("websocket", lambda ws: asked.append(ws.url))
    host.goto(f"{base}/host")
    host.get_by_role("button", name="Create the session").click()
    expect(host).to_have_url(re.compile(r"/curb/host/[A-Z0-9]{5}$"))
    code = host.url.rsplit("/", 1)[1]
    expect(host.locator(".room-code")).to_have_text(code)
    qr = host.locator("img.qr")
    expect(qr).to_have_attribute("src", re.compile(rf"/curb/qr/{code}\.svg\?k=\w+$"))  # with its join key
    host.wait_for_function("() => document.querySelector('img.qr')?.complete")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")

    ana = watch.attach(phone(browser).new_page())
    ana.on("request", note)
    ana.goto(f"{base}/")
    ana.get_by_label("Room code").fill(code)
    ana.get_by_label("Your name").fill("Ana")
    ana.get_by_role("button", name="Join", exact=True).click()
    expect(ana.locator(".hello h1")).to_have_text("Ana")
    expect(ana).to_have_url(re.compile(f"/curb/join/{code}$"))
    host.keyboard.press("Space")  # start the round
    expect(ana.locator(".card:not(.news)").first).to_be_visible()
    ana.locator(".card:not(.news)").first.get_by_role("button", name="Build", exact=True).click()
    expect(ana.locator(".card:not(.news)").first.locator(".set-by")).to_have_text(
        re.compile("Build — set by you")
    )
    expect(
        host.get_by_text(re.compile(r"^1 of \d+ decided"))
    ).to_be_visible()  # the edit reached the projector
    watch.check()  # no module, sheet or image failed to load; no script error
    origin = base.removesuffix("/curb")
    ours = [u for u in asked if u.startswith(origin)]
    assert ours and all(u.startswith(base + "/") for u in ours), [u for u in ours if not u.startswith(base)]
    ws = origin.replace("http://", "ws://") + "/curb/socket.io/"
    assert any(u.startswith(ws) for u in asked), asked
