"""A result's view: facts filled in, the advice for the reason given, and 重新提交 only where it can succeed."""
from __future__ import annotations

from renderer.definition.loader import load_or_raise
from renderer.journey.results import result_view

DEFINITION = load_or_raise()
ADULT = DEFINITION.journeys["adult"]


def _view(result_id: str, outcome: dict[str, object]) -> dict[str, object]:
    return result_view(ADULT, ADULT.results[result_id], {"outcome": outcome}, lambda link: f"/{link.label}")


def _labels(view: dict[str, object]) -> list[str]:
    return [b["label"] for b in view["buttons"]]       # type: ignore[attr-defined,index]


def test_a_reason_the_citizen_cannot_fix_offers_no_resubmission() -> None:
    view = _view("failed", {"code": "rejected", "reason": "社会保障号检验位不符合检验规则"})
    assert _labels(view) == ["返回首页"]
    assert "校验码不正确" in view["advice"].explain and "12333" in view["advice"].advice    # type: ignore[union-attr]


def test_any_other_reason_offers_resubmission_with_the_general_advice() -> None:
    view = _view("failed", {"code": "rejected", "reason": "参保信息暂未同步"})
    assert _labels(view) == ["重新提交", "返回首页"]
    assert view["text"] == "原因说明:参保信息暂未同步"
    assert view["advice"] is ADULT.results["failed"].otherwise


def test_submitted_shows_the_application_number_and_offers_the_receipt() -> None:
    view = _view("submitted", {"code": "ok", "application_id": "SB20261203000001"})
    assert view["rows"] == [{"label": "申请编号", "value": "SB20261203000001"}]
    assert view["receipt"] == "SB20261203000001" and view["advice"] is None
    assert _labels(view) == ["制卡进度查询", "返回首页"]


def test_no_number_no_row_and_no_receipt() -> None:
    view = _view("submitted", {"code": "ok"})
    assert view["rows"] == [] and view["receipt"] is None
