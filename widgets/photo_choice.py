"""The card photo: fetched by receipt number (获取图片), or the one the social security system already holds."""
from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from renderer.definition.typed_text import matches_whole
from renderer.uploads.images import ImageRejected, process_upload
from widgets.base import ActionResult, FieldContext, Widget
from widgets.documents import THUMBNAIL_URL
from widgets.settings import PhotoChoiceSettings, read

PREVIEW = ".system_preview"      # facts suffix, in a GET's copy of the draft only: the system photo as shown


class PhotoChoiceWidget(Widget):
    kind = "photo_choice"

    def keys(self, field: Any) -> list[str]:
        return [f"{field.id}.receipt", f"{field.id}.consent"]

    def typed_keys(self, field: Any) -> tuple[str, ...]:
        return (f"{field.id}.receipt",)

    def _owner(self, ctx: FieldContext) -> str:
        """Whose photo: the `owner` expression (the applicant), else the signed-in person."""
        return str(ctx.eval("owner") or ctx.identity.id_number)

    def _system_upload(self, ctx: FieldContext) -> str | None:
        return ctx.facts.get(f"{ctx.field.id}.system_photo") or None

    def _system_shown(self, ctx: FieldContext) -> bool:
        """The system holds a photo: kept as an upload (after a POST), or only looked at (a GET's preview)."""
        return self._system_upload(ctx) is not None or bool(ctx.facts.get(f"{ctx.field.id}{PREVIEW}"))

    def _receipt_photo(self, ctx: FieldContext) -> Mapping[str, str] | None:
        found = ctx.facts.get(f"{ctx.field.id}.receipt_photo")
        return found if found and found.get("receipt") == ctx.get("receipt").strip().upper() else None

    def _consent(self, ctx: FieldContext) -> bool:
        if not ctx.has("consent"):      # ticked by default when the system has a photo (manual 1.3.4)
            return self._system_shown(ctx) and self._receipt_photo(ctx) is None
        return ctx.get("consent") == "1"

    def prepare(self, ctx: FieldContext, keep: bool = True) -> None:
        """The photo the social security system holds: on a GET only shown (a data: address, stored nowhere); the
        page's POST fetches it again and keeps it as an upload of the draft, once."""
        key, preview = f"{ctx.field.id}.system_photo", f"{ctx.field.id}{PREVIEW}"
        if key in ctx.facts:
            return
        data = ctx.services.provincial.system_photo(self._owner(ctx))
        try:
            image = process_upload(data) if data else None
        except ImageRejected:
            image = None
        if image is None:
            ctx.facts[key] = ""
        elif keep:
            ctx.facts.pop(preview, None)
            ctx.facts[key] = ctx.keep_upload(image.data, image.content_type, thumbnail=image.thumbnail)
        else:
            shown, content_type = (image.thumbnail, "image/jpeg") if image.thumbnail else (image.data, image.content_type)
            ctx.facts[preview] = f"data:{content_type};base64,{base64.b64encode(shown).decode()}"

    def value(self, ctx: FieldContext) -> Any:
        system = self._system_upload(ctx)
        if self._system_shown(ctx) and self._consent(ctx):
            return {"source": "system", "upload": system or ""}       # "": seen on a GET, kept by the POST
        receipt = self._receipt_photo(ctx)
        if receipt:
            return {"source": "receipt", "upload": receipt["upload"], "receipt": receipt["receipt"]}
        return None

    def check(self, ctx: FieldContext, value: Any, submitting: bool) -> str | None:
        receipt = ctx.get("receipt").strip()
        if receipt and not self._valid_receipt(ctx, receipt):
            return read(ctx.field, PhotoChoiceSettings).receipt_pattern_message
        return None

    def _valid_receipt(self, ctx: FieldContext, receipt: str) -> bool:
        s = read(ctx.field, PhotoChoiceSettings)
        return len(receipt) <= s.receipt_max_length and (not s.receipt_pattern
                                                         or matches_whole(s.receipt_pattern, receipt))

    def act(self, ctx: FieldContext, verb: str, form: Mapping[str, Any]) -> ActionResult:
        if verb == "system":
            return self._use_system_photo(ctx)
        if verb != "fetch":
            return ActionResult(error="不支持的操作")
        s = read(ctx.field, PhotoChoiceSettings)
        receipt = ctx.get("receipt").strip().upper()
        if not receipt:
            return ActionResult(error="请输入社保卡相片回执号")
        if not self._valid_receipt(ctx, receipt):
            return ActionResult(error=s.receipt_pattern_message)
        data = ctx.services.provincial.photo_by_receipt(self._owner(ctx), receipt)
        earlier = (ctx.facts.get(f"{ctx.field.id}.receipt_photo") or {}).get("upload")
        if not data:
            ctx.drop_upload(earlier)
            ctx.facts.pop(f"{ctx.field.id}.receipt_photo", None)
            popup = s.popups.get("receipt_not_found")
            return ActionResult(popup=popup, error=None if popup else "未查询到该相片")
        image = process_upload(data)
        upload = ctx.keep_upload(image.data, image.content_type, replacing=earlier, thumbnail=image.thumbnail)
        ctx.facts[f"{ctx.field.id}.receipt_photo"] = {"upload": upload, "receipt": receipt}
        ctx.set("receipt", receipt)
        ctx.set("consent", "")          # fetching a receipt photo chooses it over the system photo
        return ActionResult()

    def _use_system_photo(self, ctx: FieldContext) -> ActionResult:
        """The citizen chose the system photo: taken when there is one; otherwise the no_system_photo popup."""
        if self._system_upload(ctx):
            ctx.set("consent", "1")
            return ActionResult()
        s = read(ctx.field, PhotoChoiceSettings)
        popup = s.popups.get("no_system_photo")
        return ActionResult(popup=popup, error=None if popup else s.system_missing)

    def display(self, ctx: FieldContext, value: Any) -> Any:
        return {"images": [("制卡相片", THUMBNAIL_URL.format(id=value["upload"]))]} if value else ""

    def view(self, ctx: FieldContext) -> dict[str, Any]:
        receipt, system = self._receipt_photo(ctx), self._system_upload(ctx)
        s = read(ctx.field, PhotoChoiceSettings)
        system_url = THUMBNAIL_URL.format(id=system) if system else ctx.facts.get(f"{ctx.field.id}{PREVIEW}") or None
        return {"receipt": ctx.get("receipt"), "receipt_url": THUMBNAIL_URL.format(id=receipt["upload"]) if receipt else None,
                "system_url": system_url, "consent": self._consent(ctx),
                # The texts are the manual's, declared in YAML (the schema requires them for this kind).
                "receipt_label": s.receipt_label, "receipt_button": s.receipt_button,
                "system_label": s.system_label, "system_consent": s.system_consent,
                "system_missing": s.system_missing, "placeholder": s.placeholder or "",
                "max_length": s.receipt_max_length}


WIDGET = PhotoChoiceWidget()
