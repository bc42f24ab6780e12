"""The game under https://host/curb/ through deploy/nginx-under-a-path.conf: pages, static files, the
socket, join links and QR codes all stay under the prefix."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from bench.cluster import ROOT, Cluster
from tests.scaleout.conftest import Phone

pytestmark = pytest.mark.slow
UNDER_A_PATH = ROOT / "deploy" / "nginx-under-a-path.conf"


@pytest.fixture
def prefixed(tmp_path: Path) -> Iterator[Cluster]:
    c = Cluster(tmp_path, workers=1, site=UNDER_A_PATH, prefix="/curb", env={"CURB_TRUSTED_PROXIES": "1"})
    try:
        c.start()
        yield c
    finally:
        c.stop()


def test_pages_files_socket_and_links_all_stay_under_the_prefix(
    prefixed: Cluster, phones: list[Phone]
) -> None:
    base = prefixed.url  # http://127.0.0.1:PORT/curb
    origin = base.removesuffix("/curb")
    assert requests.get(f"{origin}/host", timeout=5).status_code == 404  # nothing of ours at the root
    page = requests.get(f"{base}/host", timeout=5)
    assert page.ok and '<meta name="curb-root" content="/curb">' in page.text
    wanted = re.findall(r'(?:href|src)="(/[^"]*)"', page.text)
    assert wanted and all(u.startswith("/curb/") for u in wanted), wanted
    for url in wanted:  # every file the page asks for is there, under the prefix
        assert requests.get(origin + url, timeout=5).ok, url
    for module in ("/curb/static/js/net.js", "/curb/static/js/served.js"):
        assert requests.get(origin + module, timeout=5).ok

    host = Phone(base, path="curb/socket.io")  # the socket under the prefix, through nginx
    phones.append(host)
    created = host.call("host:create", {"scenario": "saas-startup", "teams": 1, "seed": 2})
    assert created["ok"], created
    code = created["code"]
    key = created["links"]["join"].partition("?")[2]  # the join key rides along (issue 13)
    assert created["links"]["join"] == f"{base}/join/{code}?{key}" and key.startswith("k=")
    assert created["links"]["qr"] == f"{base}/qr/{code}.svg?{key}"
    qr = requests.get(created["links"]["qr"], timeout=5)
    assert qr.ok and qr.headers["Content-Type"].startswith("image/svg+xml")
    join_page = requests.get(created["links"]["join"], timeout=5)
    assert (
        join_page.ok and f'data-code="{code}"' in join_page.text and 'href="/curb/static/' in join_page.text
    )
    player = Phone(base, path="curb/socket.io")
    phones.append(player)
    assert player.call("player:join", {"id": "j", "code": code, "name": "Ann"})["ok"]
    assert host.command("start")["ok"]
    player.wait_for("seat:view", lambda d: d["phase"] == "round_open")
    assert requests.get(f"{base}/healthz", timeout=5).json()["ok"] is True
