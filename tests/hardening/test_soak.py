"""Soak with faults: 200 bot players over every round of a scenario against a real server, 10% of
them dropping and rejoining at random in every round, and the server killed with ``kill -9`` and
restarted mid-round. At the end every acknowledged decision is in the stored log exactly once, every
round was played with the plan the phones showed, and every seat is back in its team.

``CURB_SOAK_PLAYERS`` changes the size; bench/soak.py has every knob.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hardening.live import LiveServer
from tests.hardening.soaking import SoakConfig, run

pytestmark = pytest.mark.slow
PLAYERS = int(os.environ.get("CURB_SOAK_PLAYERS", "200"))


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveServer]:
    server = LiveServer(tmp_path)
    server.start()
    yield server
    server.stop()


def test_hundreds_of_bots_drop_rejoin_and_survive_a_kill_9(live: LiveServer) -> None:
    report = run(live, SoakConfig(players=PLAYERS, drop_rate=0.10, kills=1, seed=7, deadline=150))
    print("\n" + report.summary())
    assert report.problems == [], report.problems[:10]
    assert report.kills == 1 and live.starts == 2
    assert report.drops >= PLAYERS // 10 * report.rounds * 0.9
    assert report.decisions > PLAYERS * report.rounds  # about two each, every round
    assert report.retried > 0  # some answers were lost to the kill and the calls sent again
