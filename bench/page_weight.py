"""Page weight of a player's first load: the join page in Chromium, every response, gzip sizes.

    .venv/bin/python bench/page_weight.py            # starts its own server on a free port
    .venv/bin/python bench/page_weight.py --url http://127.0.0.1:5055/join/ABCDE

Counts what a phone downloads before it can join (HTML, CSS, JS, fonts, images); socket
traffic is not page weight. Exits 1 when the total is over the budget (60 KB compressed).
"""

from __future__ import annotations

import argparse
import gzip
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests
from playwright.sync_api import Response, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CURB_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
BUDGET_KB = 60.0
COUNTED = {"document", "stylesheet", "script", "font", "image", "manifest", "other"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def own_server() -> Iterator[str]:
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "game", "serve", "--host", "127.0.0.1", "--port", str(port)]
        cmd += ["--db", str(Path(tmp) / "weight.db")]
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                try:
                    if requests.get(url + "/healthz", timeout=0.5).ok:
                        break
                except requests.ConnectionError:
                    time.sleep(0.05)
            else:
                raise SystemExit("the server did not start")
            yield url + "/"
        finally:
            proc.terminate()
            proc.wait(10)


def measure(url: str) -> list[tuple[str, str, int, int]]:
    """(type, path, raw bytes, gzip bytes) for every response the join page needed."""
    seen: list[tuple[str, str, int, int]] = []

    def record(response: Response) -> None:
        kind = response.request.resource_type
        if kind not in COUNTED or response.status >= 300:
            return
        body = response.body()
        path = response.url.split("://", 1)[-1].split("/", 1)[-1]
        seen.append((kind, "/" + path, len(body), len(gzip.compress(body, compresslevel=9))))

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True)
        page.on("response", record)
        page.goto(url, wait_until="networkidle")
        page.get_by_label("Room code").wait_for()
        page.wait_for_timeout(300)
        browser.close()
    return seen


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", help="a running server's join page (default: start one)")
    ap.add_argument("--budget", type=float, default=BUDGET_KB, help="KB compressed (default 60)")
    args = ap.parse_args(argv)
    if args.url:
        rows = measure(args.url)
    else:
        with own_server() as url:
            rows = measure(url)
    print(f"{'type':<11} {'resource':<44} {'raw':>9} {'gzip':>9}")
    for kind, path, raw, packed in rows:
        print(f"{kind:<11} {path[:44]:<44} {raw / 1024:>7.1f}KB {packed / 1024:>7.1f}KB")
    raw_total = sum(r[2] for r in rows) / 1024
    total = sum(r[3] for r in rows) / 1024
    print(f"{'total':<11} {f'{len(rows)} responses':<44} {raw_total:>7.1f}KB {total:>7.1f}KB")
    verdict = "within" if total <= args.budget else "OVER"
    print(f"player's first load: {total:.1f} KB compressed, {verdict} the {args.budget:.0f} KB budget")
    return 0 if total <= args.budget else 1


if __name__ == "__main__":
    raise SystemExit(main())
