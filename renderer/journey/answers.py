"""What a post gives a page: the answers it may take, the actions inside fields, what fields fetch before showing."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from renderer.definition.model import Page
from renderer.journey.drafts import form_version, posted_verdict
from renderer.journey.evaluation import Evaluation
from renderer.journey.view import Feedback
from widgets import WIDGETS, ActionResult

CONFLICT_MESSAGE = "您在其他窗口或设备上同时修改了本页内容,以下内容已显示为最新保存的信息,请核对后重新操作"
CONFLICT_FIELD = "此项已在其他窗口修改,现显示最新保存的内容"


def prepare(ev: Evaluation, page: Page, keep: bool) -> bool:
    """Let the visible fields fetch what they show (the system photo); True when the draft changed. `keep`: False
    on a GET, which stores nothing (the draft is not saved and no upload is made), True on a POST."""
    before = dict(ev.draft.facts)
    for f in page.fields:
        if f.id in ev.visible:
            WIDGETS[f.kind].prepare(ev.context(f), keep)
    return before != ev.draft.facts


def apply_answers(ev: Evaluation, page: Page, form: Mapping[str, Any], feedback: Feedback, files: bool = True) -> None:
    """Copy the page's posted answers into the draft; only keys the visible fields own are taken, each in the one
    spelling its widget keeps (Widget.canonical: a number typed in any script is kept in ASCII). An answer
    that another tab changed after this page was shown is kept as the other tab left it."""
    seen = form_version(form)
    for f in page.fields:
        if f.id not in ev.visible:
            continue
        widget = WIDGETS[f.kind]
        for key in widget.keys(f):
            value = form.get(key, "")
            value = widget.canonical(f, key, value[:2000] if isinstance(value, str) else "")
            verdict = posted_verdict(ev.draft, key, value, seen)
            if verdict == "conflict":
                feedback.errors[f.id], feedback.message = CONFLICT_FIELD, CONFLICT_MESSAGE
            if verdict == "take":
                ev.draft.raw[key] = value
        if files and getattr(widget, "accepts_files", False):
            result = widget.act(ev.context(f), "upload", form)
            if result.error:
                feedback.errors[f.id] = result.error


def field_action(ev: Evaluation, page: Page, action: str, form: Mapping[str, Any], feedback: Feedback) -> None:
    _, field_id, verb = ([*action.split(":", 2), "", ""])[:3]
    f = next((x for x in page.fields if x.id == field_id and x.id in ev.visible), None)
    if f is None:
        feedback.message = "页面已更新,请重新操作"
        return
    if verb == "upload" and getattr(WIDGETS[f.kind], "accepts_files", False):
        return       # the posted files were taken with the answers (_apply): each is stored once
    result: ActionResult = WIDGETS[f.kind].act(ev.context(f), verb, form)
    if result.error:
        feedback.errors[f.id] = result.error
    if result.notice:
        feedback.notices[f.id] = result.notice
    if result.popup:
        feedback.popup = result.popup
    if result.state.get("dialog"):
        feedback.dialogs[f.id] = True
    return
