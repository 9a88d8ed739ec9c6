"""The documents widget: a document's number passes any of its formats, whichever document the citizen signed in with."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from renderer.definition.expressions import compile_expression
from renderer.definition.loader import load_forms
from renderer.definition.model import Field, Position
from renderer.services.simulator import Personas
from widgets import WIDGETS, FieldContext

ROOT = Path(__file__).resolve().parents[3]
HERE = Position("test.yaml", 1, 1)
WIDGET = WIDGETS["documents"]

FORMATS = {
    "gb11643": {"pattern": "^[0-9]{17}[0-9Xx]$", "check": "gb11643", "message": "证件号码应为18位且校验位正确"},
    "old": {"pattern": "^[A-Z]{3}[0-9]{12}$", "message": "15位号码应为3位英文字母加12位数字"},
    "new": {"pattern": "^9[0-9]{16}[0-9X]$", "check": "gb11643", "message": "18位号码应以9开头且校验位正确"},
}
PERMANENT = {"id": "permanent", "label": "永久居留身份证", "id_type": "永久居留身份证", "number": ["old", "new"],
             "sides": ["正面", "反面"]}
ID_CARD = {"id": "id_card", "label": "居民身份证", "id_type": "居民身份证", "number": "gb11643",
           "sides": ["国徽面", "人像面"]}
EITHER = "15位号码应为3位英文字母加12位数字;或18位号码应以9开头且校验位正确"
NEW_FORMAT = "944840199001011238"      # 9, 44 (广东), 840 (USA), born 1990-01-01, 123, check digit 8
OLD_FORMAT = "USA110088042512"


def ctx(documents: list[dict[str, Any]], person: dict[str, str], raw: dict[str, str] | None = None,
        uploaded: bool = True, formats: dict[str, Any] = FORMATS) -> FieldContext:
    """The field as adult.yaml declares it (documents: resident.documents, formats: lists.number_formats)."""
    roots = {"resident", "lists"}
    exprs = {"documents": compile_expression("resident.documents", known_roots=roots),
             "formats": compile_expression("lists.number_formats", known_roots=roots)}
    field = Field(id="f", kind="documents", label="申请人证件", position=HERE, exprs=exprs)
    env = {"today": dt.date(2026, 11, 26), "person": person, "resident": {"documents": documents},
           "lists": {"number_formats": formats}}
    context = FieldContext(field=field, raw=dict(raw or {}), facts={}, env=env)
    if uploaded:
        for slot in WIDGET.slots(context):
            context.facts[slot["key"]] = f"upload-{slot['key']}"
    return context


def problem(context: FieldContext) -> str | None:
    return WIDGET.check(context, WIDGET.value(context), True)


def someone_else(number: str, formats: dict[str, Any] = FORMATS) -> FieldContext:
    """A citizen who signed in with another document and types the permanent residence card's number."""
    return ctx([ID_CARD, PERMANENT], {"id_type": "居民身份证", "id_number": "440106199001011235"},
               {"f.choice": "permanent", "f.number": number}, formats=formats)


@pytest.mark.parametrize("number", [OLD_FORMAT, NEW_FORMAT, NEW_FORMAT.lower(), f" {OLD_FORMAT.lower()} "])
def test_a_typed_number_in_either_of_two_formats_is_accepted(number: str) -> None:
    context = someone_else(number)
    assert problem(context) is None
    assert WIDGET.value(context)["number"] == number.strip().upper()
    assert WIDGET.view(context)["needs_number"] is True


@pytest.mark.parametrize("number", ["USA11008804251", "US1110088042512", "944840199001011237", "844840199001011238",
                                    "440106199001011235"])
def test_a_typed_number_in_neither_format_names_both(number: str) -> None:
    context = someone_else(number)
    assert problem(context) == EITHER
    assert WIDGET.value(context) is None


def test_a_typed_number_is_asked_for_before_its_format_is_checked() -> None:
    assert problem(someone_else("")) == "请输入永久居留身份证号码"


def test_the_registered_number_passes_either_format_and_is_not_typed() -> None:
    for number in (OLD_FORMAT, NEW_FORMAT):
        context = ctx([PERMANENT], {"id_type": "永久居留身份证", "id_number": number})
        assert problem(context) is None
        assert WIDGET.value(context)["number"] == number
        assert WIDGET.view(context)["needs_number"] is False


def test_the_registered_number_in_a_wrong_format_is_refused() -> None:
    context = ctx([PERMANENT], {"id_type": "永久居留身份证", "id_number": "USA1100880425"})
    assert problem(context) == EITHER
    assert WIDGET.value(context) is None
    single = ctx([ID_CARD], {"id_type": "居民身份证", "id_number": "440106199001011234"})   # wrong check digit
    assert problem(single) == "证件号码应为18位且校验位正确"
    assert WIDGET.value(single) is None


def test_the_registered_number_is_refused_before_anything_is_uploaded() -> None:
    context = ctx([PERMANENT], {"id_type": "永久居留身份证", "id_number": "123"}, uploaded=False)
    assert problem(context) == EITHER


def test_a_single_format_still_works() -> None:
    typed = {"id_type": "永久居留身份证", "id_number": OLD_FORMAT}
    good = ctx([PERMANENT, ID_CARD], typed, {"f.choice": "id_card", "f.number": "440106199001011235"})
    assert problem(good) is None
    assert WIDGET.value(good)["number"] == "440106199001011235"
    bad = ctx([PERMANENT, ID_CARD], typed, {"f.choice": "id_card", "f.number": "440106199001011234"})
    assert problem(bad) == "证件号码应为18位且校验位正确"
    registered = ctx([ID_CARD], {"id_type": "居民身份证", "id_number": "440106199001011235"})
    assert problem(registered) is None


def test_a_format_without_message_is_named_by_the_document() -> None:
    formats = {**FORMATS, "old": {"pattern": "^[A-Z]{3}[0-9]{12}$"}}
    context = someone_else("123", formats)
    assert problem(context) == "永久居留身份证号码格式不正确;或18位号码应以9开头且校验位正确"


def test_every_demo_person_passes_the_formats_of_the_document_they_signed_in_with() -> None:
    definition = load_forms(ROOT / "forms").definition
    assert definition is not None
    personas = Personas(ROOT / "data" / "personas.yaml", b"test")
    checked = 0
    for persona in personas.by_number.values():
        person = persona.identity
        documents = definition.residents[person.resident_type]["documents"]
        if not any(d.get("id_type") == person.id_type for d in documents):
            continue        # a minor's 户口簿: nobody signs in with it
        context = ctx(documents, {"id_type": person.id_type, "id_number": person.id_number},
                      formats=definition.lists["number_formats"])
        assert problem(context) is None, (person.name, person.id_number)
        checked += 1
    assert checked >= 10
