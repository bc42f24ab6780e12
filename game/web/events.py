"""Socket.IO handlers: parse -> store.update -> emit views to rooms -> acknowledge. See docs/protocol.md.

Each handler is a module-level function of one ``Call`` (who sent it, its one payload), registered
by ``@event``, which does the rest of the dance: find the connection, hand over the payload, turn a
user's mistake into an error acknowledgement (``Hub.guard``) and acknowledge.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import request
from flask_socketio import SocketIO

from game.errors import CommandRejected, bad
from game.inbound import MAX_SEED, parse_attach, parse_create, parse_join_proof, parse_resume, parse_upload
from game.model import Scenario
from game.session import HOST, Act, Phase, Settings
from game.session import commands as c
from game.store import split_token
from game.views import host_view, scenario_summary
from game.web.gate import Gate
from game.web.hub import JSON, Hub, error, ok
from game.web.joinkeys import key_opens, word_opens
from game.web.limits import Guards, client_address
from game.web.next_game import carry_on
from game.web.offload import Offload

ONE = "one"  # exactly one payload; anything else is answered as a bad request
OPTIONAL = "optional"  # the first payload, or None when there is none
NONE = "none"  # no payload is read


class Call:
    """One event from one connection: the shell's state, who sent it, and what it sent."""

    __slots__ = ("args", "hub", "kind", "limits", "sid")

    def __init__(self, hub: Hub, limits: Guards, sid: str, kind: str, args: tuple[Any, ...]) -> None:
        self.hub = hub
        self.limits = limits
        self.sid = sid
        self.kind = kind
        self.args = args

    @property
    def payload(self) -> Any:
        """The event's one payload, read when the handler first needs it (so its checks come first)."""
        if self.kind == OPTIONAL:
            return self.args[0] if self.args else None
        if self.kind == ONE:
            if len(self.args) != 1:
                raise bad("send exactly one payload object")
            return self.args[0]
        return None

    @property
    def environ(self) -> dict[str, Any]:
        return self.hub.socketio.server.get_environ(self.sid, namespace="/") or {}

    def address(self) -> str:
        return client_address(self.environ, self.hub.config.trusted_proxies)


Handler = Callable[[Call], JSON]


@dataclass(frozen=True, slots=True)
class Event:
    handler: Handler
    payload: str
    direct: bool  # called by python-socketio without Flask's request context (the hot path)


EVENTS: dict[str, Event] = {}


def event(name: str, payload: str = ONE, direct: bool = False) -> Callable[[Handler], Handler]:
    """Register a handler for an event name."""

    def register(handler: Handler) -> Handler:
        EVENTS[name] = Event(handler, payload, direct)
        return handler

    return register


class Shell:
    """What every handler runs with: the hub, the guards, the gate that charges its loop time."""

    def __init__(self, hub: Hub, limits: Guards, gate: Gate | None, offload: Offload) -> None:
        self.hub = hub
        self.limits = limits
        self.gate = gate
        self.offload = offload

    def answer(self, name: str, sid: str, args: tuple[Any, ...]) -> JSON:
        """The dance around every handler: its call, its guard, its acknowledgement, its cost."""
        spec, hub = EVENTS[name], self.hub
        cpu = self.offload.cpu
        start, waited = cpu(), self.offload.waited()
        result = hub.guard(lambda: spec.handler(Call(hub, self.limits, sid, spec.payload, args)))
        b = hub.bindings.get(sid)
        if self.gate is not None and (b is None or b.seat):  # the facilitator's work is the room's
            spent = cpu() - start - (self.offload.waited() - waited)
            self.gate.handled(sid, max(0.0, spent), stranger=b is None)
        return result


def register(
    socketio: SocketIO,
    hub: Hub,
    guards: Guards | None = None,
    gate: Gate | None = None,
    offload: Offload | None = None,
) -> None:
    """Attach every handler to the SocketIO server."""
    shell = Shell(hub, guards or Guards(hub.config.limits, hub.now), gate, offload or Offload())

    def adapter(name: str, direct: bool) -> Callable[..., JSON]:
        if direct:  # python-socketio passes the connection's id first
            return lambda sid, *args: shell.answer(name, sid, args)
        return lambda *args: shell.answer(name, str(request.sid), args)  # type: ignore[attr-defined]

    for name, spec in EVENTS.items():
        if spec.direct:
            # The hot path (every plan edit) needs only the connection's id, not Flask's request
            # context: Flask-SocketIO builds one per event (URL matching, cookie session), which was
            # a fifth of the server's time in a 2,000-phone edit burst (docs/performance.md).
            socketio.server.on(name, adapter(name, True), namespace="/")
        else:
            socketio.on_event(name, adapter(name, False))
    socketio.on_event("*", unknown_event)


def unknown_event(event: Any, *args: Any) -> JSON:
    """Any other event name: answered (when the client asked for an answer), never a silent drop."""
    return error("unknown_event", f"there is no event called {str(event)[:40]!r}")


# -- the handlers ----------------------------------------------------------------------------------------


def _chosen_scenario(call: Call, values: dict[str, Any], default: Scenario | None = None) -> Scenario:
    """The scenario a request names: a facilitator's own file, a name on offer, or ``default``."""
    catalogue = call.hub.catalogue
    if "scenario_yaml" in values:
        call.limits.check_scenario(call.address())
        return catalogue.uploaded(values.get("scenario_file", ""), values["scenario_yaml"])
    if default is not None and not values.get("scenario"):
        return default
    return catalogue.named(values.get("scenario", ""))


