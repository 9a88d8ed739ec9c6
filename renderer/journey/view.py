"""The view model of a journey page: what the engine answers and page.html renders, built from an evaluation."""
from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from renderer.definition.languages import SIMPLIFIED
from renderer.definition.model import Journey, Link, Page
from renderer.journey.calls import fill
from renderer.journey.confirm import confirm_rows
from renderer.journey.evaluation import Evaluation, condition
from renderer.services.base import Outcome
from widgets import WIDGETS

RESTART = "/restart"
LinkUrl = Callable[[Link], "str | None"]


@dataclass(frozen=True)
class Redirect:
    url: str


@dataclass
class Feedback:
    """What a post tells the page besides the answers: errors, notices, a popup, a message."""

    errors: dict[str, str] = field(default_factory=dict)
    notices: dict[str, str] = field(default_factory=dict)
    popup: str | None = None
    outcome: Outcome | None = None
    message: str | None = None
    dialogs: dict[str, bool] = field(default_factory=dict)
    proceed: str | None = None      # a confirmation popup: the action its last button carries out
    opener: str | None = None       # the action posted: a popup closed in place gives focus back to its button

    def to_json(self) -> dict[str, Any]:
        """As the store keeps it between a POST and the GET it redirects to (dates in an outcome as ISO text)."""
        outcome = self.outcome
        return {"errors": dict(self.errors), "notices": dict(self.notices), "popup": self.popup,
                "outcome": json.loads(json.dumps(asdict(outcome), default=str)) if outcome else None,
                "message": self.message, "dialogs": dict(self.dialogs), "proceed": self.proceed,
                "opener": self.opener}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Feedback:
        outcome = data.get("outcome")
        return cls(errors=dict(data.get("errors") or {}), notices=dict(data.get("notices") or {}),
                   popup=data.get("popup"), outcome=Outcome(**outcome) if outcome else None,
                   message=data.get("message"), dialogs=dict(data.get("dialogs") or {}), proceed=data.get("proceed"),
                   opener=data.get("opener"))


@dataclass
class PageView:
    """Everything a page template needs; built only here. `data` is built when first asked for: a POST whose page
    is shown by the GET it redirects to keeps only the feedback, and never builds it."""

    journey: Journey
    page: Page
    build: Callable[[str], dict[str, Any]]
    status: int = 200
    template: str = "page.html"
    feedback: Feedback | None = None      # what a POST said: carried to the GET it redirects to
    edit: bool = False
    version: int | None = None            # the draft's version the page shows
    # what the engine adds to the built variables (正在提交's state, the front door): in every language
    extras: dict[str, Any] = field(default_factory=dict)
    _built: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)

    @property
    def data(self) -> dict[str, Any]:
        return self.data_in(SIMPLIFIED)

    def data_in(self, language: str) -> dict[str, Any]:
        """The template's variables, every text in `language` (the answers stay as they are)."""
        built = self._built.get(language)
        if built is None:
            built = self._built[language] = self.build(language)
        built.update(self.extras)
        return built


def items_from(block: Any, env: Mapping[str, Any]) -> list[tuple[str, str]]:
    """A block's items read from data; entries without text are skipped and repeats shown once."""
    if block.items_from is None:
        return []
    found = block.items_from.source.evaluate(env)
    entries = found.values() if isinstance(found, Mapping) else (found or [])
    items: list[tuple[str, str]] = []
    for entry in entries:
        if isinstance(entry, Mapping) and entry.get(block.items_from.text):
            term = entry.get(block.items_from.term) or entry.get("label", "")
            pair = (str(term), str(entry[block.items_from.text]))
            if pair not in items:
                items.append(pair)
    return items


def outcome_env(outcome: Outcome | None) -> dict[str, Any]:
    return {"code": outcome.code, "reason": outcome.reason, **outcome.data} if outcome else {}


def link_button(label: str, url: str | None) -> dict[str, Any]:
    """A popup or result button; one that changes the draft (starting again, or entering another journey that
    remembers where to come back to) is a POST, never a GET."""
    changes = url is not None and (url.endswith(RESTART) or (url.startswith("/j/") and "?return=" in url))
    return {"label": label, "url": url, "post": changes}



def page_url(journey_id: str, page_id: str, edit: bool = False) -> str:
    return f"/j/{journey_id}/{page_id}" + ("?edit=1" if edit else "")


