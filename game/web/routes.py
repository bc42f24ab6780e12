"""HTTP routes: the pages, the scenario list, exports (facilitator secret required), QR codes, health."""

from __future__ import annotations

import io
import json
from pathlib import Path

import segno
from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request

from game.errors import CommandRejected
from game.inbound import room_code
from game.session import Session
from game.store import StoreUnavailable, UnknownSession
from game.views import export_csv, export_json, scenario_summary
from game.web.config import ROOT
from game.web.hub import Hub
from game.web.joinkeys import key_opens
from game.web.limits import Guards, client_address, wait_text

bp = Blueprint("curb", __name__)


def _hub() -> Hub:
    hub: Hub = current_app.extensions["curb_hub"]
    return hub


def _address() -> str:
    return client_address(request.environ, _hub().config.trusted_proxies)


class _Refused(Exception):
    """A page's room code is unknown, or this address has guessed too many."""

    def __init__(self, status: int, message: str, retry_after: int = 0) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = {"Retry-After": str(retry_after)} if retry_after else {}


def _too_many(wait_ms: int, what: str) -> _Refused:
    seconds = max(1, -(-wait_ms // 1000))
    return _Refused(
        429, f"Too many {what} from your network. Wait {wait_text(wait_ms)} and try again.", seconds
    )


def _find(code: str) -> Session:
    """The session a page names; an unknown code counts as a wrong guess against the client's address."""
    guards: Guards = current_app.extensions["curb_guards"]
    key = request.args.get("k", "")
    if key and key_opens(_hub().store, code, key):  # the QR code's link: never limited
        found = _hub().store.get(code)
        if found is not None:
            return found
    address = _address()
    wait = guards.code_wait_ms(address)
    if wait:
        raise _too_many(wait, "wrong room codes")
    try:
        code = room_code("code", code)
    except CommandRejected:
        code = ""
    state = _hub().store.get(code) if code else None
    if state is None:
        guards.wrong_code(address)
        named = f"the code {code}" if 0 < len(code) <= 8 else "that code"
        raise _Refused(404, f"No game has {named}. Check the code on the big screen and try again.")
    return state


def _session(code: str) -> Session:
    try:
        return _find(code)
    except _Refused as r:
        abort(Response(r.message + "\n", status=r.status, mimetype="text/plain", headers=r.headers))


@bp.app_context_processor
def served_under() -> dict[str, str]:
    """Every page knows the path prefix it is served under ("" at the root; docs/deploy.md)."""
    return {"root": request.script_root}


@bp.get("/")
def join_page() -> str:
    return render_template("join.html", code="")


@bp.get("/join/<code>")
def join_code(code: str) -> Response | str:
    try:
        state = _find(code)
        guards: Guards = current_app.extensions["curb_guards"]
        try:
            guards.joinable(state)
        except UnknownSession:
            guards.wrong_code(_address())  # counted like a wrong code: it is no way in either
            raise _Refused(404, "This game no longer takes new players. Ask for the new code.") from None
        return render_template("join.html", code=state.code)
    except _Refused as r:  # a mistyped or old link: the join page, saying what went wrong
        page = render_template("join.html", code="", error=r.message)
        return Response(page, status=r.status, headers=r.headers)


@bp.get("/host")
def host_page() -> str:
    return render_template("host.html", code="")


@bp.get("/host/<code>")
def host_code(code: str) -> str:
    return render_template("host.html", code=_session(code).code)


@bp.get("/scenarios/<name>.yaml")
def scenario_file(name: str) -> Response:
    """An offered scenario's file, for a facilitator to start their own from (only names on offer)."""
    found = _hub().catalogue.offered().get(name)
    if not isinstance(found, Path) or not found.is_file():
        abort(404)
    attachment = {"Content-Disposition": f'attachment; filename="{name}.yaml"'}
    return Response(found.read_bytes(), mimetype="text/yaml", headers=attachment)


@bp.get("/guide/scenarios")
def scenario_guide() -> Response:
    """How to write a scenario (docs/scenarios.md), readable in the browser as plain text."""
    guide = ROOT / "docs" / "scenarios.md"
    if not guide.is_file():
        abort(404)
    return Response(guide.read_bytes(), mimetype="text/plain", content_type="text/plain; charset=utf-8")


@bp.get("/api/scenarios")
def scenarios() -> Response:
    hub = _hub()
    out = [scenario_summary(hub.catalogue.named(name), name) for name in hub.catalogue.offered()]
    return jsonify({"scenarios": out, "uploads": hub.config.scenario_uploads})


def _facilitator(code: str) -> Session:
    state = _session(code)
    if not _hub().store.host_ok(state.code, request.headers.get("X-Curb-Secret", "")):
        guards: Guards = current_app.extensions["curb_guards"]
        wait = guards.wrong_secret(_address(), state.code)
        if wait:
            r = _too_many(wait, "failed attempts")
            abort(Response(r.message + "\n", status=429, mimetype="text/plain", headers=r.headers))
        abort(403)
    return state


@bp.get("/api/sessions/<code>/export.csv")
def export_as_csv(code: str) -> Response:
    state = _facilitator(code)
    name = f"curb-appeal-{state.code}.csv"
    return Response(
        export_csv(state, _hub().debriefs.games(state)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/api/sessions/<code>/export.json")
def export_as_json(code: str) -> Response:
    state = _facilitator(code)
    return Response(
        json.dumps(export_json(state, _hub().debriefs.games(state)), indent=2), mimetype="application/json"
    )


@bp.get("/qr/<code>.svg")
def qr(code: str) -> Response:
    state = _session(code)
    buf = io.BytesIO()
    segno.make(_hub().links(state.code)["join"], error="m").save(buf, kind="svg", scale=8, border=2)
    return Response(buf.getvalue(), mimetype="image/svg+xml")


@bp.app_errorhandler(StoreUnavailable)
def store_unavailable(err: StoreUnavailable) -> Response:
    """A page while the store cannot be read (Redis down): a clear 503, never a traceback."""
    _hub().outage.failed(str(err))
    page = "The game server cannot reach its storage just now. Try again in a moment.\n"
    return Response(page, status=503, mimetype="text/plain", headers={"Retry-After": "5"})


def _health(ready: bool) -> Response:
    hub = _hub()
    reason = "the server is stopping" if ready and hub.stopping else hub.store_problem()
    if reason:
        return Response(json.dumps({"ok": False, "reason": reason}), status=503, mimetype="application/json")
    return jsonify({"ok": True, "sessions": len(hub.store.awake())})


@bp.get("/healthz")
def healthz() -> Response:
    """Can this worker serve games now: 200, or 503 with the reason (the store cannot save, Redis
    does not answer). For a load balancer's health check (docs/deploy.md)."""
    return _health(ready=False)


@bp.get("/readyz")
def readyz() -> Response:
    """/healthz, and also 503 once a graceful stop began: take this worker out of rotation."""
    return _health(ready=True)


@bp.get("/livez")
def livez() -> Response:
    """The process answers (restart it only when this fails; an outage of Redis is not cured by that)."""
    return jsonify({"ok": True})
