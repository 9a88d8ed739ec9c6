"""The engine's verification steps (the face check): its screen, begun by a POST, and its answer."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from renderer.definition.model import Journey, Page
from renderer.journey import verification
from renderer.journey.conflicts import conflicts_shown
from renderer.journey.engine_steps import EngineSteps
from renderer.journey.evaluation import Evaluation
from renderer.journey.view import Feedback, PageView, Redirect, page_url
from renderer.services.base import Identity, Outcome
from renderer.services.registry import SERVICES


class VerificationSteps(EngineSteps):
    """Part of Engine: a page that needs a verification, and a button whose calls list one."""

    def _verified_first(self, ev: Evaluation, page: Page, edit: bool = False) -> Redirect | None:
        """A page that needs a verification this citizen has no valid pass for: the check first, then the page."""
        needed = verification.missing(ev, page.id)
        if needed is None:
            return None
        url = verification.begin(ev, needed.service, page.id, edit=edit)
        self.save(ev)
        return Redirect(url)

    def verify_screen(self, identity: Identity, journey: Journey, page_id: str) -> verification.Screen | None:
        """What the verification screen of this page shows (read only): the check begun, or the button that begins
        the one the page needs; None when nothing is asked there."""
        ev = self.evaluate(identity, journey)
        begun = verification.pending(ev, page_id)
        if begun is not None:
            return verification.Screen(begun.service, begun=True)
        page = ev.journey.page(page_id)
        needed = verification.missing(ev, page_id) if page is not None and ev.reachable(page) else None
        return verification.Screen(needed.service, begun=False) if needed is not None else None

    @conflicts_shown
    def verify_begin(self, identity: Identity, journey: Journey, page_id: str, edit: bool = False) -> Redirect:
        """开始人脸核验 pressed on the screen of a page that needs the check: the check begins (a POST, never a GET)."""
        ev = self.evaluate(identity, journey)
        page = ev.journey.page(page_id)
        if page is None or not ev.reachable(page):
            return Redirect(page_url(ev.journey.id, (ev.first_incomplete() or ev.journey.pages[0]).id))
        return self._verified_first(ev, page, edit) or Redirect(page_url(ev.journey.id, page_id, edit=edit))

    @conflicts_shown
    def verify_done(self, identity: Identity, journey: Journey, page_id: str,
                    form: Mapping[str, Any]) -> Redirect | PageView:
        """The verification's screen answered: on to the page or the button's calls, or back with a message."""
        ev = self.evaluate(identity, journey)
        journey = ev.journey          # the version this draft is on
        page, check = journey.page(page_id), verification.pending(ev, page_id)
        if page is None or check is None or (check.button is not None and check.button >= len(page.buttons)):
            return self.start(identity, journey)
        passed = verification.complete(ev, check, {"result": str(form.get("result", ""))})
        failed = Feedback(message=verification.failed_message(journey, check.service))
        if check.button is None:       # the engine asked for it before a page that needs it
            self.save(ev)
            if not passed:
                return self.view(self.evaluate(identity, journey, ev.draft), journey.pages[0], failed)
            return Redirect(page_url(journey.id, page_id, edit=check.edit))
        button = page.buttons[check.button]
        if not passed:
            code = str(SERVICES[check.service].failed)
            if code in button.on:
                return self._route(ev, page, button, Outcome(code), Feedback(), check.edit)
            self.save(ev)
            return self.view(ev, page, failed, edit=check.edit)
        done = (*check.done, check.service)
        rest = self._checks_to_ask(ev, button, done)
        if rest:
            url = verification.begin(ev, rest[0], page_id, check.button, check.edit, done)
            self.save(ev)
            return Redirect(url)
        return self._continue(ev, page, button, list(button.calls), form, Feedback(), check.edit)
