"""`yss graph`: the journey's graph becomes DOT with a node per page, popup and result and an edge per outcome,
and Graphviz's `dot` draws it as well-formed SVG (or an HTML page around it)."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from renderer.cli import main
from renderer.definition.loader import FORMS_DIR, load_forms
from renderer.tools.graph import dot_name, run_graph, to_dot
from renderer.tools.graph_model import build_graph
from tests.formkit import load_inline

SVG = "{http://www.w3.org/2000/svg}"
DEFINITION = load_forms(FORMS_DIR).definition


def draw(forms: Path, journey: str, out: Path) -> ET.Element:
    assert run_graph(forms, journey, out) == 0
    return ET.fromstring(out.read_text(encoding="utf-8"))


def texts(element: ET.Element) -> list[str]:
    return [t.text or "" for t in element.iter(f"{SVG}text")]


def groups(root: ET.Element, kind: str) -> dict[str, ET.Element]:
    """The SVG groups dot made for nodes (kind "node") or edges ("edge"), by the id the DOT gave them."""
    return {g.get("id", ""): g for g in root.iter(f"{SVG}g") if kind in (g.get("class") or "").split()}


def edge_text(edge: ET.Element) -> str:
    """An edge's label, its lines joined with a space."""
    return " ".join(texts(edge))


def popups_of_buttons(journey) -> set[str]:
    ids = set()
    for page in journey.pages:
        for button in page.buttons:
            routes = list(button.on.values()) + [route for _, route in button.guards]
            ids |= {r.popup for r in routes if r.popup}
            if button.confirm:
                ids.add(button.confirm)
    return ids


def dot_source(definition, journey_id: str) -> str:
    return to_dot(build_graph(definition.journeys[journey_id], dict(definition.journeys))).source


def dot_edges(source: str) -> dict[str, str]:
    """The DOT's edges: their id (source->target as in the journey, whichever way dot lays them) -> the statement."""
    return {m.group(1): line for line in source.splitlines() if " -> " in line
            for m in [re.search(r'\bid="([^"]+)"', line)] if m}


@pytest.mark.parametrize("journey_id", ["adult", "minor", "cleanup"])
def test_dot_has_a_node_per_page_popup_and_result_and_an_edge_per_outcome(journey_id):
    journey = DEFINITION.journeys[journey_id]
    source = dot_source(DEFINITION, journey_id)
    declared = set(re.findall(r'^\t"?([\w.-]+)"? \[', source, re.M))
    for node_id in ([f"page:{p.id}" for p in journey.pages] + [f"result:{r}" for r in journey.results]
                    + [f"popup:{p}" for p in popups_of_buttons(journey)]):
        assert dot_name(node_id) in declared, node_id
    edges = dot_edges(source)
    for page in journey.pages:
        for button in page.buttons:
            for outcome, route in button.on.items():
                target = (f"popup:{route.popup}" if route.popup else f"result:{route.result}" if route.result
                          else f"journey:{route.journey}" if route.journey else None)
                if target:
                    statement = edges[f"page:{page.id}->{target}"]
                    assert outcome in statement, (page.id, outcome)


@pytest.mark.parametrize("journey_id", ["adult", "minor", "cleanup"])
def test_svg_shows_every_page_popup_result_and_edit(tmp_path, journey_id):
    journey = DEFINITION.journeys[journey_id]
    root = draw(FORMS_DIR, journey_id, tmp_path / f"{journey_id}.svg")
    assert root.tag == f"{SVG}svg"
    nodes = groups(root, "node")
    for page in journey.pages:
        assert page.title in texts(nodes[f"page:{page.id}"]), page.id
    popups = popups_of_buttons(journey)
    assert popups, "every journey here has popups on its buttons"
    for popup_id in popups:
        assert popup_id in texts(nodes[f"popup:{popup_id}"])
    for result_id, result in journey.results.items():
        assert result.title in texts(nodes[f"result:{result_id}"])
    edits = [cs for page in journey.pages for cs in page.confirm if cs.edit]
    edit_edges = [g for g in groups(root, "edge").values() if "edit" in g.get("class", "").split()]
    assert len(edit_edges) == len({cs.edit for cs in edits})
    shown = [line for g in edit_edges for line in texts(g)]
    for cs in edits:
        assert f"修改 {cs.title}" in shown


