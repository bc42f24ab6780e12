"""The room's real ways in, in a real browser, after a guesser on the venue's network used up its
wrong room codes (issue 13): a typed code asks for the word on the big screen, and the QR code's
link (with its join key) gets straight in. The projector shows the word and the keyed QR code."""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import Browser, expect

from tests.browser.support import Server, Watch, axe, phone, projector

pytestmark = pytest.mark.browser


def test_a_locked_out_venue_still_gets_in(browser: Browser, server: Server, watch: Watch) -> None:
    host_ctx = projector(browser)
    host = watch.attach(host_ctx.new_page())
    host.goto(server.url + "/host")
    host.get_by_role("button", name="Create the session").click()
    expect(host).to_have_url(re.compile(r"/host/[A-Z0-9]{5}$"))
    code = host.url.rsplit("/", 1)[1]
    word = host.locator(".jw-word strong").inner_text()
    assert "?k=" in (host.locator("img.qr").get_attribute("src") or "")

    for n in range(40):  # a guesser on the same address (this machine) drains its wrong codes
        requests.get(f"{server.url}/join/QQQ{n % 10}Q", timeout=5)

    typist = watch.attach(phone(browser).new_page())
    typist.goto(server.url + "/")
    typist.get_by_label("Room code").fill(code)
    typist.get_by_label("Your name").fill("Ana")
    typist.get_by_role("button", name="Join", exact=True).click()
    expect(typist.get_by_role("alert")).to_contain_text("Scan the QR code")
    typist.get_by_label("Word on the big screen").fill(word)
    axe(typist, "phone join page asking for the room's word")
    typist.get_by_role("button", name="Join", exact=True).click()
    expect(typist.locator(".hello h1")).to_have_text("Ana")

    qr_src = host.locator("img.qr").get_attribute("src") or ""
    key = qr_src.split("?k=")[1]
    scanner = watch.attach(phone(browser).new_page())
    scanner.goto(f"{server.url}/join/{code}?k={key}")
    expect(scanner.get_by_label("Room code")).to_have_value(code)
    scanner.get_by_label("Your name").fill("Ben")
    scanner.get_by_role("button", name="Join", exact=True).click()
    expect(scanner.locator(".hello h1")).to_have_text("Ben")
    watch.check()
    host_ctx.close()
