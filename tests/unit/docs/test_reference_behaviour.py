"""Behaviours the reference describes that no other test showed (named by tests/unit/docs/test_reference_claims.py)."""
from __future__ import annotations

import shutil
from pathlib import Path

from renderer.definition.loader import FORMS_DIR, load_forms
from renderer.journey.engine import Engine, PageView, Redirect
from renderer.services.base import Identity
from renderer.store import open_store
from renderer.versions.diff import diff
from tests.formkit import load_inline

ME = Identity(key="k1", name="张伟", id_number="440106199001011235", id_type="居民身份证", resident_type="mainland")
JOURNEY = """
journey: j
title: 测试
steps: [一]
pages:
  - id: start
    title: 开始
    step: 一
    fields:
      - {id: name, kind: text, label: 姓名}
      - {id: longterm, kind: radio, label: 证件有效期是否为长期, options: [否, 是], when: resident.allows_longterm_id}
    buttons:
      - label: 下一步
        guards: [{when: name == '外', message: 暂不支持线上办理}]
        on: {ok: {result: done}}
results:
  - {id: done, title: 完成, text: 好, buttons: [{label: 返回首页, href: /}]}
"""
RESIDENTS = """
residents:
  mainland: {label: 内地居民, online: true, nationality: 中国, allows_longterm_id: true, pickup_methods: [网点领卡],
             materials: 居民身份证(原件), documents: [{id: id_card, label: 居民身份证, sides: [正面]}]}
  hong_kong: {label: 香港居民, online: true, nationality: 中国香港, allows_longterm_id: false, pickup_methods: [网点领卡],
              materials: 通行证(原件), documents: [{id: hk_permit, label: 通行证, sides: [正面]}]}
"""


def _engine(tmp_path: Path) -> Engine:
    result = load_inline(tmp_path, {"journeys/j.yaml": JOURNEY, "residents.yaml": RESIDENTS})
    assert result.definition is not None, result.problems
    return Engine(result.definition, services=None, store=open_store(":memory:"))


def test_a_guard_message_stays_on_the_page(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    journey = engine.journey("j")
    view = engine.post(ME, journey, "start", {"_action": "button:0", "name": "外"})
    assert isinstance(view, PageView) and view.data["message"] == "暂不支持线上办理"
    assert engine.post(ME, journey, "start", {"_action": "button:0", "name": "内"}) == Redirect("/j/j/result/done")


def test_a_link_href_leads_to_that_address(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    journey = engine.journey("j")
    engine.post(ME, journey, "start", {"_action": "button:0", "name": "内"})
    assert engine.result(ME, journey, "done")["buttons"][0]["url"] == "/"


def test_allows_longterm_id_decides_whether_the_question_is_asked(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    journey = engine.journey("j")
    assert "longterm" in engine.evaluate(ME, journey).visible
    visitor = Identity(key="k2", name="陈志明", id_number="H12345678", id_type="港澳居民来往内地通行证",
                       resident_type="hong_kong")
    assert "longterm" not in engine.evaluate(visitor, journey).visible


def test_a_city_s_code_and_hotline_are_read_and_compared(tmp_path: Path) -> None:
    old = load_forms(FORMS_DIR).definition
    assert old is not None and (old.cities["珠海市"].code, old.cities["珠海市"].hotline) == ("4404", "12333")
    copy = tmp_path / "forms"
    shutil.copytree(FORMS_DIR, copy)
    city = copy / "cities" / "zhuhai.yaml"
    city.write_text(city.read_text(encoding="utf-8").replace('hotline: "12333"', 'hotline: "12345"'), encoding="utf-8")
    new = load_forms(copy).definition
    assert new is not None
    changed = [c for c in diff(old, new) if c.kind == "city.text"]
    assert [(c.subject, c.classification) for c in changed] == [("city 珠海市: hotline 12333 → 12345", "compatible")]
