"""A whole game in a real browser: one facilitator on a projector, three phones, to the debrief."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from game.model import STRATEGY_NAMES
from tests.browser.support import Server, Watch, axe, phone, projector, shot

pytestmark = pytest.mark.browser

XSS = "<img src=x onerror=alert(1)>"


def join(page: Page, name: str) -> None:
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Join", exact=True).click()
    expect(page.locator(".hello h1")).to_have_text(name)


def decide(page: Page, card: int, decision: str) -> None:
    page.locator(".card:not(.news)").nth(card).get_by_role("button", name=decision, exact=True).click()


def confirm_if_asked(host: Page) -> None:
    dialog = host.get_by_role("dialog")
    if dialog.count():
        dialog.get_by_role("button", name=re.compile("Close round|End game")).click()


def test_whole_game(browser: Browser, server: Server, watch: Watch) -> None:
    host_ctx = projector(browser)
    host = watch.attach(host_ctx.new_page())

    # -- the facilitator picks a scenario and settings -----------------------------------------------
    host.goto(server.url + "/host")
    expect(host.get_by_role("radio", name=re.compile("Ledgerly"))).to_be_checked()
    shot(host, "host-1-start")
    axe(host, "host start page")
    host.get_by_label("Teams", exact=True).select_option("2")
    host.get_by_label("Round timer", exact=True).select_option("300")
    host.get_by_label("Seed", exact=True).fill("7")
    host.get_by_role("button", name="Create the session").click()
    expect(host).to_have_url(re.compile(r"/host/[A-Z0-9]{5}$"))
    code = host.url.rsplit("/", 1)[1]
    expect(host.locator(".room-code")).to_have_text(code)
    # the QR code is drawn (it loads after the room code shows; wait for it rather than race it)
    drawn = "() => { const i = document.querySelector('img.qr'); return i?.complete && i.naturalWidth > 0 }"
    host.wait_for_function(drawn)

    # -- three phones: one types the code, two come by the QR link ------------------------------------
    phones = [watch.attach(phone(browser).new_page()) for _ in range(3)]
    ana, ben, xss = phones
    ana.goto(server.url + "/")
    shot(ana, "phone-1-join")
    axe(ana, "phone join page")
    ana.get_by_label("Room code").fill(code.lower())
    join(ana, "Ana")
    expect(ana).to_have_url(re.compile(f"/join/{code}$"))
    ben.goto(f"{server.url}/join/{code}")
    expect(ben.get_by_label("Room code")).to_have_value(code)
    join(ben, "Ben")
    xss.goto(f"{server.url}/join/{code}")
    join(xss, XSS)
    shot(xss, "phone-2-lobby")
    axe(xss, "phone lobby")

    # The name is shown as text everywhere, never as markup.
    expect(host.locator(".chip", has_text=XSS)).to_have_count(1)
    expect(ana.locator(".members", has_text=XSS)).to_be_visible()
    assert host.locator("img[src=x]").count() == 0 and xss.locator("img[src=x]").count() == 0

    host.get_by_label("Add a bot team").select_option("balanced")
    expect(host.locator(".team-tile.bot")).to_have_count(1)
    expect(host.locator(".chip")).to_have_count(3)
    shot(host, "host-2-lobby")
    axe(host, "host lobby")

    # -- round 1 ---------------------------------------------------------------------------------------
    host.keyboard.press("Space")
    expect(host.locator(".hcard").first).to_be_visible()
    expect(host.locator(".clock-face")).to_have_text(re.compile(r"^[45]:\d\d$"))
    for p in phones:
        expect(p.locator(".card:not(.news)").first).to_be_visible()
    # Ana and the third phone share team 1 (players fill the smallest team); Ben is in team 2.
    expect(ana.locator(".tb-team")).to_have_text("Team 1")
    expect(xss.locator(".tb-team")).to_have_text("Team 1")
    expect(ben.locator(".tb-team")).to_have_text("Team 2")

    cards = ana.locator(".card:not(.news)").count()
    for i in range(cards):
        decide(ana, i, "Build")
    expect(ana.locator(".capacity")).to_have_class(re.compile("rushed"))
    expect(ana.locator(".rush-note")).to_contain_text("Rushed")
    # The teammate sees who changed what, live.
    expect(xss.locator(".card:not(.news)").first.locator(".set-by")).to_have_text("Build — set by Ana")
    decide(xss, 1, "Say no")
    second = ana.locator(".card:not(.news)").nth(1)
    expect(second.locator(".set-by")).to_contain_text(f"Say no — set by {XSS}")
    expect(ana.locator(".activity")).to_contain_text("Say no")
    expect(ana.locator(".capacity")).not_to_have_class(re.compile("rushed"))
    shot(ana, "phone-3-round")
    shot(ana, "phone-3-round-full", full_page=True)
    axe(ana, "phone round")

    ana.get_by_role("button", name="Lock our plan").click()
    expect(xss.locator(".lockbar")).to_contain_text("Plan locked by Ana")
    expect(xss.get_by_role("button", name="Build", exact=True).first).to_be_disabled()
    expect(host.locator(".st.locked", has_text="Team 1")).to_be_visible()

    # One phone reloads mid-round: it keeps its seat, its team and the team's plan.
    xss.reload()
    expect(xss.locator(".tb-team")).to_have_text("Team 1")
    expect(xss.locator(".lockbar")).to_contain_text("Plan locked by Ana")
    expect(xss.locator(".card:not(.news)").nth(1).get_by_role("button", name="Say no")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(host.locator(".hbar-people")).to_have_text("3 here")

    decide(ben, 0, "Defer")
    shot(host, "host-3-round")
    axe(host, "host round")

    # The clock: pause, resume, one more minute.
    host.keyboard.press("p")
    expect(host.locator(".clock")).to_have_class(re.compile("paused"))
    expect(ben.locator(".tb-clock")).to_contain_text("Paused")
    host.keyboard.press("r")
    expect(host.locator(".clock")).to_have_class(re.compile("running"))
    host.keyboard.press("e")
    expect(host.locator(".clock-face")).to_have_text(re.compile(r"^[56]:\d\d$"))

    # Latecomers: the join code and QR again, over the round.
    host.keyboard.press("j")
    expect(host.get_by_role("dialog", name="Join this game").locator(".room-code")).to_have_text(code)
    host.keyboard.press("Escape")

    # Keyboard help and player management overlays.
    host.keyboard.press("?")
    expect(host.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    shot(host, "host-4-help")
    axe(host, "host help overlay")
    host.keyboard.press("Escape")
    host.keyboard.press("m")
    people = host.get_by_role("dialog", name="Players and teams")
    expect(people).to_be_visible()
    shot(host, "host-5-players")
    axe(host, "host players overlay")
    people.get_by_label("Name of Team 2").fill("Ben's Bakery")
    people.get_by_label("Name of Team 2").press("Enter")
    expect(ben.locator(".tb-team")).to_have_text("Ben's Bakery")
    host.keyboard.press("Escape")
    expect(people).to_have_count(0)

    # Close early: two teams have not locked, so the facilitator confirms.
    host.keyboard.press("Space")
    expect(host.get_by_role("dialog", name="Close the round now?")).to_be_visible()
    not_locked = re.compile(r"\b(1 of \d+ teams has|\d+ of \d+ teams have) not locked")
    expect(host.get_by_role("dialog")).to_contain_text(not_locked)
    host.keyboard.press("Enter")
    expect(host.locator(".mega")).to_have_text("Plans are in")
    expect(ana.locator(".closed h1")).to_have_text("Plans are in")
    shot(host, "host-6-closed")
    axe(host, "host round closed")
    shot(ben, "phone-4-closed")
    axe(ben, "phone round closed")

    host.keyboard.press("Space")
    expect(host.locator(".rg-team")).to_have_count(3)
    expect(host.locator(".rg-row", has_text="Customer value")).to_be_visible()
    expect(host.locator(".rg-line").first).not_to_be_empty()
    # With reduced motion the results are all there at once, not rows fading in one after another:
    # as soon as the first row shows, so does the last.
    host.wait_for_function("() => getComputedStyle(document.querySelector('.rg-row')).opacity === '1'")
    opacities = host.locator(".rg-row").evaluate_all("rows => rows.map(r => getComputedStyle(r).opacity)")
    assert set(opacities) == {"1"}, opacities
    expect(ana.locator(".result h1")).to_have_text("What happened to Team 1")
    expect(ana.locator(".lines li").first).to_be_visible()
    expect(ana.locator(".tile")).to_have_count(6)
    shot(host, "host-7-reveal")
    axe(host, "host reveal")
    shot(ana, "phone-5-result", full_page=True)
    axe(ana, "phone result")

    # -- round 2, closed quickly, then the facilitator ends the game --------------------------------------
    host.evaluate("document.documentElement.style.minHeight = '3000px'; scrollTo(0, 600)")  # left scrolled
    assert host.evaluate("scrollY") > 0
    host.get_by_role("button", name=re.compile("Start round 2")).click()
    expect(ana.locator(".tb-round")).to_have_text("Round 2 of 7")
    expect(host.locator(".hbar-sub")).to_contain_text("Round 2")
    assert host.evaluate("scrollY") == 0, "a new round starts at the top of the projector"
    assert host.evaluate("document.querySelector('main').scrollTop") == 0
    host.evaluate("document.documentElement.style.minHeight = ''")
    decide(ben, 0, "Build")
    host.get_by_role("button", name=re.compile("Close round")).click()
    confirm_if_asked(host)
    host.get_by_role("button", name=re.compile("Reveal results")).click()
    expect(host.locator(".reveal-head")).to_contain_text("Round 2 of 7")
    host.get_by_role("button", name="End game").click()
    host.get_by_role("dialog").get_by_role("button", name=re.compile("End game")).click()

    # -- the debrief, on the projector and on a phone ------------------------------------------------------
    expect(host.locator(".host-debrief")).to_be_visible(timeout=15000)
    expect(host.locator("#sec-charts .chart canvas")).to_have_count(4, timeout=15000)
    expect(host.locator(".matrix tbody tr")).to_have_count(3 + len(STRATEGY_NAMES))  # teams + strategies
    expect(host.locator(".compare")).to_contain_text("product-first")
    expect(host.locator(".prompts li").first).to_be_attached()  # in its section, one on screen at a time
    expect(host.locator(".compare", has_text=XSS)).to_have_count(1)
    shot(host, "host-8-debrief")
    shot(host, "host-8-debrief-full", full_page=True)
    axe(host, "host debrief")
    # The section tabs open their section by click, and the address names it (a reload lands there).
    host.locator(".db-nav").get_by_role("link", name=re.compile("Five signals")).click()
    expect(host.locator("#sec-signals h2")).to_be_in_viewport()
    assert host.evaluate("location.hash") == "#sec-signals"
    host.reload()
    expect(host.locator("#sec-signals h2")).to_be_in_viewport(timeout=15000)
    host.keyboard.press("6")  # the keys still work, and name the section too
    expect(host.locator("#sec-liabilities h2")).to_be_in_viewport()
    assert host.evaluate("location.hash") == "#sec-liabilities"
    expect(host.locator("#sec-signals")).to_be_hidden()  # the section shown replaces the one before
    host.evaluate("window.scrollTo(0, 0)")
    for p in phones:
        expect(p.locator(".phone-debrief .chart canvas")).to_have_count(4, timeout=15000)
    expect(ana.locator(".signal")).to_have_count(5)
    shot(ana, "phone-6-debrief")
    shot(ana, "phone-6-debrief-full", full_page=True)
    axe(ana, "phone debrief")

    # -- exports: fetched with the facilitator's key, saved as files ----------------------------------------
    with host.expect_download() as got:
        host.get_by_role("button", name="Download CSV").click()
    download = got.value
    assert download.suggested_filename == f"curb-appeal-{code}.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert {r["team"] for r in rows} == {"Team 1", "Ben's Bakery", "Bot 3 (balanced)"}
    assert {r["round"] for r in rows} == {"1", "2"}
    assert any(r["decided_by"] == "Ana" and r["decision"] == "build" for r in rows)
    with host.expect_download() as got:
        host.get_by_role("button", name="Download JSON").click()
    assert got.value.suggested_filename == f"curb-appeal-{code}.json"

    # Printing gives the whole debrief without the controls.
    host.emulate_media(media="print")
    expect(host.locator(".db-export")).to_be_hidden()
    expect(host.locator(".print-only").first).to_be_visible()
    host.emulate_media(media="screen")

    watch.check()
    host_ctx.close()
    for p in phones:
        p.context.close()
