"""What happens when a citizen opens or posts a page, independent of HTTP: the web layer renders the answer."""
from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from renderer.definition.model import Button, Definition, Journey, Page, Route
from renderer.definition.typed_text import ascii_digits
from renderer.journey import answers, flash, submission, verification
from renderer.journey.answers import CONFLICT_FIELD, CONFLICT_MESSAGE
from renderer.journey.calls import fill, run_call
from renderer.journey.drafts import DraftConflict, Drafts, form_version, stale_confirm
from renderer.journey.evaluation import ENTRY, RECORDS, RETURN, Draft, Evaluation, condition
from renderer.journey.links import link_url, return_url
from renderer.journey.pinning import definition_for, start_again_on_today
from renderer.journey.results import result_view
from renderer.journey.view import Feedback, PageView, Redirect, outcome_env, page_url, page_view
from renderer.journey.walks import Walks
from renderer.services.base import Identity, Outcome, Services
from renderer.services.registry import SERVICES
from renderer.store.base import utcnow as submission_now
from renderer.versions.registry import VersionRegistry
from widgets import WIDGETS

FRONT, FRONT_FIELD = "front", "_front"      # a page reached by the journey's front door: its query and form field
DEFAULT_BANNER = "您修改的信息需要补充“{title}”,填写完成后将返回信息确认"
STALE_CONFIRM = "申请信息已在其他窗口修改,请核对以下最新信息后再提交"


Answer = TypeVar("Answer")


def _conflicts_shown(method: Callable[..., Answer]) -> Callable[..., Answer]:
    """A save that collided with another tab's: the other's answers were kept; show the page again with them."""
    @functools.wraps(method)
    def guarded(self: Engine, identity: Identity, journey: Journey, page_id: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, identity, journey, page_id, *args, **kwargs)
        except DraftConflict as conflict:
            return self.conflict_view(identity, journey, page_id, conflict.keys)
    return guarded


