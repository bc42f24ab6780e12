"""Every figure's causes on screen, company value in the final results and the debrief, and the
what-if, on a projector and a phone (issue 9)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.scenes import Facilitator, facilitator, host_screen, join, no_sideways_scroll
from tests.browser.support import Server, Watch, axe, phone, shot

pytestmark = pytest.mark.browser


ROUNDS = 7  # saas-startup


def reveal_round(f: Facilitator, r: int) -> None:
    f.command("close", round=r)
    f.command("reveal", round=r)


def test_causes_final_results_and_whatif_on_projector_and_phone(
    browser: Browser, server: Server, watch: Watch, facilitators: list[Facilitator]
) -> None:
    f = facilitator(server, facilitators, teams=0)
    ctx = phone(browser)
    ana = watch.attach(ctx.new_page())
    join(ana, server.url, f.code, "Ana")
    expect(ana.locator("body[data-phase=lobby]")).to_be_visible()
    f.command("add_bot", strategy="always-yes", name="Yes Inc")
    host = host_screen(browser, server, watch, f)
    f.command("start")
    expect(ana.get_by_role("button", name="Build").first).to_be_visible()
    ana.get_by_role("button", name="Build").first.click()
    reveal_round(f, 0)

    # -- the reveal on the projector: a figure opens its causes, which add up to the change -----------------
    arr = host.get_by_role("button", name=re.compile(r"^Yes Inc, ARR: "))
    expect(arr).to_be_visible()
    arr.click()
    panel = host.get_by_role("dialog", name=re.compile(r"^ARR: Yes Inc, round 1"))
    expect(panel).to_be_visible()
    expect(panel.locator(".cz-list li").first).to_be_visible()
    expect(panel.locator(".cz-total")).to_contain_text("Adds up to")
    expect(panel.locator(".cz-src").first).to_contain_text(re.compile(r"Build|Market|No decision"))
    shot(host, "traced-host-reveal-causes")
    axe(host, "host reveal with causes open")
    host.keyboard.press("Escape")
    expect(panel).to_have_count(0)
    expect(arr).to_be_focused()  # back where the facilitator was
    # capacity opens its parts, by keyboard
    cap = host.get_by_role("button", name=re.compile(r"^Yes Inc, Capacity: "))
    cap.focus()
    host.keyboard.press("Enter")
    floating = host.locator(".causes.floating")
    expect(floating).to_contain_text("Capacity after the round")
    expect(floating).to_contain_text("base capacity")
    host.get_by_role("button", name="Close").click()
    shot(host, "traced-host-reveal")

    # -- the phone's result: tap a figure ----------------------------------------------------------------
    tile = ana.get_by_role("button", name=re.compile(r"^Tech debt: "))
    expect(tile).to_be_visible()
    tile.tap()
    expect(ana.locator(".traced .causes")).to_be_visible()
    expect(ana.locator(".traced .causes .cz-sum")).to_contain_text("→")
    shot(ana, "traced-phone-reveal", full_page=True)
    no_sideways_scroll(ana, "phone result with causes")
    axe(ana, "phone result with causes")

    # -- the rest of the game, then the final results by company value ---------------------------------------
    for r in range(1, ROUNDS):
        f.command("next", round=r - 1)
        reveal_round(f, r)
    final = host.get_by_role("button", name="Final results: company value")
    expect(final).to_be_visible()
    final.click()
    expect(host.get_by_role("heading", name="What each company is worth")).to_be_visible()
    rows = host.locator(".value-table:not(.refs) tbody tr")
    expect(rows).to_have_count(2)
    expect(host.locator(".value-table.refs tbody tr")).to_have_count(6)
    values = [
        float(re.sub(r"[^0-9.\-−]", "", t).replace("−", "-").rstrip(".") or 0)
        for t in rows.locator(".fv-total").all_inner_texts()
    ]
    assert len(values) == 2
    shot(host, "traced-host-final")
    fits = host.evaluate("document.documentElement.scrollHeight <= innerHeight + 2")
    assert fits, "the final results scroll on a 1280x720 projector"
    rows.first.locator(".fv-btn").click()
    parts = host.get_by_role("dialog", name=re.compile(r"^Company value of"))
    expect(parts.locator(".cz-list li")).to_have_count(6)
    shot(host, "traced-host-final-parts")
    axe(host, "final results")
    host.keyboard.press("Escape")

    # -- the debrief: company value leads; a figure's causes; the what-if ----------------------------------
    f.command("next", round=ROUNDS - 1)
    expect(host.locator(".host-debrief")).to_be_visible(timeout=15000)
    expect(host.locator("#sec-value .value-table").first).to_be_visible()
    host.keyboard.press("2")  # the projector shows one section at a time
    host.locator("#sec-trace").get_by_role("button", name=re.compile(r"^R1\b")).click()
    host.locator("#sec-trace").get_by_role("button", name=re.compile(r"^Customer value: ")).click()
    expect(host.locator("#sec-trace .causes")).to_contain_text("Adds up to")
    host.locator("#sec-trace").get_by_role("button", name="Q4 of the year after").click()
    expect(host.locator("#sec-trace .ex-title")).to_contain_text("The year after, quarter 4")
    shot(host, "traced-host-debrief-trace")
    host.keyboard.press("3")
    flip = host.locator("#sec-whatif .wi-flip").first
    flip_name = flip.inner_text() and flip.evaluate("b => b.textContent")
    flip.click()
    answer = host.locator("#sec-whatif .wi-answer")
    expect(answer).to_be_visible()
    expect(answer.locator("h3")).to_contain_text(
        flip_name.removeprefix("What if: ").split(" in round")[0].split(" “")[1]
    )
    expect(answer.locator("tr[data-key=value] td")).to_have_count(3)
    host.locator("#sec-whatif .wi-flip").nth(1).click()  # a second try, the first kept below it
    expect(host.locator("#sec-whatif .wi-earlier li")).to_have_count(1)
    host.locator("#sec-whatif").scroll_into_view_if_needed()
    shot(host, "traced-host-debrief-whatif")
    no_sideways_scroll(host, "projector debrief with the what-if")
    shot(host, "traced-host-debrief-full", full_page=True)
    axe(host, "debrief with trace and what-if")

    # the phone: its own team's value, a call-out when it earned one, causes and its own what-if
    expect(ana.locator(".phone-debrief")).to_be_visible(timeout=15000)
    expect(ana.locator(".value-lead .fv-total").first).to_be_visible()
    shot(ana, "traced-phone-debrief-top")
    ana.get_by_role("button", name=re.compile(r"^ARR: ")).first.tap()
    expect(ana.locator(".phone-debrief .traced .causes")).to_be_visible()
    ana.locator(".phone-debrief .traced .causes").scroll_into_view_if_needed()
    shot(ana, "traced-phone-debrief-causes")
    ana.locator(".phone-debrief .wi-flip").first.tap()
    expect(ana.locator(".phone-debrief .wi-answer")).to_be_visible()
    expect(ana.locator(".phone-debrief .wi-answer tr[data-key=value]")).to_contain_text("$")
    ana.locator(".phone-debrief .wi-answer").scroll_into_view_if_needed()
    shot(ana, "traced-phone-debrief-whatif")
    no_sideways_scroll(ana, "phone debrief with the what-if")
    shot(ana, "traced-phone-debrief", full_page=True)
    axe(ana, "phone debrief with trace and what-if")
    watch.check()
    ctx.close()
