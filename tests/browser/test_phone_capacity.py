"""Scarce capacity on a phone: the meter shows capacity, the rush allowance and the limit; a Build
that would not fit says so before the tap, and a tap anyway shows the server's reason on the card."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, WebSocketRoute, expect

from game.scenario.catalogue import scenario_dir
from game.sim.rules import build_limit, rush_limit
from tests.browser.scenes import Facilitator
from tests.browser.support import Server, Watch, axe, phone, shot

pytestmark = pytest.mark.browser

CAPACITY = 4  # saas-startup with a smaller team: its first round cannot all be built


def card_efforts(f: Facilitator) -> list[int]:
    """The efforts of the round's cards, in table order, from the facilitator's view."""
    return [card["effort"] for card in f.view()["cards"] if card["kind"] != "event"]


@pytest.fixture
def facilitator(server: Server) -> Iterator[Facilitator]:
    text = (scenario_dir() / "saas-startup.yaml").read_text()
    assert text.count("capacity: 10") == 1
    small = text.replace("capacity: 10", f"capacity: {CAPACITY}")
    f = Facilitator(server.url, scenario_yaml=small, scenario_file="small-team.yaml", teams=1)
    yield f
    f.close()


def points(n: int) -> str:
    return f"{n} point" if n == 1 else f"{n} points"


def test_a_build_that_does_not_fit_is_refused_on_the_phone_with_its_reason(
    browser: Browser, server: Server, watch: Watch, facilitator: Facilitator
) -> None:
    ana = watch.attach(phone(browser).new_page())
    ana.goto(f"{server.url}/join/{facilitator.code}")
    ana.get_by_label("Your name").fill("Ana")
    ana.get_by_role("button", name="Join", exact=True).click()
    expect(ana.locator(".hello h1")).to_have_text("Ana")
    facilitator.command("start")
    cards = ana.locator(".card:not(.news)")
    expect(cards.first).to_be_visible()
    efforts = card_efforts(facilitator)
    limit = build_limit(CAPACITY)
    first, second = efforts[0], efforts[1]
    assert first <= limit < first + second, "the scene needs a first card that fits and a second that doesn't"
    over = first + second - limit

    meter = ana.locator(".capacity")
    expect(meter.locator(".cap-note")).to_contain_text(f"0 of {limit} points")
    expect(meter.locator(".cap-scale")).to_have_text(f"{CAPACITY} capacity+{rush_limit(CAPACITY)} rush")
    expect(meter.locator(".rush-key")).to_have_text(
        f"Past {CAPACITY} the work is rushed: it adds debt and bugs."
    )

    cards.nth(0).get_by_role("button", name="Build", exact=True).click()
    expect(cards.nth(0).locator(".set-by")).to_have_text("Build — set by you")
    expect(meter.locator(".cap-note")).to_contain_text(f"{first} of {limit} points")

    # Before any tap: the second card's Build looks unavailable and says by how much.
    build = cards.nth(1).get_by_role("button", name=re.compile(r"^Build"))
    expect(build).to_have_class(re.compile(r"\bnofit\b"))
    expect(build).to_contain_text(f"No room (+{over})")
    shot(ana, "phone-capacity-no-room")

    # Tapped anyway: the server's reason appears on the card, and nothing changed.
    build.click()
    refusal = cards.nth(1).get_by_role("alert")
    expect(refusal).to_have_text(
        f"No room: {points(over)} over what the team can rush this round (limit {limit}) "
        "— defer or say no to something"
    )
    expect(build).to_have_attribute("aria-pressed", "false")
    expect(cards.nth(1).locator(".set-by")).to_contain_text("Undecided")
    expect(meter.locator(".cap-note")).to_contain_text(f"{first} of {limit} points")
    shot(ana, "phone-capacity-refused")
    axe(ana, "phone round with a refused build")

    # Filling the rush allowance: the meter says it is rushed and full; the refused card's note
    # follows the plan (its old reason gives way to the new number on the button).
    third = efforts[2]
    assert first + third == limit, "the scene needs a third card that fills the limit exactly"
    cards.nth(2).get_by_role("button", name="Build", exact=True).click()
    expect(meter).to_have_class(re.compile(r"\brushed\b"))
    expect(meter.locator(".cap-note")).to_have_text(f"{limit} of {limit} points · full")
    expect(meter.locator(".rush-note")).to_have_text(
        f"Rushed {points(limit - CAPACITY)}: adds debt and bugs."
    )
    expect(refusal).to_have_count(0)
    expect(build).to_contain_text(f"No room (+{over + third})")
    shot(ana, "phone-capacity-full")

    # Making room: the Build then goes through.
    cards.nth(0).get_by_role("button", name="Defer", exact=True).click()
    expect(build).not_to_have_class(re.compile(r"\bnofit\b"))
    build.click()
    expect(cards.nth(1).locator(".set-by")).to_have_text("Build — set by you")
    expect(meter.locator(".cap-note")).to_contain_text(f"{second + third} of {limit} points")
    expect(ana.get_by_role("button", name="Lock our plan")).to_be_enabled()
    watch.check()
    ana.context.close()


def test_a_plan_over_the_limit_cannot_be_locked_and_the_phone_says_why(
    browser: Browser, server: Server, watch: Watch, facilitator: Facilitator
) -> None:
    """Edits cannot take a plan past the limit; a stale plan can be (capacity changed under it).
    The server's views are rewritten on the way in to show the phone such a plan."""
    ana = watch.attach(phone(browser).new_page())

    def over_by_two(ws: WebSocketRoute) -> None:
        real = ws.connect_to_server()
        real.on_message(
            lambda m: ws.send(re.sub(r'"over":\s*0\b', '"over": 2', m) if isinstance(m, str) else m)
        )

    ana.route_web_socket(re.compile(r"/socket\.io/"), over_by_two)
    ana.goto(f"{server.url}/join/{facilitator.code}")
    ana.get_by_label("Your name").fill("Ana")
    ana.get_by_role("button", name="Join", exact=True).click()
    expect(ana.locator(".hello h1")).to_have_text("Ana")
    facilitator.command("start")
    lock = ana.get_by_role("button", name="Lock our plan")
    expect(lock).to_be_disabled()
    expect(ana.locator(".lockbar")).to_have_text(
        re.compile(r"^2 over the limit: defer or say no to something first")
    )
    expect(lock).to_have_accessible_description("2 over the limit: defer or say no to something first")
    expect(ana.locator(".capacity .cap-note")).to_contain_text("2 over the limit")
    watch.check()
    ana.context.close()
