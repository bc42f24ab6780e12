"""Guessing and flooding: random codes and secrets, constant-time checks, failures rate-limited per
address and per session, while a whole room joining from one venue address still gets in."""

from __future__ import annotations

import ast
import hmac
import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from game.session import Act, Settings
from game.session.commands import Join
from game.store import MemoryStore
from game.store import tokens as tk
from game.web.limits import Buckets, Limits, Rate, client_address
from tests.hardening.conftest import ProxiedServer
from tests.server.conftest import Server

ROOT = Path(__file__).resolve().parents[2]
LIMITS = Limits()
_ids = itertools.count(1)


def join(client: Any, code: str, name: str = "Ann") -> dict[str, Any]:
    ack: dict[str, Any] = client.emit("player:join", {"id": f"j{next(_ids)}", "code": code, "name": name})
    return ack


def wrong_code(code: str) -> str:
    """A code from the same alphabet that is not this one."""
    return code[:-1] + ("A" if code[-1] != "A" else "C")


# -- where the randomness comes from, and how it is compared ---------------------------------------------


def test_codes_secrets_and_keys_come_from_the_secrets_module() -> None:
    tree = ast.parse((ROOT / "game/store/tokens.py").read_text())
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert "secrets" in imported and "random" not in imported
    calls = {
        f.name: {ast.unparse(c.func) for c in ast.walk(f) if isinstance(c, ast.Call)}
        for f in tree.body
        if isinstance(f, ast.FunctionDef)
    }
    assert "secrets.choice" in calls["new_code"]
    assert "secrets.token_urlsafe" in calls["new_host_secret"]
    assert "secrets.token_hex" in calls["new_seat_key"]
    codes = {tk.new_code() for _ in range(2000)}
    assert all(len(c) == tk.CODE_LENGTH and set(c) <= set(tk.CODE_ALPHABET) for c in codes)
    assert len(codes) > 1990  # 23^5 codes: a handful of collisions at most
    assert len({tk.new_host_secret() for _ in range(100)}) == 100


def test_secrets_and_tokens_are_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch, scenario) -> None:
    seen: list[tuple[bytes | str, bytes | str]] = []
    real = hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        seen.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    store = MemoryStore()
    created = store.create(scenario, Settings(teams=1), 0)
    store.update(created.code, Act("", Join(name="Ann"), "j", 0))
    token = store.seat_token(created.code, "s1")
    checks = [
        store.host_ok(created.code, created.host_secret),
        store.host_ok(created.code, "wrong"),
        store.host_ok("QQQQQ", created.host_secret),  # no such session: the same work is done
        store.seat_for_token(token) is not None,
        store.seat_for_token(token[:-2] + "xx") is not None,
    ]
    assert checks == [True, False, False, True, False]
    assert len(seen) == 5


@pytest.mark.parametrize(
    "event,payload",
    [
        ("host:attach", {"secret": "\ud800"}),
        ("host:attach", {"secret": "é" * 10}),
        ("player:resume", {"token": "{code}.s1.\ud800"}),
        ("player:resume", {"token": "{code}.s1.é"}),
        ("player:resume", {"token": "{code}.s1.\x00"}),
    ],
)
def test_odd_characters_in_secrets_and_tokens_are_a_bad_request(
    proxied: ProxiedServer, event: str, payload: dict[str, str]
) -> None:
    """These used to crash the handler (UnicodeEncodeError, TypeError from compare_digest)."""
    _host, created = proxied.host(teams=1)
    proxied.player(created["code"], "Ann")
    body = {k: v.format(code=created["code"]) for k, v in payload.items()}
    if event == "host:attach":
        body["code"] = created["code"]
    ack = proxied.caller("10.0.0.9").emit(event, body)
    assert ack["ok"] is False and ack["error"]["code"] == "bad_request"


# -- wrong room codes -------------------------------------------------------------------------------------


