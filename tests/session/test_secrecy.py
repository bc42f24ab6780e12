"""Secrecy, proven by walking the JSON: no hidden card values, no other team's plan, no early results."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import fields
from typing import Any

from game.model import Decision, Hidden
from game.scenario.catalogue import find_scenario, load_scenario
from game.session import Act, Phase, Settings, apply, new_session, seat_roles
from game.session import commands as c
from game.views.live import host_view, seat_view, team_plan

# A revealed round's causes are derived figures, shown on the reveal (issue 9); the card values
# they derive from stay hidden until the debrief.
HIDDEN_KEYS = {f.name for f in fields(Hidden)} | {"hidden"}


def walk(node: Any, path: str = "") -> Iterator[tuple[str, Any, Any]]:
    """Every (path, key, value) in a JSON tree."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield path, k, v
            yield from walk(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk(v, f"{path}[{i}]")


def plans_in(view: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every plan in a view, with the team it sits under."""
    found = []
    for path, key, value in walk(view):
        if key == "plan" and isinstance(value, dict):
            found.append((path, value))
    return found


def played(game) -> Any:
    """Two teams with different plans, at every phase of a whole game; yields the driver each step."""
    g = game(teams=2)
    seats = [g.join(n) for n in ("Ann", "Bob", "Cat", "Dan", "Eve")]
    yield g, seats
    g.host(c.Start())
    for r in range(3):
        for seat in seats:
            team = g.state.seats[seat].team
            ids = [card["id"] for card in seat_view(g.state, seat, g.now)["cards"] if card["kind"] != "event"]
            for cid in ids:
                g.act(seat, c.SetCard(card=cid, decision=Decision.BUILD if team == "t1" else Decision.NO))
        yield g, seats
        g.host(c.Close())
        yield g, seats
        g.host(c.Reveal())
        yield g, seats
        if r < 2:
            g.host(c.Next())


def test_phones_never_see_hidden_values_or_other_teams_plans(game, scenario) -> None:
    hints = {
        (card.id, role): text for rnd in scenario.rounds for card in rnd.cards for role, text in card.hints
    }
    for g, seats in played(game):
        for seat in seats:
            view = seat_view(g.state, seat, g.now)
            keys = {k for _, k, _ in walk(view)}
            assert not keys & HIDDEN_KEYS, keys & HIDDEN_KEYS
            own = g.state.seats[seat].team
            for path, plan in plans_in(view):
                assert path == ".team" and view["team"]["id"] == own
                assert plan == {
                    k: {"decision": ch.decision.value, "by": ch.by}
                    for k, ch in g.state.teams[own].plan.items()
                }
            mine = set(seat_roles(g.state, seat))
            text = json.dumps(view)
            shown = {card["id"] for card in view["cards"]}
            deciding = g.state.phase is Phase.ROUND_OPEN  # afterwards no phone needs a hint
            for (card_id, role), hint in hints.items():
                assert (hint in text) == (deciding and role in mine and card_id in shown), (seat, role, hint)


def test_the_projector_shows_no_plan_and_no_hidden_values(game) -> None:
    for g, _ in played(game):
        view = host_view(g.state, g.now)
        keys = {k for _, k, _ in walk(view)}
        assert not keys & (HIDDEN_KEYS | {"plan", "hints"})


def test_results_stay_hidden_until_revealed(game) -> None:
    g = game(teams=1)
    ann = g.join("Ann")
    g.host(c.Start())
    g.act(ann, c.SetCard(card="acme-sso", decision=Decision.BUILD))
    before = seat_view(g.state, ann, g.now)["team"]["figures"]
    g.host(c.Close())
    closed = seat_view(g.state, ann, g.now)
    assert closed["team"]["figures"] == before and closed["team"]["outcome"] is None
    assert host_view(g.state, g.now)["teams"][0]["figures"] == before
    g.host(c.Reveal())
    revealed = seat_view(g.state, ann, g.now)["team"]
    assert revealed["outcome"]["before"] == before
    assert revealed["figures"] == revealed["outcome"]["after"]


def test_team_views_stay_small_on_a_real_scenario() -> None:
    """The team part of a phone's view and the plan delta stay well under 4 KB, even with a long
    backlog; the whole seat view (every card's text) is sent only when the phase changes."""
    scenario = load_scenario(find_scenario("saas-startup"))
    state = new_session("SIZE1", scenario, Settings(teams=1), 0)
    for i in range(6):
        state = apply(state, Act("", c.Join(name=f"Player with a long name {i:02d}"), f"j{i}", 0)).state
    state = apply(state, Act("host", c.Start(), "s", 0)).state
    sizes: dict[str, int] = {"team": 0, "delta": 0, "seat": 0}

    def size(data: Any) -> int:
        return len(json.dumps(data, separators=(",", ":")))

    for r in range(len(scenario.rounds)):
        view = seat_view(state, "s1", 0)
        sizes["seat"] = max(sizes["seat"], size(view))
        sizes["team"] = max(sizes["team"], size(view["team"]))
        for card in view["cards"]:
            if card["kind"] != "event":
                state = apply(
                    state,
                    Act("s1", c.SetCard(card=card["id"], decision=Decision.DEFER), f"d{r}{card['id']}", 0),
                ).state
        sizes["delta"] = max(sizes["delta"], size(team_plan(state, "t1")))
        for step in ("close", "reveal", "next"):
            cmd = {"close": c.Close(), "reveal": c.Reveal(), "next": c.Next()}[step]
            state = apply(state, Act("host", cmd, f"{step}{r}", 0)).state
    assert sizes["team"] < 2048 and sizes["delta"] < 1024 and sizes["seat"] < 8192, sizes


def test_a_teams_reasons_stay_inside_the_team_until_the_reveal(game) -> None:
    """Other teams never see a team's reasons; the projector shows them only once the round is revealed."""
    g = game(teams=2)
    seats = [g.join(n) for n in ("Ann", "Bob", "Cat", "Dan")]
    g.host(c.Start())
    secret = {"t1": "t1 says they will sign forty seats", "t2": "t2 thinks it is a pet feature"}
    for seat in seats:
        team = g.state.seats[seat].team
        g.act(seat, c.SetReason(card="acme-sso", text=secret[team]))

    def check() -> None:
        for seat in seats:
            own = g.state.seats[seat].team
            text = json.dumps(seat_view(g.state, seat, g.now))
            assert (
                secret[own] in text or g.state.phase is Phase.ROUND_CLOSED
            )  # (the closed screen shows plans)
            assert all(words not in text for team, words in secret.items() if team != own), (
                seat,
                g.state.phase,
            )
            assert secret["t2" if own == "t1" else "t1"] not in json.dumps(team_plan(g.state, own))
        on_screen = json.dumps(host_view(g.state, g.now))
        assert all((words in on_screen) == (g.state.phase is Phase.REVEALED) for words in secret.values())

    check()
    g.host(c.Close())
    check()
    g.host(c.Reveal())
    check()
    g.host(c.Next())
    check()


def test_the_one_hidden_value_a_reveal_quotes_is_a_built_features_upkeep(game, scenario) -> None:
    """docs/security.md: once a team has built a feature, the capacity it costs every round is a
    consequence the team lives with, so the reveal's capacity causes name it (it equals the card's
    hidden ``maintenance``). Nothing else of a card's hidden values is quoted before the debrief,
    and nothing at all of a card before its team has decided it (causes come after the reveal)."""
    cards = {card.id: card for rnd in scenario.rounds for card in rnd.cards}
    quoted = 0
    for g, seats in played(game):
        for seat in seats:
            view = seat_view(g.state, seat, g.now)
            outcome = view["team"].get("outcome") or {}
            for figure, items in (outcome.get("causes") or {}).items():
                for cause in items:
                    if not cause["card"]:
                        continue
                    hidden = cards[cause["card"]].hidden
                    if figure == "capacity":
                        assert cause["decision"] == "build" and cause["amount"] == -hidden.maintenance
                        quoted += 1
                    else:  # a decided card's other effects: derived figures, never a hidden value as such
                        assert cause["decision"] in ("build", "defer", "no")
    assert quoted  # the rule was exercised: built features with upkeep were revealed
