"""Issue 10, item 5, on real phones: the lobby's role text matches the hints the player gets, other
teams' sizes stay current on every phone, and one round is "1 round"."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.scenes import Facilitator, facilitator, join
from tests.browser.support import Server, Watch, phone, shot

pytestmark = pytest.mark.browser


def test_roles_lobby_sizes_and_plurals_on_the_phones(
    browser: Browser, server: Server, watch: Watch, facilitators: list[Facilitator]
) -> None:
    f = facilitator(server, facilitators, teams=2)
    ana, ben, cat = (watch.attach(phone(browser).new_page()) for _ in range(3))
    join(ana, server.url, f.code, "Ana")  # Team 1
    join(cat, server.url, f.code, "Cat")  # Team 2 (the smaller team)
    join(ben, server.url, f.code, "Ben")  # Team 1
    expect(ben.locator("body[data-phase=lobby]")).to_be_visible()

    # -- the role text says which hints this phone will show ------------------------------------------
    expect(ana.locator(".role-note")).to_have_text(
        "You play Sales and Engineering. You see the Sales and Engineering hints."
    )
    expect(ben.locator(".role-note")).to_contain_text("You play Product.")
    expect(ben.locator(".role-note")).not_to_contain_text("every role")

    # -- another team's size on Ana's phone follows every join, without a reload ----------------------------
    move = ana.get_by_role("button", name=re.compile(r"^Move to Team 2"))
    expect(move).to_have_text("Move to Team 2 (1 person)")
    dan = watch.attach(phone(browser).new_page())
    join(dan, server.url, f.code, "Dan")
    expect(move).to_have_text("Move to Team 2 (2 people)")
    shot(ana, "small-phone-lobby-sizes")

    # -- in the round each phone shows exactly the hints its lobby promised -----------------------------
    f.command("start")
    expect(ana.locator("article.card").first).to_be_visible()
    expect(ben.locator("article.card").first).to_be_visible()
    ana_roles = set(ana.locator(".hint-role").all_inner_texts())
    ben_roles = set(ben.locator(".hint-role").all_inner_texts())
    assert ana_roles and {r.lower() for r in ana_roles} <= {"sales hint", "engineering hint"}, ana_roles
    assert {r.lower() for r in ben_roles} == {"product hint"}, ben_roles

    # -- one round played: the phone's debrief says "1 round" ---------------------------------------------
    f.command("close", round=0)
    f.command("reveal", round=0)
    f.command("end")
    expect(ana.locator(".phone-debrief")).to_be_visible(timeout=15000)
    expect(ana.locator(".phone-debrief .hint-text").first).to_have_text(re.compile(r"^1 round · "))
    expect(ana.locator(".phone-debrief")).not_to_contain_text("1 rounds")
    watch.check()
