"""Pacing on the screens: once every team locks, projector and phones count the round down to its
close, the facilitator can keep it open (button or K), and otherwise it closes by itself."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.scenes import Facilitator, facilitator, host_screen, join
from tests.browser.support import Server, Watch, axe, phone, shot

pytestmark = pytest.mark.browser


def test_the_round_counts_down_after_every_team_locks_and_can_be_kept_open(
    browser: Browser, server: Server, watch: Watch, facilitators: list[Facilitator]
) -> None:
    f = facilitator(server, facilitators, teams=1)
    ana = watch.attach(phone(browser).new_page())
    join(ana, server.url, f.code, "Ana")
    expect(ana.locator(".hello h1")).to_have_text("Ana")
    host = host_screen(browser, server, watch, f)
    f.command("start")
    ana.get_by_role("button", name="Lock our plan").click()

    # Both screens count down; the facilitator keeps the round open with K.
    expect(ana.locator(".closing-note")).to_contain_text(re.compile(r"closes in [1-5] s"))
    closing = host.locator(".closing")
    expect(closing).to_contain_text(re.compile(r"closing in [1-5] s"))
    shot(host, "host-closing")
    axe(host, "projector counting down")
    host.keyboard.press("k")
    expect(closing).to_have_count(0)
    expect(ana.locator(".closing-note")).to_have_count(0)
    expect(ana.locator(".lockbar")).to_contain_text("Plan locked")
    expect(host.locator(".round-side")).to_be_visible()

    # The next round paces itself again, and closes by itself a few seconds after the lock.
    for step in ("close", "reveal", "next"):
        f.command(step, round=0)
    ana.get_by_role("button", name="Lock our plan").click()
    expect(ana.locator(".closing-note")).to_be_visible()
    expect(ana.locator(".closed h1")).to_have_text("Plans are in", timeout=10_000)
    expect(host.locator(".mega")).to_have_text("Plans are in")
    watch.check()
    ana.context.close()
    host.context.close()
