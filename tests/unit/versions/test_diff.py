"""The semantic diff: one small inline form, edited one way per test; each change classified, with its position."""
from __future__ import annotations

from pathlib import Path

import pytest

from renderer.versions.diff import BREAKING, COMPATIBLE, Change, diff
from renderer.versions.places import Places
from renderer.versions.rules import RULES
from tests.formkit import RESIDENTS, load_inline

JOURNEY = """
journey: demo
title: 演示
steps: [城市, 信息, 领取, 确认]
pages:
  - id: city
    title: 选择城市
    step: 城市
    fields:
      - {id: intended_city, kind: select, label: 意向发卡地, options: lists.issuing_cities, required: true}
    buttons:
      - label: 资格校验
        calls:
          - {service: eligibility_check, with: {city: intended_city}}
        on:
          ok: {next: true}
          ineligible: {popup: ineligible}
          unavailable: {message: 系统繁忙}
  - id: details
    title: 申请信息
    step: 信息
    fields:
      - {id: bank, kind: select, label: 服务银行, options: "cities[intended_city].banks", required: true}
      - {id: memo, kind: text, label: 备注, max_length: 10}
      - {id: longterm, kind: radio, label: 是否长期, options: [否, 是], required: true}
  - id: pickup
    title: 领取方式
    step: 领取
    fields:
      - {id: method, kind: select, label: 领取方式, options: resident.pickup_methods, required: true}
      - {id: address, kind: text, label: 收件地址, when: "method == '邮寄到付'", required: true}
  - id: confirm
    title: 信息确认
    step: 确认
    confirm:
      - {title: 社保卡信息, edit: details, shows: [bank, memo]}
    buttons:
      - label: 确认提交
        calls: [submit_application]
        on:
          ok: {result: done}
          rejected: {result: failed}
          unavailable: {message: 系统繁忙}
results:
  - {id: done, title: 提交成功, text: 您的申请已提交}
  - {id: failed, title: 提交失败, text: 您的申请未通过}
popups:
  ineligible:
    text: 您暂不符合申领条件
    buttons: [{label: 我知道了}]
verify:
  - {service: face_check, from: city, valid_minutes: 30, failed: 人脸核验未通过}
"""

CITIES = """
list: issuing_cities
title: 意向发卡地
options: [广州市, 珠海市]
"""

GUANGZHOU = """
city: 广州市
banks: [工商银行, 招商银行]
districts: [荔湾区]
branches:
  - {id: gz-1, name: 站前路支行, bank: 工商银行, district: 荔湾区, address: 广州市站前路58号, hours: 周一至周五, phone: "020-1"}
"""

ZHUHAI = """
city: 珠海市
banks: [中国银行]
districts: [香洲区]
branches:
  - {id: zh-1, name: 拱北支行, bank: 中国银行, district: 香洲区, address: 珠海市迎宾南路1号, hours: 周一至周五, phone: "0756-1"}
"""

FILES = {"journeys/demo.yaml": JOURNEY, "lists/issuing_cities.yaml": CITIES, "cities/guangzhou.yaml": GUANGZHOU,
         "cities/zhuhai.yaml": ZHUHAI, "residents.yaml": RESIDENTS}


def changes(tmp_path: Path, **edits: str | None) -> list[Change]:
    """The diff from FILES to FILES with `edits` (file path with / as __ -> new text, or None to delete it)."""
    new_files = dict(FILES)
    for key, text in edits.items():
        name = key.replace("__", "/").replace("_yaml", ".yaml")
        if text is None:
            new_files.pop(name)
        else:
            new_files[name] = text
    old = load_inline(tmp_path / "old", FILES, residents=False)
    new = load_inline(tmp_path / "new", new_files, residents=False)
    assert [str(e) for e in old.errors + new.errors] == []
    return diff(old.definition, new.definition, Places.read(tmp_path / "old" / "forms"),
                Places.read(tmp_path / "new" / "forms"))


def journey(old: str, new: str) -> str:
    assert old in JOURNEY, old
    return JOURNEY.replace(old, new)


def one(found: list[Change], kind: str, journey_id: str | None = "demo") -> Change:
    matching = [c for c in found if c.kind == kind and c.journey == journey_id]
    assert len(matching) == 1, [(c.kind, c.subject) for c in found]
    return matching[0]


def where(c: Change) -> str:
    return f"{c.position.file}:{c.position.line}" + (" (old)" if c.in_old else "")


def line_of(text: str, needle: str) -> int:
    """The 1-based line of `needle` in an inline file as load_inline writes it (dedented, leading newline gone)."""
    return next(i for i, line in enumerate(text.lstrip("\n").splitlines(), 1) if needle in line)


