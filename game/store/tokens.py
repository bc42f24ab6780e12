"""Room codes, facilitator secrets and seat tokens: random from ``secrets``, checked in constant time."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

CODE_ALPHABET = "ACDEFGHJKMNPQRTWXY34679"  # no 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V look-alikes
CODE_LENGTH = 5


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_host_secret() -> str:
    """The facilitator's secret: 256 random bits."""
    return secrets.token_urlsafe(32)


def new_seat_key() -> str:
    """A session's key for minting seat tokens: 256 random bits, hex."""
    return secrets.token_hex(32)


NO_DIGEST = "0" * 64  # compared against when there is no session, so a miss costs the same as a hit


def log_ref(seat_key: str) -> str:
    """The name a session goes by in the server's log: 8 hex digits from its private key.

    Room codes are invitations and never go in a log (docs/security.md), and a plain hash of a
    5-letter code is undone by trying them all; this reference comes from the session's own
    256-bit key, so it says nothing about the code. ``curb-appeal sessions list`` shows both."""
    return hmac.new(seat_key.encode(), b"log reference", hashlib.sha256).hexdigest()[:8]


def digest(secret: str) -> str:
    """What the store keeps of a facilitator secret (any text a client sent hashes without error)."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def secret_matches(given: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest(given), stored_digest)


def _mac(seat_key: str, code: str, seat_id: str) -> str:
    mac = hmac.new(bytes.fromhex(seat_key), f"{code}.{seat_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode("ascii").rstrip("=")


def seat_token(seat_key: str, code: str, seat_id: str) -> str:
    """A seat's token: ``CODE.SEAT.MAC`` with a 256-bit HMAC, so it needs no table and survives restarts."""
    return f"{code}.{seat_id}.{_mac(seat_key, code, seat_id)}"


def split_token(token: str) -> tuple[str, str, str] | None:
    parts = token.split(".")
    if len(parts) != 3 or not all(parts) or len(token) > 120:
        return None
    return parts[0], parts[1], parts[2]


def token_matches(seat_key: str, code: str, seat_id: str, mac: str) -> bool:
    # Compared as bytes: compare_digest refuses non-ASCII text, and ``mac`` is whatever a client sent.
    given = mac.encode("utf-8", "surrogatepass")
    return hmac.compare_digest(_mac(seat_key, code, seat_id).encode("ascii"), given)
