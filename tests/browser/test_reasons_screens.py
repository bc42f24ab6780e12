"""The team's reasons on screen: one phone writes a reason, a teammate's phone shows it live, the
reveal (phone and projector) and the debrief show it beside what the decision caused, and the
facilitator hides one from the projector (issue 10, item 4)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.scenes import Facilitator, facilitator, host_screen, join, no_sideways_scroll
from tests.browser.support import Server, Watch, axe, phone, shot

pytestmark = pytest.mark.browser

WHY = "They'll sign 40 seats this quarter"
MARKUP = "<img src=x onerror=alert(1)> pet feature"


def test_a_reason_travels_from_one_phone_to_a_teammate_the_reveal_and_the_debrief(
    browser: Browser, server: Server, watch: Watch, facilitators: list[Facilitator]
) -> None:
    f = facilitator(server, facilitators, teams=1)
    f.command("add_bot", strategy="always-yes", name="Yes Inc")
    ana = watch.attach(phone(browser).new_page())
    ben = watch.attach(phone(browser).new_page())
    join(ana, server.url, f.code, "Ana")
    join(ben, server.url, f.code, "Ben")
    expect(ben.locator("body[data-phase=lobby]")).to_be_visible()
    host = host_screen(browser, server, watch, f)
    f.command("start")

    # -- Ana builds the first card and says why; Ben sees it beside the card ---------------------------------
    first = ana.locator("article.card:not(.news)").first
    title = first.locator("h3").inner_text()
    first.get_by_role("button", name="Build").click()
    first.get_by_role("button", name=re.compile(r"^Add a reason")).click()
    box = first.get_by_label(re.compile(r"^Why\?"))
    expect(box).to_be_focused()
    assert box.get_attribute("maxlength") == "140"
    box.fill(WHY)
    shot(ana, "reasons-phone-writing")
    first.get_by_role("button", name="Save").click()
    expect(first.locator(".reason-box")).to_contain_text(f"Your reason{WHY}")

    card_on_ben = ben.locator("article.card", has=ben.get_by_role("heading", name=title))
    expect(card_on_ben.locator(".reason-box")).to_contain_text(f"Ana’s reason{WHY}")
    expect(ben.locator(".activity")).to_contain_text("Ana gave a reason for")
    card_on_ben.locator(".decide").scroll_into_view_if_needed()
    shot(ben, "reasons-phone-teammate-sees-it")
    no_sideways_scroll(ben, "phone with a reason")
    axe(ben, "phone round with a reason")

    # Ben's reason on the second card is text, never markup; the last reason stands, with its author
    second = ben.locator("article.card:not(.news)").nth(1)
    second_title = second.locator("h3").inner_text()
    second.get_by_role("button", name="Say no").click()
    second.get_by_role("button", name=re.compile(r"^Add a reason")).click()
    second.get_by_label(re.compile(r"^Why\?")).fill(MARKUP)
    second.get_by_role("button", name="Save").click()
    on_ana = ana.locator("article.card", has=ana.get_by_role("heading", name=second_title))
    expect(on_ana.locator(".rs-said q")).to_have_text(MARKUP)
    assert ana.locator("article.card img").count() == 0
    # a control character is refused by the server, and the reason already there stays
    ana.evaluate("""() => document.querySelector('[data-action=editReason]').click()""")
    ana.locator(".reason-form input").first.evaluate("(el, v) => { el.value = v; }", "two\u0007lines")
    ana.locator(".reason-form").get_by_role("button", name="Save").click()
    expect(ana.locator("#toast")).to_contain_text("control or invisible characters")
    ana.locator(".reason-form").get_by_role("button", name="Cancel").click()
    expect(first.locator(".rs-said")).to_contain_text(WHY)

    # -- the reveal: the phone shows each reason beside what came of it; the projector opens them ------------
    f.command("close", round=0)
    f.command("reveal", round=0)
    mine = ana.locator(".why-panel")
    expect(mine.locator(".reason")).to_have_count(2)
    expect(mine.locator(".reason").first).to_contain_text(f"Ana: {WHY}")
    expect(mine.locator(".reason").first.locator(".rs-caused li").first).to_be_visible()
    mine.scroll_into_view_if_needed()
    shot(ana, "reasons-phone-reveal")
    shot(ana, "reasons-phone-reveal-full", full_page=True)
    no_sideways_scroll(ana, "phone reveal with reasons")

    why = host.get_by_role("button", name=re.compile(r"reasons$"))
    expect(why).to_have_count(1)  # the bot team gave none
    expect(why).to_contain_text("Why? 2 reasons")
    shot(host, "reasons-host-reveal")
    why.click()
    panel = host.get_by_role("dialog", name=re.compile(r"why they decided"))
    expect(panel.locator(".reason").first).to_contain_text(WHY)
    expect(panel.locator(".reason").nth(1).locator("q")).to_have_text(MARKUP)
    shot(host, "reasons-host-reveal-panel")
    axe(host, "projector reveal with reasons open")
    hide = re.compile(r"^Hide from the projector")
    panel.locator(".reason").nth(1).get_by_role("button", name=hide).click()
    expect(panel.locator(".reason").nth(1)).to_contain_text("Ben's reason is hidden from the projector")
    expect(panel).not_to_contain_text("pet feature")
    shot(host, "reasons-host-reveal-hidden")
    expect(ana.locator(".why-panel")).to_contain_text("pet feature")  # the team still sees it
    host.keyboard.press("Escape")

    # -- the debrief: the round's reasons under its figures, on the projector and the phone ------------------
    f.command("end")
    expect(host.locator(".host-debrief")).to_be_visible(timeout=15000)
    host.keyboard.press("2")  # the projector shows one section at a time: the trace is key 2
    trace = host.locator("#sec-trace")
    trace.get_by_role("button", name=re.compile(r"^R1\b")).click()
    reasons = trace.locator(".ex-reasons")
    expect(reasons.locator(".reason").first).to_contain_text(f"Ana: {WHY}")
    expect(reasons.locator(".reason").first.locator(".rs-to")).to_have_text("→")
    expect(reasons).not_to_contain_text("pet feature")
    reasons.get_by_role("button", name=re.compile(r"^Show on the projector")).click()
    expect(reasons.locator(".reason").nth(1).locator("q")).to_have_text(MARKUP)
    reasons.scroll_into_view_if_needed()
    shot(host, "reasons-host-debrief")
    axe(host, "debrief with reasons")

    expect(ana.locator(".phone-debrief")).to_be_visible(timeout=15000)
    ex = ana.locator(".phone-debrief .ex-reasons")
    expect(ex.locator(".reason").first).to_contain_text(WHY)
    assert ex.get_by_role("button", name=re.compile("projector")).count() == 0  # a phone hides nothing
    ex.scroll_into_view_if_needed()
    shot(ana, "reasons-phone-debrief")
    watch.check()
