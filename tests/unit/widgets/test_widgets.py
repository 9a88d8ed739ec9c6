"""Widgets: the limit declared once in YAML is both the server check and the HTML attribute."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from renderer.definition.model import Branch, City, Field, Position
from renderer.services.simulator import SimulatedSms
from renderer.store import open_store
from widgets import WIDGETS, FieldContext
from widgets.branch_picker import search
from widgets.display import mask_id, mask_name, mask_phone
from widgets.phone_code import is_cn_mobile

HERE = Position("test.yaml", 1, 1)


def ctx(kind: str, raw: dict[str, str], env: dict[str, Any] | None = None, **props: Any) -> FieldContext:
    f = Field(id="f", kind=kind, label="标签", position=HERE, props=props)
    return FieldContext(field=f, raw=raw, facts={}, env=env or {"today": dt.date(2026, 11, 26)},
                        services=SimpleNamespace(sms=SimulatedSms(open_store(":memory:").records)))


def check(kind: str, raw: dict[str, str], submitting: bool = False, **props: Any) -> str | None:
    c = ctx(kind, raw, **props)
    widget = WIDGETS[kind]
    return widget.check(c, widget.value(c), submitting)


def test_text_limits_are_checked_and_rendered() -> None:
    assert check("text", {"f": "一二三四五六"}, max_length=5) == "标签不能超过5个字"
    assert check("text", {"f": "一"}, min_length=2) == "标签至少2个字"
    assert check("text", {"f": "abc"}, pattern="[0-9]+", pattern_message="只能填数字") == "只能填数字"
    assert check("text", {"f": "一二三"}, max_length=5, min_length=2) is None
    view = WIDGETS["text"].view(ctx("text", {}, max_length=5, min_length=2))
    assert view["attrs"] == {"maxlength": 5, "minlength": 2}


def test_select_accepts_only_its_options() -> None:
    assert check("select", {"f": "火星"}, options=["广州市", "深圳市"]) == "请从列表中选择标签"
    c = ctx("select", {"f": "广州市"}, options=["广州市", "深圳市"])
    assert WIDGETS["select"].value(c) == "广州市"


def test_date_bounds_from_yaml() -> None:
    assert check("date", {"f": "2027-01-01"}, max="today") == "标签不能晚于今天"
    assert check("date", {"f": "2020-01-01"}, min="today") == "标签已过期,请核对"
    assert check("date", {"f": "2026-13-45"}) == "标签格式不正确,请按年-月-日选择"
    assert check("date", {"f": "2026-01-01"}, max="today") is None
    view = WIDGETS["date"].view(ctx("date", {}, max="today"))
    assert view["max"] == "2026-11-26"


def test_mainland_mobile_numbers() -> None:
    assert is_cn_mobile("13600002819")
    assert not is_cn_mobile("1360000281")
    assert not is_cn_mobile("02083528957")
    assert not is_cn_mobile("12345678901")


def test_phone_code_verifies_once_with_the_gateway() -> None:
    c = ctx("phone_code", {"f": "13600002819", "f.code": ""})
    widget = WIDGETS["phone_code"]
    assert widget.check(c, "13600002819", True) == "请输入验证码"
    sent = c.services.sms.send_code("+8613600002819")          # the gateway is given E.164
    code = sent.demo_text.split("验证码为")[1][:6]
    c.raw["f.code"] = "000000" if code != "000000" else "111111"
    assert widget.check(c, "13600002819", True) == "验证码不正确,请重新输入"
    c.raw["f.code"] = code
    assert widget.check(c, "13600002819", False) == "请输入验证码"        # only a submit asks the gateway
    assert widget.check(c, "13600002819", True) is None
    assert c.facts["f.verified"] == "13600002819"
    assert widget.check(c, "13600002819", False) is None                 # verified stays verified
    assert widget.check(c, "13911112222", True) is not None              # another number needs its own code


def test_phone_code_rejects_bad_numbers_before_sending() -> None:
    c = ctx("phone_code", {"f": "123"})
    assert WIDGETS["phone_code"].act(c, "send", {}).error == "请输入正确的11位手机号码"


def test_masks_as_the_manual_shows_them() -> None:
    assert mask_name("梁嘉锦") == "梁*锦"
    assert mask_name("张伟") == "张*"
    assert mask_name("欧阳娜娜") == "欧**娜"
    assert mask_id("440115199001011312") == "440115*********312"
    assert mask_phone("13600002819") == "136****2819"


def test_branch_search_filters_district_exactly_and_keyword_fuzzily() -> None:
    branches = [Branch("a", "站前路支行", "荔湾区", "广州市荔湾区站前路58号", "9-17", "1"),
                Branch("b", "天河支行", "天河区", "广州市天河区天河路1号", "9-17", "2"),
                Branch("c", "花地大道北支行", "荔湾区", "广州市荔湾区花地大道北93号", "9-17", "3")]
    assert [b.id for b in search(branches, "荔湾区", "")] == ["a", "c"]
    assert [b.id for b in search(branches, "", "站前")] == ["a"]
    assert [b.id for b in search(branches, "", "花地大道")] == ["c"]
    assert [b.id for b in search(branches, "天河区", "站前")] == []
    assert [b.id for b in search(branches, "", "天河路")] == ["b"]


def test_branch_must_belong_to_the_issuing_city() -> None:
    city = City("广州市", ("工商银行",), ("荔湾区",), (Branch("a", "站前路支行", "荔湾区", "地址", "9-17", "1"),))
    f = Field(id="branch", kind="branch_picker", label="受理网点信息", position=HERE,
              exprs={"city": _Const("广州市")})
    c = FieldContext(field=f, raw={"branch": "zz"}, facts={}, env={"cities": {"广州市": city}})
    widget = WIDGETS["branch_picker"]
    assert widget.check(c, widget.value(c), False) == "所选网点不属于发卡地,请重新选择受理网点"
    c.raw["branch"] = "a"
    assert widget.value(c)["name"] == "站前路支行"


def test_region_needs_all_three_levels() -> None:
    tree = {"广东省": {"广州市": ["天河区", "荔湾区"]}}
    f = Field(id="f", kind="region", label="标签", position=HERE, exprs={"tree": _Const(tree)})
    c = FieldContext(field=f, raw={"f.province": "广东省", "f.city": "广州市", "f.district": ""}, facts={}, env={})
    widget = WIDGETS["region"]
    assert widget.value(c) is None
    assert widget.check(c, None, False) == "请选择完整的标签(省、市、区/县)"
    c.raw["f.district"] = "天河区"
    assert widget.display(c, widget.value(c)) == "广东省广州市天河区"
    c.raw["f.district"] = "南山区"      # not in 广州市
    assert widget.value(c) is None


class _Const:
    def __init__(self, value: Any) -> None:
        self.value = value

    def evaluate(self, env: Any) -> Any:
        return self.value
