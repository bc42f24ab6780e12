"""A phone for tests against real server processes: a python-socketio client that reconnects by itself."""

from __future__ import annotations

import threading
import time
from typing import Any

import socketio


class Phone:
    """A python-socketio client over websockets that reconnects by itself and records every push."""

    def __init__(self, url: str, path: str = "socket.io") -> None:
        self.sio = socketio.Client(reconnection=True, reconnection_delay=0.1, reconnection_delay_max=0.5)
        self.pushed: list[tuple[str, Any]] = []
        self.lock = threading.Lock()
        self.drops = 0
        self.n = 0

        @self.sio.on("*")
        def catch_all(event: str, data: Any = None) -> None:
            with self.lock:
                self.pushed.append((event, data))

        @self.sio.on("disconnect")
        def dropped(*_: Any) -> None:
            self.drops += 1

        self.sio.connect(url, transports=["websocket"], wait_timeout=10, socketio_path=path)

    def call(self, event: str, payload: Any = None) -> Any:
        """An acknowledged emit; across a reconnect it is sent again, as the browser's net.js does."""
        for _ in range(3):
            try:
                return self.sio.call(event, {} if payload is None else payload, timeout=10)
            except (socketio.exceptions.BadNamespaceError, socketio.exceptions.TimeoutError):
                time.sleep(0.2)
                self.wait_connected()
        raise AssertionError(f"{event} got no answer across three connections")

    def command(self, type_: str, **fields: Any) -> Any:
        self.n += 1
        return self.call("command", {"id": f"{id(self)}-{self.n}", "type": type_, **fields})

    def wait_for(self, event: str, test: Any = lambda d: True, timeout: float = 15) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                for name, data in self.pushed:
                    if name == event and test(data):
                        return data
            time.sleep(0.02)
        raise AssertionError(f"no {event} arrived")

    def count(self, event: str, test: Any = lambda d: True) -> int:
        with self.lock:
            return sum(1 for name, data in self.pushed if name == event and test(data))

    def wait_connected(self, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while not self.sio.connected and time.monotonic() < deadline:
            time.sleep(0.05)
        assert self.sio.connected

    def close(self) -> None:
        self.sio.disconnect()