def back_url(ev: Evaluation, page: Page, edit: bool) -> str | None:
    """上一步: the page before this one on the citizen's route; while changing an answer, 信息确认."""
    journey = ev.journey
    if edit:
        confirm = next((p for p in journey.pages if p.is_confirm), None)
        if confirm is not None and confirm is not page:
            return page_url(journey.id, confirm.id)
    route = ev.pages_on_route
    if page not in route or route.index(page) == 0:
        return None
    return page_url(journey.id, route[route.index(page) - 1].id)


def page_view(ev: Evaluation, page: Page, feedback: Feedback, link_url: LinkUrl, edit: bool = False,
              banner: str | None = None, status: int = 200) -> PageView:
    """Everything page.html needs, from the evaluated draft and what the post said (built when rendered)."""
    version = ev.draft.version
    return PageView(ev.journey, page,
                    lambda language: _page_data(ev, page, feedback, link_url, edit, banner, version, language),
                    status, feedback=feedback, edit=edit, version=version)


def _page_data(ev: Evaluation, page: Page, feedback: Feedback, link_url: LinkUrl, edit: bool, banner: str | None,
               version: int | None, language: str = SIMPLIFIED) -> dict[str, Any]:
    """The view model; its texts from the definition's twin in `language` (made at load), its values from the draft."""
    texts = ev.definition.in_language(language)
    journey = texts.journeys.get(ev.journey.id, ev.journey)
    page = journey.page(page.id) or page
    said = texts.said
    sections = []
    for section in page.sections:
        fields = []
        for f in section.fields:
            if f.id not in ev.visible:
                continue
            ctx = ev.context(f)
            widget = WIDGETS[f.kind]
            error, notice = feedback.errors.get(f.id), feedback.notices.get(f.id)
            fields.append({"field": f, "template": f"widgets/{widget.template}", "view": widget.view(ctx),
                           "error": error and said(error), "notice": notice and said(notice),
                           "dialog": feedback.dialogs.get(f.id, False),
                           "required": condition(f.required, ev.env),
                           "disabled": not condition(f.enabled, ev.env)})
        if fields and condition(section.when, ev.env):
            sections.append({"title": section.title, "fields": fields})
    popup = None
    if feedback.popup and feedback.popup in journey.popups:
        spec = journey.popups[feedback.popup]
        env = {**ev.env, "outcome": outcome_env(feedback.outcome)}
        buttons = [link_button(b.label, link_url(b)) for b in spec.buttons]
        if feedback.proceed and buttons:      # a confirmation: its last button carries out the action
            buttons[-1]["proceed"] = feedback.proceed
        # Filled in Simplified (its placeholders read the draft), then the whole text shown in the language.
        popup = {"title": spec.title, "text": said(fill(ev.journey.popups[feedback.popup].text, env)),
                 "buttons": buttons}
    labels = {f.id: f.label for f in page.fields}
    # Each link says what is wrong (民族:请选择民族): a screen reader's list of links is read out of context.
    summary = [{"id": fid, "label": labels.get(fid, ""), "message": message} for fid, message in feedback.errors.items()]
    confirm = []
    if page.is_confirm:
        confirm = confirm_rows(ev, page)
        for shown in confirm:
            shown["edit_url"] = page_url(journey.id, shown["edit"], edit=True) if shown["edit"] else None
            for row in shown["rows"]:
                row["label"], row["value"] = row["label"] and said(row["label"]), texts.shown(row["value"])
    buttons = [{"label": b.label, "value": f"button:{i}", "disabled": not condition(b.enabled, ev.env)}
               for i, b in enumerate(page.buttons)]
    steps = list(journey.steps)
    blocks = [{"title": b.title, "lines": b.lines,
               "entries": [(texts.shown(t), texts.shown(x)) for t, x in items_from(b, ev.env)] + list(b.items)}
              for b in page.blocks]
    return {"journey": journey, "page": page, "show": texts.shown, "say": said,
            "blocks": blocks, "sections": sections, "popup": popup, "summary": summary,
            "message": feedback.message and said(feedback.message), "banner": banner and said(banner), "edit": edit, "opener": feedback.opener, "buttons": buttons, "confirm": confirm,
            "version": version, "steps": steps,
            "step_index": steps.index(page.step) + 1 if page.step in steps else None,
            "action_url": page_url(journey.id, page.id, edit=edit), "back_url": back_url(ev, page, edit),
            "refresh_url": f"/j/{journey.id}/{page.id}/refresh"}