def test_wrong_codes_are_limited_per_address_with_a_clear_message(proxied: ProxiedServer) -> None:
    _host, created = proxied.host(teams=1)
    code = created["code"]
    guesser = proxied.caller("203.0.113.7")
    first = join(guesser, wrong_code(code))
    assert first["error"]["code"] == "not_found"
    assert "Check the code on the big screen" in first["error"]["message"]
    for _ in range(LIMITS.wrong_codes.burst - 1):
        assert join(guesser, wrong_code(code))["error"]["code"] == "not_found"
    limited = join(guesser, wrong_code(code))
    assert limited["error"]["code"] == "word_needed"
    assert "Too many wrong room codes" in limited["error"]["message"]
    assert "Scan the QR code" in limited["error"]["message"]
    # While the bucket is empty even the right code is refused: otherwise the refusal is an oracle.
    assert join(guesser, code)["error"] == limited["error"]
    # Another address is not affected.
    assert join(proxied.caller("198.51.100.1"), code)["ok"]
    # One guess comes back every few seconds.
    proxied.clock.now += LIMITS.wrong_codes.every_ms
    assert join(guesser, code)["ok"]
    assert join(guesser, wrong_code(code))["error"]["code"] == "not_found"
    assert join(guesser, wrong_code(code))["error"]["code"] == "word_needed"


def test_a_guesser_does_not_lock_the_room_out_of_its_real_ways_in(proxied: ProxiedServer) -> None:
    """A guesser drains the venue address's wrong codes: the 20 people typing the right code from
    that address get in with the room's word, and a phone that scanned the QR code always gets in.
    The refusal is the same for a right and a wrong code, and code-and-word guesses are limited."""
    _host, created = proxied.host(teams=0)
    code, links = created["code"], created["links"]
    key, word = links["join"].split("?k=")[1], links["word"]
    venue = "192.0.2.77"
    for _ in range(LIMITS.wrong_codes.burst + 5):
        join(proxied.caller(venue), wrong_code(code))
    refused = join(proxied.caller(venue), code)
    assert refused["error"]["code"] == "word_needed"
    assert join(proxied.caller(venue), wrong_code(code))["error"] == refused["error"]  # no oracle
    for i in range(20):
        ack = proxied.caller(venue).emit(
            "player:join", {"id": f"w{i}", "code": code, "name": f"Typist {i}", "word": word.upper()}
        )
        assert ack["ok"], (i, ack)
    for i in range(20):
        ack = proxied.caller(venue).emit(
            "player:join", {"id": f"k{i}", "code": code, "name": f"Scan {i}", "key": key}
        )
        assert ack["ok"], (i, ack)
    web = proxied.app.test_client()
    headers = {"X-Forwarded-For": venue}
    assert web.get(f"/join/{code}", headers=headers).status_code == 429
    assert web.get(f"/join/{code}?k={key}", headers=headers).status_code == 200
    assert web.get(f"/qr/{code}.svg?k={key}", headers=headers).status_code == 200
    # Guessing the word as well is limited per address: past it, even the right word is refused,
    # with the same answer; the join key still works.
    for n in range(LIMITS.wrong_words.burst):
        wrong = {"id": f"g{n}", "code": code, "name": "Guess", "word": "notaword"}
        assert proxied.caller(venue).emit("player:join", wrong)["error"] == refused["error"]
    right = {"id": "late", "code": code, "name": "Late", "word": word}
    assert proxied.caller(venue).emit("player:join", right)["error"] == refused["error"]
    assert proxied.caller(venue).emit("player:join", {**right, "key": key})["ok"]
    assert (
        proxied.caller(venue).emit(
            "player:join", {**right, "key": key[:-1] + ("x" if key[-1] != "x" else "y")}
        )["error"]
        == refused["error"]
    )


