"""The room's real ways in, which guessing never locks out (docs/security.md, "Guessing").

- The **join key**: 128 bits in the QR code and the join link (``/join/CODE?k=KEY``). A phone
  that brings it is never rate-limited, whatever its address has guessed: nobody guesses it.
- The **room word**: one short word on the big screen. While an address is locked out for wrong
  room codes, a typed code gets in only with the word as well; wrong code-and-word pairs are
  counted (and limited) per address like wrong codes, and a right code without the word is
  refused exactly like a wrong one, so the refusal tells a guesser nothing.

Both are derived from the session's own seat key (an HMAC, like a seat token), so they need no
storage and survive restarts and every store.
"""

from __future__ import annotations

import hmac

from game.store import SessionStore, UnknownSession

_WORDS = (
    "acorn amber anchor apple arrow aspen badge bagel basil beach berry birch bison blaze bloom "
    "brick brook cabin cactus candle canoe cedar chalk cherry cider clay cliff clover cobalt "
    "comet coral cotton crane daisy delta denim dune eagle ember fern fig flint forest fossil "
    "fox frost garnet ginger glacier grape harbor hazel heron honey iris ivory jade jasmine "
    "kayak kettle kiwi lagoon lemon lilac lime linen lotus maple marble meadow melon mint moss "
    "nectar nutmeg oak olive onyx orbit otter owl palm panda pearl pebble pepper pine plum pond "
    "poppy prairie quartz quill raven reef ridge river robin rose saffron sage salmon sand "
    "sequoia shell slate spruce stone storm sugar summit swan thistle thyme tiger topaz tulip "
    "valley velvet violet walnut willow wren yarrow zebra zinc "
)
WORDS = tuple(_WORDS.split())  # short, plain, hard to mishear
_KEY_SEAT = "~join"  # not a seat id a session ever gives (those are s1, s2, ...)
_WORD_SEAT = "~word"


def _mac(store: SessionStore, code: str, purpose: str) -> str | None:
    try:
        return store.seat_token(code, purpose).rsplit(".", 1)[-1]
    except UnknownSession:
        return None


def join_key(store: SessionStore, code: str) -> str:
    """The key the QR code and the join link carry (22 characters, 128 bits)."""
    mac = _mac(store, code, _KEY_SEAT)
    if mac is None:
        raise UnknownSession(code)
    return mac[:22]


def room_word(store: SessionStore, code: str) -> str:
    """The word the big screen shows, for typing in while the venue's address is locked out."""
    mac = _mac(store, code, _WORD_SEAT)
    if mac is None:
        raise UnknownSession(code)
    return WORDS[int.from_bytes(mac.encode("ascii")[:8], "big") % len(WORDS)]


def key_opens(store: SessionStore, code: str, key: str) -> bool:
    """A join key for this code (compared in constant time); False for an unknown code."""
    mac = _mac(store, code, _KEY_SEAT)
    given = key.encode("utf-8", "surrogatepass")
    return mac is not None and hmac.compare_digest(mac[:22].encode("ascii"), given)


def word_opens(store: SessionStore, code: str, word: str) -> bool:
    mac = _mac(store, code, _WORD_SEAT)
    if mac is None:
        return False
    right = WORDS[int.from_bytes(mac.encode("ascii")[:8], "big") % len(WORDS)]
    return hmac.compare_digest(right.encode("ascii"), word.strip().lower().encode("utf-8", "surrogatepass"))
