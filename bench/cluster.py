"""Start the scale-out setup on loopback: redis-server, K game workers and nginx in front of them.

Used by ``bench/load.py --workers K`` and by ``tests/scaleout``. Everything listens on free
127.0.0.1 ports and lives in one temporary folder; nginx runs ``deploy/nginx.conf`` itself, with
its upstream and listen lines swapped for those ports.

Run by hand: .venv/bin/python bench/cluster.py --workers 2   (prints the URL; Ctrl-C stops it)
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "deploy" / "nginx.conf"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(
    check: object, what: str, proc: subprocess.Popen[bytes] | None = None, log: Path | None = None
) -> None:
    """Until ``check()`` holds: a process that exits first fails at once, with its log's end."""
    timeout = 45.0  # generous: a loaded 2-core machine starts Python slowly, and a dead one fails fast
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:] if log is not None and log.exists() else ""
            raise RuntimeError(f"{what} exited with {proc.returncode} before it came up:\n{tail}")
        try:
            if check():  # type: ignore[operator]
                return
        except (OSError, requests.RequestException):
            pass
        time.sleep(0.05)
    tail = log.read_text(errors="replace")[-2000:] if log is not None and log.exists() else ""
    raise RuntimeError(f"{what} did not come up in {timeout:.0f} s:\n{tail}")


