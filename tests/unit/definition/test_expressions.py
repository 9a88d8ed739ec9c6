"""Unit tests for the form condition expression language."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import renderer.definition.expressions as expressions
from renderer.definition.expressions import DEFAULT_FUNCTIONS, Expression, ExpressionError, compile_expression

ROOTS = frozenset({
    "a", "b", "c", "agreed", "id_longterm", "id_valid_from", "id_valid_to", "pickup_method", "resident",
    "lists", "applicant_id_type", "person", "missing", "obj", "items",
})


def run(source: str, env: dict[str, Any] | None = None, **kwargs: Any) -> Any:
    """Compile with the test roots and evaluate."""
    return compile_expression(source, known_roots=ROOTS, **kwargs).evaluate(env or {})


def error(source: str, roots: frozenset[str] = ROOTS, **kwargs: Any) -> ExpressionError:
    """Compile expecting an ExpressionError and return it."""
    with pytest.raises(ExpressionError) as info:
        compile_expression(source, known_roots=roots, **kwargs)
    return info.value


# ---------------------------------------------------------------- precedence

def test_and_binds_tighter_than_or() -> None:
    # (a or b) and c would be False here.
    assert run("a or b and c", {"a": True, "b": False, "c": False}) is True
    # a and (b or c) would be False here.
    assert run("a and b or c", {"a": False, "b": True, "c": True}) is True


def test_not_binds_looser_than_comparison_and_tighter_than_and() -> None:
    assert run("not a == b", {"a": 1, "b": 2}) is True
    # not (a and b) would be True here.
    assert run("not a and b", {"a": False, "b": False}) is False
    assert run("not not a", {"a": 1}) is True


def test_and_or_not_return_booleans_and_short_circuit() -> None:
    assert run("a or b", {"a": "x", "b": None}) is True
    assert run("a and b", {"a": "x", "b": 0}) is False
    assert run("not agreed", {"agreed": None}) is True
    calls: list[Any] = []
    fns = {"spy": lambda: calls.append(1) or True}
    assert run("a or spy()", {"a": True}, functions=fns) is True
    assert run("a and spy()", {"a": False}, functions=fns) is False
    assert calls == []


def test_arithmetic_precedence_and_unary_minus() -> None:
    assert run("1 + 2 * 3") == 7
    assert run("(1 + 2) * 3") == 9
    assert run("10 - 4 - 3") == 3
    assert run("10 / 4") == 2.5
    assert run("-2 * 3 + a", {"a": 10}) == 4
    assert run("1.5 + 1") == 2.5


# ---------------------------------------------------------------- comparisons

def test_equality_with_chinese_strings() -> None:
    assert run("id_longterm == '否'", {"id_longterm": "否"}) is True
    assert run("id_longterm != '否'", {"id_longterm": "是"}) is True
    assert run('pickup_method == "邮寄到付"', {"pickup_method": "网点领取"}) is False


def test_ordering_of_numbers_and_dates() -> None:
    env = {"id_valid_from": dt.date(2020, 1, 1), "id_valid_to": dt.date(2030, 1, 1)}
    assert run("id_valid_to > id_valid_from", env) is True
    assert run("id_valid_to <= id_valid_from", env) is False
    assert run("a >= 3", {"a": 3}) is True
    assert run("a < 3", {"a": 3}) is False


def test_date_compares_with_iso_string_on_either_side() -> None:
    env = {"id_valid_from": dt.date(2020, 5, 1), "id_valid_to": "2030-01-01"}
    assert run("id_valid_to > id_valid_from", env) is True
    assert run("id_valid_from < id_valid_to", env) is True
    assert run("id_valid_from == '2020-05-01'", env) is True
    assert run("id_valid_from < '2020-02-30'", env) is False  # impossible date stays a string
    assert run("id_valid_from < 'soon'", env) is False


def test_ordering_with_none_or_incomparable_types_is_false() -> None:
    assert run("missing < 5") is False
    assert run("missing >= 5") is False
    assert run("5 > missing") is False
    assert run("a < 5", {"a": "text"}) is False
    assert run("a != 5", {"a": "text"}) is True


def test_in_and_not_in_with_lists() -> None:
    assert run("applicant_id_type in ['户口簿', '居民身份证']", {"applicant_id_type": "户口簿"}) is True
    assert run("applicant_id_type not in ['户口簿', '居民身份证']", {"applicant_id_type": "户口簿"}) is False
    assert run("a in items", {"a": 2, "items": [1, 2]}) is True
    assert run("a not in items", {"a": 3, "items": [1, 2]}) is True


def test_in_with_none_or_non_container_right_side() -> None:
    assert run("a in missing", {"a": 1}) is False
    assert run("a not in missing", {"a": 1}) is True
    assert run("a in 5", {"a": 1}) is False
    assert run("a not in 5", {"a": 1}) is True
    assert run("a in items", {"a": [1], "items": {"k": 1}}) is False  # unhashable key into a dict


# ---------------------------------------------------------------- literals, names, subscripts

def test_literals() -> None:
    assert run("[1, 'x', true, false, null,]") == [1, "x", True, False, None]
    assert run("[]") == []
    assert run(r"'it\'s \"q\" \\ \n'") == "it's \"q\" \\ \n"
    assert run('"单引号\'"') == "单引号'"


def test_list_literal_is_fresh_each_evaluation() -> None:
    expr = compile_expression("[1, 2]", known_roots=ROOTS)
    first = expr.evaluate({})
    first.append(3)
    assert expr.evaluate({}) == [1, 2]


def test_dotted_names_resolve_through_mappings_and_objects() -> None:
    env = {"resident": {"pickup_methods": ["网点领取", "邮寄到付"], "type": "mainland"}}
    assert run("resident.pickup_methods", env) == ["网点领取", "邮寄到付"]
    assert run("pickup_method == '邮寄到付' and resident.type != 'hong_kong'",
               {**env, "pickup_method": "邮寄到付"}) is True
    assert run("obj.person.name", {"obj": SimpleNamespace(person=SimpleNamespace(name="张三"))}) == "张三"


def test_private_attributes_of_objects_are_not_reachable() -> None:
    assert run("obj.__class__", {"obj": SimpleNamespace()}) is None
    assert run("obj._secret", {"obj": SimpleNamespace(_secret=1)}) is None
    assert run("obj._key", {"obj": {"_key": 1}}) == 1  # mapping keys are plain data


def test_subscript_and_attribute_after_subscript() -> None:
    env = {
        "lists": {"minor_documents": {"户口簿": {"label": "户口簿首页"}}},
        "applicant_id_type": "户口簿",
        "items": ["x", "y"],
    }
    assert run("lists.minor_documents[applicant_id_type]", env) == {"label": "户口簿首页"}
    assert run("lists.minor_documents[applicant_id_type].label", env) == "户口簿首页"
    assert run("items[1]", env) == "y"
    assert run("items[-1]", env) == "y"


def test_subscript_is_none_safe() -> None:
    env = {"items": ["x", "y"], "lists": {"k": None}}
    assert run("items[5]", env) is None
    assert run("items['a']", env) is None
    assert run("items[true]", env) is None  # bools are not indexes, even though Python allows it
    assert run("missing[0]", env) is None
    assert run("lists.k[0].label", env) is None
    assert run("lists[items]", env) is None  # unhashable key


# ---------------------------------------------------------------- functions

def test_len_and_empty() -> None:
    assert run("len(resident.documents) > 1", {"resident": {"documents": [1, 2]}}) is True
    assert run("len(resident.documents) > 1", {}) is False  # len(None) -> None -> False
    cases = [(None, True), ("", True), ([], True), ({}, True), ("x", False), ([0], False), (0, False)]
    for value, expected in cases:
        assert run("empty(a)", {"a": value}) is expected, value


def test_age_with_on_date_and_iso_strings() -> None:
    env = {"person": {"birth_date": dt.date(2010, 6, 15)}}
    assert run("age(person.birth_date, '2026-06-14')", env) == 15
    assert run("age(person.birth_date, '2026-06-15')", env) == 16
    assert run("age('2010-06-15', a)", {"a": dt.datetime(2026, 6, 16, 8, 0, tzinfo=dt.UTC)}) == 16
    assert run("age(person.birth_date, 'nope')", env) is None
    assert run("age(person.birth_date, '20260615')", env) is None  # only YYYY-MM-DD counts as a date
    assert run("age(person.birth_date) < 16", {"person": {}}) is False


def test_age_and_today_default_to_the_current_date() -> None:
    today = dt.date.today()
    assert run("today()") == today
    assert run("age(a)", {"a": dt.date(today.year - 20, 1, 1)}) == 20
    assert run("age(a)", {"a": dt.date(today.year - 20, 12, 31) + dt.timedelta(days=1)}) == 19


def test_lower_and_upper() -> None:
    assert run("lower(a) == 'abc'", {"a": "AbC"}) is True
    assert run("upper(a)", {"a": "x1"}) == "X1"
    assert run("upper(a)", {"a": 3}) is None


def test_function_that_raises_yields_none() -> None:
    def boom(value: Any) -> Any:
        raise RuntimeError(value)

    assert run("boom(a)", {"a": 1}, functions={"boom": boom}) is None


def test_custom_functions_replace_the_defaults() -> None:
    assert error("len(a)", functions={"double": lambda x: x * 2}).code == "expr.unknown_function"
    assert run("double(a)", {"a": 4}, functions={**DEFAULT_FUNCTIONS, "double": lambda x: x * 2}) == 8


# ---------------------------------------------------------------- None safety

def test_missing_names_evaluate_to_none() -> None:
    assert run("missing") is None
    assert run("resident.a.b.c", {"resident": {"a": None}}) is None
    assert run("resident.a.b", {"resident": "not a mapping"}) is None


def test_arithmetic_is_none_safe() -> None:
    assert run("missing + 1") is None
    assert run("1 - missing") is None
    assert run("-missing") is None
    assert run("a / 0", {"a": 3}) is None
    assert run("a + 1", {"a": "x"}) is None
    assert run("'ab' * 3") is None  # string repetition is refused on purpose
    assert run("'ab' + 'cd'") == "abcd"


def test_evaluate_tolerates_a_non_mapping_env() -> None:
    expr = compile_expression("missing == null", known_roots=ROOTS)
    assert expr.evaluate(None) is True  # type: ignore[arg-type]


# ---------------------------------------------------------------- errors

def test_incomplete_expression_reports_offset_at_end() -> None:
    err = error("id_longterm == ")
    assert err.code == "expr.syntax"
    assert err.offset == len("id_longterm == ")
    assert "end of the expression" in err.message


def test_unknown_name_suggests_close_match() -> None:
    err = error("pikup == 1", roots=frozenset({"pickup"}))
    assert err.code == "expr.unknown_name"
    assert err.offset == 0
    assert "did you mean 'pickup'" in err.message
    assert str(err) == err.message


def test_unknown_name_offset_points_at_the_name() -> None:
    err = error("a == 1 and nope.x", roots=frozenset({"a"}))
    assert (err.code, err.offset) == ("expr.unknown_name", 11)
    assert "'a'" in err.message  # lists what is allowed when nothing is close


def test_only_the_first_segment_is_checked() -> None:
    expr = compile_expression("resident.anything.goes", known_roots={"resident"})
    assert expr.names == frozenset({"resident.anything.goes"})


def test_python_literals_are_rejected_with_a_hint() -> None:
    err = error("a == True")
    assert err.code == "expr.unknown_name"
    assert "did you mean 'true'" in err.message


def test_unterminated_string_points_at_the_quote() -> None:
    err = error("a == 'abc")
    assert (err.code, err.offset) == ("expr.syntax", 5)
    assert "unterminated" in err.message
    assert error('a == "abc\\').offset == 5


def test_bad_escape_points_at_the_backslash() -> None:
    err = error(r"a == 'x\qy'")
    assert err.offset == 7
    assert "escape" in err.message


def test_chained_comparison_is_rejected() -> None:
    err = error("a < b < c")
    assert err.code == "expr.syntax"
    assert err.offset == 6
    assert "chained" in err.message
    assert error("a == b in c").offset == 7


def test_common_operator_mistakes_get_hints() -> None:
    assert "'=='" in error("a = 1").message
    assert "'and'" in error("a && b").message
    assert error("a ＝ 1").offset == 2
    assert "full-width" in error("a ＝ 1").message


def test_unbalanced_brackets_and_trailing_tokens() -> None:
    err = error("(a == 1")
    assert err.offset == 7 and "')'" in err.message
    assert error("[1, 2").offset == 5
    assert error("a b").offset == 2
    assert error("a.").offset == 2
    assert error("1abc").offset == 1


def test_unknown_function() -> None:
    err = error("lenn(a) > 1")
    assert (err.code, err.offset) == ("expr.unknown_function", 0)
    assert "did you mean 'len'" in err.message


def test_dotted_name_cannot_be_called() -> None:
    err = error("resident.len(a)")
    assert err.code == "expr.syntax" and err.offset == 0


def test_wrong_arity() -> None:
    err = error("a == 1 or len(a, b)")
    assert (err.code, err.offset) == ("expr.arity", 10)
    assert error("age()").code == "expr.arity"
    assert error("today(1)").code == "expr.arity"
    assert compile_expression("age(a, b)", known_roots=ROOTS).names == frozenset({"a", "b"})


def test_pathological_nesting_is_a_compile_error() -> None:
    assert error("(" * 500 + "a" + ")" * 500).code == "expr.syntax"
    assert error(" + ".join(["a"] * 300)).code == "expr.syntax"
    assert run("(((a)))", {"a": 1}) == 1


def test_known_roots_must_not_be_a_bare_string() -> None:
    with pytest.raises(TypeError):
        compile_expression("p", known_roots="p")


# ---------------------------------------------------------------- the compiled object

def test_names_collects_full_dotted_names() -> None:
    expr = compile_expression(
        "resident.pickup_methods and id_longterm == '否' or lists.minor_documents[applicant_id_type].label"
        " in [person.name] and age(person.birth_date) < 16",
        known_roots=ROOTS,
    )
    assert expr.names == frozenset({
        "resident.pickup_methods", "id_longterm", "lists.minor_documents", "applicant_id_type",
        "person.name", "person.birth_date",
    })
    assert expr.source.startswith("resident.pickup_methods")


def test_expression_is_immutable_and_reusable() -> None:
    expr = compile_expression("a > 1", known_roots=ROOTS)
    assert isinstance(expr, Expression)
    with pytest.raises(dataclasses.FrozenInstanceError):
        expr.source = "b"  # type: ignore[misc]
    assert [expr.evaluate({"a": n}) for n in (0, 2, 1, 5)] == [False, True, False, True]


def test_module_does_not_use_python_eval_or_exec() -> None:
    text = Path(expressions.__file__).read_text(encoding="utf-8")
    assert "eval(" not in text
    assert "exec(" not in text
