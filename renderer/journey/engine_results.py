"""What the engine shows once 确认提交 was pressed: 正在提交, a result, and the way back to a new application."""
from __future__ import annotations

from typing import Any

from renderer.definition.model import Journey, Page
from renderer.journey import submission
from renderer.journey.engine_steps import EngineSteps
from renderer.journey.evaluation import Evaluation
from renderer.journey.links import link_url
from renderer.journey.pinning import start_again_on_today
from renderer.journey.results import result_view
from renderer.journey.view import Feedback, PageView, Redirect, page_url
from renderer.services.base import Identity
from renderer.store.base import utcnow


class Settling(EngineSteps):
    """Part of Engine: the application being sent, its result, and what follows it."""

    def _sent_application(self, ev: Evaluation, page: Page, settle: bool) -> Redirect | PageView | None:
        """Back on 信息确认 after 确认提交: 正在提交 while it is being sent; once it is settled, the result (`settle`,
        a POST: the draft records it) or, on a GET, a button that asks for it (a GET leaves the draft as it is)."""
        application = submission.current(ev)
        if application is None or application.status == "failed":
            return None
        button = next((b for b in page.buttons if any(c.service == "submit_application" for c in b.calls)), None)
        if button is None:
            return None
        if application.settled and settle:
            return self._route(ev, page, button, submission.settled(ev, application), Feedback(), False)
        if application.settled:
            return self.submitting_view(ev, page, settled=True)
        return self.submitting_view(ev, page, application.lease_until is None
                                    or application.lease_until <= utcnow())

    def submitting_view(self, ev: Evaluation, page: Page, interrupted: bool = False, settled: bool = False,
                        refused: bool = False) -> PageView:
        """正在提交: what is happening and what to do; the page looks again by itself until there is a result.
        `refused`: what this request asked to save was not saved (the answers being sent stay as they are)."""
        view = self.view(ev, page, Feedback())
        view.template, view.status = "submitting.html", 200 if settled else 202
        view.extras.update(interrupted=interrupted, settled=settled, refused=refused)
        return view

    def pending_view(self, identity: Identity, journey: Journey) -> Redirect | PageView:
        """A save refused because the draft's application is being sent (the store's SubmissionPending, from any
        request of this journey): 正在提交 on its 信息确认, saying that nothing was saved."""
        ev = self.evaluate(identity, journey)
        confirm = next((p for p in ev.journey.pages if p.is_confirm), None)
        application = submission.current(ev)
        if confirm is None or application is None:
            return Redirect(page_url(ev.journey.id, ev.journey.pages[0].id))
        interrupted = application.lease_until is None or application.lease_until <= utcnow()
        return self.submitting_view(ev, confirm, interrupted, refused=True)

    def result(self, identity: Identity, journey: Journey, result_id: str) -> Redirect | dict[str, Any]:
        ev = self.evaluate(identity, journey)
        journey = ev.journey          # the version this draft is on
        outcome = ev.draft.outcome or {}
        result = journey.results.get(result_id)
        if result is None or outcome.get("result") != result_id:
            return self.front_door(identity, journey)
        return result_view(journey, result, {**ev.env, "outcome": outcome},
                           lambda link: link_url(self.definition.journeys, ev, None, link))

    def start_again(self, identity: Identity, journey: Journey) -> Redirect:
        """按最新规则重新办理: a draft whose version no longer loads moves to today's forms, answers kept where they
        still fit (renderer/journey/pinning.py); any other draft is left as it is."""
        draft = self.drafts.load(identity.key, journey.id)
        if self.versions.get(draft.form_version or "") is None and self.versions.unloadable(draft.form_version):
            start_again_on_today(self.definition, journey.id, draft)
            self.drafts.save(identity.key, journey.id, draft)
        return self.front_door(identity, journey)

    def restart(self, identity: Identity, journey: Journey) -> Redirect:
        """返回首页 after a result: a finished application's draft is cleared; a failed one is kept."""
        ev = self.evaluate(identity, journey)
        journey = ev.journey          # the version this draft is on
        if ev.draft.outcome and ev.draft.outcome.get("code") == "ok":
            ev.draft = ev.draft.fresh(self.definition.version)      # a new application starts on today's forms
        ev.draft.outcome = None
        ev.draft.done.pop(journey.pages[0].id, None)     # the guide is read and agreed again
        self.save(ev)
        return Redirect(page_url(journey.id, journey.pages[0].id))