JOURNEY_FILE = "forms/journeys/demo.yaml"


def test_the_same_forms_have_no_changes(tmp_path: Path) -> None:
    assert changes(tmp_path) == []


def test_every_rule_is_compatible_or_breaking_with_a_reason() -> None:
    assert {r.classification for r in RULES.values()} == {COMPATIBLE, BREAKING}
    assert all(r.reason for r in RULES.values())


def test_a_journey_title_or_in_flight_rule_changed_is_compatible(tmp_path: Path) -> None:
    found = changes(tmp_path, journeys__demo_yaml=journey("title: 演示\n", "title: 演示申领\nin_flight: continue\n"))
    assert [(c.kind, c.classification) for c in found] == [("journey.text", COMPATIBLE),
                                                           ("journey.in_flight", COMPATIBLE)]
    assert where(found[0]) == f"{JOURNEY_FILE}:1"


# ---------------------------------------------------------------------- fields

def test_a_new_required_field_on_an_existing_page_is_breaking(tmp_path: Path) -> None:
    text = journey("      - {id: memo,", "      - {id: phone, kind: text, label: 手机号码, required: true}\n"
                                       "      - {id: memo,")
    c = one(changes(tmp_path, journeys__demo_yaml=text), "field.added_required")
    assert c.classification == BREAKING and (c.page, c.field) == ("details", "phone")
    assert where(c) == f"{JOURNEY_FILE}:{line_of(text, 'id: phone')}"
    assert "申请信息" in c.reason and "go back" in c.reason


def test_a_new_optional_field_is_compatible(tmp_path: Path) -> None:
    text = journey("      - {id: memo,", "      - {id: nickname, kind: text, label: 昵称}\n      - {id: memo,")
    c = one(changes(tmp_path, journeys__demo_yaml=text), "field.added_optional")
    assert c.classification == COMPATIBLE
    assert where(c) == f"{JOURNEY_FILE}:{line_of(text, 'id: nickname')}"


def test_a_removed_field_is_compatible_and_points_into_the_old_version(tmp_path: Path) -> None:
    text = journey("      - {id: memo, kind: text, label: 备注, max_length: 10}\n", "")
    c = one(changes(tmp_path, journeys__demo_yaml=text.replace("shows: [bank, memo]", "shows: [bank]")),
            "field.removed")
    assert c.classification == COMPATIBLE and c.in_old
    assert where(c) == f"{JOURNEY_FILE}:{line_of(JOURNEY, 'id: memo')} (old)"


def test_a_field_id_renamed_is_breaking(tmp_path: Path) -> None:
    text = journey("{id: memo,", "{id: remark,").replace("shows: [bank, memo]", "shows: [bank, remark]")
    found = changes(tmp_path, journeys__demo_yaml=text)
    c = one(found, "field.renamed")
    assert c.classification == BREAKING and c.field == "remark" and c.details["old_field"] == "memo"
    assert not [x for x in found if x.kind in ("field.removed", "field.added_optional")]


def test_a_label_changed_is_compatible(tmp_path: Path) -> None:
    c = one(changes(tmp_path, journeys__demo_yaml=journey("label: 备注", "label: 备注信息")), "field.text")
    assert c.classification == COMPATIBLE and where(c) == f"{JOURNEY_FILE}:{line_of(JOURNEY, 'id: memo')}"


def test_a_field_made_required_is_breaking_and_made_optional_compatible(tmp_path: Path) -> None:
    more = one(changes(tmp_path / "a", journeys__demo_yaml=journey("max_length: 10}", "max_length: 10, required: true}")),
               "field.required_more")
    assert more.classification == BREAKING
    less = one(changes(tmp_path / "b", journeys__demo_yaml=journey(
        "options: [否, 是], required: true}", "options: [否, 是]}")), "field.required_less")
    assert less.classification == COMPATIBLE


def test_a_field_condition_that_only_hides_is_compatible_else_breaking(tmp_path: Path) -> None:
    hides = one(changes(tmp_path / "a", journeys__demo_yaml=journey(
        "when: \"method == '邮寄到付'\"", "when: \"method == '邮寄到付' and intended_city == '广州市'\"")),
        "field.hidden_more")
    assert hides.classification == COMPATIBLE
    other = one(changes(tmp_path / "b", journeys__demo_yaml=journey(
        "when: \"method == '邮寄到付'\"", "when: \"method != '网点领卡'\"")), "field.condition")
    assert other.classification == BREAKING and other.field == "address"
    assert where(other) == f"{JOURNEY_FILE}:{line_of(JOURNEY, 'id: address')}"


