"""`yss graph`: the journey diagram is well-formed SVG that shows every page, popup, result and 修改 link."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from renderer.definition.loader import FORMS_DIR, load_forms
from renderer.tools.graph import run_graph
from tests.formkit import load_inline

SVG = "{http://www.w3.org/2000/svg}"
DEFINITION = load_forms(FORMS_DIR).definition


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def draw(forms: Path, journey: str, out: Path) -> ET.Element:
    assert run_graph(forms, journey, out) == 0
    return ET.fromstring(out.read_text(encoding="utf-8"))


def popups_of_buttons(journey) -> set[str]:
    ids = set()
    for page in journey.pages:
        for button in page.buttons:
            routes = list(button.on.values()) + [route for _, route in button.guards]
            ids |= {r.popup for r in routes if r.popup}
            if button.confirm:
                ids.add(button.confirm)
    return ids


@pytest.mark.parametrize("journey_id", ["adult", "minor", "cleanup"])
def test_svg_shows_every_page_popup_result_and_edit(tmp_path, journey_id):
    journey = DEFINITION.journeys[journey_id]
    root = draw(FORMS_DIR, journey_id, tmp_path / f"{journey_id}.svg")
    assert root.tag == f"{SVG}svg"
    shown = texts(root)
    for page in journey.pages:
        assert page.title in shown, page.id
    node_ids = {g.get("data-id") for g in root.iter(f"{SVG}g") if g.get("data-id")}
    popups = popups_of_buttons(journey)
    assert popups, "every journey here has popups on its buttons"
    for popup_id in popups:
        assert f"popup:{popup_id}" in node_ids
        assert popup_id in shown
    for result in journey.results.values():
        assert result.title in shown
    edits = [cs for page in journey.pages for cs in page.confirm if cs.edit]
    for cs in edits:
        assert f"修改 {cs.title}" in shown
    assert len([p for p in root.iter(f"{SVG}path") if "edge-edit" in (p.get("class") or "")]) == len(
        {cs.edit for cs in edits})


def test_adult_edges_name_buttons_services_and_targets(tmp_path):
    root = draw(FORMS_DIR, "adult", tmp_path / "adult.svg")
    shown = texts(root)
    assert "完成人脸核验开始办理 · face_check, precheck" in shown
    assert "提交成功" in shown and "提交失败" in shown
    assert "重新提交" in shown and "返回首页" in shown
    edges = {(p.get("data-source"), p.get("data-target")) for p in root.iter(f"{SVG}path") if p.get("data-source")}
    assert ("page:guide", "page:eligibility") in edges
    assert ("page:confirm", "result:submitted") in edges
    assert ("result:failed", "page:confirm") in edges            # 重新提交
    assert ("result:submitted", "page:guide") in edges           # 返回首页 (start)
    assert ("popup:one_person_one_card", "journey:cleanup") in edges
    assert ("page:guide", "journey:minor") in edges
    assert ("page:confirm", "page:pickup") in edges               # 修改
    # the result nodes have distinct colours
    rects = {g.get("data-id"): g.find(f"{SVG}rect") for g in root.iter(f"{SVG}g") if g.get("data-id")}
    assert rects["result:submitted"].get("stroke") != rects["result:failed"].get("stroke")


def test_boxes_do_not_overlap(tmp_path):
    root = draw(FORMS_DIR, "adult", tmp_path / "adult.svg")
    boxes = []
    for g in root.iter(f"{SVG}g"):
        if g.get("data-id"):
            r = g.find(f"{SVG}rect")
            boxes.append((float(r.get("x")), float(r.get("y")), float(r.get("width")), float(r.get("height"))))
    width, height = float(root.get("width")), float(root.get("height"))
    for i, (x, y, w, h) in enumerate(boxes):
        assert 0 <= x and x + w <= width and 0 <= y and y + h <= height
        for x2, y2, w2, h2 in boxes[i + 1:]:
            assert x + w <= x2 or x2 + w2 <= x or y + h <= y2 or y2 + h2 <= y


def test_html_wraps_the_svg_with_title_and_legend(tmp_path):
    out = tmp_path / "minor.html"
    assert run_graph(FORMS_DIR, "minor", out) == 0
    html = out.read_text(encoding="utf-8")
    assert "<h1>未成年人社保卡申领</h1>" in html
    assert 'class="legend"' in html
    svg = html[html.index("<svg"):html.index("</svg>") + len("</svg>")]
    assert "申领资格校验" in texts(ET.fromstring(svg))


def test_unknown_journey_and_bad_suffix_fail(tmp_path, capsys):
    assert run_graph(FORMS_DIR, "nope", tmp_path / "x.svg") == 1
    assert "no journey 'nope'" in capsys.readouterr().err
    assert run_graph(FORMS_DIR, "adult", tmp_path / "x.png") == 1
    assert ".svg or .html" in capsys.readouterr().err
    assert not (tmp_path / "x.svg").exists() and not (tmp_path / "x.png").exists()


def test_forms_that_do_not_load_fail(tmp_path, capsys):
    bad = tmp_path / "forms" / "journeys"
    bad.mkdir(parents=True)
    (bad / "broken.yaml").write_text("journey: broken\npages: [", encoding="utf-8")
    assert run_graph(tmp_path / "forms", "broken", tmp_path / "x.svg") == 1
    assert "do not load" in capsys.readouterr().err


FIXTURE = """
journey: demo
title: 示例 <事项> & 测试
steps: [一, 二]
pages:
  - id: first
    title: 第一页
    step: 一
    fields:
      - {id: wants_more, kind: select, label: 是否继续, options: [是, 否], required: true}
  - id: extra
    title: 补充页
    step: 二
    when: wants_more == '是'
    fields:
      - {id: more, kind: text, label: 补充, required: true}
  - id: last
    title: 最后一页
    step: 二
    fields:
      - {id: note, kind: text, label: 备注}
"""


def test_conditional_page_is_dashed_with_its_condition(tmp_path):
    loaded = load_inline(tmp_path, {"journeys/demo.yaml": FIXTURE})
    assert not loaded.errors, loaded.errors
    root = draw(tmp_path / "forms", "demo", tmp_path / "demo.svg")
    rects = {g.get("data-id"): g.find(f"{SVG}rect") for g in root.iter(f"{SVG}g") if g.get("data-id")}
    assert rects["page:extra"].get("stroke-dasharray")
    assert rects["page:first"].get("stroke-dasharray") is None
    assert rects["page:last"].get("stroke-dasharray") is None
    shown = texts(root)
    assert "条件: 当 wants_more == '是'" in shown
    assert "跳过 补充页 (条件不满足)" in shown
    skip = [p for p in root.iter(f"{SVG}path") if "edge-skip" in (p.get("class") or "")]
    assert [(p.get("data-source"), p.get("data-target")) for p in skip] == [("page:first", "page:last")]
    assert "示例 <事项> & 测试 (demo)" in [t.text for t in root.iter(f"{SVG}title")]   # escaped, parsed back
