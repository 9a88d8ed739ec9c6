"""The loader: every error is collected with file:line:col, a stable code, and a hint."""
from __future__ import annotations

from pathlib import Path

from renderer.definition.loader import FORMS_DIR, load_forms
from tests.formkit import codes, load_inline

JOURNEY = """
journey: demo
title: 演示
steps: [第一步]
pages:
  - id: first
    title: 第一页
    step: 第一步
    fields:
      - {id: city, kind: select, label: 城市, options: [广州市, 深圳市], required: true}
"""


def test_every_file_under_forms_loads_without_errors() -> None:
    # Never skipped: the real journeys, fragments and data must always match the schema and each other.
    result = load_forms(FORMS_DIR)
    assert [str(e) for e in result.errors] == []
    assert result.definition is not None
    assert "adult" in result.definition.journeys
    assert result.files >= 20


def test_a_minimal_journey_loads(tmp_path: Path) -> None:
    result = load_inline(tmp_path, {"journeys/demo.yaml": JOURNEY})
    assert result.errors == []
    page = result.definition.journeys["demo"].pages[0]
    assert page.fields[0].label == "城市"
    assert page.buttons[0].label == "下一步"        # the default button


def test_yaml_syntax_error_has_its_position(tmp_path: Path) -> None:
    result = load_inline(tmp_path, {"journeys/bad.yaml": "journey: demo\npages: [\n  - id: x\n"})
    assert codes(result) == ["yaml.syntax"]
    error = result.errors[0]
    assert error.position.file == "forms/journeys/bad.yaml"
    assert error.position.line >= 2


def test_unknown_key_points_at_the_key_and_suggests_the_right_one(tmp_path: Path) -> None:
    text = JOURNEY.replace("required: true}", "requird: true}")
    result = load_inline(tmp_path, {"journeys/demo.yaml": text})
    assert codes(result) == ["field.unknown_setting"]
    error = result.errors[0]
    assert (error.position.line, error.position.col) == (9, text.splitlines()[9].index("requird") + 1)
    assert "requird" in error.message
    assert "Did you mean 'required'?" in error.hint
    assert error.path == "pages[0].fields[0].requird"


def test_bad_kind_lists_the_kinds(tmp_path: Path) -> None:
    result = load_inline(tmp_path, {"journeys/demo.yaml": JOURNEY.replace("kind: select", "kind: selct")})
    assert codes(result) == ["schema.bad_value"]
    assert "Did you mean 'select'?" in result.errors[0].hint
    assert str(result.errors[0]).startswith("forms/journeys/demo.yaml:9:")


def test_unquoted_date_is_explained(tmp_path: Path) -> None:
    text = JOURNEY.replace("required: true}", "required: true, default: 2024-01-01}")
    result = load_inline(tmp_path, {"journeys/demo.yaml": text})
    assert codes(result) == ["schema.date_unquoted"]
    assert 'quote it: "2024-01-01"' in result.errors[0].hint


def test_all_errors_are_collected_not_just_the_first(tmp_path: Path) -> None:
    text = JOURNEY.replace("kind: select", "kind: selct").replace("title: 第一页", "titel: 第一页")
    result = load_inline(tmp_path, {"journeys/demo.yaml": text, "journeys/other.yaml": "journey: other\n"})
    assert len(result.errors) >= 3
    assert {e.position.file for e in result.errors} == {"forms/journeys/demo.yaml", "forms/journeys/other.yaml"}


def test_unknown_name_in_a_condition_is_a_load_error_at_its_column(tmp_path: Path) -> None:
    text = JOURNEY + "      - {id: note, kind: text, label: 备注, when: cty == '广州市'}\n"
    result = load_inline(tmp_path, {"journeys/demo.yaml": text})
    assert codes(result) == ["expr.unknown_name"]
    error = result.errors[0]
    assert error.position.line == 10
    assert error.position.col == text.splitlines()[10].index("cty") + 1
    assert "did you mean 'city'" in error.message


def test_expression_syntax_error(tmp_path: Path) -> None:
    text = JOURNEY + "      - {id: note, kind: text, label: 备注, when: \"city == \"}\n"
    result = load_inline(tmp_path, {"journeys/demo.yaml": text})
    assert codes(result) == ["expr.syntax"]


def test_unknown_context_key_and_list(tmp_path: Path) -> None:
    text = JOURNEY + ("      - {id: a, kind: select, label: 民族, options: lists.ethnicity}\n"
                      "      - {id: b, kind: readonly, label: 姓名, value: person.nmae}\n")
    files = {"journeys/demo.yaml": text, "lists/e.yaml": "list: ethnicities\ntitle: 民族\noptions: [汉族]\n"}
    result = load_inline(tmp_path, files)
    assert codes(result) == ["expr.unknown_name", "expr.unknown_name", "list.unused"]
    assert "Did you mean 'ethnicities'?" in result.errors[0].hint
    assert "Did you mean 'name'?" in result.errors[1].hint


