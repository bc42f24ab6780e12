"""The screens' other paths: mistakes, small phones, a phone with a wrong clock, dropping off the
network, being removed, joining late, and a facilitator opening the room on another laptop."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.scenes import Facilitator, facilitator, host_screen, join, no_sideways_scroll
from tests.browser.support import Server, Watch, axe, phone, projector, shot

pytestmark = pytest.mark.browser


def test_join_mistakes_are_explained(browser: Browser, server: Server, watch: Watch) -> None:
    page = watch.attach(phone(browser).new_page())
    page.goto(server.url + "/")
    page.get_by_role("button", name="Join", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("room code")
    page.get_by_label("Room code").fill("ZZZZZ")
    page.get_by_label("Your name").fill("Ana")
    page.get_by_role("button", name="Join", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("no game with code ZZZZZ")
    shot(page, "phone-join-error")
    axe(page, "phone join error")
    watch.check()
    assert page.goto(server.url + "/join/ZZZZZ").status == 404  # type: ignore[union-attr]
    page.context.close()


def test_small_phone_320px_has_no_sideways_scroll(
    browser: Browser, server: Server, watch: Watch, facilitators: list[Facilitator]
) -> None:
    f = facilitator(server, facilitators)
    ctx = browser.new_context(viewport={"width": 320, "height": 568}, is_mobile=True, has_touch=True)
    page = watch.attach(ctx.new_page())
    join(page, server.url, f.code, "Bartholomew-Maximilian Longname")
    expect(page.locator(".hello h1")).to_be_visible()
    no_sideways_scroll(page, "lobby")
    f.command("start")
    expect(page.locator(".card").first).to_be_visible()
    for i in range(page.locator(".card:not(.news)").count()):
        page.locator(".card:not(.news)").nth(i).get_by_role("button", name="Build").click()
    expect(page.locator(".capacity")).to_have_class(re.compile("rushed"))
    no_sideways_scroll(page, "round")
    shot(page, "phone-320-round")
    f.command("close")
    f.command("reveal")
    expect(page.locator(".result")).to_be_visible()
    no_sideways_scroll(page, "result")
    shot(page, "phone-320-result", full_page=True)
    watch.check()
    ctx.close()


def test_countdown_ignores_a_wrong_phone_clock(
    browser: Browser, server: Server, watch: Watch, facilitators: list[Facilitator]
) -> None:
    f = facilitator(server, facilitators, round_seconds=120)
    ctx = phone(browser)
    # This phone's wall clock is an hour fast; the countdown must still read about two minutes.
    ctx.add_init_script("{ const real = Date.now; Date.now = () => real() + 3600000; }")
    page = watch.attach(ctx.new_page())
    join(page, server.url, f.code, "Ana")
    f.command("start")
    expect(page.locator(".tb-clock")).to_have_text(re.compile(r"^(2:00|1:5\d)$"))
    time.sleep(1.2)
    expect(page.locator(".tb-clock")).to_have_text(re.compile(r"^1:5\d$"))
    f.command("pause")
    expect(page.locator(".tb-clock")).to_have_text(re.compile(r"^Paused 1:5\d$"))
    watch.check()
    ctx.close()


def test_dropping_off_the_network_says_so_and_recovers(
    browser: Browser, server: Server, watch: Watch, facilitators: list[Facilitator]
) -> None:
    f = facilitator(server, facilitators)
    ctx = phone(browser)
    page = watch.attach(ctx.new_page())
    join(page, server.url, f.code, "Ana")
    f.command("start")
    card = page.locator(".card:not(.news)").first
    card.get_by_role("button", name="Build").click()
    expect(card.locator(".set-by")).to_contain_text("set by you")
    watch.allow("ERR_INTERNET_DISCONNECTED")
    ctx.set_offline(True)
    page.evaluate("window.dispatchEvent(new Event('offline'))")
    expect(page.locator("#conn")).to_have_text(re.compile("Offline|Reconnecting"))
    expect(page.locator("#conn")).to_have_class(re.compile("show"))
    banner = page.locator("#conn").bounding_box()
    for what in (".tb-team", ".tb-round"):  # the team's name and the round (or clock) stay readable
        box = page.locator(what).bounding_box()
        assert box and banner and box["y"] + box["height"] <= banner["y"], f"the banner covers {what}"
    shot(page, "phone-offline")
    # While the phone is away, the facilitator sees it as away.
    expect_away = lambda: any(  # noqa: E731
        not m["connected"] for t in f.view()["teams"] for m in t["members"]
    )
    deadline = time.monotonic() + 30
    while not expect_away() and time.monotonic() < deadline:
        time.sleep(0.2)
    ctx.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#conn")).to_have_text("Connected", timeout=15000)
    expect(card.locator(".set-by")).to_contain_text("set by you")
    card.get_by_role("button", name="Say no").click()
    expect(card.locator(".set-by")).to_contain_text("Say no — set by you")
    watch.check()
    ctx.close()


def test_removed_player_is_told_and_can_join_again(
    browser: Browser, server: Server, watch: Watch, facilitators: list[Facilitator]
) -> None:
    f = facilitator(server, facilitators)
    page = watch.attach(phone(browser).new_page())
    join(page, server.url, f.code, "Ana")
    expect(page.locator(".hello h1")).to_have_text("Ana")
    seat = f.view()["teams"][0]["members"][0]["id"]
    f.command("remove_player", seat=seat)
    expect(page.get_by_role("heading", name="You left the game")).to_be_visible()
    axe(page, "phone removed")
    page.reload()
    expect(page.get_by_label("Your name")).to_be_visible()  # the dead token is forgotten
    page.get_by_label("Your name").fill("Ana again")
    page.get_by_role("button", name="Join", exact=True).click()
    expect(page.locator(".hello h1")).to_have_text("Ana again")
    watch.check()
    page.context.close()


def test_a_facilitator_starts_a_game_from_their_own_scenario_file(
    browser: Browser, server: Server, watch: Watch, tmp_path: Path
) -> None:
    from game.scenario.catalogue import scenario_dir

    good = (scenario_dir() / "persona-drift.yaml").read_text()
    broken = tmp_path / "our-workshop.yaml"
    broken.write_text(good.replace("effort: ", "effort: lots # ", 1))
    ctx = projector(browser)
    host = watch.attach(ctx.new_page())
    host.goto(server.url + "/host")
    host.get_by_role("radio", name="Your own scenario file").check()
    create = host.get_by_role("button", name="Create the session")
    expect(create).to_be_disabled()
    expect(host.get_by_role("link", name="Read the guide")).to_have_attribute("href", "/guide/scenarios")
    with host.expect_download() as example:
        host.get_by_role("link", name="saas-startup.yaml").click()
    assert example.value.suggested_filename == "saas-startup.yaml"
    host.get_by_label("Scenario file (.yaml)").set_input_files(str(broken))
    problems = host.locator(".problems")
    expect(problems).to_contain_text("our-workshop.yaml has 1 problem; fix it and choose the file again")
    expect(problems.locator("li")).to_contain_text(re.compile(r"line \d+.*effort.*whole number"))
    shot(host, "host-own-scenario-problems")
    axe(host, "host start page, a scenario file with a problem")
    expect(create).to_be_disabled()
    fixed = tmp_path / "our-workshop-fixed.yaml"
    fixed.write_text(good)
    host.get_by_label("Scenario file (.yaml)").set_input_files(str(fixed))
    expect(host.locator(".own-ok")).to_contain_text("Ready:")
    expect(problems).to_have_count(0)
    shot(host, "host-own-scenario-ready")
    create.click()
    expect(host).to_have_url(re.compile(r"/host/[A-Z0-9]{5}$"))
    title = host.locator(".hbar-title, header").first
    expect(title).to_contain_text(good.split("title:", 1)[1].splitlines()[0].strip().strip('"')[:20])
    watch.check()
    ctx.close()


def test_the_facilitator_closes_the_game_to_new_players_once_everyone_is_in(
    browser: Browser, server: Server, watch: Watch, facilitators: list[Facilitator]
) -> None:
    f = facilitator(server, facilitators)
    host = host_screen(browser, server, watch, f)
    ana = watch.attach(phone(browser).new_page())
    join(ana, server.url, f.code, "Ana")
    expect(host.locator(".chip", has_text="Ana")).to_be_visible()
    host.keyboard.press("m")
    people = host.get_by_role("dialog", name="Players and teams")
    people.get_by_role("button", name="Close to new players").click()
    expect(people.locator(".door")).to_contain_text("Closed to new players.")
    shot(host, "host-players-closed")
    axe(host, "host players overlay, closed to new players")
    host.keyboard.press("Escape")
    expect(host.locator(".jb-closed")).to_contain_text("Closed to new players")
    expect(host.locator("img.qr")).to_have_count(0)  # nothing to scan that would only be refused
    shot(host, "host-lobby-closed")
    axe(host, "host lobby, closed to new players")
    late = watch.attach(phone(browser).new_page())
    join(late, server.url, f.code, "Late")
    expect(
        late.get_by_text("This game is not taking new players. Ask the facilitator to open it.")
    ).to_be_visible()
    shot(late, "phone-join-closed")
    ana.reload()  # those already in keep their seats
    expect(ana.locator(".hello h1")).to_have_text("Ana")
    host.keyboard.press("m")
    people.get_by_role("button", name="Let new players join").click()
    expect(people.locator(".door")).to_contain_text("New players can join.")
    host.keyboard.press("Escape")
    expect(host.locator(".jb-closed")).to_have_count(0)
    late.get_by_role("button", name="Join", exact=True).click()
    expect(late.locator(".hello h1")).to_have_text("Late")
    watch.check()
    for page in (host, ana, late):
        page.context.close()


def test_play_again_moves_everyone_to_a_new_lobby_in_the_same_team(
    browser: Browser, server: Server, watch: Watch, facilitators: list[Facilitator]
) -> None:
    f = facilitator(server, facilitators)
    host = host_screen(browser, server, watch, f)
    ana = watch.attach(phone(browser).new_page())
    ben = watch.attach(phone(browser).new_page())
    join(ana, server.url, f.code, "Ana")
    join(ben, server.url, f.code, "Ben")
    expect(ben.locator(".hello h1")).to_have_text("Ben")
    f.command("rename_team", team="t1", name="Northwind")
    f.command("start")
    f.command("end")
    expect(host.get_by_role("button", name="Play again, same teams")).to_be_visible()
    host.get_by_role("button", name="Play again, same teams").click()
    dialog = host.get_by_role("dialog", name="Play again, same teams")
    expect(dialog.get_by_label("Scenario")).to_have_value("")
    shot(host, "host-play-again")
    axe(host, "host play again dialog")
    dialog.get_by_role("button", name="Open the new lobby").click()
    expect(host).not_to_have_url(re.compile(f"/host/{f.code}$"))
    expect(host).to_have_url(re.compile(r"/host/[A-Z0-9]{5}$"))
    new = host.url.rsplit("/", 1)[1]
    expect(host.locator(".room-code")).to_have_text(new)
    expect(host.locator(".team-tile", has_text="Northwind").locator(".chip")).to_have_text(["Ana"])
    expect(host.locator(".chip")).to_have_count(2)
    for page, name in ((ana, "Ana"), (ben, "Ben")):
        expect(page).to_have_url(re.compile(f"/join/{new}$"))
        expect(page.locator(".hello h1")).to_have_text(name)
    shot(ana, "phone-play-again-lobby")
    host.reload()  # the same key opens the new game
    expect(host.locator(".room-code")).to_have_text(new)
    host.goto(f"{server.url}/host/{f.code}")  # the old debrief points to where the teams went
    expect(host.locator(".went-on")).to_contain_text(f"game {new}")
    axe(host, "host debrief of a game the teams went on from")
    late = watch.attach(phone(browser).new_page())
    join(late, server.url, f.code, "Late")  # someone with the old code
    ended = f"Game {f.code} has ended. Ask the facilitator for the new code."
    expect(late.get_by_text(ended)).to_be_visible()
    late.context.close()
    watch.check()
    for page in (host, ana, ben):
        page.context.close()


def test_a_late_joiner_lands_in_the_round(
    browser: Browser, server: Server, watch: Watch, facilitators: list[Facilitator]
) -> None:
    f = facilitator(server, facilitators)
    early = watch.attach(phone(browser).new_page())
    join(early, server.url, f.code, "Early")
    expect(early.locator(".hello h1")).to_be_visible()
    f.command("start")
    late = watch.attach(phone(browser).new_page())
    join(late, server.url, f.code, "Late")
    expect(late.locator(".card:not(.news)").first).to_be_visible()
    expect(late.locator(".tb-round")).to_have_text("Round 1 of 7")
    watch.check()
    early.context.close()
    late.context.close()


def test_facilitator_on_another_laptop_needs_the_key(
    browser: Browser, server: Server, watch: Watch, facilitators: list[Facilitator]
) -> None:
    f = facilitator(server, facilitators)
    ctx = projector(browser)
    page = watch.attach(ctx.new_page())
    page.goto(f"{server.url}/host/{f.code}")
    expect(page.get_by_label("Facilitator key")).to_be_visible()
    shot(page, "host-needs-key")
    axe(page, "host key form")
    page.get_by_label("Facilitator key").fill("not-the-key")
    page.get_by_role("button", name="Open").click()
    expect(page.get_by_text("does not have the facilitator key")).to_be_visible()
    # A link with the key in the fragment opens the room (the fragment never reaches the server).
    page.goto(f"{server.url}/host/{f.code}#key={f.secret}")
    expect(page.locator(".room-code")).to_have_text(f.code)
    expect(page).to_have_url(f"{server.url}/host/{f.code}")
    page.reload()
    expect(page.locator(".room-code")).to_have_text(f.code)
    watch.check()
    ctx.close()


WAKE_LOCK_SPY = """
window.__wake = [];
Object.defineProperty(navigator, 'wakeLock', { configurable: true, value: {
  request: async (type) => {
    window.__wake.push('request:' + type);
    const sentinel = new EventTarget();
    sentinel.release = async () => {
      window.__wake.push('release');
      sentinel.dispatchEvent(new Event('release'));
    };
    return sentinel;
  },
}});
"""


def test_the_screen_stays_awake_only_during_a_round(
    browser: Browser, server: Server, watch: Watch, facilitators: list[Facilitator]
) -> None:
    f = facilitator(server, facilitators)
    ctx = phone(browser)
    ctx.add_init_script(WAKE_LOCK_SPY)
    page = watch.attach(ctx.new_page())
    join(page, server.url, f.code, "Ana")
    expect(page.locator(".hello h1")).to_be_visible()
    assert page.evaluate("window.__wake") == []
    f.command("start")
    expect(page.locator(".card").first).to_be_visible()
    page.wait_for_function("window.__wake.includes('request:screen')")
    f.command("close")
    expect(page.locator(".closed")).to_be_visible()
    page.wait_for_function("window.__wake.includes('release')")
    watch.check()
    ctx.close()


def test_a_big_room_still_reads_on_the_projector(
    browser: Browser, server: Server, watch: Watch, facilitators: list[Facilitator]
) -> None:
    f = facilitator(server, facilitators)
    strategies = ["always-yes", "product-first", "balanced", "random"]
    for i in range(10):
        f.command("add_bot", strategy=strategies[i % 4], name=f"Company {i + 1}")
    ctx = projector(browser)
    page = watch.attach(ctx.new_page())
    page.goto(f"{server.url}/host/{f.code}#key={f.secret}")
    expect(page.locator(".team-tile.bot")).to_have_count(10)
    page.keyboard.press("Space")
    expect(page.locator(".status-chips .sc.locked")).to_have_count(10)  # bots lock at once
    shot(page, "host-big-round")
    axe(page, "host round, ten teams")
    page.keyboard.press("Space")
    expect(page.locator(".mega")).to_have_text("Plans are in")
    page.keyboard.press("Space")
    expect(page.locator(".reveal-table tbody tr")).to_have_count(10)
    shot(page, "host-big-reveal")
    axe(page, "host reveal, ten teams")
    watch.check()
    ctx.close()


def test_players_move_themselves_and_the_facilitator_moves_and_removes_them(
    browser: Browser, server: Server, watch: Watch, facilitators: list[Facilitator]
) -> None:
    f = facilitator(server, facilitators)
    ana = watch.attach(phone(browser).new_page())
    join(ana, server.url, f.code, "Ana")
    expect(ana.locator(".team-name")).to_have_text("Team 1")
    ana.get_by_role("button", name=re.compile("Move to Team 2")).click()
    expect(ana.locator(".team-name")).to_have_text("Team 2")

    ctx = projector(browser)
    host = watch.attach(ctx.new_page())
    host.goto(f"{server.url}/host/{f.code}#key={f.secret}")
    expect(host.locator(".chip", has_text="Ana")).to_be_visible()
    host.keyboard.press("m")
    people = host.get_by_role("dialog", name="Players and teams")
    people.get_by_label("Move Ana to").select_option(label="Team 1")
    expect(ana.locator(".team-name")).to_have_text("Team 1")
    remove = people.get_by_role("button", name="Remove Ana")
    remove.click()
    expect(people.get_by_role("button", name="Really remove Ana?")).to_be_visible()
    people.get_by_role("button", name="Really remove Ana?").click()
    expect(ana.get_by_role("heading", name="You left the game")).to_be_visible()
    expect(people.get_by_text("Nobody yet.")).to_have_count(2)
    watch.check()
    ctx.close()
    ana.context.close()
