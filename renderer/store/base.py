"""What the product keeps: drafts, uploads, applications, sessions and short-lived records, on SQLite or PostgreSQL."""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

LIVE_STATUSES = ("pending", "failed")    # not yet settled with the provincial system
# One person, one card: an applicant holds at most one application in these states, in any journey (a unique index)
HOLDS_A_CARD = (*LIVE_STATUSES, "accepted")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class StaleDraft(Exception):
    """The draft changed since it was loaded: reload, merge, and save again."""


class SubmissionPending(Exception):
    """The draft's application is being sent (pending): its answers are what is sent, and stay as they are."""


def stored_json(value: Mapping[str, Any]) -> str:
    """A draft's state or an application's payload as the store keeps it: JSON, keys sorted, dates as ISO text."""
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


@dataclass(frozen=True)
class StoredDraft:
    state: dict[str, Any]
    version: int
    form_version: str | None = None      # the forms it was started on (or moved to)
    text: str | None = None              # `state` as stored (stored_json), when the store has it


@dataclass(frozen=True)
class StoredUpload:
    data: bytes
    content_type: str


@dataclass(frozen=True)
class Application:
    id: int
    owner: str
    journey: str
    token: str               # the idempotency key the provincial adapter receives
    status: str              # pending, accepted, rejected, failed (and abandoned, duplicate: closed by the store)
    reason: str | None
    reference: str | None    # the provincial system's application number
    payload: dict[str, Any]
    lease_until: dt.datetime | None = None   # a pending submission is being sent until then
    form_version: str | None = None          # the forms it was made with
    created_at: dt.datetime | None = None    # when 确认提交 was first pressed
    updated_at: dt.datetime | None = None    # when its state last changed
    attempt: int = 0                         # the claim that sends it now: settling names it (a fencing token)

    @property
    def settled(self) -> bool:
        return self.status in ("accepted", "rejected")


@dataclass(frozen=True)
class Claim:
    """What `claim_submission` decided: `send` the payload now, `wait` for another request, or it is `done`."""

    application: Application
    # send; wait (another request sends it); done (settled); stale (the draft changed since the payload was made);
    # held (another application of this applicant is live or accepted: one person, one card)
    action: str
    draft_version: int | None = None    # send: the draft's version after the claim sealed it


@dataclass(frozen=True)
class Session:
    id: str
    owner: str
    csrf: str
    expires_at: dt.datetime
    last_seen_at: dt.datetime
