"""确认提交 as a small state machine kept in the store: pending → accepted / rejected / failed.

The idempotency key is issued with the draft, server-side (never taken from the form), and the provincial adapter
receives it: a retry after a crash sends the same application again under the same key, so the province answers
the first time's result instead of making a second application.
"""
from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from renderer.journey.evaluation import Evaluation
from renderer.services.base import Outcome
from renderer.store.base import Application

SUBMISSION = "_submission"      # facts key: the idempotency key of this draft's application
SUBMITTING = "submitting"       # outcome code: another request is sending it; show 正在提交
STALE = "stale"                 # outcome code: another tab changed the answers since this 信息确认 was read
HELD = "has_application"        # outcome code: the applicant holds another card (one person, one card)
HELD_REASON = "申领人已有社保卡或正在办理的申领,请勿重复申请"      # shown where a journey does not route HELD
# the province's answer → the application's state; any other answer: failed (nothing was received)
STATUS_OF = {"ok": "accepted", "rejected": "rejected", HELD: "rejected"}


def new_key() -> str:
    """An idempotency key: made with the draft (renderer/journey/drafts.py), never taken from a form."""
    return secrets.token_urlsafe(24)


def token(ev: Evaluation) -> str:
    """This draft's idempotency key. A draft gets one when it is first saved (every save is a POST's); a draft
    stored without one gets it here, and the claim's draft version check keeps two tabs from both using theirs."""
    found = ev.draft.facts.get(SUBMISSION)
    if not found:
        found = ev.draft.facts[SUBMISSION] = new_key()
    return str(found)


def current(ev: Evaluation) -> Application | None:
    found = ev.draft.facts.get(SUBMISSION)
    return ev.store.application(str(found)) if found else None


def outcome_of(application: Application) -> Outcome:
    """A settled application's answer, as the confirm button's routes expect it."""
    if application.status == "accepted":
        return Outcome("ok", data={"application_id": application.reference})
    if application.status == "rejected":
        return Outcome("rejected", application.reason)
    return Outcome("unavailable", application.reason)


def submit(ev: Evaluation, journey_id: str, payload: dict[str, Any]) -> Outcome:
    """Claim the application, send it if this request holds the claim, and settle it with the answer."""
    key = token(ev)
    applicant = str((payload.get("applicant") or {}).get("id_number") or ev.identity.id_number).upper()
    claim = ev.store.claim_submission(ev.identity.key, journey_id, applicant, key, payload,
                                      form_version=ev.definition.version or None, draft_version=ev.draft.version)
    if claim.action == "done":
        return settled(ev, claim.application)
    if claim.action == "wait":
        return Outcome(SUBMITTING)
    if claim.action == "stale":
        return Outcome(STALE)
    if claim.action == "held":       # the store's own rule, whatever the province would say
        return Outcome(HELD, HELD_REASON)
    ev.draft.version = claim.draft_version       # the claim moved the stored draft on, its content unchanged
    sent = claim.application
    outcome = ev.services.provincial.submit(ev.identity, sent.payload, idempotency_key=key)
    status = STATUS_OF.get(outcome.code, "failed")
    now = ev.store.finish_submission(sent.id, sent.attempt, status, outcome.reason,
                                     outcome.data.get("application_id"), uploads_kept=upload_ids(sent.payload))
    if now.attempt != sent.attempt or now.status != status:      # the lease ran out and another claim took over
        return settled(ev, now) if now.settled else Outcome(SUBMITTING)
    if now.settled:
        ev.draft.facts.pop(SUBMISSION, None)
    return outcome


def settled(ev: Evaluation, application: Application) -> Outcome:
    """A settled application's answer; the draft lets go of its key, so whatever the journey routes the answer to
    (a result, a popup), a new attempt is a new application."""
    ev.draft.facts.pop(SUBMISSION, None)
    return outcome_of(application)


def upload_ids(payload: Any) -> Iterable[str]:
    """Every upload an application shows (its images' addresses end with the upload's id)."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for name, item in value.items():
                if name == "upload" and isinstance(item, str):
                    found.append(item)
                walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)
        elif isinstance(value, str) and value.startswith("/uploads/"):
            found.append(value.removeprefix("/uploads/"))

    walk(payload)
    return found
