"""The walker: the route is recomputed from the answers on every request."""
from __future__ import annotations

from pathlib import Path

import pytest

from renderer.definition.loader import load_or_raise
from renderer.journey.confirm import confirm_rows
from renderer.journey.engine import Engine, PageView, Redirect
from renderer.journey.evaluation import Draft, Evaluation
from renderer.journey.payload import application_payload
from renderer.services.base import Identity
from renderer.store import open_store

FIXTURE = Path(__file__).parents[2] / "fixtures" / "forms" / "branching"
ME = Identity(key="k1", name="张伟", id_number="440106199001011235", id_type="居民身份证", resident_type="mainland")


@pytest.fixture(scope="module")
def definition():
    return load_or_raise(FIXTURE)


@pytest.fixture
def engine(definition):
    return Engine(definition, services=None, store=open_store(":memory:"))


def evaluate(definition, raw: dict[str, str], done: dict[str, str] | None = None) -> Evaluation:
    journey = definition.journeys["branching"]
    return Evaluation(definition, journey, Draft(raw=raw, done=done or {}), ME)


def post(engine: Engine, page: str, form: dict[str, str], edit: bool = False):
    journey = engine.journey("branching")
    return engine.post(ME, journey, page, {"_action": "button:0", **form}, edit=edit)


def test_route_follows_the_answers(definition) -> None:
    assert [p.id for p in evaluate(definition, {"method": "网点"}).pages_on_route] == ["method", "confirm"]
    assert [p.id for p in evaluate(definition, {"method": "邮寄"}).pages_on_route] == ["method", "address", "confirm"]


def test_first_incomplete_page_and_done_undone_by_a_change(definition) -> None:
    ev = evaluate(definition, {"method": "网点"})
    assert ev.first_incomplete().id == "method"
    ev.mark_done(ev.journey.page("method"))
    assert ev.first_incomplete().id == "confirm"
    ev.draft.raw["memo"] = "改了"          # changing a passed page's answer undoes its 'done'
    assert evaluate(definition, ev.draft.raw, ev.draft.done).first_incomplete().id == "method"


def test_a_page_beyond_the_first_incomplete_redirects_there(engine) -> None:
    journey = engine.journey("branching")
    assert engine.show(ME, journey, "confirm") == Redirect("/j/branching/method")
    assert engine.show(ME, journey, "no_such_page") == Redirect("/j/branching/method")
    assert isinstance(engine.show(ME, journey, "method"), PageView)


def test_invalid_post_keeps_what_was_typed_and_shows_field_errors(engine) -> None:
    view = post(engine, "method", {"method": "", "memo": "这是一段超过十个字的备注内容"})
    assert isinstance(view, PageView)
    fields = {f["field"].id: f for s in view.data["sections"] for f in s["fields"]}
    assert fields["method"]["error"] == "请选择领取方式"
    assert fields["memo"]["error"] == "备注不能超过10个字"
    assert fields["memo"]["view"]["text"] == "这是一段超过十个字的备注内容"
    assert [e["id"] for e in view.data["summary"]] == ["method", "memo"]


def test_edit_that_makes_a_page_required_goes_there_with_a_banner_then_back_to_confirm(engine) -> None:
    journey = engine.journey("branching")
    assert post(engine, "method", {"method": "网点"}) == Redirect("/j/branching/confirm")
    # 修改 → switch to 邮寄: the address page is now on the route and unanswered
    assert post(engine, "method", {"method": "邮寄"}, edit=True) == Redirect("/j/branching/address?edit=1&why=1")
    view = engine.show(ME, journey, "address", edit=True, why=True)
    assert view.data["banner"] == "您选择了邮寄,请填写收件地址"
    assert engine.show(ME, journey, "confirm") == Redirect("/j/branching/address")
    assert post(engine, "address", {"address": "广州市天河路1号"}, edit=True) == Redirect("/j/branching/confirm")


def test_edit_without_consequences_returns_straight_to_confirm(engine) -> None:
    post(engine, "method", {"method": "邮寄"})
    post(engine, "address", {"address": "广州市天河路1号"})
    assert post(engine, "method", {"method": "邮寄", "memo": "新备注"}, edit=True) == Redirect("/j/branching/confirm")


def test_answers_on_pages_off_the_route_are_left_out(definition, engine) -> None:
    post(engine, "method", {"method": "邮寄"})
    post(engine, "address", {"address": "广州市天河路1号"})
    post(engine, "method", {"method": "网点"}, edit=True)
    draft = engine.drafts.load(ME.key, "branching")
    assert draft.raw["address"] == "广州市天河路1号"     # kept in the draft, in case they switch back
    ev = Evaluation(definition, definition.journeys["branching"], draft, ME)
    rows = confirm_rows(ev, ev.journey.page("confirm"))
    assert [s["title"] for s in rows] == ["领取方式"]
    assert "address" not in application_payload(ev)["answers"]
    assert application_payload(ev)["answers"]["method"] == "网点"
