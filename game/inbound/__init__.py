"""Everything that parses untrusted payloads: single fields, session requests, scenario uploads.

Rule of this folder: a value from a phone, a browser or an upload is checked here, once, and
refused with ``CommandRejected`` in words a person can act on; nothing past this layer re-checks.
"""

from __future__ import annotations

from game.inbound.fields import (
    MAX_ID,
    MAX_NAME,
    MAX_REASON,
    MAX_ROUND_SECONDS,
    MAX_SECRET,
    MAX_SEED,
    MAX_TEAMS,
    MIN_ROUND_SECONDS,
    Check,
    boolean,
    check_fields,
    close_when_locked,
    decision,
    ident,
    integer,
    reason,
    room_code,
    round_seconds,
    secret,
    seed,
    strategy_name,
    text,
)
from game.inbound.requests import CREATE_FIELDS, parse_attach, parse_join_proof, parse_resume, parse_whatif
from game.inbound.uploads import (
    MAX_UPLOAD_BYTES,
    ScenarioRejected,
    parse_create,
    parse_upload,
    uploaded_scenario,
)

__all__ = [
    "CREATE_FIELDS",
    "MAX_ID",
    "MAX_NAME",
    "MAX_REASON",
    "MAX_ROUND_SECONDS",
    "MAX_SECRET",
    "MAX_SEED",
    "MAX_TEAMS",
    "MAX_UPLOAD_BYTES",
    "MIN_ROUND_SECONDS",
    "Check",
    "ScenarioRejected",
    "boolean",
    "check_fields",
    "close_when_locked",
    "decision",
    "ident",
    "integer",
    "parse_attach",
    "parse_create",
    "parse_join_proof",
    "parse_resume",
    "parse_upload",
    "parse_whatif",
    "reason",
    "room_code",
    "round_seconds",
    "secret",
    "seed",
    "strategy_name",
    "text",
    "uploaded_scenario",
]
