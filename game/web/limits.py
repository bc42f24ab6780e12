"""Failed guesses, rate-limited: token buckets of wrong room codes, secrets and tokens.

Only failures drain a bucket, so a whole room joining at once from one venue address gets
in; a wrong code, a wrong facilitator secret or an invalid seat token takes one token from
the bucket of the address it came from (and, for secrets and tokens, from the bucket of the
session it was aimed at). See docs/security.md for the figures.

- Room codes are short, so while an address's bucket of wrong codes is empty, every join and
  every page with a code from it is refused, right or wrong: answering a right code would turn
  the refusal into an oracle.
- Facilitator secrets and seat tokens carry 256 bits, so a valid one always passes (nobody
  guesses one; refusing it would let a stranger lock the facilitator or a venue out); an
  invalid one while its bucket is empty is answered ``rate_limited`` instead of ``unauthorized``.
"""

from __future__ import annotations

import ipaddress
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from game.errors import CommandRejected
from game.session import Session
from game.store import UnknownSession

MAX_KEYS = 100_000  # buckets kept per kind; a full bucket is the same as none, so those go first


@dataclass(frozen=True, slots=True)
class Rate:
    """A token bucket: ``burst`` failures at once, then one more every ``every_ms``; burst 0 = no limit."""

    burst: int
    every_ms: int


class Buckets:
    """Token buckets by key (an address or a room code), bounded in memory."""

    def __init__(self, rate: Rate, max_keys: int = MAX_KEYS) -> None:
        self.rate = rate
        self.max_keys = max_keys
        self._level: OrderedDict[str, tuple[float, int]] = OrderedDict()  # key -> (tokens, at ms)
        self._lock = threading.Lock()

    def _tokens(self, key: str, now: int) -> float:
        tokens, at = self._level.get(key, (float(self.rate.burst), now))
        return min(float(self.rate.burst), tokens + max(0, now - at) / max(1, self.rate.every_ms))

    def wait_ms(self, key: str, now: int) -> int:
        """How long until this key may fail again: 0 while it has a token left."""
        if self.rate.burst <= 0:
            return 0
        with self._lock:
            missing = 1.0 - self._tokens(key, now)
        return 0 if missing <= 0 else int(missing * self.rate.every_ms) + 1

    def take(self, key: str, now: int) -> None:
        """Count one failure against this key."""
        if self.rate.burst <= 0:
            return
        with self._lock:
            self._level[key] = (max(0.0, self._tokens(key, now) - 1.0), now)
            self._level.move_to_end(key)
            if len(self._level) > self.max_keys:
                self._prune(now)

    def _prune(self, now: int) -> None:
        full = [k for k in self._level if self._tokens(k, now) >= self.rate.burst]
        for k in full:
            del self._level[k]
        while len(self._level) > self.max_keys:  # still too many: forget the longest untouched
            self._level.popitem(last=False)

    def __len__(self) -> int:
        return len(self._level)


@dataclass(frozen=True, slots=True)
class Limits:
    """The permitted rates (WebConfig.limits); docs/security.md does the arithmetic on these."""

    wrong_codes: Rate = Rate(30, 3_000)  # per address: 30 at once, then 20 a minute
    wrong_secrets: Rate = Rate(30, 3_000)  # per address: facilitator secrets and seat tokens
    session_failures: Rate = Rate(60, 1_000)  # per session: wrong secrets and tokens aimed at it
    creates: Rate = Rate(20, 10_000)  # per address: new sessions (every one counts, not only failures)
    wrong_words: Rate = Rate(10, 6_000)  # per address, while it is locked out: code-and-word pairs
    scenario_checks: Rate = Rate(30, 5_000)  # per address: uploaded scenario files checked or used
    commands: Rate = Rate(60, 100)  # changes per seat (and facilitator): 60 at once, then 10 a second
    join_window_ms: int = 72 * 3600 * 1000  # new players join this long after the session is made; 0 = ever


def _no() -> bool:
    return False


