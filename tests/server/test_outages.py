"""An outage of the store as an operator and the phones see it, without Redis: logged once and summed
up once, health that says why, presence and views put right afterwards, a heartbeat that waits
before taking live workers for dead, and the path prefix the pages are served under."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from game.model import Scenario
from game.session import Act, Presence
from game.store import Outage, SqliteStore, StoreUnavailable
from game.web.heartbeat import MISSED_BEATS, Heartbeat
from game.web.prefix import RootPath, clean_prefix
from tests.server.conftest import Server
from tests.server.test_store_failures import FailingWrites


def test_an_outage_is_one_line_when_it_starts_and_one_summary_when_it_ends(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = iter([100.0, 120.5])
    outage = Outage("Redis", clock=lambda: next(clock))
    recovered: list[str] = []
    outage.on_recovery(lambda: recovered.append("caught up"))
    outage.ok()  # nothing was wrong: nothing to say
    with caplog.at_level(logging.INFO, logger="game.outage"):
        for _ in range(500):  # every request and timer tick of a 20 s outage
            outage.failed("Error 111 connecting to 127.0.0.1:6379")
        assert outage.down
        outage.ok()
        outage.ok()
    lines = [r.getMessage() for r in caplog.records if r.name == "game.outage"]
    assert len(lines) == 2, lines
    assert lines[0].startswith("Redis is unavailable (Error 111") and "answering 'unavailable'" in lines[0]
    assert lines[1] == "Redis is back after 20.5 s; 500 operations failed meanwhile"
    assert recovered == ["caught up"] and not outage.down


def test_during_an_outage_one_probe_at_a_time_looks_whether_redis_is_back() -> None:
    now = [0.0]
    outage = Outage("Redis", clock=lambda: now[0], probe_seconds=0.5)
    assert outage.may_probe()
    outage.failed("timed out")
    assert not outage.may_probe()  # not again at once
    now[0] = 0.6
    assert outage.may_probe()
    now[0] = 5.0
    assert not outage.may_probe()  # that probe still hangs: no second one beside it
    outage.failed("timed out")
    now[0] = 5.6
    assert outage.may_probe()
    outage.ok()
    assert all(outage.may_probe() for _ in range(10)) and not outage.down


def test_a_database_that_cannot_save_is_logged_once_and_health_says_why(
    tmp_path: Path, scenario: Scenario, caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "curb.db"
    server = Server(scenario, db=str(db))
    host, created = server.host(teams=1)
    ann, _ = server.player(created["code"], "Ann")
    assert host.command("start")["ok"]
    store = server.hub.store
    assert isinstance(store, SqliteStore)
    store._db = FailingWrites(store._db, failures=50)  # type: ignore[assignment]
    with caplog.at_level(logging.INFO):
        for n in range(20):
            failed = ann.command("set_card", card="acme-sso", decision="build", cid=f"e{n}")
            assert failed["error"]["code"] == "unavailable"
        store._db.failures = 0  # type: ignore[attr-defined]
        assert ann.command("set_card", card="acme-sso", decision="build")["ok"]
    said = [r.getMessage() for r in caplog.records if r.name == "game.outage"]
    assert len(said) == 2 and "database or disk is full" in said[0] and "20 operations failed" in said[1]
    http = server.app.test_client()
    assert http.get("/healthz").status_code == 200
    db.unlink()
    gone = http.get("/healthz")
    assert gone.status_code == 503 and gone.get_json() == {
        "ok": False,
        "reason": f"the database file {db} is gone",
    }
    assert http.get("/livez").status_code == 200


class DownStore:
    """Wraps a store; while ``down`` every read and write fails as Redis down would."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.down = inner, False
        self.outage = Outage("Redis")

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.inner, name)
        if name in ("awake", "rest") or not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            if self.down:
                self.outage.failed("Connection refused")
                raise StoreUnavailable("Redis failed: Connection refused")
            return attr(*args, **kwargs)

        return call

    def check(self) -> str:
        return "Redis does not answer: Connection refused" if self.down else ""


