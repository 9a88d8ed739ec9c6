"""Full-width '：' and '，' where YAML's own punctuation belongs are named at their column; in texts they are fine."""
from __future__ import annotations

import pytest

from renderer.definition.pitfalls import yaml_pitfalls
from renderer.tools.lint import run_explain


def found(text: str) -> list[tuple[str, int, int]]:
    return [(e.code, e.position.line, e.position.col) for e in yaml_pitfalls(text, "forms/x.yaml")]


def test_a_full_width_colon_after_a_key_is_reported_at_the_colon() -> None:
    assert found("pages:\n  - id: details\n    title：申请信息\n") == [("yaml.fullwidth_colon", 3, 10)]
    assert found("  - label：民族\n") == [("yaml.fullwidth_colon", 1, 10)]
    assert found("- {id: phone, label：联系电话}\n") == [("yaml.fullwidth_colon", 1, 20)]


def test_a_full_width_comma_before_a_key_in_braces_is_reported_at_the_comma() -> None:
    assert found("- {id: phone，kind: text}\n") == [("yaml.fullwidth_comma", 1, 13)]


@pytest.mark.parametrize("text", [
    "text: 注意：请携带居民身份证，到网点领卡\n",
    "hint: \"EMS：顺丰，到付\"\n",
    "# label：民族 is a comment\n",
    "options: [网点领卡，邮寄到付]\n",
    "text: |\n  温馨提示：\n  Note：not a key of the DSL\n",
])
def test_full_width_marks_inside_texts_and_comments_are_not_reported(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize("code", ["yaml.fullwidth_colon", "yaml.fullwidth_comma"])
def test_the_codes_are_explained(code: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_explain(code) == 0
    assert capsys.readouterr().out.startswith(f"{code}: ")
