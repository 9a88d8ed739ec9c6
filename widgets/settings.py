"""The settings each field kind takes: one frozen dataclass per kind, declared once.

The loader (renderer/definition/fields.py) reads a field's YAML through its kind's model, the JSON Schema's
`$defs/field` is generated from the models (renderer/tools/schema.py), and so is the reference (docs/dsl-reference.md).
How a value is read is part of each setting's declaration (`reads`), never guessed from the text:

- `literal`: the value as written (`default: 否`, `max_length: 100`);
- `expression`: always an expression over answers and context (`default_from: person.phone`, `value: applicant.name`);
- `condition`: true/false, or an expression (`required`, `when`, `enabled`);
- `list_or_expression`: a YAML list is the literal list, a text always names a list (`options: lists.ethnicities`);
- `rules`: a list of `{check: <expression>, message: <text>}`.
"""
from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from renderer.definition.expressions import Expression
from renderer.definition.model import Condition, Field, Rule

Reads = Literal["literal", "expression", "condition", "list_or_expression", "rules"]
DISPLAYS = ("plain", "mask_name", "mask_id", "mask_phone", "date_compact", "date_iso")   # widgets/display.py
NAME_PATTERN = "^[a-z][a-z0-9_]*$"
DATE_BOUND = "^(today|[0-9]{4}-[0-9]{2}-[0-9]{2})$"


@dataclass(frozen=True)
class Setting:
    """What the docs and the schema say about one setting."""

    description: str
    examples: tuple[Any, ...] = ()
    reads: Reads = "literal"
    required: bool = False                 # the kind cannot work without it
    schema: Mapping[str, Any] | None = None   # the JSON Schema of a literal value
    shown: bool = False                    # the citizen reads it: converted into each language (forms load)


def setting(description: str, *examples: Any, default: Any = None, reads: Reads = "literal", required: bool = False,
            shown: bool = False, **schema: Any) -> Any:
    """Declare a setting: a dataclass field with its default and what the docs and the schema say about it."""
    meta = Setting(description, examples, reads, required, schema or None, shown)
    if isinstance(default, (dict, list)):       # a mutable default: each instance gets its own copy
        return dataclasses.field(default_factory=lambda: copy.deepcopy(default), metadata={"setting": meta})
    return dataclasses.field(default=default, metadata={"setting": meta})


TEXT: dict[str, Any] = {"type": "string"}
SHOWN: dict[str, Any] = {"shown": True, **TEXT}     # a text the citizen reads (not a pattern or a value)


# ---------------------------------------------------------------------- shared by kinds


@dataclass(frozen=True, kw_only=True)
class Common:
    """What every field has."""

    id: str = setting("Answer name, unique in the journey; expressions read it by this name.",
                      "intended_city", "pickup_method", default="", required=True, type="string", pattern=NAME_PATTERN)
    kind: str = setting("The widget; it decides which other settings the field takes.", "select", "phone_code",
                        default="", required=True)
    label: str = setting("The visible label, the manual's wording.", "意向发卡地", "领卡方式", default="", required=True,
                         **SHOWN)
    when: Condition = setting("Show the field only when this is true; a hidden field has no value.",
                              "pickup_method == '邮寄到付'", default=True, reads="condition")
    hint: str | None = setting("Help text under the field.", "请填写能接收短信验证码的手机号码", **SHOWN)
    rules: tuple[Rule, ...] = setting("Extra checks with their own messages, checked when the field has a value.",
                                      [{"check": "id_valid_to > id_valid_from",
                                        "message": "证件有效截止日期须晚于证件有效开始日期"}],
                                      default=(), reads="rules")


@dataclass(frozen=True, kw_only=True)
class Answered(Common):
    """A field the citizen answers: it may be required."""

    required: Condition = setting("Whether the page needs an answer here: true/false, or a condition.", True,
                                  "id_longterm != '是'", default=False, reads="condition")
    message: str | None = setting("Message when a required field is empty (default: 请填写/请选择 + label).",
                                  "请选择受理网点", "请先获取制卡相片", **SHOWN)