def test_adult_edges_name_buttons_services_and_targets(tmp_path):
    root = draw(FORMS_DIR, "adult", tmp_path / "adult.svg")
    edges = groups(root, "edge")
    assert edge_text(edges["page:guide->page:eligibility"]) == "完成人脸核验开始办理 face_check, precheck"
    assert edge_text(edges["page:confirm->result:submitted"]) == "确认提交 · ok"
    assert edge_text(edges["page:confirm->result:failed"]) == "确认提交 · rejected"
    assert edge_text(edges["result:failed->page:confirm"]) == "重新提交"
    assert edge_text(edges["result:submitted->page:guide"]) == "返回首页"          # goto: start
    assert edge_text(edges["popup:one_person_one_card->journey:cleanup"]) == "确认"
    assert "代未成年子女办理 · ok" in edge_text(edges["page:guide->journey:minor"])
    assert "修改 社保卡领卡方式" in texts(edges["page:confirm->page:pickup"])
    nodes = groups(root, "node")
    assert "success" in nodes["result:submitted"].get("class", "")
    assert "failure" in nodes["result:failed"].get("class", "")
    stroke = {key: nodes[key].find(f"{SVG}path").get("stroke") for key in ("result:submitted", "result:failed")}
    assert stroke["result:submitted"] != stroke["result:failed"]
    assert 'font-family="Noto Sans CJK SC"' in (tmp_path / "adult.svg").read_text(encoding="utf-8")


BRANCHING = """
journey: demo
title: 示例 <事项> & 测试
steps: [一, 二]
pages:
  - id: first
    title: 第一页
    step: 一
    fields:
      - {id: city, kind: text, label: 城市, required: true}
      - {id: wants_more, kind: select, label: 是否继续, options: [是, 否], required: true}
    buttons:
      - label: 校验
        calls: [{service: eligibility_check, with: {city: city}}]
        on:
          ok: {next: true}
          ineligible: {goto: help}
          cards_elsewhere: {popup: go_fix}
          unavailable: {result: failed}
  - id: extra
    title: 补充页
    step: 二
    when: wants_more == '是'
    fields:
      - {id: more, kind: text, label: 补充, required: true}
  - id: last
    title: 最后一页
    step: 二
    confirm:
      - {title: 补充信息, edit: extra, when: wants_more == '是', shows: [more]}
    buttons:
      - {label: 确认提交, on: {ok: {result: done}}}
  - id: help
    title: 帮助页
    step: 二
    fields:
      - {id: note, kind: text, label: 备注}
results:
  - {id: done, title: 提交成功, text: 已提交, buttons: [{label: 返回首页, goto: start}]}
  - {id: failed, title: 提交失败, text: 请稍后再试, icon: failure, buttons: [{label: 重新提交, goto: last}]}
popups:
  go_fix:
    text: 请先补充信息
    buttons: [{label: 取消}, {label: 去补充, goto: extra}, {label: 去办理, journey: other}]
"""

OTHER = """
journey: other
title: 另一事项
steps: [一]
pages:
  - id: only
    title: 唯一页
    step: 一
    buttons:
      - {label: 确认提交, on: {ok: {result: done}}}
results:
  - {id: done, title: 完成, text: 已完成}
"""


@pytest.fixture
def branching(tmp_path) -> Path:
    loaded = load_inline(tmp_path, {"journeys/demo.yaml": BRANCHING, "journeys/other.yaml": OTHER})
    assert not loaded.errors, loaded.errors
    return tmp_path / "forms"


