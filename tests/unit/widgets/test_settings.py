"""Every setting the reference documents does something: one check per (kind, setting), each failing if it is ignored.

The checks register themselves with @effect; test_every_documented_setting_has_an_effect_test makes sure that each
setting of widgets/settings.py (so each row of docs/dsl-reference.md) has one.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from renderer.definition.expressions import Expression, compile_expression
from renderer.definition.functions import FUNCTIONS
from renderer.definition.model import Branch, City, Field, Position, Rule
from renderer.journey.evaluation import Draft, Evaluation
from renderer.services.base import Identity
from widgets import WIDGETS, FieldContext
from widgets.settings import SETTINGS, declared

HERE = Position("test.yaml", 1, 1)
TODAY = dt.date(2026, 11, 26)
ME = Identity(key="k1", name="张伟", id_number="440106199001011235", id_type="居民身份证", resident_type="mainland",
              phone="13600002819")
EFFECTS: dict[tuple[str, str], Callable[[], None]] = {}
# Settings whose effect is the page's, not the widget's; checked once here for every kind (readonly and notice
# take no required/message: a value the citizen cannot give, an acknowledgement always needed).
PAGE_SETTINGS = ("id", "kind", "label", "when", "hint", "rules", "required", "message")


def effect(kinds: str, *names: str) -> Callable[[Callable[[], None]], Callable[[], None]]:
    def register(check: Callable[[], None]) -> Callable[[], None]:
        for kind in kinds.split():
            for name in names:
                EFFECTS[(kind, name)] = check
        return check
    return register


def expr(text: str) -> Expression:
    return compile_expression(text, known_roots=frozenset({"person", "lists", "cities", "intended_city", "applicant",
                                                           "resident", "today"}), functions=FUNCTIONS)


def ctx(kind: str, raw: dict[str, str] | None = None, exprs: dict[str, Expression] | None = None,
        facts: dict[str, Any] | None = None, env: dict[str, Any] | None = None, services: Any = None,
        **settings: Any) -> FieldContext:
    on_field = {k: settings.pop(k) for k in ("default", "enabled", "placeholder", "message") if k in settings}
    f = Field(id="f", kind=kind, label="标签", position=HERE, exprs=exprs or {}, props=settings, **on_field)
    return FieldContext(field=f, raw=raw or {}, facts=facts or {}, services=services,
                        identity=ME, env={"today": TODAY, "person": ME.as_context(), **(env or {})})


def value(c: FieldContext) -> Any:
    return WIDGETS[c.field.kind].value(c)


def view(c: FieldContext) -> dict[str, Any]:
    return WIDGETS[c.field.kind].view(c)


def check(c: FieldContext) -> str | None:
    return WIDGETS[c.field.kind].check(c, value(c), False)


# ---------------------------------------------------------------------- settings of the page

@effect("text select radio agreement date readonly phone_code documents photo_choice branch_picker region notice "
        "record_list", *PAGE_SETTINGS[:6])
@effect("text select radio agreement date phone_code documents photo_choice branch_picker region record_list",
        *PAGE_SETTINGS[6:])
def page_settings() -> None:
    """id, kind, label, when, hint, rules, required and message, through the evaluation of a page."""
    from renderer.definition.model import Definition, Journey, Page, Section

    rule = Rule(expr("intended_city != '火星'"), "不能选火星")
    city = Field(id="intended_city", kind="text", label="城市", position=HERE, required=True, message="请填城市",
                 hint="提示", rules=(rule,))
    hidden = Field(id="hidden", kind="text", label="隐藏", position=HERE, when=False, required=True)
    journey = Journey("j", "标题", (), (Page("p", "页", HERE, sections=(Section(None, (city, hidden)),)),), {}, {}, {})
    definition = Definition({"j": journey}, {}, {}, {"mainland": {}})
    ev = Evaluation(definition, journey, Draft(raw={}), ME, today=TODAY)
    assert ev.field_error(city) == "请填城市"                      # required, with its message
    assert ev.field_error(hidden) is None and "hidden" not in ev.visible      # when
    ev = Evaluation(definition, journey, Draft(raw={"intended_city": "火星"}), ME, today=TODAY)
    assert ev.field_error(city) == "不能选火星"                    # rules
    assert WIDGETS[city.kind].required_message(city) == "请填城市"
    assert city.hint == "提示"        # page.html shows it under the field (tests/integration/test_web.py renders pages)


# ---------------------------------------------------------------------- typed and chosen values

@effect("text", "min_length", "max_length", "pattern", "pattern_message")
def text_limits() -> None:
    assert check(ctx("text", {"f": "一二三四五六"}, max_length=5)) == "标签不能超过5个字"
    assert check(ctx("text", {"f": "一"}, min_length=2)) == "标签至少2个字"
    assert check(ctx("text", {"f": "abc"}, pattern="[0-9]+")) == "标签格式不正确"
    assert check(ctx("text", {"f": "abc"}, pattern="[0-9]+", pattern_message="只能填数字")) == "只能填数字"
    assert view(ctx("text", max_length=5, min_length=2, pattern="[0-9]+"))["attrs"] == {
        "maxlength": 5, "minlength": 2, "pattern": "[0-9]+"}


@effect("text photo_choice", "placeholder")
def placeholders() -> None:
    assert view(ctx("text", placeholder="请输入姓名"))["placeholder"] == "请输入姓名"
    assert view(ctx("photo_choice", facts={"f.system_photo": ""}, placeholder="请输入相片回执号"))["placeholder"] \
        == "请输入相片回执号"


@effect("text select radio date", "default")
def literal_defaults() -> None:
    assert value(ctx("text", default="person.phone")) == "person.phone"      # a literal, never an expression
    assert value(ctx("select", default="否", options=["否", "是"])) == "否"
    assert value(ctx("radio", default="是", options=["否", "是"])) == "是"
    assert value(ctx("date", default="2020-01-02")) == dt.date(2020, 1, 2)
    assert view(ctx("date", default="2020-01-02"))["text"] == "2020-01-02"


@effect("text select radio date phone_code", "default_from")
def expression_defaults() -> None:
    assert value(ctx("text", exprs={"default": expr("person.name")})) == "张伟"
    assert value(ctx("select", exprs={"default": expr("person.id_type")}, options=["居民身份证"])) == "居民身份证"
    assert value(ctx("radio", exprs={"default": expr("person.id_type")}, options=["居民身份证"])) == "居民身份证"
    assert value(ctx("date", exprs={"default": expr("today")})) == TODAY
    prefilled = ctx("phone_code", exprs={"default": expr("person.phone")})
    assert value(prefilled) == "13600002819" and view(prefilled)["editing"] is False


@effect("text select radio date", "enabled")
def disabled_fields_keep_their_initial_value() -> None:
    assert value(ctx("text", {"f": "改了"}, default="原值", enabled=False)) == "原值"
    assert value(ctx("text", {"f": "改了"}, default="原值")) == "改了"
    assert value(ctx("select", {"f": "是"}, default="否", options=["否", "是"], enabled=False)) == "否"
    assert value(ctx("radio", {"f": "是"}, default="否", options=["否", "是"], enabled=False)) == "否"
    assert value(ctx("date", {"f": "2021-01-01"}, default="2020-01-02", enabled=False)) == dt.date(2020, 1, 2)


@effect("select radio", "options")
def options_literal_or_expression() -> None:
    assert check(ctx("select", {"f": "火星"}, options=["广州市"])) == "请从列表中选择标签"
    assert view(ctx("radio", options=["否", "是"]))["options"] == ["否", "是"]
    named = ctx("select", {"f": "珠海市"}, exprs={"options": expr("lists.cities")},
                env={"lists": {"cities": ["珠海市"]}})
    assert value(named) == "珠海市"


@effect("date", "min", "max")
def date_bounds() -> None:
    assert check(ctx("date", {"f": "2027-01-01"}, max="today")) == "标签不能晚于今天"
    assert check(ctx("date", {"f": "2020-01-01"}, min="today")) == "标签已过期,请核对"
    assert check(ctx("date", {"f": "1999-01-01"}, min="2000-01-01")) == "标签不能早于2000-01-01"
    assert view(ctx("date", min="2000-01-01", max="today"))["min"] == "2000-01-01"


@effect("readonly", "value", "display")
def readonly_value_and_display() -> None:
    c = ctx("readonly", exprs={"value": expr("person.name")}, display="mask_name")
    assert value(c) == "张伟" and view(c)["text"] == "张*"
    assert view(ctx("readonly", exprs={"value": expr("person.name")}))["text"] == "张伟"


@effect("phone_code", "code_label", "editable_label")
def phone_code_texts() -> None:
    c = ctx("phone_code", {"f": "13600002819", "f.code": ""}, code_label="短信验证码")
    assert check(c) == "请输入短信验证码" and view(c)["code_label"] == "短信验证码"
    assert view(ctx("phone_code", exprs={"default": expr("person.phone")}, editable_label="更换"))["edit_label"] == "更换"
    assert view(ctx("phone_code"))["digits"] == 11      # a mobile number's length is the kind's, not a setting


# ---------------------------------------------------------------------- documents and photos

ID_CARD = {"id": "id_card", "label": "测试证", "id_type": "测试证", "number": "three", "sides": ["正面", "反面"]}


@effect("documents", "documents", "prefix", "button", "formats")
def documents_settings() -> None:
    env = {"resident": {"documents": [ID_CARD]}, "lists": {"formats": {"three": {"pattern": "^[0-9]{3}$",
                                                                                 "message": "三位数字"}}}}
    exprs = {"documents": expr("resident.documents"), "formats": expr("lists.formats")}
    c = ctx("documents", {"f.number": "abc"}, exprs=exprs, env=env, prefix="监护人", button="上传")
    assert [s["label"] for s in WIDGETS["documents"].slots(c)] == ["监护人正面", "监护人反面"]
    assert view(c)["button"] == "上传"
    assert check(c) == "三位数字"
    del exprs["formats"]
    assert check(ctx("documents", {"f.number": "abc"}, exprs=exprs, env=env)) is None


def photo(facts: dict[str, Any], receipt: str = "", photo_by_receipt: Any = None, **settings: Any) -> FieldContext:
    provincial = SimpleNamespace(photo_by_receipt=photo_by_receipt or (lambda owner, receipt: None),
                                 system_photo=lambda owner: None)
    return ctx("photo_choice", {"f.receipt": receipt}, facts=facts, services=SimpleNamespace(provincial=provincial),
               **settings)


@effect("photo_choice", "receipt_label", "receipt_button", "system_label", "system_consent", "system_missing")
def photo_texts() -> None:
    texts = {"receipt_label": "回执号", "receipt_button": "获取", "system_label": "社保相片", "system_consent": "同意",
             "system_missing": "暂无相片"}
    shown = view(photo({"f.system_photo": ""}, **texts))
    assert {k: shown[k] for k in texts} == texts


@effect("photo_choice", "receipt_max_length", "receipt_pattern", "receipt_pattern_message")
def photo_receipt_checks() -> None:
    assert check(photo({}, "A" * 31)) == "相片回执号格式不正确"                 # the default limit is 30
    assert check(photo({}, "A" * 9, receipt_max_length=8)) == "相片回执号格式不正确"
    assert view(photo({"f.system_photo": ""}, receipt_max_length=8))["max_length"] == 8
    assert check(photo({}, "AB-12", receipt_pattern="^[A-Z0-9]+$", receipt_pattern_message="只能字母数字")) \
        == "只能字母数字"


@effect("photo_choice", "owner", "popups")
def photo_owner_and_popups() -> None:
    asked: list[str] = []

    def by_receipt(owner: str, receipt: str) -> None:
        asked.append(owner)

    c = photo({}, "ABC123", by_receipt, popups={"receipt_not_found": "refused", "no_system_photo": "no_photo"})
    c.field.exprs["owner"] = expr("applicant.id_number")          # type: ignore[index]
    c.env["applicant"] = {"id_number": "440106201501011234"}        # type: ignore[index]
    assert WIDGETS["photo_choice"].act(c, "fetch", {}).popup == "refused"
    assert asked == ["440106201501011234"]
    # No system photo: choosing it raises the no_system_photo popup; without popups it is a message.
    c.facts["f.system_photo"] = ""
    assert WIDGETS["photo_choice"].act(c, "system", {}).popup == "no_photo"
    plain = photo({"f.system_photo": ""}, system_missing="暂无相片")
    assert WIDGETS["photo_choice"].act(plain, "system", {}).error == "暂无相片"
    with_photo = photo({"f.system_photo": "up1"}, popups={"no_system_photo": "no_photo"})
    assert WIDGETS["photo_choice"].act(with_photo, "system", {}).popup is None
    assert value(with_photo) == {"source": "system", "upload": "up1"}


# ---------------------------------------------------------------------- places

ZHUHAI = City("珠海市", ("中国银行",), ("香洲区",), (Branch("zh-1", "拱北支行", "香洲区", "迎宾南路", "9-17", "0756"),))


@effect("branch_picker", "city", "dialog_title", "search_placeholder", "shows")
def branch_picker_settings() -> None:
    env = {"cities": {"珠海市": ZHUHAI}, "intended_city": "珠海市"}
    c = ctx("branch_picker", {"f": "zh-1"}, exprs={"city": expr("intended_city")}, env=env, dialog_title="网点",
            search_placeholder="搜网点", shows={"name": "名称"})
    assert value(c)["name"] == "拱北支行"
    shown = view(c)
    assert (shown["dialog_title"], shown["placeholder"]) == ("网点", "搜网点")
    assert shown["labels"] == {"name": "名称", "phone": "网点电话", "address": "网点地址"}
    assert view(ctx("branch_picker", exprs={"city": expr("intended_city")}, env=env))["dialog_title"] == "标签"


@effect("region", "tree", "within")
def region_settings() -> None:
    tree = {"广东省": {"珠海市": ["香洲区"]}, "湖南省": {"长沙市": ["岳麓区"]}}
    c = ctx("region", {"f.province": "湖南省", "f.city": "珠海市", "f.district": "香洲区"},
            exprs={"tree": expr("lists.regions")}, env={"lists": {"regions": tree}}, within="广东省")
    assert value(c) == {"province": "广东省", "city": "珠海市", "district": "香洲区"}    # within wins
    assert view(c)["provinces"] == ["广东省", "湖南省"] and view(c)["within"] == "广东省"


@effect("notice", "text", "button")
def notice_settings() -> None:
    shown = view(ctx("notice", text="第一行\n第二行", button="好的"))
    assert shown["lines"] == ["第一行", "第二行"] and shown["button"] == "好的"


# ---------------------------------------------------------------------- records

CARDS = [{"name": "张伟", "issuing_city": "广州市"}, {"name": "张伟", "issuing_city": "深圳市"}]
COLUMNS = [{"label": "发卡城市", "key": "issuing_city"}, {"label": "姓名", "key": "name", "display": "mask_name"}]


@effect("record_list", "source", "columns", "layout")
def record_list_settings() -> None:
    provincial = SimpleNamespace(cards_to_clean=lambda identity: CARDS)
    c = ctx("record_list", services=SimpleNamespace(provincial=provincial), source="cards_to_clean", columns=COLUMNS,
            layout="cards")
    WIDGETS["record_list"].prepare(c)
    assert value(c) == CARDS
    shown = view(c)
    assert shown["layout"] == "cards" and shown["rows"][0]["cells"] == [("发卡城市", "广州市"), ("姓名", "张*")]
    assert WIDGETS["record_list"].display(c, CARDS) == "广州市、深圳市"


@effect("record_list", "locked")
def record_list_locked() -> None:
    facts = {"f.records": CARDS}
    locked = ctx("record_list", {"f.pick.0": ""}, facts=dict(facts), columns=COLUMNS, locked=True)
    assert WIDGETS["record_list"].keys(locked.field) == []       # the engine takes no posted key for it
    assert value(locked) == CARDS                                  # an attempt to unselect changes nothing
    free = ctx("record_list", {"f.pick.0": "", "f.pick.1": "1"}, facts=dict(facts), columns=COLUMNS)
    assert "f.pick.0" in WIDGETS["record_list"].keys(free.field)
    assert value(free) == CARDS[1:]
    assert [r["picked"] for r in view(free)["rows"]] == [False, True]


# ---------------------------------------------------------------------- the registry itself

@pytest.mark.parametrize("key", sorted(EFFECTS), ids=[f"{k}.{n}" for k, n in sorted(EFFECTS)])
def test_setting_has_its_effect(key: tuple[str, str]) -> None:
    EFFECTS[key]()


def test_every_documented_setting_has_an_effect_test() -> None:
    documented = {(kind, name) for kind, model in SETTINGS.items() for name, _, _ in declared(model)}
    assert sorted(documented - set(EFFECTS)) == []
    assert sorted(set(EFFECTS) - documented) == [], "a test for a setting the kind does not take"
