"""Script injection in a real browser: through a player's name, a team's name and a scenario's text
(title, story, personas, company, accounts, rounds, every card field, hints, debrief prompts).

A real server (eventlet) offers only tests/hardening/scenarios/injection.yaml; a facilitator on a
projector and a phone (Debian's Chromium through Playwright) play it to the debrief while a hostile
client names itself and its team with payloads. On every screen: no dialog ever fires, no element
made from a payload exists, the page logs no error (a CSP refusal would be one), and each payload
reads literally in the page's text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.support import Watch, phone, projector
from tests.hardening.live import LiveServer, Wire

pytestmark = [pytest.mark.browser, pytest.mark.slow]
HERE = Path(__file__).resolve().parent
NAME = '<img src=x onerror=alert("player-name")>'
OTHER_NAME = '<script>alert("other-name")</script>'
TEAM = '<svg onload=alert("team-name")>'
SCENARIO_TEXT = [
    'Injection Inc <script>alert("scenario-title")</script>',
    '<script>alert("card-title")</script>',
    '<img src=x onerror=alert("card-text")> wants SSO',
    '"><iframe srcdoc="<script>alert(`asker`)</script>">',
    "Export <style>body{display:none}</style>",
    '<marquee onstart=alert("event-title")>news</marquee>',
]
# Elements or attributes that only a payload could have made.
INJECTED = (
    "[onerror], [onload], [onmouseover], [onstart], [ontoggle], [onfocus], iframe, object, marquee, style"
)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = LiveServer(tmp_path_factory.mktemp("inject"), "--scenarios", str(HERE / "scenarios"))
    server.start()
    yield server
    server.stop()


def clean(page: Page, *texts: str) -> None:
    """Nothing a payload could make exists, and every given text is in the page literally."""
    assert page.locator(INJECTED).count() == 0, page.locator(INJECTED).first.evaluate("e => e.outerHTML")
    body = page.evaluate("document.body.textContent")
    for text in texts:
        assert text in body, f"{text!r} does not show on {page.url}"


def test_script_in_names_and_scenario_text_shows_as_text(live: LiveServer, browser: Browser) -> None:
    watch = Watch()
    host = watch.attach(projector(browser).new_page())
    host.goto(live.url + "/host")
    expect(host.get_by_role("radio", name=re.compile("Injection Inc"))).to_be_checked()
    clean(host, SCENARIO_TEXT[0])
    host.get_by_label("Teams", exact=True).select_option("2")
    host.get_by_label("Round timer", exact=True).select_option("0")
    host.get_by_role("button", name="Create the session").click()
    expect(host).to_have_url(re.compile(r"/host/[A-Z0-9]{5}$"))
    code = host.url.rsplit("/", 1)[1]

    ana = watch.attach(phone(browser).new_page())
    ana.goto(f"{live.url}/join/{code}")
    ana.get_by_label("Your name").fill(NAME)
    ana.get_by_role("button", name="Join", exact=True).click()
    expect(ana.locator(".hello h1")).to_have_text(NAME)
    # A hostile client, not a browser: it joins Ana's team and renames it.
    mallory = Wire(live.ws_url)
    try:
        ack = mallory.call(
            "player:join", {"id": "join-mallory", "code": code, "name": OTHER_NAME, "team": "t1"}
        )
        assert ack["ok"], ack
        assert mallory.call("command", {"id": "m1", "type": "rename_my_team", "name": TEAM})["ok"]
        expect(host.locator(".chip", has_text=OTHER_NAME)).to_have_count(1)
        expect(ana.get_by_text(TEAM).first).to_be_visible()
        clean(host, NAME, OTHER_NAME, TEAM)
        clean(ana, NAME, OTHER_NAME, TEAM)

        host.get_by_role("button", name="Start the game").click()
        expect(ana.locator(".card:not(.news)").first).to_be_visible()
        expect(host.locator(".hcard").first).to_be_visible()
        clean(ana, *SCENARIO_TEXT[1:], TEAM)
        clean(host, *SCENARIO_TEXT[1:], TEAM)
        ana.locator(".card:not(.news)").first.get_by_role("button", name="Build", exact=True).click()
        expect(ana.locator(".card:not(.news)").first.locator(".set-by")).to_contain_text("Build")

        for label in ("Close round", "Reveal results", "Start round 2", "Close round", "Reveal results"):
            host.get_by_role("button", name=label).click()
            expect(
                host.get_by_role(
                    "button", name=re.compile(r"Reveal results|Start round|Show the debrief|Close round")
                )
            ).to_be_visible()
            clean(host, TEAM)
            clean(ana, TEAM)
        host.get_by_role("button", name="Show the debrief").click()
        expect(host.locator(".host-debrief")).to_be_visible(timeout=15000)
        host.keyboard.press("8")  # the discussion prompts' section (one section on screen at a time)
        expect(host.get_by_text('<script>alert("prompt")</script>', exact=False).first).to_be_visible()
        clean(host, TEAM, NAME, SCENARIO_TEXT[1])
        expect(ana.get_by_text(TEAM).first).to_be_visible()
        clean(ana, TEAM)
    finally:
        mallory.close()
    watch.check()  # no dialog ever fired, no script error, no CSP refusal