def test_a_tighter_limit_is_breaking_and_a_looser_one_compatible(tmp_path: Path) -> None:
    tighter = one(changes(tmp_path / "a", journeys__demo_yaml=journey("max_length: 10", "max_length: 5")),
                  "field.setting")
    assert tighter.classification == BREAKING
    looser = one(changes(tmp_path / "b", journeys__demo_yaml=journey("max_length: 10", "max_length: 50")),
                 "field.limit_looser")
    assert looser.classification == COMPATIBLE


def test_a_new_check_on_a_field_is_breaking(tmp_path: Path) -> None:
    text = journey("      - {id: memo, kind: text, label: 备注, max_length: 10}",
                   "      - id: memo\n        kind: text\n        label: 备注\n        max_length: 10\n"
                   "        rules:\n          - {check: len(memo) > 2, message: 备注太短}")
    c = one(changes(tmp_path, journeys__demo_yaml=text), "field.rule_added")
    assert c.classification == BREAKING


# ---------------------------------------------------------------------- options

def test_an_option_removed_is_breaking_and_one_added_compatible(tmp_path: Path) -> None:
    found = changes(tmp_path, journeys__demo_yaml=journey("options: [否, 是]", "options: [否, 长期]"))
    removed = one(found, "option.removed")
    assert removed.classification == BREAKING and (removed.field, removed.value) == ("longterm", "是")
    assert where(removed) == f"{JOURNEY_FILE}:{line_of(JOURNEY, 'id: longterm')}"
    assert one(found, "option.added").classification == COMPATIBLE


def test_a_bank_removed_from_a_city_is_breaking_for_the_field_that_offers_it_and_as_data(tmp_path: Path) -> None:
    found = changes(tmp_path, cities__guangzhou_yaml=GUANGZHOU.replace("[工商银行, 招商银行]", "[工商银行]"))
    option = one(found, "option.removed")
    assert option.classification == BREAKING and (option.field, option.value) == ("bank", "招商银行")
    assert option.details["cases"] == ["intended_city=广州市"]
    bank = one(found, "city.bank_removed", None)
    assert bank.classification == BREAKING
    assert where(bank) == f"forms/cities/guangzhou.yaml:{line_of(GUANGZHOU, 'banks:')} (old)"


def test_a_list_entry_added_is_compatible_and_removed_breaking(tmp_path: Path) -> None:
    shenzhen = GUANGZHOU.replace("广州市", "深圳市").replace("gz-1", "sz-1")
    found = changes(tmp_path / "a", lists__issuing_cities_yaml=CITIES.replace("[广州市, 珠海市]", "[广州市, 珠海市, 深圳市]"),
                    cities__shenzhen_yaml=shenzhen)
    entry = one(found, "list.entry_added", None)
    assert entry.classification == COMPATIBLE and entry.value == "深圳市"
    assert where(entry) == f"forms/lists/issuing_cities.yaml:{line_of(CITIES, 'options:')}"
    assert one(found, "option.added").field == "intended_city"


def test_a_resident_pickup_method_removed_is_breaking_for_that_type(tmp_path: Path) -> None:
    # The address's condition no longer names the removed method (lint: a comparison with no option never matches).
    found = changes(tmp_path, residents_yaml=RESIDENTS.replace("[网点领卡, 邮寄到付]", "[网点领卡]"),
                    journeys__demo_yaml=JOURNEY.replace("method == '邮寄到付'", "method != '网点领卡'"))
    option = one(found, "option.removed")
    assert (option.field, option.value, option.details["cases"]) == ("method", "邮寄到付", ["resident=mainland"])
    data = one(found, "resident.entry_removed", None)
    assert data.classification == BREAKING
    assert where(data) == f"forms/residents.yaml:{line_of(RESIDENTS, 'pickup_methods')} (old)"


# ---------------------------------------------------------------------- pages

def test_a_page_removed_is_breaking_at_its_old_position(tmp_path: Path) -> None:
    start, end = JOURNEY.index("  - id: pickup"), JOURNEY.index("  - id: confirm")
    c = one(changes(tmp_path, journeys__demo_yaml=JOURNEY[:start] + JOURNEY[end:]), "page.removed")
    assert c.classification == BREAKING and c.page == "pickup"
    assert where(c) == f"{JOURNEY_FILE}:{line_of(JOURNEY, 'id: pickup')} (old)"


