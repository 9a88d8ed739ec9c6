"""What happens when a citizen opens or posts a page, independent of HTTP: the web layer renders the answer."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from renderer.definition.model import Button, Definition, Journey, Page, Route
from renderer.definition.typed_text import ascii_digits
from renderer.journey import answers, flash, submission, verification
from renderer.journey.answers import CONFLICT_FIELD, CONFLICT_MESSAGE
from renderer.journey.calls import fill, run_call
from renderer.journey.conflicts import conflicts_shown
from renderer.journey.drafts import Drafts, form_version, stale_confirm
from renderer.journey.engine_checks import VerificationSteps
from renderer.journey.engine_results import Settling
from renderer.journey.evaluation import ENTRY, RECORDS, RETURN, Draft, Evaluation, condition
from renderer.journey.links import link_url, return_url
from renderer.journey.pinning import definition_for
from renderer.journey.view import Feedback, PageView, Redirect, outcome_env, page_url, page_view
from renderer.journey.walks import Walks
from renderer.services.base import Identity, Outcome, Services
from renderer.services.registry import SERVICES
from renderer.versions.registry import VersionRegistry
from widgets import WIDGETS

FRONT, FRONT_FIELD = "front", "_front"      # a page reached by the journey's front door: its query and form field
DEFAULT_BANNER = "您修改的信息需要补充“{title}”,填写完成后将返回信息确认"
STALE_CONFIRM = "申请信息已在其他窗口修改,请核对以下最新信息后再提交"


class Engine(VerificationSteps, Settling):
    """What a GET or POST of a journey does, independent of HTTP (verification steps and what follows a
    submission are in engine_checks.py and engine_results.py)."""

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

    @conflicts_shown
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

    @conflicts_shown
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

    @conflicts_shown
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

    # ------------------------------------------------------------------ the view model

    def view(self, ev: Evaluation, page: Page, feedback: Feedback, edit: bool = False, banner: str | None = None,
             status: int = 200) -> PageView:
        return page_view(ev, page, feedback, lambda link: link_url(self.definition.journeys, ev, page.id, link), edit, banner, status)
