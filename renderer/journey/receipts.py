"""制卡进度查询 and the receipt: a citizen's applications as the store keeps them, read without the draft.

A receipt shows what was sent (the stored payload: the confirm page as it was shown, already masked where the
manual masks), never what the forms say today; the journey's `receipt:` says which confirm sections it keeps."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from renderer.definition.model import Definition, Journey
from renderer.store.base import Application
from widgets.display import mask_id, mask_name

CHINA = ZoneInfo("Asia/Shanghai")
# What each state of an application means to the citizen (renderer/journey/submission.py sets them).
STATUS_TEXT = {
    "pending": ("正在提交", "申请正在提交给社保系统,请稍后刷新查看。"),
    "accepted": ("已受理", "社保系统已受理您的申请,正在审核和制卡。制卡完成后请按您选择的领卡方式领取。"),
    "rejected": ("未通过", "社保系统未受理该申请,请查看原因说明。"),
    "failed": ("未提交成功", "申请没有送达社保系统,请返回该业务重新提交。"),
    "abandoned": ("已关闭", "该申请长时间未重新提交,已关闭。如需办理,请重新申领。"),
}


def local_time(moment: dt.datetime | None) -> str:
    """Beijing time, as the citizen reads a clock: 2026-12-03 16:05."""
    return moment.astimezone(CHINA).strftime("%Y-%m-%d %H:%M") if moment else ""


def status_rows(definition: Definition, applications: Iterable[Application]) -> list[dict[str, Any]]:
    """Newest first: what, when, its number, its state in words, and whether a receipt can be kept."""
    rows = []
    for application in sorted(applications, key=lambda a: a.id, reverse=True):
        journey = definition.journeys.get(application.journey)
        state, meaning = STATUS_TEXT.get(application.status, (application.status, ""))
        rows.append({"title": _journey_title(application, journey), "reference": application.reference,
                     "submitted": local_time(application.created_at), "state": state, "meaning": meaning,
                     "status": application.status, "reason": application.reason if application.status == "rejected" else None,
                     "applicant": mask_name(_applicant(application).get("name")),
                     "receipt": _has_receipt(application, journey)})
    return rows


def find(applications: Iterable[Application], reference: str) -> Application | None:
    return next((a for a in applications if a.reference and a.reference == reference), None)


def receipt_view(definition: Definition, application: Application) -> dict[str, Any] | None:
    """The receipt of an accepted application, or None when its journey keeps none."""
    journey = definition.journeys.get(application.journey)
    if not _has_receipt(application, journey) or journey is None or journey.receipt is None:
        return None
    applicant = _applicant(application)
    wanted = journey.receipt.sections
    sections = [{"title": s.get("title"), "rows": [r for r in s.get("rows") or [] if isinstance(r.get("value"), str)]}
                for s in application.payload.get("sections") or [] if s.get("title") in wanted]
    sections.sort(key=lambda s: wanted.index(s["title"]))
    return {"title": journey.receipt.title, "journey": _journey_title(application, journey),
            "reference": application.reference, "submitted": local_time(application.created_at),
            "state": STATUS_TEXT["accepted"][0],
            "applicant": [{"label": "申领人", "value": mask_name(applicant.get("name"))},
                          {"label": "证件类型", "value": str(applicant.get("id_type") or "")},
                          {"label": "证件号码", "value": mask_id(applicant.get("id_number"))}],
            "sections": [s for s in sections if s["rows"]]}


def _has_receipt(application: Application, journey: Journey | None) -> bool:
    return bool(journey and journey.receipt and application.status == "accepted" and application.reference)


def _applicant(application: Application) -> Mapping[str, Any]:
    found = application.payload.get("applicant")
    return found if isinstance(found, Mapping) else {}


def _journey_title(application: Application, journey: Journey | None) -> str:
    kept = application.payload.get("journey")
    return str(kept.get("title")) if isinstance(kept, Mapping) and kept.get("title") else (
        journey.title if journey else application.journey)
