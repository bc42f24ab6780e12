"""Real redis-server and nginx on loopback (installed by `make services`), and phones that reconnect."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.cluster import Cluster
from tests.live_phone import Phone

__all__ = ["Phone"]


@pytest.fixture
def redis_only(tmp_path: Path) -> Iterator[Cluster]:
    """Just a redis-server, for the store's own tests."""
    c = Cluster(tmp_path, workers=0)
    try:
        c.start_redis()
        yield c
    finally:
        c.stop()


def running_cluster(tmp_path: Path) -> Iterator[Cluster]:
    """redis-server + two workers + nginx running deploy/nginx.conf; no worker may log a traceback."""
    c = Cluster(tmp_path, workers=2)
    try:
        c.start()
        yield c
    finally:
        c.stop()
        for port in c.worker_ports:
            assert "Traceback" not in c.log(f"worker-{port}"), c.log(f"worker-{port}")


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    yield from running_cluster(tmp_path)


@pytest.fixture
def quick_cluster(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cluster]:
    """Workers that beat every half second, so a dead one is noticed in about two seconds."""
    monkeypatch.setenv("CURB_HEARTBEAT_SECONDS", "0.5")
    yield from running_cluster(tmp_path)


@pytest.fixture
def phones() -> Iterator[list[Phone]]:
    made: list[Phone] = []
    yield made
    for p in made:
        p.close()