def nginx_conf(conf: str, listen: int, workers: list[int], tmp: Path) -> str:
    """The shipped, complete nginx configuration on the given loopback ports, writing in ``tmp``."""
    servers = "".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;\n" for p in workers)
    conf = re.sub(r"(?m)^ *server 127\.0\.0\.1:\d+ [^\n]*\n", "", conf)
    conf = conf.replace("upstream curb_workers {\n", "upstream curb_workers {\n" + servers, 1)
    conf = re.sub(r"(?m)^( *)listen 80;$", rf"\g<1>listen 127.0.0.1:{listen};", conf)
    # As root, nginx's workers would run as www-data, who cannot enter a private temp folder.
    conf = re.sub(r"(?m)^user [^;]*;$", "user root;" if os.geteuid() == 0 else "", conf)
    conf = re.sub(r"(?m)^worker_processes [^;]*;$", "daemon off;\nworker_processes 1;", conf)
    conf = re.sub(r"(?m)^worker_rlimit_nofile [^;]*;.*$", "worker_rlimit_nofile 20000;", conf)
    conf = re.sub(r"(?m)^pid [^;]*;$", f"pid {tmp}/nginx.pid;", conf)
    conf = re.sub(r"(?m)^error_log [^;]*;$", f"error_log {tmp}/nginx-error.log warn;", conf)
    conf = re.sub(r"(?m)^( *)access_log [^;]*;$", r"\g<1>access_log off;", conf)
    temps = "".join(
        f"    {k}_temp_path {tmp}/{k};\n" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return conf.replace("http {\n", "http {\n" + temps, 1)


class Cluster:
    """redis-server + K workers (``python -m game serve`` with CURB_REDIS_URL) + nginx."""

    def __init__(
        self,
        tmp: Path,
        workers: int = 2,
        site: Path = SITE,
        prefix: str = "",
        env: dict[str, str] | None = None,
    ) -> None:
        """``site``: the nginx configuration to run (deploy/nginx.conf); ``prefix``: the path it serves
        the game under (``/curb`` for deploy/nginx-under-a-path.conf); ``env``: more for the workers."""
        self.site, self.prefix, self.env = site, prefix, env or {}
        self.tmp = tmp
        self.tmp.chmod(0o755)  # nginx's workers run as nobody and write their temp files here
        self.redis_port = free_port()
        self.worker_ports = [free_port() for _ in range(workers)]
        self.nginx_port = free_port()
        self.url = f"http://127.0.0.1:{self.nginx_port}{prefix}"
        self.redis_url = f"redis://127.0.0.1:{self.redis_port}/0"
        self.redis: subprocess.Popen[bytes] | None = None
        self.nginx: subprocess.Popen[bytes] | None = None
        self.workers: dict[int, subprocess.Popen[bytes]] = {}

    def _spawn(self, name: str, cmd: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        with open(self.tmp / f"{name}.log", "ab") as out:  # the child keeps its own copy
            return subprocess.Popen(
                cmd, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=out, stderr=subprocess.STDOUT
            )

    def start(self) -> None:
        for tool in ("redis-server", "nginx"):
            if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
                raise RuntimeError(f"{tool} is missing: `make services` installs it")
        self.start_redis()
        for port in self.worker_ports:
            self.start_worker(port)
        self.start_nginx()

    def start_redis(self) -> None:
        self.redis = self._spawn(
            "redis",
            [
                *(
                    "redis-server",
                    "--bind",
                    "127.0.0.1",
                    "--port",
                    str(self.redis_port),
                    "--dir",
                    str(self.tmp),
                ),
                *("--save", "", "--appendonly", "yes", "--appendfsync", "everysec", "--maxclients", "10000"),
            ],
        )

        def up() -> bool:
            with socket.create_connection(("127.0.0.1", self.redis_port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")

        _wait(up, "redis-server", self.redis, self.tmp / "redis.log")

    def start_worker(self, port: int) -> None:
        env = {"CURB_ASYNC_MODE": "eventlet", "CURB_REDIS_URL": self.redis_url, "PYTHONUNBUFFERED": "1"}
        env.update(self.env)
        cmd = [sys.executable, "-m", "game", "serve", "--host", "127.0.0.1", "--port", str(port)]
        self.workers[port] = self._spawn(f"worker-{port}", cmd, env)
        healthy = f"http://127.0.0.1:{port}/healthz"
        log = self.tmp / f"worker-{port}.log"
        _wait(lambda: requests.get(healthy, timeout=0.5).ok, f"worker {port}", self.workers[port], log)

    def start_nginx(self) -> None:
        conf = self.tmp / "nginx.conf"
        conf.write_text(nginx_conf(self.site.read_text(), self.nginx_port, self.worker_ports, self.tmp))
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.nginx = self._spawn(
            "nginx", [nginx, "-p", str(self.tmp), "-c", str(conf), "-e", str(self.tmp / "nginx-error.log")]
        )
        log = self.tmp / "nginx-error.log"
        _wait(lambda: requests.get(self.url + "/healthz", timeout=0.5).ok, "nginx", self.nginx, log)

    def stop_redis(self) -> None:
        """Stop redis-server (its append-only file keeps the data), as an outage or a restart would."""
        if self.redis is not None:
            self.redis.terminate()
            self.redis.wait(10)
            self.redis = None

    def worker_pids(self) -> list[int]:
        return [p.pid for p in self.workers.values()]

    def service_pids(self) -> list[int]:
        """redis-server, and nginx's master with its worker processes."""
        pids = [p.pid for p in (self.redis, self.nginx) if p is not None]
        if self.nginx is not None:
            children = Path(f"/proc/{self.nginx.pid}/task/{self.nginx.pid}/children")
            pids += [int(c) for c in children.read_text().split()] if children.exists() else []
        return pids

    def kill_worker(self, port: int) -> None:
        """kill -9 one worker, as a crash would."""
        proc = self.workers.pop(port)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)

    def log(self, name: str) -> str:
        path = self.tmp / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        procs = [*self.workers.values(), self.nginx, self.redis]
        for proc in procs:
            if proc is not None and proc.poll() is None:
                proc.terminate()
        for proc in procs:
            if proc is None:
                continue
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        self.workers.clear()


def main() -> None:
    ap = argparse.ArgumentParser(description="redis-server + K workers + nginx on loopback")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--minutes", type=float, default=60, help="stop by itself after this long")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="curb-cluster-") as tmp:
        cluster = Cluster(Path(tmp), args.workers)
        try:
            cluster.start()
            print(f"{cluster.url}  (workers {cluster.worker_ports}, redis {cluster.redis_url})", flush=True)
            time.sleep(args.minutes * 60)
        except KeyboardInterrupt:
            pass
        finally:
            cluster.stop()


if __name__ == "__main__":
    main()