def test_a_whole_room_joins_from_one_venue_address_even_with_some_typos(proxied: ProxiedServer) -> None:
    _host, created = proxied.host(teams=0)
    code = created["code"]
    venue = "192.0.2.50"
    joined = 0
    typos = 0
    for i in range(300):
        phone = proxied.caller(venue)
        if i % 15 == 0:  # one person in fifteen mistypes first
            assert join(phone, wrong_code(code))["error"]["code"] == "not_found"
            typos += 1
        ack = join(phone, code.lower(), name=f"Player {i}")
        assert ack["ok"], (i, ack)
        joined += 1
    assert joined == 300 and typos == 20
    assert len(proxied.hub.state(code).seats) == 300


def test_pages_with_a_wrong_code_count_as_guesses(proxied: ProxiedServer) -> None:
    _host, created = proxied.host(teams=1)
    code = created["code"]
    web = proxied.app.test_client()
    headers = {"X-Forwarded-For": "203.0.113.8"}
    paths = [f"/join/{wrong_code(code)}", f"/host/{wrong_code(code)}", f"/qr/{wrong_code(code)}.svg"]
    for i in range(LIMITS.wrong_codes.burst):
        assert web.get(paths[i % 3], headers=headers).status_code == 404
    refused = web.get(f"/join/{code}", headers=headers)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert b"Too many wrong room codes" in refused.data
    assert web.get(f"/join/{code}", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 200
    # The socket join shares the same bucket.
    assert join(proxied.caller("203.0.113.8"), code)["error"]["code"] == "word_needed"


def test_forwarded_for_is_ignored_unless_a_proxy_is_trusted(scenario) -> None:
    server = Server(scenario)  # trusted_proxies = 0: every test client is 127.0.0.1
    _host, created = server.host(teams=1)
    web = server.app.test_client()
    for i in range(LIMITS.wrong_codes.burst):
        spoofed = {"X-Forwarded-For": f"10.9.{i}.1"}
        assert web.get("/join/QQQQQ", headers=spoofed).status_code == 404
    assert web.get(f"/join/{created['code']}", headers={"X-Forwarded-For": "10.10.10.10"}).status_code == 429


# -- secrets and tokens ------------------------------------------------------------------------------


def test_wrong_secrets_are_limited_per_address_but_the_right_one_always_works(proxied: ProxiedServer) -> None:
    _host, created = proxied.host(teams=1)
    code = created["code"]
    guesser = proxied.caller("203.0.113.20")
    for _ in range(LIMITS.wrong_secrets.burst):
        ack = guesser.emit("host:attach", {"code": code, "secret": "x" * 43})
        assert ack["error"]["code"] == "unauthorized"
    ack = guesser.emit("host:attach", {"code": code, "secret": "x" * 43})
    assert ack["error"]["code"] == "rate_limited" and "Wait" in ack["error"]["message"]
    # 256 bits are not guessed: the real secret still attaches, even from the same address.
    assert guesser.emit("host:attach", {"code": code, "secret": created["secret"]})["ok"]


def test_wrong_tokens_against_one_session_are_limited_per_session(proxied: ProxiedServer) -> None:
    _host, created = proxied.host(teams=1)
    code = created["code"]
    _ann, joined = proxied.player(code, "Ann")
    mac = joined["token"].split(".")[2]
    forged = f"{code}.s1.{mac[::-1]}"
    answers = []
    for i in range(LIMITS.session_failures.burst + 1):  # from ever-new addresses: only the session counts
        caller = proxied.caller(f"10.{i // 200}.{i % 200}.1")
        answers.append(caller.emit("player:resume", {"token": forged})["error"]["code"])
    assert answers[:-1] == ["unauthorized"] * LIMITS.session_failures.burst
    assert answers[-1] == "rate_limited"
    assert proxied.caller("10.99.0.1").emit("player:resume", {"token": joined["token"]})["ok"]
    # Another session is not affected.
    _h2, other = proxied.host(teams=1)
    proxied.player(other["code"], "Bob")
    ack = proxied.caller("10.99.0.2").emit("player:resume", {"token": f"{other['code']}.s1.{mac}"})
    assert ack["error"]["code"] == "unauthorized"


def test_exports_with_a_wrong_secret_count_as_failures(proxied: ProxiedServer) -> None:
    _host, created = proxied.host(teams=1)
    web = proxied.app.test_client()
    url = f"/api/sessions/{created['code']}/export.json"
    headers = {"X-Forwarded-For": "203.0.113.30", "X-Curb-Secret": "nope"}
    codes = [web.get(url, headers=headers).status_code for _ in range(LIMITS.wrong_secrets.burst + 1)]
    assert codes == [403] * LIMITS.wrong_secrets.burst + [429]
    good = {"X-Forwarded-For": "203.0.113.30", "X-Curb-Secret": created["secret"]}
    assert web.get(url, headers=good).status_code == 200


def test_a_flood_of_new_sessions_from_one_address_is_refused(proxied: ProxiedServer) -> None:
    flooder = proxied.caller("203.0.113.40")
    acks = [flooder.emit("host:create", {"scenario": "tiny"}) for _ in range(LIMITS.creates.burst + 1)]
    assert all(a["ok"] for a in acks[:-1])
    assert acks[-1]["error"]["code"] == "rate_limited"
    assert proxied.caller("203.0.113.41").emit("host:create", {"scenario": "tiny"})["ok"]


# -- the pieces ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "environ,proxies,expected",
    [
        ({"REMOTE_ADDR": "198.51.100.4"}, 0, "198.51.100.4"),
        ({"REMOTE_ADDR": "198.51.100.4", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, 0, "198.51.100.4"),
        ({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 1.2.3.4"}, 1, "1.2.3.4"),
        ({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 1.2.3.4, 10.0.0.2"}, 2, "1.2.3.4"),
        ({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, 2, "1.2.3.4"),
        ({"REMOTE_ADDR": "127.0.0.1"}, 1, "127.0.0.1"),
        ({"REMOTE_ADDR": "2001:db8:1:2:3:4:5:6"}, 0, "2001:db8:1:2::/64"),
        ({"REMOTE_ADDR": "2001:db8:1:2:ffff::1"}, 0, "2001:db8:1:2::/64"),
        ({"REMOTE_ADDR": "::ffff:198.51.100.4"}, 0, "198.51.100.4"),
        ({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "not-an-ip"}, 1, "not-an-ip"),
        ({}, 0, ""),
    ],
)
def test_client_address(environ: dict[str, str], proxies: int, expected: str) -> None:
    assert client_address(environ, proxies) == expected


def test_buckets_refill_and_stay_bounded_in_memory() -> None:
    b = Buckets(Rate(3, 1000), max_keys=50)
    for _ in range(3):
        assert b.wait_ms("a", 0) == 0
        b.take("a", 0)
    assert 0 < b.wait_ms("a", 0) <= 1001
    assert b.wait_ms("a", 1000) == 0
    for i in range(500):
        b.take(f"k{i}", 10_000 + i)
    assert len(b) <= 50
    assert Buckets(Rate(0, 1000)).wait_ms("x", 0) == 0  # burst 0 = no limit


# -- never sent to anyone else -----------------------------------------------------------------------------


def test_secrets_and_tokens_reach_only_their_owner(proxied: ProxiedServer) -> None:
    """A whole game with two facilitator screens, phones that drop and resume and a second session:
    a token is only ever in its owner's join/resume answers, the secret only in the creator's."""
    host, created = proxied.host(teams=2, round_seconds=60)
    code = created["code"]
    phones = [proxied.player(code, f"P{i}") for i in range(4)]
    laptop = proxied.caller("10.0.0.5")
    assert laptop.emit("host:attach", {"code": code, "secret": created["secret"]})["ok"]
    other_host, other = proxied.host(teams=1)
    stranger, stranger_ack = proxied.player(other["code"], "Zed")
    traffic: dict[int, list[Any]] = {id(c): [] for c in (host, laptop, other_host, stranger)}
    traffic.update({id(p): [] for p, _ in phones})
    owner = {
        created["secret"]: {id(host)},
        other["secret"]: {id(other_host)},
        stranger_ack["token"]: {id(stranger)},
    }
    owner.update({ack["token"]: {id(p)} for p, ack in phones})

    def say(client: Any, *args: Any, **fields: Any) -> Any:
        answer = client.emit(*args) if args else client.command(**fields)
        traffic[id(client)].append(answer)
        return answer

    assert say(host, type_="start")["ok"]
    for p, _ in phones:
        say(p, type_="set_card", card="acme-sso", decision="build")
    (ann, ann_ack), (bob, _bob_ack) = phones[0], phones[1]
    ann.disconnect()
    again = proxied.caller("10.0.0.6")
    traffic[id(again)] = []
    owner[ann_ack["token"]].add(id(again))  # the same phone, reconnected
    assert say(again, "player:resume", {"token": ann_ack["token"]})["ok"]
    for step in ("close", "reveal", "next"):
        say(laptop, type_=step)
    say(bob, "sync", {})
    say(host, "sync", {})
    everyone = [host, laptop, other_host, stranger, again, *(p for p, _ in phones[1:])]
    for client in everyone:
        traffic[id(client)].extend(client.pushed())
    for secret, owners in owner.items():
        for client in everyone:
            text = json.dumps(traffic[id(client)])
            if id(client) not in owners:
                assert secret not in text, "a secret or token reached someone else"
        pushed = json.dumps([c.seen for c in everyone])
        assert secret not in pushed, "a secret or token was pushed (pushes go to rooms, never only to one)"


def test_an_old_session_stops_answering_to_its_code_but_its_seats_keep_working(
    proxied: ProxiedServer,
) -> None:
    """Codes that could be guessed are only those of recent sessions (docs/security.md)."""
    host, created = proxied.host(teams=1)
    code = created["code"]
    _ann, joined = proxied.player(code, "Ann")
    proxied.clock.now += LIMITS.join_window_ms + 1
    late = join(proxied.caller("203.0.113.50"), code)
    assert late["error"]["code"] == "not_found" and "No game has the code" in late["error"]["message"]
    page = proxied.app.test_client().get(f"/join/{code}", headers={"X-Forwarded-For": "203.0.113.51"})
    assert page.status_code == 404 and b"no longer takes new players" in page.data
    assert proxied.caller("203.0.113.52").emit("player:resume", {"token": joined["token"]})["ok"]
    assert proxied.caller("203.0.113.53").emit("host:attach", {"code": code, "secret": created["secret"]})[
        "ok"
    ]
    assert host.command("start")["ok"]


# -- a seat flooding its own team ---------------------------------------------------------------------------


def test_a_seat_sending_commands_faster_than_a_person_taps_is_told_to_slow_down(
    proxied: ProxiedServer,
) -> None:
    host, created = proxied.host(teams=1, round_seconds=0)
    code = created["code"]
    ann, _ = proxied.player(code, "Ann")
    bob, _ = proxied.player(code, "Bob")
    assert host.command("start")["ok"]
    decisions = itertools.cycle(["build", "no"])  # every command a change: repeats count nothing
    burst = LIMITS.commands.burst
    for _ in range(burst):
        assert ann.command("set_card", card="acme-sso", decision=next(decisions))["ok"]
    rev = ann.emit("sync")["view"]["rev"]
    bob.clear()
    flooded = ann.command("set_card", card="acme-sso", decision="build")  # a change, and refused
    assert flooded["error"]["code"] == "rate_limited" and "Wait a moment" in flooded["error"]["message"]
    assert ann.emit("sync")["view"]["rev"] == rev and bob.pushed("team:plan") == []  # nothing changed
    # A teammate is not held back by Ann's flood.
    assert bob.command("set_card", card="export", decision="build")["ok"]
    # A second later Ann may act again, at a person's pace: ten a second.
    proxied.clock.now += 1_000
    for _ in range(10):
        assert ann.command("set_card", card="acme-sso", decision=next(decisions))["ok"]
    assert ann.command("lock")["error"]["code"] == "rate_limited"
    assert host.command("close")["ok"]  # nor is the facilitator