class Engine:
    def __init__(self, definition: Definition | None, services: Services, store: Any,
                 versions: VersionRegistry | None = None) -> None:
        self.services, self.store = services, store
        self.versions = versions or VersionRegistry(definition)      # without a store: today's forms only
        self.drafts = Drafts(store)
        self.walks = Walks()

    @property
    def definition(self) -> Definition:
        """Today's forms: what new drafts start on."""
        return self.versions.current

    @definition.setter
    def definition(self, definition: Definition | None) -> None:
        self.versions.publish(definition)

    def journey(self, journey_id: str) -> Journey | None:
        return self.definition.journeys.get(journey_id)

    # ------------------------------------------------------------------ drafts

    def evaluate(self, identity: Identity, journey: Journey, draft: Draft | None = None) -> Evaluation:
        if draft is None:
            draft = self.drafts.load(identity.key, journey.id)
        definition = definition_for(self.versions, journey.id, draft, identity, self.services, self.store)
        journey = definition.journeys.get(journey.id, journey)
        return self.walks.evaluate(definition, journey, draft, identity, self.services, self.store)

    def reevaluate(self, ev: Evaluation) -> Evaluation:
        """`ev` brought up to date after the engine may have changed its draft: itself when the draft still holds
        what it was computed from (nothing to walk again), else a new evaluation."""
        if ev.walked is not None and ev.walked.holds(ev.draft):
            return ev
        return self.evaluate(ev.identity, ev.journey, ev.draft)

    def save(self, ev: Evaluation) -> None:
        """One transaction with a version check; raises DraftConflict when another tab changed the same answers."""
        self.drafts.save(ev.identity.key, ev.journey.id, ev.draft)

    def conflict_view(self, identity: Identity, journey: Journey, page_id: str, keys: set[str]) -> Redirect | PageView:
        ev = self.evaluate(identity, journey)
        journey = ev.journey          # the version this draft is on
        page = journey.page(page_id)
        if page is None or not ev.reachable(page):
            return Redirect(page_url(journey.id, (ev.first_incomplete() or journey.pages[0]).id))
        owners = {key: f.id for f in page.fields for key in WIDGETS[f.kind].keys(f)}
        fields = {owners[k] for k in keys if k in owners} | {k.split(".", 1)[0] for k in keys
                                                              if k.split(".", 1)[0] in {f.id for f in page.fields}}
        feedback = Feedback(errors=dict.fromkeys(fields, CONFLICT_FIELD), message=CONFLICT_MESSAGE)
        return self.view(ev, page, feedback, status=409)

    # ------------------------------------------------------------------ GET: reads only, the store is left as it was

    def front_door(self, identity: Identity, journey: Journey) -> Redirect:
        """The journey's address opened (a home link, a bookmark): its first page on the draft's route, read only.
        A side entrance (本人申领 from the guardian's guide) ends at the front door: the page is shown as if it had
        ended (`?front=1`), and the next POST from it ends it in the store."""
        ev = self.evaluate(identity, journey)
        front = ENTRY in ev.draft.facts
        if front:
            ev = self._through_front_door(ev)
        first = ev.pages_on_route[0] if ev.pages_on_route else ev.journey.pages[0]
        return Redirect(page_url(ev.journey.id, first.id) + (f"?{FRONT}=1" if front else ""))

    def _through_front_door(self, ev: Evaluation) -> Evaluation:
        """`ev` with the side entrance ended, in memory: a GET shows it, the POST that follows saves it."""
        if ENTRY not in ev.draft.facts:
            return ev
        ev.draft.facts.pop(ENTRY)
        return self.evaluate(ev.identity, ev.journey, ev.draft)

    def start(self, identity: Identity, journey: Journey, return_to: str | None = None) -> Redirect:
        """Enter through the front door by a button (a POST): the first page (the guide); its button resumes the
        draft where it stopped. A side entrance (本人申领 from the guardian's guide) ends here.

        `return_to` ('journey:page') is kept for a later `goto: return`.
        """
        ev = self.evaluate(identity, journey)
        journey = ev.journey          # the version this draft is on
        ev.draft.facts.pop(ENTRY, None)
        if return_to and return_url(self.definition.journeys, return_to):
            ev.draft.facts[RETURN] = return_to
        self.save(ev)
        ev = self.evaluate(identity, journey, ev.draft)
        first = ev.pages_on_route[0] if ev.pages_on_route else journey.pages[0]
        return Redirect(page_url(journey.id, first.id))

    def _enter(self, identity: Identity, journey_id: str, page_id: str | None, entry: str | None = None) -> Redirect:
        """Go to another journey, telling its pages how they were entered."""
        target = self.journey(journey_id)
        if target is None:
            return Redirect("/")
        ev = self.evaluate(identity, target)
        if entry is not None:
            ev.draft.facts[ENTRY] = entry
            self.save(ev)
            ev = self.evaluate(identity, target, ev.draft)
        if page_id is None:       # where that journey's walker says: its entry may have taken pages off the route
            page_id = (ev.first_incomplete() or target.pages[0]).id
        return Redirect(page_url(journey_id, page_id))

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
            return self._route(ev, page, button, submission.outcome_of(application), Feedback(), False)
        if application.settled:
            return self.submitting_view(ev, page, settled=True)
        return self.submitting_view(ev, page, application.lease_until is None
                                    or application.lease_until <= submission_now())

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
        interrupted = application.lease_until is None or application.lease_until <= submission_now()
        return self.submitting_view(ev, confirm, interrupted, refused=True)

    @_conflicts_shown
    def show(self, identity: Identity, journey: Journey, page_id: str, edit: bool = False,
             why: bool = False, shown: str | None = None, front: bool = False) -> Redirect | PageView:
        """A page; `shown` names what the POST that redirected here said (renderer/journey/flash.py); `front`: it
        was reached by the journey's front door (front_door)."""
        ev = self.evaluate(identity, journey)
        if front:
            ev = self._through_front_door(ev)
        journey = ev.journey          # the version this draft is on
        page = journey.page(page_id)
        settled = ev.draft.outcome or {}
        if page is not None and page.is_confirm and not ev.reachable(page) and settled.get("result"):
            return Redirect(f"/j/{journey.id}/result/{settled['result']}")    # another tab's 确认提交 finished
        if page is None or not ev.reachable(page):
            first = ev.first_incomplete() or journey.pages[0]
            return Redirect(page_url(journey.id, first.id))
        if verification.missing(ev, page.id) is not None:      # the check is begun by a POST on its screen
            return Redirect(verification.screen_url(journey.id, page.id) + ("?edit=1" if edit else ""))
        if page.is_confirm:
            sent = self._sent_application(ev, page, settle=False)
            if sent is not None:
                return sent
        said = shown and flash.shown(self.store.records, identity.key, journey.id, page.id, shown, ev.draft.version)
        if answers.prepare(ev, page, keep=False):      # looked up what fields show (the system photo), kept nowhere
            ev = self.evaluate(identity, journey, ev.draft)
        banner = (page.banner or DEFAULT_BANNER.format(title=page.title)) if why else None
        view = self.view(ev, page, said or Feedback(), edit=edit, banner=banner)
        view.extras["front"] = front
        return view

    def redirect_after_post(self, identity: Identity, view: PageView) -> Redirect:
        """A POST's page, shown by the GET it redirects to: what it said is kept in the store until then."""
        return Redirect(flash.keep(self.store.records, identity.key, view))

    # ------------------------------------------------------------------ POST

    @_conflicts_shown
    def post(self, identity: Identity, journey: Journey, page_id: str, form: Mapping[str, Any],
             edit: bool = False) -> Redirect | PageView:
        ev = self.evaluate(identity, journey)
        if form.get(FRONT_FIELD) == "1":      # posted from a page shown through the front door: it ends here
            ev = self._through_front_door(ev)
        journey = ev.journey          # the version this draft is on
        page = journey.page(page_id)
        if page is None or not ev.reachable(page):      # a stale tab: back to where the citizen really is
            return Redirect(page_url(journey.id, (ev.first_incomplete() or journey.pages[0]).id))
        gate = self._verified_first(ev, page, edit)       # nothing posted to the page is taken without a pass
        if gate is not None:
            return gate
        sent = submission.current(ev) if page.is_confirm else None
        if sent is not None and sent.settled:       # answered already (see _sent_application): this POST records it
            settled = self._sent_application(ev, page, settle=True)
            if settled is not None:
                return settled
        if answers.prepare(ev, page, keep=True):       # what the fields show is kept with the answers it goes with
            ev = self.evaluate(identity, journey, ev.draft)
        action = str(form.get("_action", ""))
        feedback = Feedback(opener=action or None)
        answers.apply_answers(ev, page, form, feedback)
        ev = self.reevaluate(ev)
        if feedback.message == CONFLICT_MESSAGE:     # another tab changed answers this one still showed old
            self.save(ev)
            return self.view(self.evaluate(identity, journey, ev.draft), page, feedback, edit=edit, status=409)
        if action.startswith("field:"):
            answers.field_action(ev, page, action, form, feedback)
            self.save(ev)
            return self.view(self.evaluate(identity, journey, ev.draft), page, feedback, edit=edit)
        index = int(action.removeprefix("button:")) if action.startswith("button:") and ascii_digits(action[7:]) else 0
        buttons = page.buttons
        if index >= len(buttons):
            self.save(ev)
            return self.view(ev, page, feedback, edit=edit)
        return self._press(ev, page, buttons[index], index, form, feedback, edit)

    @_conflicts_shown
    def refresh(self, identity: Identity, journey: Journey, page_id: str, form: Mapping[str, Any]) -> Redirect | PageView:
        """Keep what was typed and show the page again (a choice changed what is shown); no checks."""
        ev = self.evaluate(identity, journey)
        if form.get(FRONT_FIELD) == "1":      # posted from a page shown through the front door: it ends here
            ev = self._through_front_door(ev)
        journey = ev.journey          # the version this draft is on
        page = journey.page(page_id)
        if page is None or not ev.reachable(page):
            return Redirect(page_url(journey.id, (ev.first_incomplete() or journey.pages[0]).id))
        gate = self._verified_first(ev, page, form.get("_edit") == "1")
        if gate is not None:
            return gate
        feedback = Feedback()
        answers.apply_answers(ev, page, form, feedback, files=False)
        ev = self.evaluate(identity, journey, ev.draft)
        if answers.prepare(ev, page, keep=True):
            ev = self.evaluate(identity, journey, ev.draft)
        self.save(ev)
        return self.view(ev, page, feedback, edit=form.get("_edit") == "1")

    def _press(self, ev: Evaluation, page: Page, button: Button, index: int, form: Mapping[str, Any],
               feedback: Feedback, edit: bool) -> Redirect | PageView:
        errors = {**ev.page_errors(page, submitting=True), **feedback.errors}
        ev = self.reevaluate(ev)      # checking may have verified an SMS code
        if errors:
            feedback.errors = errors
            self.save(ev)
            route = button.on.get("invalid")
            if route and route.popup:
                feedback.popup = route.popup
            return self.view(ev, page, feedback, edit=edit, status=422)
        if not condition(button.enabled, ev.env):
            self.save(ev)
            feedback.message = "请先完成本页操作"
            return self.view(ev, page, feedback, edit=edit, status=422)
        if page.is_confirm and stale_confirm(ev.draft, form_version(form)):
            feedback.message = STALE_CONFIRM
            return self.view(ev, page, feedback, edit=edit, status=409)
        if button.confirm and form.get("_confirmed") != "1":
            self.save(ev)
            feedback.popup, feedback.proceed = button.confirm, f"button:{index}"
            return self.view(ev, page, feedback, edit=edit)
        for when, guard in button.guards:      # before any service, a face check too: told at once, not after it
            if when.evaluate(ev.env):
                self.save(ev)
                feedback.popup, feedback.message = guard.popup, guard.message
                return self.view(ev, page, feedback, edit=edit)
        checks = self._checks_to_ask(ev, button)
        if checks:        # a verification the button calls runs first, wherever `calls:` lists it
            url = verification.begin(ev, checks[0], page.id, index, edit)
            self.save(ev)
            return Redirect(url)
        return self._continue(ev, page, button, list(button.calls), form, feedback, edit)

    @staticmethod
    def _checks_to_ask(ev: Evaluation, button: Button, done: tuple[str, ...] = ()) -> list[str]:
        """The verifications a button calls that the citizen has not passed within what the journey allows."""
        return [c.service for c in button.calls if SERVICES[c.service].interactive and c.service not in done
                and not verification.still_valid(ev, c.service)]

    def _continue(self, ev: Evaluation, page: Page, button: Button, calls: list[Any], form: Mapping[str, Any],
                  feedback: Feedback, edit: bool) -> Redirect | PageView:
        outcome = Outcome("ok")
        for call in calls:
            if SERVICES[call.service].interactive:      # done before the calls (verify_done)
                continue
            outcome = run_call(call, ev, form, ev.journey.id)
            if outcome.code == submission.SUBMITTING:      # another request sends it: nothing to save meanwhile
                return self.submitting_view(ev, page)
            if outcome.code == submission.STALE:           # another tab changed the answers: show what is stored
                feedback.message = STALE_CONFIRM
                return self.view(self.evaluate(ev.identity, ev.journey), page, feedback, edit=edit, status=409)
            if not outcome.ok:
                break
            if call.keep:
                records = ev.draft.facts.setdefault(RECORDS, {})
                records[call.keep] = {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in outcome.data.items()}
                ev = self.evaluate(ev.identity, ev.journey, ev.draft)
        return self._route(ev, page, button, outcome, feedback, edit)

    def _route(self, ev: Evaluation, page: Page, button: Button, outcome: Outcome, feedback: Feedback,
               edit: bool) -> Redirect | PageView:
        route: Route | None = button.on.get(outcome.code) or (None if outcome.ok else button.on.get("error"))
        journey = ev.journey
        if route is None:       # an outcome the YAML does not route: say so plainly, keep the page
            self.save(ev)
            feedback.message = outcome.reason or "系统繁忙,请稍后再试"
            return self.view(ev, page, feedback, edit=edit, status=409)
        if route.next:
            ev.mark_done(page)
            self.save(ev)
            target = self.reevaluate(ev).first_incomplete()
            if target is None:
                return Redirect(page_url(journey.id, journey.pages[-1].id))
            if edit and not target.is_confirm:
                return Redirect(page_url(journey.id, target.id, edit=True) + "&why=1")
            return Redirect(page_url(journey.id, target.id))
        if route.goto:
            self.save(ev)
            return Redirect(page_url(journey.id, route.goto))
        if route.journey:
            self.save(ev)
            return self._enter(ev.identity, route.journey, route.page, entry=route.entry)
        if route.error_field:
            self.save(ev)
            feedback.errors[route.error_field] = fill(route.message or "", {**ev.env, "outcome": outcome_env(outcome)})
            return self.view(ev, page, feedback, edit=edit, status=422)
        if route.result:
            ev.draft.outcome = {"result": route.result, "code": outcome.code, "reason": outcome.reason,
                                "application_id": outcome.data.get("application_id")}
            ev.draft.facts.pop(submission.SUBMISSION, None)     # settled: a new attempt gets a new key
            if outcome.ok:      # submitted: the next visit starts a new application (the return point stays)
                kept = {RETURN: ev.draft.facts[RETURN]} if RETURN in ev.draft.facts else {}
                ev.draft = ev.draft.fresh(self.definition.version, outcome=ev.draft.outcome, facts=kept)
            self.save(ev)
            return Redirect(f"/j/{journey.id}/result/{route.result}")
        self.save(ev)
        feedback.popup, feedback.outcome, feedback.message = route.popup, outcome, route.message
        return self.view(ev, page, feedback, edit=edit)

    # ------------------------------------------------------------------ verifications (the face check)

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

    @_conflicts_shown
    def verify_begin(self, identity: Identity, journey: Journey, page_id: str, edit: bool = False) -> Redirect:
        """开始人脸核验 pressed on the screen of a page that needs the check: the check begins (a POST, never a GET)."""
        ev = self.evaluate(identity, journey)
        page = ev.journey.page(page_id)
        if page is None or not ev.reachable(page):
            return Redirect(page_url(ev.journey.id, (ev.first_incomplete() or ev.journey.pages[0]).id))
        return self._verified_first(ev, page, edit) or Redirect(page_url(ev.journey.id, page_id, edit=edit))

    @_conflicts_shown
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

    # ------------------------------------------------------------------ results

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

    # ------------------------------------------------------------------ the view model

    def view(self, ev: Evaluation, page: Page, feedback: Feedback, edit: bool = False, banner: str | None = None,
             status: int = 200) -> PageView:
        return page_view(ev, page, feedback, lambda link: link_url(self.definition.journeys, ev, page.id, link), edit, banner, status)
