"""Links between journeys: return points, confirmations before acting, field errors from outcomes."""
from __future__ import annotations

from pathlib import Path

import pytest

from renderer.definition.loader import load_or_raise
from renderer.journey.engine import Engine, Feedback, PageView, Redirect
from renderer.journey.evaluation import RETURN
from renderer.services.base import Identity, Outcome
from renderer.store import open_store

FIXTURE = Path(__file__).parents[2] / "fixtures" / "forms" / "linked"
ME = Identity(key="k1", name="江丽芝", id_number="440304198709234462", id_type="居民身份证", resident_type="mainland")


@pytest.fixture
def engine() -> Engine:
    return Engine(load_or_raise(FIXTURE), services=None, store=open_store(":memory:"))


def popup_urls(view: PageView) -> list[str | None]:
    return [b["url"] for b in view.data["popup"]["buttons"]]


def test_popup_link_remembers_the_page_and_the_other_journey_returns_there(engine: Engine) -> None:
    main, side = engine.journey("main"), engine.journey("side")
    engine.post(ME, main, "start", {"_action": "button:0", "agreed": "1"})
    ev = engine.evaluate(ME, main)
    view = engine._route(ev, main.page("check"), main.page("check").buttons[0], Outcome("cards_elsewhere"), Feedback(), False)
    assert popup_urls(view) == [None, "/j/side?return=main:check"]
    assert engine.start(ME, side, return_to="main:check") == Redirect("/j/side/only")
    done = engine.post(ME, side, "only", {"_action": "button:0", "_confirmed": "1", "note": "好"})
    assert done == Redirect("/j/side/result/done")
    buttons = engine.result(ME, side, "done")["buttons"]
    assert [b["url"] for b in buttons] == ["/j/main/check", "/j/main/start"]


def test_return_point_must_name_a_real_page(engine: Engine) -> None:
    side = engine.journey("side")
    engine.start(ME, side, return_to="main:nowhere")
    engine.start(ME, side, return_to="evil.example:check")
    assert RETURN not in engine.drafts.load(ME.key, "side").facts


def test_without_a_return_point_the_link_falls_back_to_its_journey(engine: Engine) -> None:
    side = engine.journey("side")
    engine.post(ME, side, "only", {"_action": "button:0", "_confirmed": "1"})
    assert engine.result(ME, side, "done")["buttons"][0]["url"] == "/j/main"


def test_a_confirmation_popup_comes_before_the_action(engine: Engine) -> None:
    side = engine.journey("side")
    view = engine.post(ME, side, "only", {"_action": "button:0", "note": "好"})
    assert isinstance(view, PageView)
    buttons = view.data["popup"]["buttons"]
    assert [b["label"] for b in buttons] == ["取消", "确认"]
    assert buttons[0]["url"] is None and "proceed" not in buttons[0]          # 取消 only closes
    assert buttons[1]["proceed"] == "button:0"                                # 确认 carries out the action
    assert engine.drafts.load(ME.key, "side").outcome is None


def test_an_outcome_can_put_its_reason_next_to_a_field(engine: Engine) -> None:
    main = engine.journey("main")
    engine.post(ME, main, "start", {"_action": "button:0", "agreed": "1"})
    ev = engine.evaluate(ME, main)
    view = engine._route(ev, main.page("check"), main.page("check").buttons[0],
                         Outcome("unknown_applicant", "已注销"), Feedback(), False)
    fields = {f["field"].id: f for s in view.data["sections"] for f in s["fields"]}
    assert fields["code"]["error"] == "编号不对:已注销"
    assert view.status == 422