def test_a_branching_journey_is_drawn_with_every_branch(tmp_path, branching):
    root = draw(branching, "demo", tmp_path / "demo.svg")
    nodes, edges = groups(root, "node"), groups(root, "edge")
    for page_id, title in [("first", "第一页"), ("extra", "补充页"), ("last", "最后一页"), ("help", "帮助页")]:
        assert title in texts(nodes[f"page:{page_id}"])
    assert {"popup:go_fix", "result:done", "result:failed", "journey:other"} <= set(nodes)
    # the conditional page: dashed, its condition shown, an edge past it
    assert "conditional" in nodes["page:extra"].get("class", "")
    assert nodes["page:extra"].find(f"{SVG}path").get("stroke-dasharray")
    assert nodes["page:first"].find(f"{SVG}path").get("stroke-dasharray") is None
    assert "条件: 当 wants_more == '是'" in texts(nodes["page:extra"])
    assert edge_text(edges["page:first->page:last"]) == "跳过 补充页 (条件不满足)"
    # one button, its outcomes to different pages, a popup, a result
    assert edge_text(edges["page:first->page:extra"]) == "校验 · eligibility_check"
    assert edge_text(edges["page:first->page:help"]) == "ineligible"
    assert edge_text(edges["page:first->popup:go_fix"]) == "cards_elsewhere"
    assert edge_text(edges["page:first->result:failed"]) == "unavailable"
    # the popup's buttons lead to a page and to another journey; the results' back to pages
    assert edge_text(edges["popup:go_fix->page:extra"]) == "去补充"
    assert edge_text(edges["popup:go_fix->journey:other"]) == "去办理"
    assert edge_text(edges["result:failed->page:last"]) == "重新提交"
    assert edge_text(edges["result:done->page:first"]) == "返回首页"
    assert "修改 补充信息" in texts(edges["page:last->page:extra"])
    assert root.find(f"{SVG}g/{SVG}text").text == "示例 <事项> & 测试 (demo)"   # escaped in DOT, read back


def test_the_command_writes_svg_html_png_and_dot(tmp_path, branching, capsys):
    assert main(["graph", "demo", "--forms", str(branching), "-o", str(tmp_path / "demo.svg")]) == 0
    assert main(["graph", "demo", "--forms", str(branching), "-o", str(tmp_path / "out" / "demo.html")]) == 0
    assert "wrote" in capsys.readouterr().out
    svg = ET.fromstring((tmp_path / "demo.svg").read_text(encoding="utf-8"))
    assert "补充页" in texts(svg)
    html = (tmp_path / "out" / "demo.html").read_text(encoding="utf-8")
    assert "<h1>示例 &lt;事项&gt; &amp; 测试</h1>" in html
    assert 'class="legend"' in html
    inline = ET.fromstring(html[html.index("<svg"):html.index("</svg>") + len("</svg>")])
    assert "帮助页" in texts(inline)
    assert main(["graph", "demo", "--forms", str(branching), "-o", str(tmp_path / "demo.png")]) == 0
    assert (tmp_path / "demo.png").read_bytes().startswith(b"\x89PNG")
    assert main(["graph", "demo", "--forms", str(branching), "-o", str(tmp_path / "demo.dot")]) == 0
    assert (tmp_path / "demo.dot").read_text(encoding="utf-8").startswith("digraph demo {")


def test_without_dot_the_command_says_how_to_install_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))          # no dot on it
    assert main(["graph", "adult", "-o", str(tmp_path / "adult.svg")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "apt-get install graphviz" in err
    assert not (tmp_path / "adult.svg").exists()


def test_unknown_journey_and_bad_suffix_fail(tmp_path, capsys):
    assert run_graph(FORMS_DIR, "nope", tmp_path / "x.svg") == 1
    assert "no journey 'nope'" in capsys.readouterr().err
    assert run_graph(FORMS_DIR, "adult", tmp_path / "x.pdf") == 1
    assert ".svg, .html, .png, .dot" in capsys.readouterr().err
    assert not (tmp_path / "x.svg").exists() and not (tmp_path / "x.pdf").exists()


def test_forms_that_do_not_load_fail(tmp_path, capsys):
    bad = tmp_path / "forms" / "journeys"
    bad.mkdir(parents=True)
    (bad / "broken.yaml").write_text("journey: broken\npages: [", encoding="utf-8")
    assert run_graph(tmp_path / "forms", "broken", tmp_path / "x.svg") == 1
    assert "do not load" in capsys.readouterr().err


def test_pages_that_need_the_face_check_say_so() -> None:
    journeys = dict(load_forms(FORMS_DIR).definition.journeys)
    graph = build_graph(journeys["adult"], journeys)
    marked = {node.id for node in graph.pages if ("sub", "须先通过: face_check") in node.lines}
    assert "page:guide" not in marked
    assert {"page:eligibility", "page:details", "page:confirm"} <= marked
