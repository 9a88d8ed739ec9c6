"""The meaning checks (renderer/definition/meaning): the abstract evaluation, option sets, and where problems are put."""
from __future__ import annotations

from pathlib import Path

import pytest

from renderer.definition import meaning
from renderer.definition.loader import LoadResult
from tests.formkit import codes, load_inline

LISTS = {"lists/issuing_cities.yaml": "list: issuing_cities\ntitle: 意向发卡地\noptions: [广州市, 深圳市]\n"}


def journey(fields: str, extra: str = "") -> dict[str, str]:
    """A two-page journey whose first page has `fields` (YAML list items, indented 6)."""
    return {**LISTS, "journeys/apply.yaml": f"""
journey: apply
title: 申领
steps: [申请信息]
pages:
  - id: details
    title: 申请信息
    fields:
{fields}
  - id: confirm
    title: 信息确认
    confirm: [{{title: 信息, edit: details, shows: [pickup_method]}}]
    buttons: [{{label: 确认提交, on: {{ok: {{result: done}}}}}}]
results:
  - {{id: done, title: 提交成功, text: 已提交}}
{extra}"""}


PICKUP = "      - {id: pickup_method, kind: select, label: 领卡方式, options: resident.pickup_methods, required: true}\n"


def remark(when: str) -> str:
    return PICKUP + f"      - {{id: remark, kind: text, label: 备注, when: \"{when}\"}}\n"


def meaning_codes(result: LoadResult) -> list[str]:
    return [c for c in codes(result) if c not in ("list.unused",)]


@pytest.mark.parametrize(("when", "expected"), [
    ("pickup_method == '网点领卡' and pickup_method == '邮寄到付'", ["condition.always_false"]),
    ("pickup_method != '网点领卡' or pickup_method != '邮寄到付'", ["condition.always_true"]),
    ("'a' == 'b'", ["condition.always_false"]),
    ("pickup_method == '网点领卡' or pickup_method == '邮寄到付'", []),        # unanswered is possible
    ("pickup_method == '邮寄到付' and not empty(person.phone)", []),        # person.phone may be anything
    ("resident.online and not resident.online", ["condition.always_false"]),
    ("resident.allows_longterm_id", []),                 # one resident type today; another may say false
    ("resident.nationality == '中国'", []),             # a resident type added later may say otherwise
    ("resident.nationality == '中国籍'", ["condition.always_false"]),   # no resident type says so
    ("resident.online == 'yes'", ["condition.always_false"]),
    ("pickup_method in ['网点领卡', '邮寄到付'] or empty(pickup_method)", ["condition.always_true"]),
])
def test_conditions_are_judged_over_every_answer(tmp_path: Path, when: str, expected: list[str]) -> None:
    assert meaning_codes(load_inline(tmp_path, journey(remark(when)))) == expected


def test_a_value_outside_the_options_is_reported_at_its_token_with_did_you_mean(tmp_path: Path) -> None:
    result = load_inline(tmp_path, journey(remark("pickup_method != '邮寄到附'")))
    [error] = [e for e in result.problems if e.code != "list.unused"]
    assert error.code == "option.unknown_value"
    assert (error.position.line, error.position.col) == (9, 69)
    assert "Did you mean '邮寄到付'?" in error.hint
    assert result.definition is None


@pytest.mark.parametrize("options", ["lists.issuing_cities", "[广州市, 深圳市]", "\"cities[intended_city].banks\""])
def test_options_are_resolved_from_lists_inline_lists_and_cities(tmp_path: Path, options: str) -> None:
    city = "city: 广州市\nbanks: [广州市, 深圳市]\ndistricts: [越秀区]\nbranches: []\n"
    fields = (f"      - {{id: intended_city, kind: select, label: 城市, options: {options}, required: true}}\n"
              "      - {id: pickup_method, kind: text, label: 备注, when: intended_city == '广洲市'}\n")
    files = {**journey(fields), "cities/guangzhou.yaml": city,
             "lists/issuing_cities.yaml": "list: issuing_cities\ntitle: 意向发卡地\noptions: [广州市]\n"}
    assert "option.unknown_value" in codes(load_inline(tmp_path, files))


def test_options_that_cannot_be_resolved_keep_the_check_silent(tmp_path: Path) -> None:
    fields = ("      - {id: pickup_method, kind: select, label: 方式, options: records.methods, required: true}\n"
              "      - {id: remark, kind: text, label: 备注, when: pickup_method == '任意'}\n")
    assert meaning_codes(load_inline(tmp_path, journey(fields))) == []


def test_an_overridden_page_key_is_reported_in_the_journey_that_overrides_it(tmp_path: Path) -> None:
    files = {**LISTS, "fragments/pickup.yaml": "fragment: pickup\npages:\n  - id: details\n    title: 领卡\n"
             "    fields:\n" + remark("pickup_method == '网点领卡'"),
             "journeys/apply.yaml": """
journey: apply
title: 申领
steps: [申请信息]
pages:
  - include: pickup
    override:
      details: {when: "pickup_method == '邮寄'"}
  - id: confirm
    title: 信息确认
    confirm: [{title: 信息, edit: details, shows: [pickup_method]}]
    buttons: [{label: 确认提交, on: {ok: {result: done}}}]
results:
  - {id: done, title: 提交成功, text: 已提交}
"""}
    errors = [e for e in load_inline(tmp_path, files).problems if e.code == "option.unknown_value"]
    assert [(e.position.file, e.position.line, e.position.col) for e in errors] == [
        ("forms/journeys/apply.yaml", 7, 41)]


def test_a_crash_in_a_check_is_that_file_s_internal_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object) -> list[object]:
        raise RuntimeError("boom")

    monkeypatch.setattr(meaning, "loop_errors", broken)
    result = load_inline(tmp_path, journey(PICKUP))
    [error] = [e for e in result.problems if e.code != "list.unused"]
    assert (error.code, error.position.file) == ("internal.unexpected", "forms/journeys/apply.yaml")
    assert "RuntimeError: boom" in error.message


def test_the_real_forms_mean_what_they_say() -> None:
    from renderer.definition.loader import load_forms

    meaning_found = [e for e in load_forms().problems if e.code.split(".")[0] in (
        "option", "condition", "pattern", "link", "popup", "city", "resident")
        or e.code in ("expr.date_vs_text", "field.default_not_option", "field.min_above_max",
                      "field.required_never_shown", "page.no_enabled_button", "page.loop")]
    assert meaning_found == []