def test_routes_and_edit_links_must_name_real_pages(tmp_path: Path) -> None:
    text = JOURNEY + """
    buttons:
      - {label: 下一步, on: {ok: {goto: secnd}, invalid: {popup: nope}}}
  - id: confirm
    title: 信息确认
    confirm:
      - {title: 城市, edit: frist, shows: [city, ctiy]}
"""
    result = load_inline(tmp_path, {"journeys/demo.yaml": text})
    assert sorted(codes(result)) == sorted(["ref.unknown_page", "ref.unknown_popup", "ref.unknown_page",
                                            "ref.unknown_field", "page.dead_end", "page.unreachable"])
    assert any("Did you mean 'first'?" in e.hint for e in result.errors)


def test_button_without_ok_outcome(tmp_path: Path) -> None:
    text = JOURNEY + "    buttons:\n      - {label: 下一步, on: {invalid: {message: 请检查}}}\n"
    result = load_inline(tmp_path, {"journeys/demo.yaml": text})
    assert codes(result) == ["button.no_ok", "page.dead_end"]


def test_duplicate_field_ids(tmp_path: Path) -> None:
    text = JOURNEY + "      - {id: city, kind: text, label: 城市2}\n"
    result = load_inline(tmp_path, {"journeys/demo.yaml": text})
    assert codes(result) == ["field.duplicate_id"]
    assert "first used at forms/journeys/demo.yaml:9" in result.errors[0].hint


def test_include_fragment_and_override(tmp_path: Path) -> None:
    fragment = """
    fragment: extra
    pages:
      - id: extra
        title: 附加页
        fields:
          - {id: memo, kind: text, label: 备注, max_length: 10}
    """
    journey = JOURNEY + "  - include: extra\n    override:\n      extra: {title: 改过的标题}\n"
    result = load_inline(tmp_path, {"journeys/demo.yaml": journey, "fragments/extra.yaml": fragment})
    assert result.errors == []
    pages = result.definition.journeys["demo"].pages
    assert [p.id for p in pages] == ["first", "extra"]
    assert pages[1].title == "改过的标题"
    assert pages[1].fields[0].position.file == "forms/fragments/extra.yaml"


def test_unknown_fragment(tmp_path: Path) -> None:
    result = load_inline(tmp_path, {"journeys/demo.yaml": JOURNEY + "  - include: pikup\n",
                                    "fragments/p.yaml": "fragment: pickup\npages: []\n"})
    assert codes(result) == ["ref.unknown_fragment"]
    assert "Did you mean 'pickup'?" in result.errors[0].hint


def test_city_branch_in_unknown_district(tmp_path: Path) -> None:
    city = """
    city: 广州市
    banks: [工商银行]
    districts: [荔湾区]
    branches:
      - {id: a, name: 甲支行, district: 荔弯区, address: 地址, hours: 全天, phone: "020-1"}
    """
    result = load_inline(tmp_path, {"cities/gz.yaml": city})
    assert codes(result) == ["city.unknown_district"]
    assert result.errors[0].position.line == 5


def test_link_to_an_unknown_journey_or_page(tmp_path: Path) -> None:
    text = JOURNEY + """
    buttons:
      - {label: 下一步, on: {ok: {journey: clenup}, invalid: {journey: demo, page: nowhere}}}
"""
    result = load_inline(tmp_path, {"journeys/demo.yaml": text})
    assert codes(result) == ["ref.unknown_journey", "ref.unknown_page"]
    assert "journeys are: demo" in result.errors[0].hint


def test_an_outcome_says_exactly_one_thing(tmp_path: Path) -> None:
    text = JOURNEY + "    buttons:\n      - {label: 下一步, on: {ok: {next: true, goto: first}}}\n"
    result = load_inline(tmp_path, {"journeys/demo.yaml": text})
    assert codes(result) == ["route.targets"]


def test_override_merges_fields_by_id(tmp_path: Path) -> None:
    fragment = """
    fragment: extra
    pages:
      - id: extra
        title: 附加页
        sections:
          - title: 信息
            fields:
              - {id: job, kind: select, label: 职业, options: [学生, 其他人员], required: true}
              - {id: memo, kind: text, label: 备注}
    """
    journey = JOURNEY + "  - include: extra\n    override:\n      extra:\n        note: 说明\n        fields:\n          job: {default: 其他人员}\n"
    result = load_inline(tmp_path, {"journeys/demo.yaml": journey, "fragments/extra.yaml": fragment})
    assert result.errors == []
    page = result.definition.journeys["demo"].page("extra")
    assert page.note == "说明"
    assert [(f.id, f.default) for f in page.fields] == [("job", "其他人员"), ("memo", None)]


