"""Fixtures for the web shell: an app on a fake clock, and socket clients that speak the protocol."""

from __future__ import annotations

import itertools
import os
from typing import Any

import pytest
from flask import Flask
from flask_socketio import SocketIO, SocketIOTestClient

from game.model import Scenario
from game.web import WebConfig, create_app
from game.web.hub import Hub

_ids = itertools.count(1)


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000_000

    def __call__(self) -> int:
        return self.now


class Client:
    """One socket connection: acknowledged emits, and the events the server pushed to it."""

    def __init__(self, app: Flask, sio: SocketIO) -> None:
        self.sio_client: SocketIOTestClient = sio.test_client(app, flask_test_client=app.test_client())
        self.seen: list[tuple[str, Any]] = []

    def emit(self, event: str, *args: Any) -> Any:
        return self.sio_client.emit(event, *args, callback=True)

    def command(self, type_: str, cid: str | None = None, **fields: Any) -> Any:
        return self.emit("command", {"id": cid or f"cmd{next(_ids)}", "type": type_, **fields})

    def pushed(self, event: str | None = None) -> list[Any]:
        """Everything pushed since the last call (kept in ``seen``), optionally only one event's."""
        for msg in self.sio_client.get_received():
            self.seen.append((msg["name"], msg["args"][0] if msg["args"] else None))
        return [data for name, data in self.seen if event is None or name == event]

    def clear(self) -> None:
        self.pushed()
        self.seen.clear()

    def disconnect(self) -> None:
        self.sio_client.disconnect()


class Server:
    def __init__(self, scenario: Scenario, now_ms: int | None = None, **config: Any) -> None:
        self.clock = Clock()
        if now_ms is not None:
            self.clock.now = now_ms
        cfg = WebConfig(ticker=False, clock=self.clock, scenarios={"tiny": scenario}, **config)
        self.app, self.sio = create_app(cfg)
        self.hub: Hub = self.app.extensions["curb_hub"]

    def client(self) -> Client:
        return Client(self.app, self.sio)

    def host(self, **settings: Any) -> tuple[Client, dict[str, Any]]:
        """A facilitator's session; a fixed seed unless the test asks, so the dice never decide a test."""
        host = self.client()
        settings.setdefault("seed", int(os.environ.get("CURB_TEST_SEED", "5")))
        ack = host.emit("host:create", {"scenario": "tiny", **settings})
        assert ack["ok"], ack
        return host, ack

    def player(self, code: str, name: str, team: str = "") -> tuple[Client, dict[str, Any]]:
        player = self.client()
        payload = {"id": f"join{next(_ids)}", "code": code, "name": name}
        if team:
            payload["team"] = team
        ack = player.emit("player:join", payload)
        assert ack["ok"], ack
        return player, ack


@pytest.fixture
def server(scenario: Scenario) -> Server:
    return Server(scenario)
