"""The files in deploy/ run as shipped: redis-server takes deploy/redis.conf (both nginx configurations
run in test_cluster.py, test_outage.py and test_path_prefix.py)."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
import redis

from bench.cluster import ROOT, free_port

pytestmark = pytest.mark.slow


def test_redis_starts_with_the_shipped_redis_conf(tmp_path: Path) -> None:
    port = free_port()
    # The file as shipped; only where it listens and writes moves to this test's own place.
    cmd = ["redis-server", str(ROOT / "deploy" / "redis.conf"), "--port", str(port), "--dir", str(tmp_path)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        client = redis.Redis(port=port)
        deadline = time.monotonic() + 20
        while True:
            assert proc.poll() is None, proc.communicate()[0].decode()
            try:
                client.ping()
                break
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "redis-server did not come up"
                time.sleep(0.05)
        config = client.config_get("appendonly") | client.config_get("maxmemory-policy")
        assert config == {"appendonly": "yes", "maxmemory-policy": "noeviction"}
        client.close()
    finally:
        proc.terminate()
        proc.communicate(timeout=10)
