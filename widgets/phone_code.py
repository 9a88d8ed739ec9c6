"""A mobile number and its SMS code: 发送验证码 asks the SMS gateway, 下一步 checks the code once.

A number is kept in one spelling, its 11-digit national form (+86 136 0000 2819, １３６００００２８１９ and
136-0000-2819 are 13600002819); the SMS gateway, whose records hold the resend wait, the daily cap and the wrong
tries, is given it in E.164 (+8613600002819).

A number verified once in a draft is verified for the whole draft: the 手机号码 of 申请信息 verified there needs
no second code as 领卡方式's recipient phone (each verification is kept in the draft's facts as `<field>.verified`).
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from typing import Any

import phonenumbers

from renderer.definition.typed_text import ascii_digits
from widgets.base import ActionResult, FieldContext, Widget
from widgets.display import mask_phone
from widgets.settings import PhoneCodeSettings, read

# A mobile number of China has 11 digits: a fact of the kind (phonenumbers checks it), not a setting.
MOBILE_DIGITS = 11
CODE_DIGITS = 6
# How people write a phone number: digits, +, spaces, dashes, brackets. Letters are refused before
# phonenumbers sees them (it would read 136OOOO2819 as a keypad's 13666662819).
WRITTEN_NUMBER = re.compile(r"[0-9 ()+\-]{11,24}", re.ASCII)

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
def mobile_number(text: str) -> str | None:
    """The 11-digit national form of a mobile number of China however it is written (typed text: ASCII digits
    already), or None when it is not one (phonenumbers' metadata, not a hand-made pattern); remembered, as parsing
    costs more than the rest of checking a page."""
    if not WRITTEN_NUMBER.fullmatch(text):
        return None
    try:
        parsed = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        return None
    national = str(parsed.national_number)
    if (parsed.country_code != 86 or parsed.extension or len(national) != MOBILE_DIGITS
            or not phonenumbers.is_valid_number(parsed)
            or phonenumbers.number_type(parsed) != phonenumbers.PhoneNumberType.MOBILE):
        return None
    return national


def is_cn_mobile(number: str) -> bool:
    """A mobile number of China in its kept spelling: 11 ASCII digits."""
    return mobile_number(number) == number


def e164(number: str) -> str:
    """The number as the SMS gateway is given it, and its records are keyed: +8613600002819."""
    return phonenumbers.format_number(phonenumbers.parse(number, "CN"), phonenumbers.PhoneNumberFormat.E164)


class PhoneCodeWidget(Widget):
    kind = "phone_code"

    def keys(self, field: Any) -> list[str]:
        return [field.id, f"{field.id}.code", f"{field.id}.editing"]

    def typed_keys(self, field: Any) -> tuple[str, ...]:
        return (field.id, f"{field.id}.code")

    def canonical(self, field: Any, key: str, posted: str) -> str:
        """A mobile number in its national form; anything else as typed text, for check() to refuse."""
        text = super().canonical(field, key, posted)
        return (mobile_number(text) or text) if key == field.id else text

    def _prefilled(self, ctx: FieldContext) -> str | None:
        default = ctx.default()
        return str(default) if default else None

    def _editing(self, ctx: FieldContext) -> bool:
        return self._prefilled(ctx) is None or ctx.get("editing") == "1"

    def value(self, ctx: FieldContext) -> Any:
        if not self._editing(ctx):
            return self._prefilled(ctx)
        text = ctx.get()
        return mobile_number(text) or text or None      # a draft kept before numbers had one spelling: the same

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
        if not (len(code) == CODE_DIGITS and ascii_digits(code)):
            return f"验证码为{CODE_DIGITS}位数字"
        if not submitting:
            return "请输入验证码"
        result = ctx.services.sms.verify(e164(value), code)
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
        phone = mobile_number(ctx.get())
        if phone is None:
            return ActionResult(error=f"请输入正确的{MOBILE_DIGITS}位手机号码")
        if verified_in_draft(ctx.facts, phone):      # no new code (nor its 60 s wait) for a verified number
            return ActionResult(notice=ALREADY_VERIFIED)
        sent = ctx.services.sms.send_code(e164(phone))
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
