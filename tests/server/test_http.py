"""HTTP routes: pages, the scenario list, exports behind the facilitator secret, QR codes, health."""

from __future__ import annotations

import csv
import io

from tests.server.conftest import Server


def test_pages_and_health(server: Server) -> None:
    web = server.app.test_client()
    _, created = server.host(teams=1)
    assert web.get("/").status_code == 200
    assert web.get("/host").status_code == 200
    assert created["code"].encode() in web.get(f"/join/{created['code'].lower()}").data
    assert web.get(f"/host/{created['code']}").status_code == 200
    assert web.get("/join/QQQQQ").status_code == 404
    assert web.get("/healthz").get_json() == {"ok": True, "sessions": 1}
    assert [s["name"] for s in web.get("/api/scenarios").get_json()["scenarios"]] == ["tiny"]


def test_qr_code_of_the_join_link(server: Server) -> None:
    _, created = server.host(teams=1)
    svg = server.app.test_client().get(f"/qr/{created['code']}.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and b"<svg" in svg.data


def test_exports_need_the_facilitator_secret(server: Server) -> None:
    host, created = server.host(teams=1)
    player, joined = server.player(created["code"], "Ann")
    host.command("start")
    player.command("set_card", card="acme-sso", decision="build")
    host.command("close")
    web = server.app.test_client()
    url = f"/api/sessions/{created['code']}/export"
    assert web.get(url + ".csv").status_code == 403
    assert web.get(url + ".csv", headers={"X-Curb-Secret": joined["token"]}).status_code == 403
    assert web.get("/api/sessions/QQQQQ/export.csv", headers={"X-Curb-Secret": "x"}).status_code == 404
    got = web.get(url + ".csv", headers={"X-Curb-Secret": created["secret"]})
    rows = list(csv.DictReader(io.StringIO(got.get_data(as_text=True))))
    assert [(r["card"], r["decision"]) for r in rows] == [("acme-sso", "build"), ("export", "defer")]
    data = web.get(url + ".json", headers={"X-Curb-Secret": created["secret"]}).get_json()
    assert data["teams"][0]["rounds"][0]["decisions"][0]["by"] == "Ann"