@event("host:create", OPTIONAL)
def host_create(call: Call) -> JSON:
    hub = call.hub
    values = parse_create(call.payload)
    call.limits.create(call.address())
    scenario = _chosen_scenario(call, values)
    seed = values["seed"] if "seed" in values else secrets.randbelow(MAX_SEED)
    settings = Settings(values.get("teams", 0), values.get("round_seconds", 0), seed)
    created = hub.store.create(scenario, settings, hub.now())
    hub.bind_host(call.sid, created.code)
    view = host_view(created.state, hub.now())
    return ok(code=created.code, secret=created.host_secret, links=hub.links(created.code), view=view)


@event("scenario:check")
def scenario_check(call: Call) -> JSON:
    """A facilitator's own scenario file, checked before they create a session with it."""
    name, raw = parse_upload(call.payload)
    call.limits.check_scenario(call.address())
    return ok(scenario=scenario_summary(call.hub.catalogue.uploaded(name, raw)))


@event("host:next_game", OPTIONAL)
def host_next_game(call: Call) -> JSON:
    """From the debrief: the same people, another game (docs/protocol.md)."""
    hub = call.hub
    b = hub.binding(call.sid)
    if b.seat:
        raise CommandRejected("forbidden", "only the facilitator starts the next game")
    values = parse_create(call.payload)
    old = hub.state(b.code)
    if old.phase is not Phase.DEBRIEF:
        raise CommandRejected("wrong_phase", "the next game starts from the debrief")
    code = old.next_code
    if not code:  # a repeated request finds the game the first one made
        call.limits.create(call.address())
        scenario = _chosen_scenario(call, values, old.scenario)
        seed = values["seed"] if "seed" in values else secrets.randbelow(MAX_SEED)
        round_seconds = values.get("round_seconds", old.settings.round_seconds)
        code = carry_on(hub.store, hub.apply, hub.now(), old, scenario, round_seconds, seed)
    hub.bind_host(call.sid, code)
    return ok(code=code, links=hub.links(code), view=host_view(hub.state(code), hub.now()))


@event("host:attach")
def host_attach(call: Call) -> JSON:
    hub = call.hub
    code, secret = parse_attach(call.payload)
    with call.limits.credential(call.address(), code if hub.store.get(code) else ""):
        if not hub.store.host_ok(code, secret):
            raise CommandRejected("unauthorized", "wrong room code or facilitator secret")
    hub.bind_host(call.sid, code)
    return ok(code=code, links=hub.links(code), view=host_view(hub.state(code), hub.now()))


@event("player:join")
def player_join(call: Call) -> JSON:
    hub = call.hub
    payload, key, word = parse_join_proof(call.payload)
    cid, code, join = c.parse_join(payload)
    key_ok = bool(key) and key_opens(hub.store, code, key)
    with call.limits.room_code(call.address(), code, key_ok, word, lambda: word_opens(hub.store, code, word)):
        call.limits.joinable(hub.store.get(code))
        seat = hub.apply(code, Act("", join, cid, hub.now())).seat
    return hub.seat_bound(call.sid, code, seat)


@event("player:resume")
def player_resume(call: Call) -> JSON:
    hub = call.hub
    token = parse_resume(call.payload)
    parts = split_token(token)
    aimed_at = parts[0] if parts and hub.store.get(parts[0]) else ""
    with call.limits.credential(call.address(), aimed_at):
        found = hub.store.seat_for_token(token)
        if found is None:
            raise CommandRejected("unauthorized", "this seat token is not valid")
    return hub.seat_bound(call.sid, *found)


@event("command", direct=True)
def command(call: Call) -> JSON:
    hub, limits = call.hub, call.limits
    b = hub.binding(call.sid)
    actor = b.seat or HOST
    limits.pace(f"{b.code}/{actor}")
    cid, cmd = c.parse_command(call.payload, c.SEAT_COMMANDS if b.seat else c.HOST_COMMANDS)
    applied = hub.apply(b.code, Act(actor, cmd, cid, hub.now()))
    if applied.notices and not applied.duplicate:
        limits.changed(f"{b.code}/{actor}")
    return ok(rev=applied.state.rev, duplicate=applied.duplicate)


@event("sync", NONE)
def sync(call: Call) -> JSON:
    return ok(view=call.hub.view_for(call.hub.binding(call.sid)))


@event("debrief", NONE)
def debrief(call: Call) -> JSON:
    return ok(debrief=call.hub.debrief_for(call.hub.binding(call.sid)))


@event("whatif")
def whatif(call: Call) -> JSON:
    """From the debrief: a team's game replayed with one decision flipped. Read-only, but each
    answer replays a game, so it is paced like a seat's commands (docs/protocol.md)."""
    hub = call.hub
    b = hub.binding(call.sid)
    actor = f"{b.code}/{b.seat or HOST}"
    call.limits.pace(actor)
    found = hub.whatif_for(b, call.payload)
    call.limits.changed(actor)
    return ok(whatif=found)


@event("disconnect", NONE)
def disconnect(call: Call) -> JSON:
    """The connection went away. A client's own event of that name (the gate stops those on the
    wire) finds its connection still open: it is no command, and unbinds nothing."""
    if call.hub.socketio.server.manager.is_connected(call.sid, "/"):
        return unknown_event("disconnect")
    call.hub.unbind(call.sid)  # marking the seat away may meet a store that cannot save: said, not raised
    return ok()
