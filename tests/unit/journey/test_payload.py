"""The application payload reads without the YAML, and the schema generated from its journey describes it."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from renderer.definition.loader import load_or_raise
from renderer.definition.model import Definition
from renderer.journey.evaluation import Draft, Evaluation
from renderer.journey.payload import application_payload
from renderer.journey.payload_schema import DIALECT, FORMAT, VALUE_RULES, payload_schema, schema_address
from renderer.services.base import Identity
from widgets import WIDGETS

BRANCHING = Path(__file__).parents[2] / "fixtures" / "forms" / "branching"
ME = Identity(key="k1", name="张伟", id_number="440106199001011235", id_type="居民身份证", resident_type="mainland",
              phone="13600002819")
ADULT = {"agreed": "1", "intended_city": "广州市", "documents.choice": "id_card", "photo.consent": "1",
         "ethnicity": "汉族", "id_longterm": "否", "id_valid_from": "2020-01-01", "id_valid_to": "2035-01-01",
         "phone": "13600002819", "occupation": "企业管理人员", "home_region.city": "广州市",
         "home_region.district": "天河区", "home_address": "天河路100号1201房", "bank": "工商银行",
         "insurance_type": "城镇职工", "pickup_method": "网点领卡", "branch": "gz-lw-zhanqianlu"}
BY_POST = {"pickup_method": "邮寄到付", "mail_notice": "1", "recipient_region.province": "广东省",
           "recipient_region.city": "广州市", "recipient_region.district": "越秀区",
           "recipient_address": "中山五路33号501房"}
UPLOADS = {"documents.id_card.0": "up-emblem", "documents.id_card.1": "up-portrait", "photo.system_photo": "up-photo"}


@pytest.fixture(scope="module")
def forms() -> Definition:
    return load_or_raise()


def adult(forms: Definition, **changes: str) -> Evaluation:
    draft = Draft(raw={**ADULT, **changes}, facts=dict(UPLOADS))
    return Evaluation(forms, forms.journeys["adult"], draft, ME, today=dt.date(2025, 1, 1))


def answer(payload: dict[str, Any], field_id: str) -> dict[str, Any]:
    return next(a for a in payload["fields"] if a["field"] == field_id)


def errors(payload: Any, schema: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(payload)]


# ------------------------------------------------------------------ the payload

def test_each_answer_carries_its_page_section_label_kind_value_and_display(forms: Definition) -> None:
    payload = application_payload(adult(forms))
    assert answer(payload, "phone") == {
        "page": {"id": "details", "title": "申请信息"}, "section": "个人信息", "field": "phone", "label": "手机号码",
        "kind": "phone_code", "value": "13600002819", "display": "136****2819"}
    assert answer(payload, "id_valid_from")["value"] == "2020-01-01"            # dates as ISO text
    assert answer(payload, "id_valid_from")["display"] == "20200101"            # as the confirm page shows it
    assert answer(payload, "home_region")["value"] == {"province": "广东省", "city": "广州市", "district": "天河区"}
    assert answer(payload, "branch")["value"]["name"] == "站前路支行"
    assert answer(payload, "agreed")["section"] is None                          # asked outside any section


def test_uploads_are_kept_by_id_and_images_show_as_label_and_upload(forms: Definition) -> None:
    payload = application_payload(adult(forms))
    documents = answer(payload, "documents")
    assert documents["value"]["files"] == [{"label": "身份证国徽面", "upload": "up-emblem"},
                                           {"label": "身份证人像面", "upload": "up-portrait"}]
    assert documents["display"] == documents["value"]["files"]
    assert answer(payload, "photo")["value"] == {"source": "system", "upload": "up-photo"}
    assert answer(payload, "photo")["display"] == [{"label": "制卡相片", "upload": "up-photo"}]


def test_the_payload_names_its_journey_form_version_format_and_schema(forms: Definition) -> None:
    payload = application_payload(adult(forms))
    assert payload["journey"] == {"id": "adult", "title": "社保卡申领"}
    assert payload["form"] == {"version": forms.version, "label": forms.label} and forms.version
    assert payload["format"] == FORMAT
    assert payload["schema"] == schema_address("adult") == "/schemas/applications/adult.json"
    assert payload["applicant"] == {"name": "张伟", "id_type": "居民身份证", "id_number": "440106199001011235"}
    assert payload["guardian"] is None


def test_answers_are_the_values_of_the_fields_on_the_route_in_order(forms: Definition) -> None:
    payload = application_payload(adult(forms))
    assert payload["answers"] == {a["field"]: a["value"] for a in payload["fields"]}
    assert [a["field"] for a in payload["fields"]][:4] == ["agreed", "name", "ssn", "intended_city"]
    assert "recipient_address" not in payload["answers"]       # 网点领卡: the recipient section is off the route
    by_post = application_payload(adult(forms, **BY_POST))
    assert answer(by_post, "recipient_address")["section"] == "收件人信息"
    assert answer(by_post, "mail_notice")["display"] == "已阅读"


def test_the_confirm_sections_are_kept_as_shown(forms: Definition) -> None:
    sections = application_payload(adult(forms))["sections"]
    personal = next(s for s in sections if s["title"] == "个人信息")
    assert {"label": "出生日期", "value": "19900101"} in personal["rows"]
    assert "收件人信息" not in [s["title"] for s in sections]


def test_the_payload_is_plain_json(forms: Definition) -> None:
    payload = application_payload(adult(forms, **BY_POST))
    assert json.loads(json.dumps(payload, ensure_ascii=False)) == payload


def test_a_fixture_journey_without_a_version_still_makes_a_valid_payload() -> None:
    definition = load_or_raise(BRANCHING)
    definition = type(definition)(definition.journeys, definition.lists, definition.cities, definition.residents)
    journey = definition.journeys["branching"]
    ev = Evaluation(definition, journey, Draft(raw={"method": "网点", "address": "广州市天河路1号"}), ME)
    payload = application_payload(ev)
    assert payload["form"] == {"version": "", "label": ""}
    assert [a["field"] for a in payload["fields"]] == ["method", "memo"]
    assert answer(payload, "memo")["value"] is None and answer(payload, "memo")["display"] == ""
    assert errors(payload, payload_schema(definition, journey)) == []


# ------------------------------------------------------------------ the schema

def test_the_schema_is_draft_2020_12_at_the_address_the_payload_names(forms: Definition) -> None:
    schema = payload_schema(forms, forms.journeys["adult"])
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == DIALECT
    assert schema["$id"] == "/schemas/applications/adult.json"
    assert set(schema["required"]) == {"format", "schema", "journey", "form", "applicant", "guardian", "fields",
                                       "answers", "sections"}


def test_every_answer_is_a_property_with_its_label_and_its_kinds_value_type(forms: Definition) -> None:
    journey = forms.journeys["minor"]
    answers = payload_schema(forms, journey)["properties"]["answers"]
    assert set(answers["properties"]) == {f.id for f in journey.fields}
    assert answers["additionalProperties"] is False
    prop = answers["properties"]
    assert prop["applicant_name"] == {"title": "申领人姓名", "type": "string", "maxLength": 30}
    assert prop["applicant_id_number"]["pattern"] == "^(?:^[0-9]{17}[0-9Xx]$)$"
    assert prop["id_longterm"]["enum"] == ["否", "是"]                                       # options in the YAML
    assert prop["applicant_id_type"]["enum"] == forms.lists["minor_id_types"]              # options from a list
    assert prop["bank"] == {"title": "服务银行", "type": "string"}                       # the city decides: any text
    assert prop["id_valid_from"] == {"title": "证件有效开始日期", "type": "string", "format": "date"}
    assert prop["register_valid_from"]["anyOf"] == [{"type": "string", "format": "date"}, {"type": "null"}]
    assert prop["home_region"]["properties"]["province"] == {"const": "广东省"}
    assert prop["photo"]["required"] == ["source", "upload"]
    assert "guardian_relationship" in answers["required"] and "id_valid_to" not in answers["required"]


def test_the_schema_refuses_what_the_journey_could_not_have_made(forms: Definition) -> None:
    schema = payload_schema(forms, forms.journeys["adult"])
    payload = application_payload(adult(forms, **BY_POST))
    assert errors(payload, schema) == []

    def broken(change: Any) -> list[str]:
        copy = json.loads(json.dumps(payload))
        change(copy)
        return errors(copy, schema)

    assert broken(lambda p: p["answers"].update(ethnicity="火星族"))
    assert broken(lambda p: p["answers"].update(home_address="路" * 101))
    assert broken(lambda p: p["answers"].update(id_valid_from="20200101"))
    assert broken(lambda p: p["answers"].update(nickname="小张"))
    assert broken(lambda p: p["answers"].pop("intended_city"))
    assert broken(lambda p: answer(p, "photo")["value"].pop("upload"))
    assert broken(lambda p: answer(p, "documents").update(kind="text"))
    assert broken(lambda p: p.update(schema="/schemas/applications/minor.json"))
    assert broken(lambda p: p.pop("form"))


def test_every_widget_kind_has_a_value_rule() -> None:
    assert set(VALUE_RULES) == set(WIDGETS)
