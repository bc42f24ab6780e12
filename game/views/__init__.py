"""What each audience may see: per-seat, per-team and projector views, the debrief and exports.

Rule of this folder: views are allowlists built from a session; a hidden value reaches no one
before its time. Nothing here changes state or does I/O.
"""

from __future__ import annotations

from game.views.debrief import debrief, export_csv, export_json
from game.views.games import Games
from game.views.live import (
    TEAM_ROOM_PHASES,
    SeatView,
    Shared,
    SharedList,
    host_team,
    host_view,
    lobby_heard,
    lobby_teams,
    scenario_summary,
    seat_view,
    seat_views,
    team_members,
    team_plan,
    team_views,
    timer_json,
)
from game.views.whatif import whatif_answer

__all__ = [
    "TEAM_ROOM_PHASES",
    "Games",
    "SeatView",
    "Shared",
    "SharedList",
    "debrief",
    "export_csv",
    "export_json",
    "host_team",
    "host_view",
    "lobby_heard",
    "lobby_teams",
    "scenario_summary",
    "seat_view",
    "seat_views",
    "team_members",
    "team_plan",
    "team_views",
    "timer_json",
    "whatif_answer",
]
