"""Facilitator mistakes in a real browser: the host screen open twice, a refresh during the reveal,
the tab closed mid-round and opened again, a double-click on "Reveal". Each must do the sensible
thing: the game moves once, nothing is lost, no error is shown, the phones notice nothing odd.
(Two screens pressing at the same moment, a stale screen and the clock racing the button are
tested over the socket protocol in test_facilitator_mistakes.py, where the timing is in hand.)"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.support import Watch, phone, projector
from tests.hardening.live import LiveServer, Wire

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = LiveServer(tmp_path_factory.mktemp("mistakes"))
    server.start()
    yield server
    server.stop()


def create(ctx: BrowserContext, watch: Watch, url: str) -> tuple[Page, str]:
    host = watch.attach(ctx.new_page())
    host.goto(url + "/host")
    host.get_by_label("Teams", exact=True).select_option("2")
    host.get_by_label("Round timer", exact=True).select_option("0")
    host.get_by_role("button", name="Create the session").click()
    expect(host).to_have_url(re.compile(r"/host/[A-Z0-9]{5}$"))
    return host, host.url.rsplit("/", 1)[1]


def join(browser: Browser, watch: Watch, url: str, code: str, name: str) -> Page:
    page = watch.attach(phone(browser).new_page())
    page.goto(f"{url}/join/{code}")
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Join", exact=True).click()
    expect(page.locator(".hello h1")).to_have_text(name)
    return page


def no_error_toast(host: Page) -> None:
    toast = host.locator("#toast")
    assert not (toast.evaluate("t => t.classList.contains('bad') && t.classList.contains('show')")), (
        toast.text_content()
    )


def test_mistakes_at_the_projector(live: LiveServer, browser: Browser) -> None:
    watch = Watch()
    ctx = projector(browser)
    host, code = create(ctx, watch, live.url)
    ana = join(browser, watch, live.url, code, "Ana")
    ben = join(browser, watch, live.url, code, "Ben")
    host.get_by_role("button", name="Start the game").click()
    expect(ana.locator(".card:not(.news)").first).to_be_visible()

    # The host screen opened a second time (a second tab with the same key): both follow the game.
    second = watch.attach(ctx.new_page())
    second.goto(f"{live.url}/host/{code}")
    expect(second.get_by_role("button", name="Close round")).to_be_visible()
    ana.locator(".card:not(.news)").first.get_by_role("button", name="Build", exact=True).click()
    second.get_by_role("button", name="Close round").click()
    expect(host.get_by_role("button", name="Reveal results")).to_be_visible()
    expect(second.get_by_role("button", name="Reveal results")).to_be_visible()

    host.get_by_role("button", name="Reveal results").click()
    expect(host.get_by_role("button", name="Start round 2")).to_be_visible()
    expect(second.get_by_role("button", name="Start round 2")).to_be_visible()
    expect(ana.get_by_role("heading", name=re.compile("What happened to"))).to_be_visible()
    no_error_toast(host)

    # A refresh during the reveal: the same reveal again, the phones notice nothing.
    before = host.locator(".reveal").text_content()
    host.reload()
    expect(host.get_by_role("button", name="Start round 2")).to_be_visible()
    expect(host.locator(".reveal")).to_have_text(before or "")
    expect(ana.get_by_role("heading", name=re.compile("What happened to"))).to_be_visible()
    expect(ben.get_by_role("heading", name=re.compile("What happened to"))).to_be_visible()

    host.get_by_role("button", name="Start round 2").click()
    expect(host.get_by_role("button", name="Close round")).to_be_visible()
    expect(second.get_by_role("button", name="Close round")).to_be_visible()
    secret = host.evaluate(f"localStorage.getItem('curb:host:{code}')")
    laptop = Wire(live.ws_url)
    try:
        view = laptop.call("host:attach", {"code": code, "secret": secret})["view"]
    finally:
        laptop.close()
    assert (view["phase"], view["round"]["index"]) == ("round_open", 1)
    no_error_toast(host)
    no_error_toast(second)

    # The tab is closed mid-round; the players carry on; opening the host screen again shows it all.
    second.close()
    host.close()
    ben.locator(".card:not(.news)").first.get_by_role("button", name="Say no", exact=True).click()
    ana.get_by_role("button", name="Lock our plan").click()
    again = watch.attach(ctx.new_page())
    again.goto(f"{live.url}/host/{code}")
    expect(again.get_by_role("button", name="Close round")).to_be_visible()
    expect(again.locator(".st.locked")).to_have_count(1)
    again.get_by_role("button", name="Close round").click()
    expect(again.get_by_role("button", name="Reveal results")).to_be_visible()
    no_error_toast(again)
    watch.check()


def test_a_double_click_on_reveal_stays_on_the_reveal(live: LiveServer, browser: Browser) -> None:
    watch = Watch()
    ctx = projector(browser)
    host, code = create(ctx, watch, live.url)
    ana = join(browser, watch, live.url, code, "Ana")
    host.get_by_role("button", name="Start the game").click()
    expect(ana.locator(".card:not(.news)").first).to_be_visible()
    host.get_by_role("button", name="Close round").click()
    for _ in range(5):  # the race is in the browser's timing: give it a few chances
        reveal = host.get_by_role("button", name="Reveal results")
        expect(reveal).to_be_visible()
        reveal.dblclick()
        expect(ana.get_by_role("heading", name=re.compile("What happened to"))).to_be_visible()
        expect(host.get_by_role("button", name=re.compile("Start round|Show the debrief"))).to_be_visible()
        no_error_toast(host)
        if host.get_by_role("button", name="Show the debrief").count():
            break
        host.get_by_role("button", name=re.compile("Start round")).click()
        expect(host.get_by_role("button", name="Close round")).to_be_visible()
        host.get_by_role("button", name="Close round").click()
    watch.check()