def test_while_the_store_is_down_everything_is_answered_unavailable_and_caught_up_after(
    scenario: Scenario,
) -> None:
    server = Server(scenario)
    down = DownStore(server.hub.store)
    server.hub.store = down
    server.hub.recovery.get = down.get
    host, created = server.host(teams=1)
    code = created["code"]
    stays, _ = server.player(code, "Stays")
    goes, gone_ack = server.player(code, "Goes")
    assert host.command("start")["ok"]
    # A seat shown away though its phone is here (as a dead-worker sweep after an outage did).
    server.hub.apply(code, Act("s1", Presence(connected=False), "", server.clock()))
    down.down = True
    assert stays.command("lock")["error"]["code"] == "unavailable"
    newcomer = server.client()
    joined = newcomer.emit("player:join", {"id": "late", "code": code, "name": "Late"})
    assert joined["error"]["code"] == "unavailable"
    assert host.emit("sync")["error"]["code"] == "unavailable"
    http = server.app.test_client()
    assert http.get("/healthz").status_code == 503
    assert http.get("/healthz").get_json()["reason"].startswith("Redis does not answer")
    assert http.get(f"/host/{code}").status_code == 503  # a page: a plain 503, never a traceback
    goes.disconnect()  # its phone leaves while nothing can be saved
    down.down = False
    stays.clear()
    host.clear()
    server.hub.catch_up_after_outage()
    state = server.hub.store.get(code)
    assert state is not None
    assert state.seats["s1"].connected  # its phone never left: shown connected again
    assert not state.seats[gone_ack["seat"]].connected  # left during the outage: shown away now
    assert stays.pushed("seat:view")  # views sent again: they may have missed updates
    assert host.pushed("host:view")
    assert http.get("/healthz").status_code == 200


class Beats:
    """The heartbeat's view of a Redis store."""

    def __init__(self) -> None:
        self.fail = False
        self.beats: list[int] = []
        self.held_again: list[list[tuple[str, str]]] = []
        self.swept = 0

    def beat(self, ttl_ms: int) -> None:
        if self.fail:
            raise StoreUnavailable("Redis failed")
        self.beats.append(ttl_ms)

    def hold_only(self, seats: list[tuple[str, str]]) -> None:
        self.held_again.append(seats)

    def orphans(self) -> list[tuple[str, str]]:
        self.swept += 1
        return []


def test_after_missed_beats_a_worker_holds_its_seats_again_and_waits_before_sweeping() -> None:
    store = Beats()
    beat = Heartbeat(store, lambda code, act: None, lambda c, s: True, lambda: [("ABCDE", "s1")], 1.0)  # type: ignore[arg-type,return-value]
    beat.tick(0)
    assert store.swept == 1 and store.held_again == []  # an ordinary beat sweeps
    store.fail = True
    for now in (1_000, 2_000):
        with pytest.raises(StoreUnavailable):
            beat.tick(now)
    store.fail = False
    beat.tick(3_000)  # back: its seats are written afresh, and nobody is swept yet
    assert store.held_again == [[("ABCDE", "s1")]] and store.swept == 1
    for now in range(4_000, 3_000 + MISSED_BEATS * 1_000, 1_000):
        beat.tick(now)
    assert store.swept == 1  # every live worker has had three beats to come back
    beat.tick(3_000 + MISSED_BEATS * 1_000)
    assert store.swept == 2
    beat.tick(30_000)  # a stall (no tick for many beats) counts as missed beats too
    assert len(store.held_again) == 2 and store.swept == 2


def test_the_prefix_moves_from_the_path_into_the_script_name() -> None:
    seen: dict[str, str] = {}

    def app(environ: dict[str, Any], start: Any) -> list[bytes]:
        seen.update(path=environ["PATH_INFO"], root=environ.get("SCRIPT_NAME", ""))
        return []

    RootPath(app, "/curb", trust_header=False)({"PATH_INFO": "/curb/static/x.js"}, _no_start)
    assert seen == {"path": "/static/x.js", "root": "/curb"}
    header = {"PATH_INFO": "/host", "HTTP_X_FORWARDED_PREFIX": "/games/curb/"}
    RootPath(app, "", trust_header=True)(dict(header), _no_start)
    assert seen == {"path": "/host", "root": "/games/curb"}
    RootPath(app, "", trust_header=False)(dict(header), _no_start)  # nobody to believe it from
    assert seen == {"path": "/host", "root": ""}
    assert [clean_prefix(p) for p in ("/", "curb", "/curb/", "/../x", "/a b", "/x?y")] == [
        "",
        "/curb",
        "/curb",
        "",
        "",
        "",
    ]


def test_pages_and_links_carry_the_prefix_they_are_served_under(scenario: Scenario) -> None:
    server = Server(scenario, root_path="/curb", public_url="")
    page = server.app.test_client().get("/curb/host")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert '<meta name="curb-root" content="/curb">' in text and 'src="/curb/static/js/host.js"' in text
    assert 'src="/static/' not in text and 'href="/static/' not in text
    # (Join links and QR codes under the prefix: tests/scaleout/test_path_prefix.py, through nginx.)
    plain = Server(scenario).app.test_client().get("/host").get_data(as_text=True)
    assert '<meta name="curb-root" content="">' in plain and 'src="/static/js/host.js"' in plain


def _no_start(*_args: Any) -> None:
    """A WSGI start_response for an app that never calls it."""