@dataclass(frozen=True, kw_only=True)
class Input(Answered):
    """A field the citizen types or picks in, which may start with a value and may be disabled."""

    default: str | int | float | bool | None = setting(
        "Initial value, always a literal as written (to start from data, use default_from).", "否", "其他人员",
        type=["string", "number", "boolean"])
    default_from: Expression | None = setting(
        "Initial value read from an expression (the registered phone, an earlier answer).", "person.phone",
        reads="expression")
    enabled: Condition = setting("When false the citizen cannot change the field: it keeps its initial value, "
                                 "and a posted value is ignored.", "pickup_method == '网点领卡'", default=True,
                                 reads="condition")


# ---------------------------------------------------------------------- one model per kind


@dataclass(frozen=True, kw_only=True)
class TextSettings(Input):
    """A line of text."""

    placeholder: str | None = setting("Placeholder text inside the input.", "请输入申领人姓名", **SHOWN)
    min_length: int | None = setting("Fewest characters (server check and minlength attribute).", 5, 18,
                                     type="integer", minimum=0)
    max_length: int | None = setting("Most characters (server check and maxlength attribute).", 100, 18,
                                     type="integer", minimum=1)
    pattern: str | None = setting("Regular expression the whole value must match (server check and pattern "
                                  "attribute), once the value is in its one spelling (ASCII digits, no zero-width "
                                  "characters); \\d and \\w are ASCII only.", "^[0-9]{17}[0-9Xx]$", **TEXT)
    pattern_message: str | None = setting("Message when the pattern does not match (default: <label>格式不正确).",
                                          "证件号码应为18位,最后一位可以是数字或X", **SHOWN)


OPTIONS = ("The choices: a YAML list is the list itself; a text always names a list (lists.ethnicities, "
           "resident.pickup_methods, cities[intended_city].banks).")


@dataclass(frozen=True, kw_only=True)
class SelectSettings(Input):
    """A choice from a drop-down list."""

    options: tuple[str, ...] | Expression = setting(OPTIONS, ["否", "是"], "lists.ethnicities", default=(),
                                                    reads="list_or_expression", required=True)


@dataclass(frozen=True, kw_only=True)
class RadioSettings(Input):
    """One of a few options shown side by side."""

    options: tuple[str, ...] | Expression = setting(OPTIONS, ["否", "是"], "resident.pickup_methods", default=(),
                                                    reads="list_or_expression", required=True)


@dataclass(frozen=True, kw_only=True)
class AgreementSettings(Answered):
    """A check box the citizen ticks to agree."""


@dataclass(frozen=True, kw_only=True)
class DateSettings(Input):
    """A date (YYYY-MM-DD)."""

    min: str | None = setting("Earliest date: YYYY-MM-DD or today (server check and min attribute).", "today",
                              "2000-01-01", type="string", pattern=DATE_BOUND)
    max: str | None = setting("Latest date: YYYY-MM-DD or today (server check and max attribute).", "today",
                              type="string", pattern=DATE_BOUND)


@dataclass(frozen=True, kw_only=True)
class ReadonlySettings(Common):
    """A value the citizen sees but cannot change."""

    value: Expression | None = setting("What is shown.", "applicant.name", "add_years(applicant.birth_date, 16)",
                                       reads="expression", required=True)
    display: str = setting("How the value is shown.", "mask_name", "date_iso", default="plain", enum=list(DISPLAYS))


@dataclass(frozen=True, kw_only=True)
class PhoneCodeSettings(Answered):
    """A mobile number of China (11 digits, checked with phonenumbers) verified by an SMS code."""

    default_from: Expression | None = setting(
        "The number already registered: shown masked, kept unless the citizen changes it (then it needs a code).",
        "person.phone", reads="expression")
    code_label: str = setting("Label of the SMS code input.", "验证码", default="验证码", **SHOWN)
    editable_label: str = setting("Text of the link that changes a prefilled number.", "修改", default="修改", **SHOWN)


