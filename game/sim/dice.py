"""Deterministic dice: every random roll in the game is a pure function of the seed and what it decides.

Rolls are keyed by (seed, round, subject, purpose) rather than drawn from one stream, so two
teams (or a team and a reference strategy) that make the same decision on the same card in the
same round get the same luck. That keeps comparisons on one seed fair: differences come from
decisions, not from where a random stream happened to be.
"""

from __future__ import annotations

import zlib
from enum import IntEnum
from functools import lru_cache

_MASK = (1 << 64) - 1
_SCALE = 1.0 / float(1 << 64)
# What a roll's subject (a card or account) and its purpose add to the roll's key.
_SUBJECT, _PURPOSE = 0x94D049BB133111EB, 0xD6E8FEB86659FD93


class Purpose(IntEnum):
    """What a roll decides; part of its key so two decisions never share a roll."""

    ACCURACY = 1
    WIN = 2
    CHURN = 3
    RENEWAL = 4
    STRATEGY = 5


def subject_key(name: str) -> int:
    """A stable integer for a card id or account name (never Python's salted hash())."""
    return zlib.crc32(name.encode("utf-8"))


def roll(seed: int, round_index: int, subject: int, purpose: Purpose) -> float:
    """A uniform float in [0, 1), the same for the same key on every machine (splitmix64)."""
    return mix(round_key(seed, round_index) + subject * _SUBJECT + purpose * _PURPOSE)


def round_key(seed: int, round_index: int) -> int:
    """The part of a roll's key shared by every roll of one round: work it out once a round."""
    return (seed * 0x9E3779B97F4A7C15 + (round_index + 1) * 0xBF58476D1CE4E5B9) & _MASK


def purpose_key(key: int, purpose: int) -> int:
    """The part of a roll's key shared by every roll of one purpose in one round (see ``roll_for``)."""
    return (key + purpose * _PURPOSE) & _MASK


@lru_cache(maxsize=4096)
def roll_for(purpose_key: int, name: str) -> float:
    """``roll(seed, round_index, subject_key(name), purpose)`` given
    ``purpose_key(round_key(seed, round_index), purpose)``.

    The same number, cached: churn rolls every account every round, and in the balance check
    every strategy on a seed rolls the same accounts in the same rounds.
    """
    return mix(purpose_key + subject_key(name) * _SUBJECT)


def mix(x: int) -> float:
    """splitmix64's finaliser: any integer key to a uniform float in [0, 1)."""
    x &= _MASK
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & _MASK
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & _MASK
    x ^= x >> 31
    return x * _SCALE