def _seconds(ms: int) -> int:
    return max(1, -(-ms // 1000))


def wait_text(ms: int) -> str:
    """How long to wait, in whole seconds as people say them: "1 second", "30 seconds"."""
    n = _seconds(ms)
    return f"{n} second" if n == 1 else f"{n} seconds"


def client_address(environ: Mapping[str, Any], trusted_proxies: int = 0) -> str:
    """Who failures are counted against: the peer's address, or behind ``trusted_proxies`` proxies the
    address the outermost trusted proxy saw (read from the right of X-Forwarded-For, which a client
    can prefill but not shorten). IPv6 addresses count by /64, the block one household gets."""
    addr = str(environ.get("REMOTE_ADDR") or "")
    if trusted_proxies > 0:
        hops = [h.strip() for h in str(environ.get("HTTP_X_FORWARDED_FOR") or "").split(",") if h.strip()]
        if hops:
            addr = hops[-trusted_proxies] if len(hops) >= trusted_proxies else hops[0]
    try:
        ip = ipaddress.ip_address(addr.strip("[]"))
    except ValueError:
        return addr[:64]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


class Bucket(Protocol):
    """What a guard needs of its buckets: in this worker's memory, or shared (``shared_limits``)."""

    def wait_ms(self, key: str, now: int) -> int: ...

    def take(self, key: str, now: int) -> None: ...


class Guards:
    """The limits the web shell puts around every request that names a room code, a secret or a token.

    ``shared`` makes the buckets of failures and new games (name, rate -> buckets) for a cluster;
    pacing a seat's changes always stays in this worker, where that seat's connection is.
    """

    def __init__(
        self,
        limits: Limits,
        clock: Callable[[], int],
        shared: Callable[[str, Rate], Bucket] | None = None,
    ) -> None:
        def kind(name: str, rate: Rate) -> Bucket:
            return shared(name, rate) if shared is not None else Buckets(rate)

        self.clock = clock
        self.join_window_ms = limits.join_window_ms
        self.codes = kind("codes", limits.wrong_codes)
        self.secrets = kind("secrets", limits.wrong_secrets)
        self.sessions = kind("sessions", limits.session_failures)
        self.words = kind("words", limits.wrong_words)
        self.creates = kind("creates", limits.creates)
        self.scenario_checks = kind("scenario_checks", limits.scenario_checks)
        self.commands = Buckets(limits.commands)

    def code_wait_ms(self, address: str) -> int:
        return self.codes.wait_ms(address, self.clock())

    def wrong_code(self, address: str) -> None:
        self.codes.take(address, self.clock())

    @contextmanager
    def room_code(
        self, address: str, code: str, key_ok: bool = False, word: str = "", word_ok: Callable[[], bool] = _no
    ) -> Iterator[None]:
        """Around a join: an unknown code counts against the address. While the address is out of
        wrong codes, a typed code needs the room's word too (``word_needed``, the same answer for a
        right code and a wrong one); the join key from the QR code is never limited (``joinkeys``)."""
        if key_ok:
            yield
            return
        wait = self.code_wait_ms(address)
        if wait:
            now = self.clock()
            if not (word and self.words.wait_ms(address, now) == 0 and word_ok()):
                if word:
                    self.words.take(address, now)
                raise CommandRejected(
                    "word_needed",
                    "Too many wrong room codes from your network. Scan the QR code on the big screen, "
                    "or type the room code and the word shown under it.",
                )
            yield
            return
        try:
            yield
        except UnknownSession:
            self.wrong_code(address)
            raise CommandRejected(
                "not_found", f"No game has the code {code}. Check the code on the big screen and try again."
            ) from None

    def joinable(self, state: Session | None) -> Session:
        """The session a join names, if it still takes new players: old sessions stop answering to
        their code (so the codes a guesser could hit are only the recent ones); seats keep working."""
        if state is None or (self.join_window_ms and self.clock() - state.created_ms > self.join_window_ms):
            raise UnknownSession("no such session")
        return state

    def secret_wait_ms(self, address: str, code: str) -> int:
        now = self.clock()
        return max(self.secrets.wait_ms(address, now), self.sessions.wait_ms(code, now) if code else 0)

    def wrong_secret(self, address: str, code: str) -> int:
        """Count a wrong secret or token; returns how long the sender must now wait (0 = not yet)."""
        wait = self.secret_wait_ms(address, code)
        now = self.clock()
        self.secrets.take(address, now)
        if code:
            self.sessions.take(code, now)
        return wait

    @contextmanager
    def credential(self, address: str, code: str) -> Iterator[None]:
        """Around a facilitator secret or a seat token: ``unauthorized`` counts, and past the limit
        becomes ``rate_limited``. ``code`` is the live session it was aimed at, or ""."""
        try:
            yield
        except CommandRejected as err:
            if err.code != "unauthorized":
                raise
            wait = self.wrong_secret(address, code)
            if wait:
                raise CommandRejected(
                    "rate_limited", f"Too many failed attempts. Wait {wait_text(wait)} and try again."
                ) from None
            raise

    def _spend(self, bucket: Bucket, address: str, what: str) -> None:
        """Every request of this kind takes a token (not only failures): past the rate, refused."""
        now = self.clock()
        wait = bucket.wait_ms(address, now)
        if wait:
            raise CommandRejected(
                "rate_limited", f"Too many {what} from your network. Wait {wait_text(wait)}."
            )
        bucket.take(address, now)

    def create(self, address: str) -> None:
        """Every new session takes a token: a flood of sessions from one address is refused."""
        self._spend(self.creates, address, "new games")

    def pace(self, actor: str) -> None:
        """Refuse a seat's (or the facilitator's) command while its bucket of changes is empty: no
        person changes a plan ten times a second for long, so a phone (or a script with a seat's
        token) that does is told to slow down before it floods its teammates' screens and the log."""
        wait = self.commands.wait_ms(actor, self.clock())
        if wait:
            raise CommandRejected("rate_limited", "Too many actions at once. Wait a moment and try again.")

    def changed(self, actor: str) -> None:
        """Count one accepted change (refusals and repeats cost the server little and count nothing)."""
        self.commands.take(actor, self.clock())

    def check_scenario(self, address: str) -> None:
        """Every uploaded file checked takes a token: reading one costs the server real time."""
        self._spend(self.scenario_checks, address, "scenario files checked")
