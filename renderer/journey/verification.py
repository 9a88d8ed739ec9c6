"""Verifications a journey declares (the face check): who has a valid pass, starting a check, and what is pending.

A verification is a service of kind `verification` (renderer/services/registry.py): its adapter begins a challenge,
the citizen goes through the adapter's screen, and `complete` says whether it passed. A pass is a record in the store
for this citizen and service, valid for the minutes the journey declares, so any worker sees it and every journey of
the same citizen may use it within the same sign-in (after 退出, or on another phone, the face is checked again).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from renderer.definition.model import Journey, Verification
from renderer.journey.evaluation import Evaluation
from renderer.services.base import Identity
from renderer.services.registry import SERVICES
from renderer.store.base import utcnow

PENDING = "_verify"          # draft facts: the check in progress and what it is for
PASSES = "verified"          # records kind: a passed check, per citizen and service
BEGIN = "begin"              # the screen's _action that begins a check a page needs (a POST: a GET begins nothing)


@dataclass(frozen=True)
class Pending:
    """A check in progress: which service, for which page, and (when a button asked for it) which button."""

    service: str
    page: str
    challenge: str
    button: int | None = None
    edit: bool = False
    done: tuple[str, ...] = ()          # verifications this press has already passed

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Pending:
        button = data.get("button")
        return cls(str(data["service"]), str(data["page"]), str(data["challenge"]),
                   int(button) if button is not None else None, bool(data.get("edit")), tuple(data.get("done") or ()))

    def to_json(self) -> dict[str, Any]:
        return {"service": self.service, "page": self.page, "challenge": self.challenge, "button": self.button,
                "edit": self.edit, "done": list(self.done)}


@dataclass(frozen=True)
class Screen:
    """What a verification's screen shows: the check in progress (`begun`), or the button that begins it."""

    service: str
    begun: bool


def pass_key(identity: Identity, service: str) -> str:
    """Where a pass is kept: per service, citizen and sign-in."""
    return f"{service}:{identity.key}:{identity.session[:32]}"


def has_pass(store: Any, identity: Identity, verification: Verification, now: dt.datetime | None = None) -> bool:
    """A pass younger than this journey's `valid_minutes` (another journey may have kept it for longer)."""
    kept = store.records.get(PASSES, pass_key(identity, verification.service))
    if kept is None:
        return False
    at = dt.datetime.fromisoformat(str(kept["at"]))
    return (now or utcnow()) - at < dt.timedelta(minutes=verification.valid_minutes)


def keep_pass(store: Any, identity: Identity, service: str, journey: Journey, now: dt.datetime | None = None) -> None:
    """Remember a passed check for as long as the journey says a pass is valid."""
    declared = next((v for v in journey.verifications if v.service == service), None)
    minutes = declared.valid_minutes if declared else 0
    if minutes > 0:
        now = now or utcnow()
        store.records.put(PASSES, pass_key(identity, service), {"at": now.isoformat()}, now + dt.timedelta(minutes=minutes))


def still_valid(ev: Evaluation, service: str) -> bool:
    """A button's call of this check can be skipped: the citizen passed it within what this journey allows (e.g.
    a guardian checked on the adult guide and now on the minor's). A check the journey does not declare is asked."""
    declared = next((v for v in ev.journey.verifications if v.service == service), None)
    return declared is not None and has_pass(ev.store, ev.identity, declared)


def missing(ev: Evaluation, page_id: str) -> Verification | None:
    """The first verification the page needs that this citizen has no valid pass for."""
    return next((v for v in ev.journey.needs(page_id) if not has_pass(ev.store, ev.identity, v)), None)


def begin(ev: Evaluation, service: str, page_id: str, button: int | None = None, edit: bool = False,
          done: tuple[str, ...] = ()) -> str:
    """Start a check through the service's adapter; the draft remembers it; returns the URL of its screen."""
    adapter = getattr(ev.services, str(SERVICES[service].adapter))
    challenge = adapter.begin(ev.identity, f"{ev.journey.id}.{page_id}")
    ev.draft.facts[PENDING] = Pending(service, page_id, challenge, button, edit, done).to_json()
    return screen_url(ev.journey.id, page_id)


def screen_url(journey_id: str, page_id: str) -> str:
    return f"/j/{journey_id}/{page_id}/verify"


def pending(ev: Evaluation, page_id: str) -> Pending | None:
    data = ev.draft.facts.get(PENDING)
    if not data or data.get("page") != page_id or data.get("service") not in SERVICES:
        return None
    return Pending.from_json(data)


def complete(ev: Evaluation, check: Pending, evidence: Mapping[str, str]) -> bool:
    """Ask the adapter whether the check passed (a challenge is taken once); a pass is kept for the citizen."""
    ev.draft.facts.pop(PENDING, None)
    adapter = getattr(ev.services, str(SERVICES[check.service].adapter))
    passed = bool(adapter.complete(check.challenge, ev.identity, dict(evidence)))
    if passed:
        keep_pass(ev.store, ev.identity, check.service, ev.journey)
    return passed


def failed_message(journey: Journey, service: str) -> str:
    declared = next((v for v in journey.verifications if v.service == service), None)
    return declared.failed if declared else "核验未通过,请重新核验"


def screen(service: str) -> str:
    """The template the service's screen is shown with."""
    return str(SERVICES[service].screen)
