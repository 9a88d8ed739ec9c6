"""手机号码: a number verified by SMS once in a draft needs no second code on a later page; 修改 can be cancelled."""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from renderer.definition.model import Field, Position
from renderer.services.simulator import SimulatedSms
from renderer.store import open_store
from widgets import WIDGETS, FieldContext
from widgets.phone_code import ALREADY_VERIFIED, e164

HERE = Position("test.yaml", 1, 1)
WIDGET = WIDGETS["phone_code"]
TYPED = "13600002819"          # typed and verified on 申请信息
REGISTERED = "13711112222"     # person.phone: 领卡方式 prefills it


class _Const:
    def __init__(self, value: Any) -> None:
        self.value = value

    def evaluate(self, env: Any) -> Any:
        return self.value


class Draft:
    """Two phone fields of one draft (申请信息's phone, 领卡方式's recipient_phone) sharing its answers and facts."""

    def __init__(self) -> None:
        self.raw: dict[str, str] = {}
        self.facts: dict[str, Any] = {}
        self.sms = SimulatedSms(open_store(":memory:").records)

    def field(self, field_id: str, prefilled: str | None = None) -> FieldContext:
        exprs = {"default": _Const(prefilled)} if prefilled else {}
        f = Field(id=field_id, kind="phone_code", label="手机号码", position=HERE, exprs=exprs)
        return FieldContext(field=f, raw=self.raw, facts=self.facts, env={}, services=SimpleNamespace(sms=self.sms))

    def verify(self, ctx: FieldContext, number: str) -> None:
        ctx.set("", number)
        sent = self.sms.send_code(e164(number))          # as the widget gives it to the gateway
        ctx.set("code", sent.demo_text.split("验证码为")[1][:6])
        assert WIDGET.check(ctx, WIDGET.value(ctx), True) is None


def error(ctx: FieldContext, submitting: bool = True) -> str | None:
    return WIDGET.check(ctx, WIDGET.value(ctx), submitting)


def test_a_number_verified_on_one_page_counts_on_a_later_one() -> None:
    draft = Draft()
    draft.verify(draft.field("phone"), TYPED)
    recipient = draft.field("recipient_phone", prefilled=REGISTERED)
    WIDGET.act(recipient, "edit", {})
    recipient.set("", TYPED)                  # the same number, no code typed: its code is spent already
    assert error(recipient) is None
    assert WIDGET.value(recipient) == TYPED
    view = WIDGET.view(recipient)
    assert view["verified"] and view["editing"]
    # 发送验证码 for it sends nothing (no new 60 s wait) and says it is verified
    assert WIDGET.act(recipient, "send", {}).notice == ALREADY_VERIFIED
    assert "recipient_phone.resend_at" not in draft.facts


def test_a_prefilled_number_verified_earlier_shows_as_verified() -> None:
    draft = Draft()
    draft.verify(draft.field("phone"), TYPED)
    assert WIDGET.view(draft.field("recipient_phone", prefilled=TYPED))["verified"]
    assert not WIDGET.view(draft.field("recipient_phone", prefilled=REGISTERED))["verified"]


def test_a_changed_number_still_needs_its_own_code() -> None:
    draft = Draft()
    draft.verify(draft.field("phone"), TYPED)
    recipient = draft.field("recipient_phone", prefilled=REGISTERED)
    WIDGET.act(recipient, "edit", {})
    recipient.set("", "13912345678")
    assert error(recipient) == "请输入验证码"
    assert not WIDGET.view(recipient)["verified"]
    sent = WIDGET.act(recipient, "send", {})
    assert sent.notice != ALREADY_VERIFIED and "recipient_phone.resend_at" in recipient.facts     # a code went out


def test_cancel_restores_the_prefilled_number_unchanged() -> None:
    draft = Draft()
    recipient = draft.field("recipient_phone", prefilled=REGISTERED)
    assert WIDGET.view(recipient)["editing"] is False
    WIDGET.act(recipient, "edit", {})
    recipient.set("", "139")                  # half typed, then 取消
    recipient.set("code", "12")
    assert WIDGET.view(recipient)["cancellable"]
    WIDGET.act(recipient, "cancel", {})
    view = WIDGET.view(recipient)
    assert view["editing"] is False and view["masked"] == "137****2222"
    assert WIDGET.value(recipient) == REGISTERED and error(recipient) is None


def test_a_number_without_a_prefill_cannot_be_cancelled_to_nothing() -> None:
    draft = Draft()
    phone = draft.field("phone")
    phone.set("", TYPED)
    assert not WIDGET.view(phone)["cancellable"]
    WIDGET.act(phone, "cancel", {})
    assert WIDGET.value(phone) == TYPED
