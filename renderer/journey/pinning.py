"""Which version of the forms a citizen's draft is served with: the one it was started on, until the journey's
`in_flight` rule lets it move to the current version (every change compatible for these answers). A version that
no longer loads is neither: the citizen chooses to start again on today's forms (`start_again_on_today`)."""
from __future__ import annotations

import copy
import logging
from dataclasses import replace
from typing import Any

from renderer.definition.model import Button, Definition, Page
from renderer.journey.evaluation import ENTRY, RETURN, Draft, Evaluation
from renderer.journey.submission import SUBMISSION
from renderer.versions.registry import VersionRegistry
from widgets import WIDGETS

log = logging.getLogger("yss.versions")


# how the journey was entered, where it returns to, and the key of an application already sent (never forgotten)
KEPT_ON_A_NEW_START = (ENTRY, RETURN, SUBMISSION)


class VersionUnavailable(Exception):
    """The draft's version of the forms cannot be served any more (it fails today's checks, or is gone): the
    citizen is asked whether to start again on today's forms; nothing moves until they say so (a POST)."""

    def __init__(self, journey_id: str, version: str, why: str) -> None:
        super().__init__(f"{journey_id} draft on form version {version}: {why}")
        self.journey_id, self.version, self.why = journey_id, version, why


def definition_for(versions: VersionRegistry, journey_id: str, draft: Draft, identity: Any, services: Any,
                   store: Any) -> Definition:
    """The definition to serve this draft with; a draft that moves (or is new) is marked with today's version."""
    current = versions.current
    if not draft.form_version or draft.form_version == current.version:
        draft.form_version = current.version
        return current
    old = versions.get(draft.form_version)
    why = versions.unloadable(draft.form_version)
    if old is None and why is not None:       # neither finished there nor moved silently, whatever `in_flight` says
        raise VersionUnavailable(journey_id, draft.form_version, why)
    if old is None or journey_id not in old.journeys:       # nothing to finish on: today's forms it is
        draft.form_version = current.version
        return current
    if journey_id not in current.journeys:                  # the journey is gone from today's forms
        return old
    if current.journeys[journey_id].in_flight == "move_when_compatible" and \
            moves_cleanly(old, current, journey_id, draft, identity, services, store):
        log.info("a %s draft moves from form version %s to %s", journey_id, old.label, current.label)
        draft.form_version = current.version
        return current
    return old


def moves_cleanly(old: Definition, new: Definition, journey_id: str, draft: Draft, identity: Any, services: Any,
                  store: Any) -> bool:
    """True when, on the new version, every page before the one the citizen is on is still passed with these
    answers: no new required field or page before it, no chosen option gone, no page renamed or re-routed."""
    before = Evaluation(old, old.journeys[journey_id], draft, identity, services, store)
    after = Evaluation(new, new.journeys[journey_id], copy.deepcopy(draft), identity, services, store)
    here = before.first_incomplete()
    for page in after.pages_on_route:
        if here is not None and page.id == here.id:
            return True
        if not after.is_complete(page) or _acts_differently(old.journeys[journey_id].page(page.id), page):
            return False
    return here is None


def _acts_differently(was: Page | None, now: Page) -> bool:
    """A passed page whose buttons now call other services, guard or route otherwise (a new check, say):
    moving over would let the citizen skip what the new version asks of that page."""
    if was is None:
        return True
    def behaviour(page: Page) -> list[Button]:
        return [replace(button, position=None) for button in page.buttons]
    return behaviour(was) != behaviour(now)


def start_again_on_today(today: Definition, journey_id: str, draft: Draft) -> None:
    """A draft on a version that no longer loads, moved to today's forms: the answers and files of fields today's
    journey still has are kept, every page is passed again (each checks its answers and calls its services
    anew, as it does for a new citizen), and what the old pages' services answered is dropped."""
    log.info("a %s draft on form version %s, which no longer loads, starts again on %s", journey_id,
             (draft.form_version or "")[:8], today.label)
    journey = today.journeys[journey_id]
    keys = {key for f in journey.fields for key in WIDGETS[f.kind].keys(f)}
    fields = {f.id for f in journey.fields}
    draft.raw = {key: value for key, value in draft.raw.items() if key in keys}
    draft.facts = {key: value for key, value in draft.facts.items()
                   if key.split(".", 1)[0] in fields or key in KEPT_ON_A_NEW_START}
    draft.done, draft.outcome, draft.form_version = {}, None, today.version