def test_a_page_added_is_breaking(tmp_path: Path) -> None:
    text = journey("  - id: confirm\n", "  - id: notes\n    title: 补充说明\n    step: 领取\n    fields:\n"
                                        "      - {id: notes, kind: text, label: 说明}\n  - id: confirm\n")
    found = changes(tmp_path, journeys__demo_yaml=text)
    c = one(found, "page.added")
    assert c.classification == BREAKING and where(c) == f"{JOURNEY_FILE}:{line_of(text, 'id: notes')}"
    assert not [x for x in found if x.kind.startswith("field.")]      # its fields come with the page


def test_a_page_id_renamed_is_one_breaking_change(tmp_path: Path) -> None:
    text = journey("  - id: details\n", "  - id: card\n").replace("edit: details", "edit: card")
    found = changes(tmp_path, journeys__demo_yaml=text)
    c = one(found, "page.renamed")
    assert c.classification == BREAKING and (c.page, c.details["old_page"]) == ("card", "details")
    assert "renamed" in c.subject and where(c) == f"{JOURNEY_FILE}:{line_of(text, 'id: card')}"
    assert not [x for x in found if x.kind in ("page.removed", "page.added", "field.removed")]


def test_two_pages_reordered_is_breaking_with_the_pages_it_now_precedes(tmp_path: Path) -> None:
    details, pickup, confirm = (JOURNEY.index(f"  - id: {p}") for p in ("details", "pickup", "confirm"))
    text = JOURNEY[:details] + JOURNEY[pickup:confirm] + JOURNEY[details:pickup] + JOURNEY[confirm:]
    c = one(changes(tmp_path, journeys__demo_yaml=text), "page.moved")
    assert c.classification == BREAKING
    moved, other = c.page, ({"details", "pickup"} - {c.page}).pop()
    assert other in c.details["now_before"] + c.details["now_after"]
    assert where(c) == f"{JOURNEY_FILE}:{line_of(text, f'id: {moved}')}"


def test_a_page_condition_re_routes_unless_it_only_hides(tmp_path: Path) -> None:
    routed = one(changes(tmp_path / "a", journeys__demo_yaml=journey(
        "    title: 领取方式\n", "    title: 领取方式\n    when: intended_city == '广州市'\n")), "page.hidden_more")
    assert routed.classification == COMPATIBLE          # from always to sometimes: it only hides
    text = journey("    title: 领取方式\n", "    title: 领取方式\n    when: intended_city == '广州市'\n")
    files_with_when = {**FILES, "journeys/demo.yaml": text}
    old = load_inline(tmp_path / "b" / "old", files_with_when, residents=False)
    new = load_inline(tmp_path / "b" / "new", {**FILES, "journeys/demo.yaml": text.replace("'广州市'", "'珠海市'")},
                      residents=False)
    c = one(diff(old.definition, new.definition), "page.condition")
    assert c.classification == BREAKING and c.page == "pickup"
    assert where(c) == f"{JOURNEY_FILE}:{line_of(text, 'id: pickup')}"


def test_a_page_title_changed_is_compatible(tmp_path: Path) -> None:
    c = one(changes(tmp_path, journeys__demo_yaml=journey("title: 领取方式", "title: 领卡方式")), "page.text")
    assert c.classification == COMPATIBLE


# ---------------------------------------------------------------------- routes, checks, popups, results

def test_where_ok_leads_is_breaking_and_other_outcomes_compatible(tmp_path: Path) -> None:
    ok = one(changes(tmp_path / "a", journeys__demo_yaml=journey(
        "ok: {result: done}\n          rejected: {result: failed}", "ok: {result: failed}\n          rejected: {result: done}")),
             "route.ok_changed")
    assert ok.classification == BREAKING and ok.page == "confirm"
    assert where(ok) == f"{JOURNEY_FILE}:{line_of(JOURNEY, '- label: 确认提交')}"
    text = JOURNEY.replace("unavailable: {message: 系统繁忙}", "unavailable: {popup: ineligible}", 1)
    other = one(changes(tmp_path / "b", journeys__demo_yaml=text), "route.outcome")
    assert other.classification == COMPATIBLE and (other.page, other.details["outcome"]) == ("city", "unavailable")


def test_a_new_service_check_on_a_button_is_breaking(tmp_path: Path) -> None:
    text = journey("        calls: [submit_application]", "        guards: [{when: not resident.online, popup: ineligible}]\n"
                                                          "        calls: [submit_application]")
    c = one(changes(tmp_path, journeys__demo_yaml=text), "button.check_added")
    assert c.classification == BREAKING and c.page == "confirm"


def test_a_popup_text_changed_is_compatible_at_the_popup(tmp_path: Path) -> None:
    c = one(changes(tmp_path, journeys__demo_yaml=journey("您暂不符合申领条件", "您暂不符合申领条件,请咨询12333")), "popup.text")
    assert c.classification == COMPATIBLE
    assert where(c) == f"{JOURNEY_FILE}:{JOURNEY.lstrip().splitlines().index('  ineligible:') + 1}"