def test_duplicate_key_is_its_own_problem(tmp_path: Path) -> None:
    text = JOURNEY.replace("    step: 第一步\n", "    step: 第一步\n    title: 又一个标题\n")
    result = load_inline(tmp_path, {"journeys/demo.yaml": text})
    assert codes(result) == ["yaml.duplicate_key"]
    assert result.errors[0].position.line == 8      # the second `title:`


def test_condition_reading_a_later_page(tmp_path: Path) -> None:
    text = JOURNEY + """
      - {id: memo, kind: text, label: 备注, when: "later == '是'"}
  - id: second
    title: 第二页
    fields:
      - {id: later, kind: radio, label: 之后, options: [是, 否]}
"""
    result = load_inline(tmp_path, {"journeys/demo.yaml": text})
    assert codes(result) == ["expr.used_before_set"]
    assert result.errors[0].position.line == 11


def test_unreachable_page_and_dead_end(tmp_path: Path) -> None:
    text = JOURNEY + """
    buttons:
      - {label: 查询, on: {ok: {popup: info}}}
  - id: second
    title: 第二页
    fields:
      - {id: memo, kind: text, label: 备注}
popups:
  info: {text: 只是提示, buttons: [{label: 确认}]}
"""
    result = load_inline(tmp_path, {"journeys/demo.yaml": text})
    assert sorted(codes(result)) == ["page.dead_end", "page.unreachable"]
    unreachable = next(e for e in result.errors if e.code == "page.unreachable")
    assert "second" in unreachable.message and unreachable.position.line == 13


def test_empty_text_and_unused_list(tmp_path: Path) -> None:
    text = JOURNEY.replace("label: 城市", "label: \"\"")
    files = {"journeys/demo.yaml": text, "lists/e.yaml": "list: ethnicities\ntitle: 民族\noptions: [汉族]\n"}
    result = load_inline(tmp_path, files)
    assert sorted(codes(result)) == ["list.unused", "text.missing"]
    unused = next(e for e in result.warnings if e.code == "list.unused")
    assert unused.position.file == "forms/lists/e.yaml" and unused.position.line == 1
    assert [e.code for e in result.errors] == ["text.missing"]


def test_a_warning_alone_does_not_stop_the_forms_loading(tmp_path: Path) -> None:
    files = {"journeys/demo.yaml": JOURNEY, "lists/e.yaml": "list: ethnicities\ntitle: 民族\noptions: [汉族]\n"}
    result = load_inline(tmp_path, files)
    assert codes(result) == ["list.unused"] and result.errors == []
    assert result.definition is not None
    assert str(result.warnings[0]).startswith("forms/lists/e.yaml:1:7: warning list.unused ")


def test_an_outcome_no_service_gives(tmp_path: Path) -> None:
    text = JOURNEY + """
    buttons:
      - label: 资格校验
        calls: [{service: eligibility_check, with: {city: city}}]
        on: {ok: {next: true}, cards_elswhere: {message: 请先清理}}
"""
    result = load_inline(tmp_path, {"journeys/demo.yaml": text})
    assert codes(result) == ["route.unknown_outcome"]
    assert "Did you mean 'cards_elsewhere'?" in result.errors[0].hint
    assert "(it calls eligibility_check)" in result.errors[0].message


def test_unknown_service_argument(tmp_path: Path) -> None:
    text = JOURNEY + """
    buttons:
      - label: 资格校验
        calls: [{service: eligibility_check, with: {ctiy: city}}]
        on: {ok: {next: true}}
"""
    result = load_inline(tmp_path, {"journeys/demo.yaml": text})
    assert "call.unknown_argument" in codes(result)
    error = next(e for e in result.errors if e.code == "call.unknown_argument")
    assert "Did you mean 'city'?" in error.hint


def test_a_data_file_the_fast_parser_takes_but_the_round_trip_one_refuses_is_still_checked(tmp_path: Path) -> None:
    # A tab inside a flow scalar: libyaml reads it, ruamel's round-trip parser (which gives positions) refuses it.
    city = ("city: 广州市\nbanks: [工商银行]\ndistricts: [荔湾区]\nbranches:\n"
            "  - {id: gz-a\tb, name: 站前路支行, bank: 工商银行, district: 荔湾区, address: 广州市, hours: 全天, phone: \"1\"}\n")
    result = load_inline(tmp_path, {"journeys/demo.yaml": JOURNEY, "cities/guangzhou.yaml": city,
                                    "lists/c.yaml": "list: issuing_cities\ntitle: 城市\noptions: [广州市]\n"})
    assert "internal.unexpected" not in codes(result)
    assert [(e.code, e.position.file) for e in result.errors] == [("schema.bad_id", "forms/cities/guangzhou.yaml")]
