"""HTTP routes: the pages, the scenario list, exports (facilitator secret required), QR codes, health."""

from __future__ import annotations

import io
import json

import segno
from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request

from game.commands import CommandRejected, room_code
from game.debrief import export_csv, export_json
from game.session import Session
from game.web.hub import Hub

bp = Blueprint("curb", __name__)


def _hub() -> Hub:
    hub: Hub = current_app.extensions["curb_hub"]
    return hub


def _session(code: str) -> Session:
    try:
        code = room_code("code", code)
    except CommandRejected:
        abort(404)
    state = _hub().store.get(code)
    if state is None:
        abort(404)
    return state


@bp.get("/")
def join_page() -> str:
    return render_template("join.html", code="")


@bp.get("/join/<code>")
def join_code(code: str) -> str:
    return render_template("join.html", code=_session(code).code)


@bp.get("/host")
def host_page() -> str:
    return render_template("host.html", code="")


@bp.get("/host/<code>")
def host_code(code: str) -> str:
    return render_template("host.html", code=_session(code).code)


@bp.get("/api/scenarios")
def scenarios() -> Response:
    hub = _hub()
    out = []
    for name in hub.scenarios():
        sc = hub.scenario(name)
        out.append(
            {"name": name, "id": sc.id, "title": sc.title, "story": sc.story, "rounds": len(sc.rounds)}
        )
    return jsonify({"scenarios": out})


def _facilitator(code: str) -> Session:
    state = _session(code)
    if not _hub().store.host_ok(state.code, request.headers.get("X-Curb-Secret", "")):
        abort(403)
    return state


@bp.get("/api/sessions/<code>/export.csv")
def export_as_csv(code: str) -> Response:
    state = _facilitator(code)
    name = f"curb-appeal-{state.code}.csv"
    return Response(
        export_csv(state),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/api/sessions/<code>/export.json")
def export_as_json(code: str) -> Response:
    state = _facilitator(code)
    return Response(json.dumps(export_json(state), indent=2), mimetype="application/json")


@bp.get("/qr/<code>.svg")
def qr(code: str) -> Response:
    state = _session(code)
    buf = io.BytesIO()
    segno.make(_hub().links(state.code)["join"], error="m").save(buf, kind="svg", scale=8, border=2)
    return Response(buf.getvalue(), mimetype="image/svg+xml")


@bp.get("/healthz")
def healthz() -> Response:
    return jsonify({"ok": True, "sessions": len(_hub().store.codes())})