def test_a_result_removed_is_breaking(tmp_path: Path) -> None:
    text = journey("rejected: {result: failed}", "rejected: {result: done}").replace(
        "  - {id: failed, title: 提交失败, text: 您的申请未通过}\n", "")
    c = one(changes(tmp_path, journeys__demo_yaml=text), "result.removed")
    assert c.classification == BREAKING and where(c) == f"{JOURNEY_FILE}:{line_of(JOURNEY, 'id: failed')} (old)"


# ---------------------------------------------------------------------- cities and resident types

def test_a_new_city_is_compatible(tmp_path: Path) -> None:
    shenzhen = GUANGZHOU.replace("广州市", "深圳市").replace("gz-1", "sz-1")
    found = changes(tmp_path, cities__shenzhen_yaml=shenzhen,
                    lists__issuing_cities_yaml=CITIES.replace("[广州市, 珠海市]", "[广州市, 珠海市, 深圳市]"))
    city = one(found, "city.added", None)
    assert city.classification == COMPATIBLE and where(city) == "forms/cities/shenzhen.yaml:1"
    assert all(c.classification == COMPATIBLE for c in found)


def test_a_city_removed_is_breaking(tmp_path: Path) -> None:
    found = changes(tmp_path, cities__zhuhai_yaml=None, lists__issuing_cities_yaml=CITIES.replace(", 珠海市", ""))
    city = one(found, "city.removed", None)
    assert city.classification == BREAKING and where(city) == "forms/cities/zhuhai.yaml:1 (old)"
    assert one(found, "option.removed").value == "珠海市"


def test_a_branch_added_is_compatible_and_removed_breaking(tmp_path: Path) -> None:
    branch = ('  - {id: gz-2, name: 北京路支行, bank: 招商银行, district: 荔湾区, address: 广州市北京路1号, hours: 周一至周五, '
              'phone: "020-2"}\n')
    added = one(changes(tmp_path / "a", cities__guangzhou_yaml=GUANGZHOU + branch), "city.branch_added", None)
    assert added.classification == COMPATIBLE and added.value == "gz-2"
    removed = one(changes(tmp_path / "b", cities__guangzhou_yaml=GUANGZHOU.replace(GUANGZHOU.splitlines()[-1], "")
                          .replace("branches:", "branches: []")), "city.branch_removed", None)
    assert removed.classification == BREAKING and where(removed) == (
        f"forms/cities/guangzhou.yaml:{line_of(GUANGZHOU, 'id: gz-1')} (old)")


@pytest.mark.parametrize(("edit", "kind", "classification"), [
    ("add", "resident.added", COMPATIBLE),
    ("label", "resident.text", COMPATIBLE),
    ("online", "resident.setting", BREAKING),
])
def test_resident_types(tmp_path: Path, edit: str, kind: str, classification: str) -> None:
    other = ("  hong_kong:\n    label: 香港居民\n    online: true\n    nationality: 中国香港\n"
             "    allows_longterm_id: false\n    pickup_methods: [网点领卡]\n    materials: 通行证\n    documents:\n"
             "      - {id: hk_permit, label: 通行证, sides: [正面, 反面]}\n")
    text = {"add": RESIDENTS + other, "label": RESIDENTS.replace("label: 内地居民", "label: 内地居民(大陆)"),
            "online": RESIDENTS.replace("online: true", "online: false\n    refusal: 暂不支持")}[edit]
    c = one(changes(tmp_path, residents_yaml=text), kind, None)
    assert c.classification == classification and c.position.file == "forms/residents.yaml"


def test_a_resident_type_removed_is_breaking(tmp_path: Path) -> None:
    other = ("  hong_kong:\n    label: 香港居民\n    online: true\n    nationality: 中国香港\n"
             "    allows_longterm_id: false\n    pickup_methods: [网点领卡]\n    materials: 通行证\n    documents:\n"
             "      - {id: hk_permit, label: 通行证, sides: [正面, 反面]}\n")
    old = load_inline(tmp_path / "old", {**FILES, "residents.yaml": RESIDENTS + other}, residents=False)
    new = load_inline(tmp_path / "new", FILES, residents=False)
    found = diff(old.definition, new.definition, Places.read(tmp_path / "old" / "forms"), Places())
    c = one(found, "resident.removed", None)
    assert c.classification == BREAKING and c.in_old
    assert where(c) == f"forms/residents.yaml:{line_of(RESIDENTS + other, 'hong_kong:')} (old)"
