"""Every number format a document names must exist in lists/number_formats.yaml: one name or a list of names."""
from __future__ import annotations

from pathlib import Path

from tests.formkit import load_inline

FORMATS = """
list: number_formats
title: 证件号码格式
items:
  gb11643: {pattern: "^[0-9]{17}[0-9Xx]$", check: gb11643, message: 证件号码应为18位且校验位正确}
  foreign_permanent_2017: {pattern: "^[A-Z]{3}[0-9]{12}$", message: 15位号码应为3位英文字母加12位数字}
  foreign_permanent_2023: {pattern: "^9[0-9]{16}[0-9X]$", check: gb11643, message: 18位号码应以9开头且校验位正确}
"""


def residents(number: str) -> str:
    return f"""
residents:
  foreigner:
    label: 华侨及外国人
    online: false
    refusal: 暂不支持华侨及外国人线上办理
    nationality: 外国
    allows_longterm_id: false
    pickup_methods: [网点领卡]
    documents:
      - {{id: permanent, label: 外国人永久居留身份证, number: {number}, sides: [正面, 反面]}}
"""


def test_known_names_one_or_several_pass(tmp_path: Path) -> None:
    for number in ("gb11643", "[foreign_permanent_2017, foreign_permanent_2023]"):
        result = load_inline(tmp_path / number[:3], {"residents.yaml": residents(number),
                                                     "lists/number_formats.yaml": FORMATS})
        assert [str(e) for e in result.errors] == []


def test_an_unknown_name_is_reported_where_it_is_written_with_did_you_mean(tmp_path: Path) -> None:
    result = load_inline(tmp_path, {"residents.yaml": residents("[foreign_permanent_2017, foreign_permanent_2032]"),
                                    "lists/number_formats.yaml": FORMATS})
    [error] = result.errors
    assert (error.code, error.position.line, error.position.col) == ("ref.unknown_number_format", 10, 77)
    assert error.path == "residents.foreigner.documents[0].number[1]"
    assert "'foreign_permanent_2032'" in error.message
    assert "Did you mean 'foreign_permanent_2023'?" in error.hint
    single = load_inline(tmp_path / "single", {"residents.yaml": residents("gb11634"),
                                               "lists/number_formats.yaml": FORMATS})
    [error] = single.errors
    assert (error.code, error.position.col, error.path) == ("ref.unknown_number_format", 52,
                                                            "residents.foreigner.documents[0].number")
    assert "Did you mean 'gb11643'?" in error.hint


def test_without_the_list_every_name_is_unknown(tmp_path: Path) -> None:
    result = load_inline(tmp_path, {"residents.yaml": residents("gb11643")})
    [error] = result.errors
    assert error.code == "ref.unknown_number_format"
    assert error.message == "document 'permanent' names the number format 'gb11643', but there is no list number_formats."
    assert "lists/number_formats.yaml" in error.hint
