"""The web shell's state: which connection is which seat, rooms, and turning notices into emits."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import request
from flask_socketio import SocketIO

from game import views
from game.errors import CommandRejected
from game.inbound import parse_whatif
from game.session import SYSTEM, Act, Applied, Notice, NoticeKind, Phase, Presence, Session, Tick
from game.store import Outage, SessionStore, StoreUnavailable, UnknownSession
from game.views import TEAM_ROOM_PHASES, whatif_answer
from game.web.catalogue import Catalogue
from game.web.config import WebConfig
from game.web.debriefs import Debriefs
from game.web.events_log import log_applied
from game.web.heartbeat import Heartbeat
from game.web.hostfeed import HostFeed
from game.web.joinkeys import join_key, room_word
from game.web.next_game import next_seat
from game.web.packets import event_packet, send_packet
from game.web.recovery import Recovery

log = logging.getLogger(__name__)
JSON = dict[str, Any]


def session_room(code: str) -> str:
    return f"s:{code}"


def host_room(code: str) -> str:
    return f"h:{code}"


def team_room(code: str, team: str) -> str:
    return f"t:{code}:{team}"


@dataclass(slots=True)
class Binding:
    """What a connection is: the facilitator of a session, or one seat in it."""

    code: str
    seat: str = ""  # "" = the facilitator
    team: str = ""  # the team room this connection is in


def _request_base() -> str:
    try:
        return str(request.url_root)  # with the path prefix the game is served under, if any
    except (RuntimeError, KeyError):
        return "/"


def ok(**data: Any) -> JSON:
    return {"ok": True, **data}


def error(code: str, message: str) -> JSON:
    return {"ok": False, "error": {"code": code, "message": message}}


class Hub:
    """Connections, rooms and broadcasting for every session on this server."""

    def __init__(self, socketio: SocketIO, store: SessionStore, config: WebConfig) -> None:
        self.socketio = socketio
        self.store = store
        self.config = config
        self.bindings: dict[str, Binding] = {}  # socket sid -> binding
        self.seat_sids: dict[str, dict[str, set[str]]] = {}  # code -> seat -> socket sids
        self._lock = threading.Lock()
        self.catalogue = Catalogue(config)
        self.debriefs = Debriefs()
        self._next_rest_ms = 0
        # A store that watches its own outages (Redis) logs them; for the others the hub does.
        self.outage: Outage = getattr(store, "outage", None) or Outage("the session store")
        self._store_tracks_outages = hasattr(store, "outage")
        self.recovery = Recovery(store.get, self.apply, self._holds, self.now)  # after an outage
        self._catch_up_pending = False
        if self._store_tracks_outages:
            self.outage.on_recovery(self._catch_up_soon)
        watch = getattr(store, "watch", None)  # Redis: look whether it is back during an outage
        if watch is not None:
            socketio.start_background_task(watch, socketio.sleep)
        self.in_flight = 0  # handlers running now (a graceful stop waits for them)
        self.stopping = False  # a graceful stop has begun: new commands are answered 'unavailable'
        self.heartbeat: Heartbeat | None = None  # several workers: who holds which phone
        if hasattr(store, "beat"):
            self.heartbeat = Heartbeat(
                store, self.apply, self._holds, self._held_seats, config.heartbeat_seconds
            )
        self.host_feed = HostFeed(
            self._emit,
            store.get,
            self.now,
            socketio.start_background_task,
            socketio.sleep,
            config.host_coalesce_seats,
            config.host_interval,
            games=self.debriefs.games,
        )

    def now(self) -> int:
        return self.config.clock()

    # -- guarding handlers --------------------------------------------------------------------------

    def guard(self, fn: Callable[[], JSON]) -> JSON:
        """Run a handler; a user's mistake becomes an error acknowledgement, never a traceback.

        The store failing (Redis down, a full disk) is answered ``unavailable`` at once and logged
        once per outage, not once per request (``Outage``)."""
        if self.stopping:
            return error("unavailable", "The server is restarting. Try again in a moment.")
        self.in_flight += 1
        try:
            answer = fn()
            if not self._store_tracks_outages:
                self.outage.ok()
            return answer
        except CommandRejected as err:
            return {"ok": False, "error": err.as_error()}
        except UnknownSession:
            return error("not_found", "no session with that code")
        except StoreUnavailable as err:  # nothing changed; the phone or screen may send it again
            if not self._store_tracks_outages:
                self.outage.failed(str(err))
            return error("unavailable", "The server could not save that just now. Try again in a moment.")
        finally:
            self.in_flight -= 1

    def store_problem(self) -> str:
        """ "" when the store can save now; otherwise why not, in a line an operator can act on."""
        try:
            return self.store.check()
        except StoreUnavailable as err:
            return str(err)

    def binding(self, sid: str) -> Binding:
        found = self.bindings.get(sid)
        if found is None:
            raise CommandRejected("not_joined", "join a session or attach as facilitator first")
        return found

    def state(self, code: str) -> Session:
        state = self.store.get(code)
        if state is None:
            raise UnknownSession(code)
        return state

    # -- binding connections -------------------------------------------------------------------------

    def bind_host(self, sid: str, code: str) -> None:
        self.unbind(sid)
        self.bindings[sid] = Binding(code)
        self._enter(sid, session_room(code))
        self._enter(sid, host_room(code))

    def bind_seat(self, sid: str, code: str, seat_id: str) -> None:
        self.unbind(sid)
        state = self.state(code)
        team = state.seats[seat_id].team
        self.bindings[sid] = Binding(code, seat_id, team)
        with self._lock:
            sids = self.seat_sids.setdefault(code, {}).setdefault(seat_id, set())
            first = not sids
            sids.add(sid)
        self._enter(sid, session_room(code))
        self._enter(sid, team_room(code, team))
        if first:
            if self.heartbeat is not None:
                self.heartbeat.held(code, seat_id)
            self.apply(code, Act(seat_id, Presence(connected=True), "", self.now()))

    def unbind(self, sid: str) -> None:
        """A connection goes away (or rebinds): its seat is marked away when its last connection goes."""
        b = self.bindings.pop(sid, None)
        if b is None:
            return
        for room in (session_room(b.code), host_room(b.code), team_room(b.code, b.team)):
            self._leave(sid, room)
        if not b.seat:
            return
        with self._lock:
            seats = self.seat_sids.get(b.code, {})
            sids = seats.get(b.seat, set())
            sids.discard(sid)
            last = not sids
            if last:
                seats.pop(b.seat, None)
                if not seats:
                    self.seat_sids.pop(b.code, None)  # nobody of that session is connected here
        if not last:
            return
        try:
            if self.heartbeat is not None:
                self.heartbeat.released(b.code, b.seat)
            state = self.store.get(b.code)
            if state is not None and not state.seats[b.seat].removed:
                self.apply(b.code, Act(b.seat, Presence(connected=False), "", self.now()))
        except StoreUnavailable:
            self.recovery.left_while_down(b.code, b.seat)  # shown away once the store is back
            raise

    def _enter(self, sid: str, room: str) -> None:
        self.socketio.server.enter_room(sid, room, namespace="/")

    def _leave(self, sid: str, room: str) -> None:
        self.socketio.server.leave_room(sid, room, namespace="/")

    # -- applying commands and broadcasting -----------------------------------------------------------

    def apply(self, code: str, act: Act) -> Applied:
        """Store the act (durably), then tell every audience what changed."""
        applied = self.store.update(code, act)
        if not applied.duplicate and applied.notices:
            log_applied(act, applied, self._log_ref(code))
            self.broadcast(applied)
        return applied

    def _log_ref(self, code: str) -> str:
        ref = getattr(self.store, "log_ref", None)
        return str(ref(code)) if ref is not None else "?"

    def broadcast(self, applied: Applied) -> None:
        state = applied.state
        code, now = state.code, self.now()
        kinds = {n.kind for n in applied.notices}
        self.tell_own_phones(state, applied.notices, applied_here=True)
        if NoticeKind.ALL in kinds:
            # In a big room this waits for the feed's next turn: building the facilitator's view of
            # every team then no longer holds up the phones' views of the phase change.
            self.host_feed.view(state, host_room(code))
            return
        for n in applied.notices:
            if n.kind is NoticeKind.PLAN:
                self._emit("team:plan", views.team_plan(state, n.team), team_room(code, n.team))
            elif n.kind is NoticeKind.MEMBERS:
                self._emit("team:members", views.team_members(state, n.team), team_room(code, n.team))
            elif n.kind is NoticeKind.TIMER:
                self._emit("timer", {"rev": state.rev, **views.timer_json(state, now)}, session_room(code))
            if n.team and n.kind is not NoticeKind.REMOVED and n.team in state.teams:
                self.host_feed.team(state, n.team, host_room(code))
        if NoticeKind.HOST in kinds:
            self.host_feed.view(state, host_room(code))
        if NoticeKind.TEAM in kinds and state.phase is Phase.LOBBY:  # every phone's "Move to" list
            self.host_feed.lobby(state, session_room(code), host_room(code))

    def tell_own_phones(self, state: Session, notices: Iterable[Notice], applied_here: bool = False) -> None:
        """What goes to single connections (full seat views, removals): only this worker's own.

        Everything addressed to a room goes through the message queue when there is one, so only
        the worker that applied a command emits it; seat views are per connection, so with several
        workers each one sends its own phones theirs (``changed_elsewhere``). Once a round has
        closed, a phase change is one view per team room instead (``_send_teams``), sent by the
        worker that applied it.
        """
        notices = tuple(notices)
        now = self.now()
        for n in notices:
            if n.kind is NoticeKind.REMOVED:
                self._removed(state.code, n.seat)
        if any(n.kind is NoticeKind.ALL for n in notices):
            if state.next_code:
                self._tell_next(state)
            if state.phase in TEAM_ROOM_PHASES:
                if applied_here:
                    self._send_teams(state, now)
                return
            self._send_seats(state, self._connected_seats(state.code), now)
            return
        for n in notices:
            if n.kind is NoticeKind.TEAM:
                self._send_seats(state, state.teams[n.team].members, now)

    def changed_elsewhere(self, code: str, notices: tuple[Notice, ...]) -> None:
        """Another worker applied a command to a session (the store already caught up with it)."""
        state = self.store.get(code)
        if state is not None:
            self.tell_own_phones(state, notices)

    def catch_up_after(self, queue: Any) -> None:
        """Catch up when the message queue listens again, or publishes again after failing."""
        queue.on_listening = self._catch_up_soon
        queue.outage.on_recovery(self._catch_up_soon)

    def _catch_up_soon(self) -> None:
        """Several signs of recovery come within moments (the store, the queue publishing, the queue
        listening): one catch-up is scheduled for all those that came before it started."""
        with self._lock:
            if self._catch_up_pending:
                return
            self._catch_up_pending = True

        def run() -> None:
            self.socketio.sleep(0.2)  # let the other signs of recovery arrive
            with self._lock:
                self._catch_up_pending = False
            self.catch_up_after_outage()

        self.socketio.start_background_task(run)

    def catch_up_after_outage(self) -> None:
        """Redis is back and this worker hears the others again: presence and views put right."""
        with self._lock:
            held = {code: list(seats) for code, seats in self.seat_sids.items()}
        hosts: dict[str, list[str]] = {}
        for sid, b in list(self.bindings.items()):
            if not b.seat:
                hosts.setdefault(b.code, []).append(sid)
        self.recovery.catch_up(held, hosts, self._send_views)

    def _send_views(self, state: Session, seats: list[str], host_sids: list[str], now: int) -> None:
        self._send_seats(state, seats, now)
        for sid in host_sids:
            self._emit_here("host:view", views.host_view(state, now), sid)

    def _held_seats(self) -> list[tuple[str, str]]:
        with self._lock:
            return [(code, seat) for code, seats in self.seat_sids.items() for seat in seats]

    def _holds(self, code: str, seat: str) -> bool:
        with self._lock:
            return bool(self.seat_sids.get(code, {}).get(seat))

    def _here(self, code: str) -> dict[str, list[str]]:
        """This worker's connections of a session, seat by seat (a copy: sockets come and go meanwhile)."""
        with self._lock:
            return {seat: list(sids) for seat, sids in self.seat_sids.get(code, {}).items()}

    def _connected_seats(self, code: str) -> list[str]:
        return list(self._here(code))

    def _send_seats(self, state: Session, seat_ids: Iterable[str], now: int) -> None:
        """Seats' full views to each of their connections, moving them to their team's room if needed."""
        with self._lock:
            here = self.seat_sids.get(state.code, {})
            targets = {seat_id: list(here[seat_id]) for seat_id in seat_ids if here.get(seat_id)}
        if not targets:
            return
        built = views.seat_views(state, targets, now)
        for n, (seat_id, sids) in enumerate(targets.items(), 1):
            if n % 25 == 0:
                # Let the sockets start writing while the rest are encoded: the first phones read
                # their views while the last ones are built, instead of all waiting for the last.
                self.socketio.sleep(0)
            team = state.seats[seat_id].team
            for sid in sids:
                b = self.bindings.get(sid)
                if b is not None and b.team != team:
                    self._leave(sid, team_room(state.code, b.team))
                    self._enter(sid, team_room(state.code, team))
                    b.team = team
            self._send_here("seat:view", built[seat_id], sids)

    def _send_teams(self, state: Session, now: int) -> None:
        """A phase change after the round closed: each team's view once, to its room, like a plain
        broadcast (the room reaches the team's phones on every worker). The view has no ``you``: a
        phone keeps its own, which changes only with the team's members, and those go one by one."""
        here = self._here(state.code)

        def astray(seat: str) -> bool:  # a connection not (yet) in its seat's team room
            rooms = {b.team for sid in here[seat] if (b := self.bindings.get(sid)) is not None}
            return bool(rooms - {state.seats[seat].team})

        lost = [seat for seat in here if astray(seat)]
        if lost:  # those get their own view, as before
            self._send_seats(state, lost, now)
        teams = [t.id for t in state.teams.values() if not t.bot and t.members]
        for team_id, view in views.team_views(state, teams, now).items():
            self._emit("seat:view", view, team_room(state.code, team_id))

    def _removed(self, code: str, seat_id: str) -> None:
        with self._lock:
            sids = list(self.seat_sids.get(code, {}).pop(seat_id, ()))
        for sid in sids:
            self._emit_here("seat:removed", {"code": code, "seat": seat_id}, sid)
            b = self.bindings.pop(sid, None)
            if b is not None:
                for room in (session_room(code), team_room(code, b.team)):
                    self._leave(sid, room)

    def _emit(self, event: str, data: JSON, room: str) -> None:
        self.socketio.emit(event, data, to=room, namespace="/")

    def _send_here(self, event: str, data: JSON, sids: list[str]) -> None:
        """A seat's view to its connections on this worker, without a full ``emit`` per phone.

        A phase change sends 2,000 phones 2,000 different views; ``emit`` per phone (look up the
        room, build and encode a packet, log) cost as much as building the view. This builds the
        packet once and gives it to the per-connection send that ``emit`` ends in (``packets``).
        """
        server = self.socketio.server
        pkt = event_packet(event, data)
        for sid in sids:
            eio_sid = server.manager.eio_sid_from_sid(sid, "/")
            if eio_sid is not None:
                send_packet(server, eio_sid, pkt)

    def _emit_here(self, event: str, data: JSON, sid: str) -> None:
        """To one of this worker's own connections: straight to its socket, never through the queue."""
        self.socketio.emit(event, data, to=sid, namespace="/", ignore_queue=True)

    def seat_bound(self, sid: str, code: str, seat_id: str) -> JSON:
        """Bind a connection to a seat (after a join or a resume) and answer with its token and view."""
        if self.state(code).seats[seat_id].removed:
            raise CommandRejected("removed", "you were removed from this session")
        self.bind_seat(sid, code, seat_id)
        state = self.state(code)
        view = views.seat_view(state, seat_id, self.now())
        answer = ok(code=code, seat=seat_id, token=self.store.seat_token(code, seat_id), view=view)
        went_on = next_seat(self.store, state, seat_id)
        if went_on is not None:
            answer["next"] = went_on  # the people went on to another game: here is this seat's place
        return answer

    def _tell_next(self, state: Session) -> None:
        """The people went on to the next game: each of this worker's phones gets its own seat there,
        on its own connection (a seat's token never goes to a room)."""
        here = self._here(state.code)
        for seat_id, sids in here.items():
            went_on = next_seat(self.store, state, seat_id)
            if went_on is None:
                continue
            for sid in sids:
                self._emit_here("seat:next", dict(went_on), sid)

    def links(self, code: str) -> JSON:
        base = self.config.public_url.rstrip("/") + "/" if self.config.public_url else _request_base()
        key = f"?k={join_key(self.store, code)}"  # the room's real way in, never rate-limited
        join, qr, word = f"{base}join/{code}{key}", f"{base}qr/{code}.svg{key}", room_word(self.store, code)
        return {"join": join, "host": f"{base}host/{code}", "qr": qr, "word": word}

    # -- views for one connection ----------------------------------------------------------------------

    def view_for(self, b: Binding) -> JSON:
        state = self.state(b.code)
        if b.seat:
            return views.seat_view(state, b.seat, self.now())
        return views.host_view(state, self.now(), self.debriefs.games(state))

    def debrief_for(self, b: Binding) -> JSON:
        state = self.state(b.code)
        if state.phase is not Phase.DEBRIEF:
            raise CommandRejected("wrong_phase", "the debrief opens when the game ends")
        return self.debriefs.of(state, state.seats[b.seat].team if b.seat else None)

    def whatif_for(self, b: Binding, payload: Any) -> JSON:
        """A team's game with one decision flipped: a phone may ask only about its own team."""
        team, round_index, card, decision = parse_whatif(payload)
        state = self.state(b.code)
        if b.seat:
            own = state.seats[b.seat].team
            if team and team != own:
                raise CommandRejected("forbidden", "a phone may try what-ifs for its own team only")
            team = own
        elif not team:
            raise CommandRejected("bad_request", "say which team's game to replay")
        return whatif_answer(state, team, round_index, card, decision, self.debriefs.games(state))

    # -- the clock --------------------------------------------------------------------------------------

    def tick(self) -> None:
        """Close every round whose time is up (the timers are data, so this survives restarts), and
        now and then let sessions nobody has touched for a while rest out of memory."""
        now = self.now()
        for code in self.store.due(now):
            self.apply(code, Act(SYSTEM, Tick(), "", now))
        if self.heartbeat is not None:
            self.heartbeat.tick(now)
        if now >= self._next_rest_ms:
            self._next_rest_ms = now + int(self.config.rest_check_seconds * 1000)
            rested = self.store.rest(now - int(self.config.rest_after_seconds * 1000))
            if rested:
                log.info("%d idle session(s) went to rest; they wake when their code is used", len(rested))

    def run_ticker(self) -> None:
        while True:
            self.socketio.sleep(self.config.tick_seconds)
            try:
                self.tick()
            except StoreUnavailable as err:  # an outage: logged once by the store, not once a tick
                if not self._store_tracks_outages:
                    self.outage.failed(str(err))
            except Exception:  # a bug in one session must not stop every other session's clock
                log.exception("the round ticker failed; retrying")
