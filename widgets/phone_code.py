"""A mobile number and its SMS code: 发送验证码 asks the SMS gateway, 下一步 checks the code once.

A number verified once in a draft is verified for the whole draft: the 手机号码 of 申请信息 verified there needs
no second code as 领卡方式's recipient phone (each verification is kept in the draft's facts as `<field>.verified`).
"""
from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from typing import Any

import phonenumbers

from widgets.base import ActionResult, FieldContext, Widget
from widgets.display import mask_phone
from widgets.settings import PhoneCodeSettings, read

# A mobile number of China has 11 digits: a fact of the kind (phonenumbers checks it), not a setting.
MOBILE_DIGITS = 11

VERIFY_MESSAGES = {
    "wrong": "验证码不正确,请重新输入",
    "expired": "验证码已过期,请重新获取",
    "voided": "验证码错误次数过多,已失效,请重新获取",
    "none": "请先点击“发送验证码”获取验证码",
}
ALREADY_VERIFIED = "该手机号码已验证,无需再次获取验证码"
VERIFIED_SUFFIX = ".verified"


def verified_in_draft(facts: Mapping[str, Any], number: str | None) -> bool:
    """Whether any phone field of this draft has verified `number` with a code."""
    return bool(number) and any(key.endswith(VERIFIED_SUFFIX) and value == number for key, value in facts.items())


@functools.lru_cache(maxsize=4096)
def is_cn_mobile(number: str) -> bool:
    """An 11-digit mobile number of China (phonenumbers' metadata, not a hand-made pattern); remembered, as parsing
    costs more than the rest of checking a page."""
    if len(number) != MOBILE_DIGITS or not number.isdigit():
        return False
    try:
        parsed = phonenumbers.parse(number, "CN")
    except phonenumbers.NumberParseException:
        return False
    return (phonenumbers.is_valid_number(parsed)
            and phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.MOBILE)


class PhoneCodeWidget(Widget):
    kind = "phone_code"

    def keys(self, field: Any) -> list[str]:
        return [field.id, f"{field.id}.code", f"{field.id}.editing"]

    def _prefilled(self, ctx: FieldContext) -> str | None:
        default = ctx.default()
        return str(default) if default else None

    def _editing(self, ctx: FieldContext) -> bool:
        return self._prefilled(ctx) is None or ctx.get("editing") == "1"

    def value(self, ctx: FieldContext) -> Any:
        if not self._editing(ctx):
            return self._prefilled(ctx)
        text = ctx.get().strip().replace(" ", "")
        return text or None

    def check(self, ctx: FieldContext, value: Any, submitting: bool) -> str | None:
        if value is None or not self._editing(ctx):
            return None      # the registered phone needs no new code
        if not is_cn_mobile(value):
            return f"请输入正确的{MOBILE_DIGITS}位手机号码"
        if verified_in_draft(ctx.facts, value):
            return None
        code = ctx.get("code").strip()
        if not code:
            return f"请输入{read(ctx.field, PhoneCodeSettings).code_label}"
        if not (len(code) == 6 and code.isdigit()):
            return "验证码为6位数字"
        if not submitting:
            return "请输入验证码"
        result = ctx.services.sms.verify(value, code)
        if result == "ok":
            ctx.facts[ctx.field.id + VERIFIED_SUFFIX] = value
            return None
        return VERIFY_MESSAGES.get(result, "验证码校验失败,请重新获取")

    def act(self, ctx: FieldContext, verb: str, form: Mapping[str, Any]) -> ActionResult:
        if verb == "edit":
            ctx.set("editing", "1")
            ctx.set("", "")
            return ActionResult()
        if verb == "cancel":         # back to the prefilled number, unchanged; what was typed instead is dropped
            if self._prefilled(ctx) is not None:
                ctx.set("editing", "")
                ctx.set("", "")
                ctx.set("code", "")
            return ActionResult()
        if verb != "send":
            return ActionResult(error="不支持的操作")
        phone = ctx.get().strip().replace(" ", "")
        if not is_cn_mobile(phone):
            return ActionResult(error=f"请输入正确的{MOBILE_DIGITS}位手机号码")
        if verified_in_draft(ctx.facts, phone):      # no new code (nor its 60 s wait) for a verified number
            return ActionResult(notice=ALREADY_VERIFIED)
        sent = ctx.services.sms.send_code(phone)
        ctx.facts[f"{ctx.field.id}.resend_at"] = sent.resend_at.isoformat()
        if not sent.ok:
            return ActionResult(error=sent.error)
        return ActionResult(notice=sent.demo_text or f"验证码已发送至{mask_phone(phone)}")

    def display(self, ctx: FieldContext, value: Any) -> str:
        return mask_phone(value)

    def view(self, ctx: FieldContext) -> dict[str, Any]:
        wait = 0
        resend_at = ctx.facts.get(f"{ctx.field.id}.resend_at")
        if resend_at:
            left = dt.datetime.fromisoformat(resend_at) - dt.datetime.now(dt.UTC)
            wait = max(0, int(left.total_seconds()) + (1 if left.total_seconds() > 0 else 0))
        phone = self.value(ctx) or ""
        verified = verified_in_draft(ctx.facts, phone)
        s = read(ctx.field, PhoneCodeSettings)
        return {"digits": MOBILE_DIGITS, "editing": self._editing(ctx), "masked": mask_phone(self._prefilled(ctx)),
                "cancellable": self._prefilled(ctx) is not None,
                "phone": ctx.get() if self._editing(ctx) else "", "code": "" if verified else ctx.get("code"),
                "wait": wait, "verified": verified, "code_label": s.code_label, "edit_label": s.editable_label}


WIDGET = PhoneCodeWidget()