@dataclass(frozen=True, kw_only=True)
class DocumentsSettings(Answered):
    """Photos of the identity documents, one upload slot per side."""

    documents: Expression | None = setting("The documents the citizen may upload (a resident type's list).",
                                           "resident.documents", "lists.minor_documents[applicant_id_type]",
                                           reads="expression", required=True)
    formats: Expression | None = setting("The number formats a document's `number` names (lists/number_formats.yaml).",
                                         "lists.number_formats", reads="expression")
    button: str = setting("Text of each upload button.", "拍照或从手机相册选择", default="拍照或从手机相册选择", **SHOWN)
    prefix: str = setting("Text put before each slot's label (监护人).", "监护人", default="", **SHOWN)


@dataclass(frozen=True, kw_only=True)
class PhotoChoiceSettings(Answered):
    """The card photo: by receipt number, or the one the social security system holds."""

    owner: Expression | None = setting("Whose photo (default: the signed-in person).", "applicant.id_number",
                                       reads="expression")
    placeholder: str | None = setting("Placeholder of the receipt number input.", "请输入相片回执号", **SHOWN)
    receipt_label: str = setting("Label of the receipt-number way.", "输入社保卡相片回执号", default="", required=True,
                                 **SHOWN)
    receipt_button: str = setting("Text of the fetch button.", "获取图片", default="", required=True, **SHOWN)
    system_label: str = setting("Label of the system-photo way.", "使用本人社保相片", default="", required=True, **SHOWN)
    system_consent: str = setting("The consent check box text.", "使用社保系统相片制卡", default="", required=True,
                                  **SHOWN)
    system_missing: str = setting("Shown when the social security system holds no photo.",
                                  "社保系统暂无您的相片,请输入社保卡相片回执号获取相片", default="", required=True,
                                  **SHOWN)
    receipt_max_length: int = setting("Longest receipt number (server check and maxlength attribute).", 30,
                                      default=30, type="integer", minimum=1)
    receipt_pattern: str | None = setting("Pattern a receipt number must match.", "^[A-Za-z0-9]{6,30}$", **TEXT)
    receipt_pattern_message: str = setting("Message when a receipt number does not match.",
                                           "相片回执号由6至30位字母或数字组成", default="相片回执号格式不正确", **SHOWN)
    popups: Mapping[str, str] = setting(
        "Popup ids for what can go wrong: receipt_not_found (no photo for that number), no_system_photo (the citizen "
        "chose the system photo and there is none).",
        {"receipt_not_found": "photo_receipt_refused", "no_system_photo": "no_system_photo"}, default={},
        type="object", additionalProperties=False,
        properties={"receipt_not_found": {"type": "string", "description": "Popup when no photo has that receipt "
                                          "number (default: a message under the field).",
                                          "examples": ["photo_receipt_refused"]},
                    "no_system_photo": {"type": "string", "description": "Popup when the citizen chooses the system "
                                        "photo and there is none (default: a message under the field).",
                                        "examples": ["no_system_photo"]}})


@dataclass(frozen=True, kw_only=True)
class BranchPickerSettings(Answered):
    """受理网点: a branch of the issuing city, chosen from a searchable list."""

    city: Expression | None = setting("The city whose branches are offered.", "intended_city", reads="expression",
                                      required=True)
    dialog_title: str | None = setting("Heading of the branch list (default: the label).", "受理网点信息", **SHOWN)
    search_placeholder: str = setting("Placeholder of the keyword search.", "请输入搜索关键词", default="请输入搜索关键词",
                                      **SHOWN)
    shows: Mapping[str, str] = setting(
        "Labels of the chosen branch's name, phone and address.", {"name": "网点名称", "phone": "网点电话",
                                                                   "address": "网点地址"},
        default={"name": "网点名称", "phone": "网点电话", "address": "网点地址"}, shown=True, type="object",
        additionalProperties=False,
        properties={key: {"type": "string", "description": f"Label of the branch {key}.", "examples": [label]}
                    for key, label in (("name", "网点名称"), ("phone", "网点电话"), ("address", "网点地址"))})


