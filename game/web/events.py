"""Socket.IO handlers: parse -> store.update -> emit views to rooms -> acknowledge. See docs/protocol.md."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from flask import request
from flask_socketio import SocketIO

from game.errors import CommandRejected, bad
from game.inbound import MAX_SEED, parse_attach, parse_create, parse_resume, parse_upload
from game.model import Scenario
from game.session import HOST, Act, Phase, Settings
from game.session import commands as c
from game.store import split_token
from game.views import host_view, scenario_summary
from game.web.hub import JSON, Hub, error, ok
from game.web.limits import Guards, client_address
from game.web.next_game import carry_on


def _one(args: tuple[Any, ...]) -> Any:
    """Handlers take exactly one payload; anything else is answered as a bad request."""
    if len(args) != 1:
        raise bad("send exactly one payload object")
    return args[0]


def _sid() -> str:
    return str(request.sid)  # type: ignore[attr-defined]


def register(socketio: SocketIO, hub: Hub, guards: Guards | None = None) -> None:
    """Attach every handler to the SocketIO server."""
    limits = guards or Guards(hub.config.limits, hub.now)

    def address() -> str:
        return client_address(request.environ, hub.config.trusted_proxies)

    def chosen_scenario(values: dict[str, Any], default: Scenario | None = None) -> Scenario:
        """The scenario a request names: a facilitator's own file, a name on offer, or ``default``."""
        if "scenario_yaml" in values:
            limits.check_scenario(address())
            return hub.uploaded(values.get("scenario_file", ""), values["scenario_yaml"])
        if default is not None and not values.get("scenario"):
            return default
        return hub.scenario(values.get("scenario", ""))

    def host_create(*args: Any) -> JSON:
        def run() -> JSON:
            values = parse_create(args[0] if args else None)
            limits.create(address())
            scenario = chosen_scenario(values)
            seed = values["seed"] if "seed" in values else secrets.randbelow(MAX_SEED)
            settings = Settings(values.get("teams", 0), values.get("round_seconds", 0), seed)
            created = hub.store.create(scenario, settings, hub.now())
            hub.bind_host(_sid(), created.code)
            view = host_view(created.state, hub.now())
            return ok(code=created.code, secret=created.host_secret, links=hub.links(created.code), view=view)

        return hub.guard(run)

    def scenario_check(*args: Any) -> JSON:
        """A facilitator's own scenario file, checked before they create a session with it."""

        def run() -> JSON:
            name, raw = parse_upload(_one(args))
            limits.check_scenario(address())
            return ok(scenario=scenario_summary(hub.uploaded(name, raw)))

        return hub.guard(run)

    def host_next_game(*args: Any) -> JSON:
        """From the debrief: the same people, another game (docs/protocol.md)."""
        sid = _sid()

        def run() -> JSON:
            b = hub.binding(sid)
            if b.seat:
                raise CommandRejected("forbidden", "only the facilitator starts the next game")
            values = parse_create(args[0] if args else None)
            old = hub.state(b.code)
            if old.phase is not Phase.DEBRIEF:
                raise CommandRejected("wrong_phase", "the next game starts from the debrief")
            code = old.next_code
            if not code:  # a repeated request finds the game the first one made
                limits.create(address())
                scenario = chosen_scenario(values, old.scenario)
                seed = values["seed"] if "seed" in values else secrets.randbelow(MAX_SEED)
                code = carry_on(
                    hub.store,
                    hub.apply,
                    hub.now(),
                    old,
                    scenario,
                    values.get("round_seconds", old.settings.round_seconds),
                    seed,
                )
            hub.bind_host(sid, code)
            return ok(code=code, links=hub.links(code), view=host_view(hub.state(code), hub.now()))

        return hub.guard(run)

    def host_attach(*args: Any) -> JSON:
        def run() -> JSON:
            code, secret = parse_attach(_one(args))
            with limits.credential(address(), code if hub.store.get(code) else ""):
                if not hub.store.host_ok(code, secret):
                    raise CommandRejected("unauthorized", "wrong room code or facilitator secret")
            hub.bind_host(_sid(), code)
            return ok(code=code, links=hub.links(code), view=host_view(hub.state(code), hub.now()))

        return hub.guard(run)

    def player_join(*args: Any) -> JSON:
        def run() -> JSON:
            cid, code, join = c.parse_join(_one(args))
            with limits.room_code(address(), code):
                limits.joinable(hub.store.get(code))
                seat = hub.apply(code, Act("", join, cid, hub.now())).seat
            return hub.seat_bound(_sid(), code, seat)

        return hub.guard(run)

    def player_resume(*args: Any) -> JSON:
        def run() -> JSON:
            token = parse_resume(_one(args))
            parts = split_token(token)
            aimed_at = parts[0] if parts and hub.store.get(parts[0]) else ""
            with limits.credential(address(), aimed_at):
                found = hub.store.seat_for_token(token)
                if found is None:
                    raise CommandRejected("unauthorized", "this seat token is not valid")
            return hub.seat_bound(_sid(), *found)

        return hub.guard(run)

    def command_from(sid: str, *args: Any) -> JSON:
        def run() -> JSON:
            b = hub.binding(sid)
            actor = b.seat or HOST
            limits.pace(f"{b.code}/{actor}")
            cid, cmd = c.parse_command(_one(args), c.SEAT_COMMANDS if b.seat else c.HOST_COMMANDS)
            applied = hub.apply(b.code, Act(actor, cmd, cid, hub.now()))
            if applied.notices and not applied.duplicate:
                limits.changed(f"{b.code}/{actor}")
            return ok(rev=applied.state.rev, duplicate=applied.duplicate)

        return hub.guard(run)

    def command(*args: Any) -> JSON:
        return command_from(_sid(), *args)

    def sync(*args: Any) -> JSON:
        return hub.guard(lambda: ok(view=hub.view_for(hub.binding(_sid()))))

    def debrief(*args: Any) -> JSON:
        return hub.guard(lambda: ok(debrief=hub.debrief_for(hub.binding(_sid()))))

    def whatif(*args: Any) -> JSON:
        """From the debrief: a team's game replayed with one decision flipped. Read-only, but each
        answer replays a game, so it is paced like a seat's commands (docs/protocol.md)."""
        sid = _sid()

        def run() -> JSON:
            b = hub.binding(sid)
            actor = f"{b.code}/{b.seat or HOST}"
            limits.pace(actor)
            answer = hub.whatif_for(b, _one(args))
            limits.changed(actor)
            return ok(whatif=answer)

        return hub.guard(run)

    def disconnect(*args: Any) -> None:
        sid = _sid()

        def run() -> JSON:
            hub.unbind(sid)  # marking the seat away may meet a store that cannot save: said, not raised
            return ok()

        hub.guard(run)

    def unknown_event(event: Any, *args: Any) -> JSON:
        """Any other event name: answered (when the client asked for an answer), never a silent drop."""
        return error("unknown_event", f"there is no event called {str(event)[:40]!r}")

    handlers: dict[str, Callable[..., JSON | None]] = {
        "host:create": host_create,
        "host:attach": host_attach,
        "scenario:check": scenario_check,
        "host:next_game": host_next_game,
        "player:join": player_join,
        "player:resume": player_resume,
        "command": command,
        "sync": sync,
        "debrief": debrief,
        "whatif": whatif,
        "disconnect": disconnect,
    }
    for name, handler in handlers.items():
        socketio.on_event(name, handler)
    # The hot path (every plan edit) needs only the connection's id, not Flask's request context:
    # Flask-SocketIO builds one per event (URL matching, cookie session), which was a fifth of the
    # server's time in a 2,000-phone edit burst (docs/performance.md). Same handler, called directly.
    socketio.server.on("command", command_from, namespace="/")
    socketio.on_event("*", unknown_event)