@dataclass(frozen=True, kw_only=True)
class RegionSettings(Answered):
    """Province › city › district, chosen from a tree."""

    tree: Expression | None = setting("The province › city › district tree to choose from.", "lists.regions",
                                      reads="expression", required=True)
    within: str | None = setting("Limit the choice to this province: only city and district are asked.", "广东省",
                                 **TEXT)


@dataclass(frozen=True, kw_only=True)
class NoticeSettings(Common):
    """A notice shown as a dialog until the citizen acknowledges it; the page needs the acknowledgement."""

    text: str = setting("The dialog text; each line a paragraph.", "1.请认真填写持卡人本人的收件地址。", default="",
                        required=True, **SHOWN)
    button: str = setting("The acknowledgement button text.", "好的,我已阅读", default="", required=True, **SHOWN)


@dataclass(frozen=True, kw_only=True)
class RecordListSettings(Answered):
    """Records a service lists (the cards to clean up), each selected by default."""

    source: str = setting("The service list shown.", "cards_to_clean", default="", required=True,
                          enum=["cards_to_clean"])
    columns: tuple[Mapping[str, str], ...] = setting(
        "The columns shown for each record.", [{"label": "发卡城市", "key": "issuing_city"},
                                               {"label": "姓名", "key": "name", "display": "mask_name"}],
        default=(), required=True, shown=True, type="array", minItems=1,
        items={"type": "object", "description": "One column.", "required": ["label", "key"],
               "additionalProperties": False,
               "properties": {"label": {"type": "string", "description": "Column label (发卡城市).",
                                        "examples": ["发卡城市", "社保卡号"]},
                              "key": {"type": "string", "description": "The record's key (issuing_city).",
                                      "examples": ["issuing_city", "card_number"]},
                              "display": {"enum": list(DISPLAYS), "description": "How the value is shown.",
                                          "examples": ["mask_name", "mask_id"]}}})
    layout: str = setting("One line per record, or one card per record.", "cards", "rows", default="rows",
                          enum=["rows", "cards"])
    locked: bool = setting("Every record is selected and the citizen cannot unselect one (the server ignores an "
                           "attempt); otherwise each record has a check box.", True, default=False, type="boolean")


SETTINGS: dict[str, type[Common]] = {
    "text": TextSettings, "select": SelectSettings, "radio": RadioSettings, "agreement": AgreementSettings,
    "date": DateSettings, "readonly": ReadonlySettings, "phone_code": PhoneCodeSettings,
    "documents": DocumentsSettings, "photo_choice": PhotoChoiceSettings, "branch_picker": BranchPickerSettings,
    "region": RegionSettings, "notice": NoticeSettings, "record_list": RecordListSettings}

# Settings the Field itself carries (renderer/definition/model.py); every other one is in Field.props or Field.exprs.
ON_FIELD = ("id", "kind", "label", "when", "hint", "rules", "required", "message", "default", "default_from",
            "enabled", "placeholder")


def declared(model: type[Common]) -> list[tuple[str, Setting, Any]]:
    """(name, declaration, default) of each setting of `model`, common ones first."""
    return [(f.name, f.metadata["setting"], f.default_factory() if f.default is dataclasses.MISSING  # type: ignore[misc]
             else f.default) for f in dataclasses.fields(model)]


S = TypeVar("S", bound=Common)


def read(f: Field, model: type[S]) -> S:
    """The typed settings of `f`: those the loader built, or (a Field made in code) read from its props and exprs."""
    if isinstance(f.settings, model):
        return f.settings
    names = {x.name for x in dataclasses.fields(model)}
    given: dict[str, Any] = {"id": f.id, "kind": f.kind, "label": f.label, "when": f.when, "hint": f.hint,
                             "rules": f.rules, "required": f.required, "message": f.message, "default": f.default,
                             "enabled": f.enabled, "placeholder": f.placeholder,
                             **f.props, **{k: v for k, v in f.exprs.items() if k != "default"}}
    if "default" in f.exprs:
        given["default_from"] = f.exprs["default"]
    if isinstance(given.get("options"), list):
        given["options"] = tuple(given["options"])
    return model(**{k: v for k, v in given.items() if k in names and v is not None})
