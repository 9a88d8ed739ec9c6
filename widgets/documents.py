"""The identity documents to photograph: slots follow the resident type's documents (chosen one if several)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from renderer.definition.functions import is_valid_id_number
from renderer.definition.typed_text import matches_whole
from renderer.uploads.images import LIMITS, ImageRejected, process_upload
from widgets.base import ActionResult, FieldContext, Widget

UPLOAD_URL = "/uploads/{id}"
THUMBNAIL_URL = UPLOAD_URL + "?size=thumb"     # what pages show beside other data; the link opens UPLOAD_URL


class DocumentsWidget(Widget):
    kind = "documents"
    required_verb = "请上传"
    accepts_files = True

    def keys(self, field: Any) -> list[str]:
        return [f"{field.id}.choice", f"{field.id}.number"]

    def typed_keys(self, field: Any) -> tuple[str, ...]:
        return (f"{field.id}.number",)

    def _formats(self, ctx: FieldContext) -> list[Mapping[str, Any]] | None:
        """The chosen document's number formats (one or several: a number passes any), or None when it names none."""
        doc = self._chosen(ctx)
        names = doc.get("number") if doc else None
        if not names:
            return None
        known = ctx.eval("formats") or {}
        return [known.get(name) or {} for name in ([names] if isinstance(names, str) else names)]

    def _registered(self, ctx: FieldContext) -> bool:
        """Whether the chosen document is the one the citizen signed in with (its number is then known)."""
        doc = self._chosen(ctx)
        return doc is not None and doc.get("id_type") == (ctx.env.get("person") or {}).get("id_type")

    def _needs_number(self, ctx: FieldContext) -> bool:
        """Whether the citizen types the number: the document has formats and is not the one they signed in with."""
        return self._formats(ctx) is not None and not self._registered(ctx)

    def _number(self, ctx: FieldContext) -> str:
        """The number to check: the one typed, or the registered one for the document signed in with."""
        if self._needs_number(ctx):
            return ctx.get("number").strip().upper()
        return str((ctx.env.get("person") or {}).get("id_number") or "").strip().upper()

    def _number_error(self, ctx: FieldContext) -> str | None:
        """Why the number matches none of the chosen document's formats, naming what they accept; None if it does."""
        formats = self._formats(ctx)
        if formats is None:
            return None
        doc, number = self._chosen(ctx) or {}, self._number(ctx)
        if not number and self._needs_number(ctx):
            return f"请输入{doc.get('label', '')}号码"
        if any(_matches(number, rule) for rule in formats):
            return None
        messages = dict.fromkeys(rule.get("message") or f"{doc.get('label', '')}号码格式不正确" for rule in formats)
        return ";或".join(messages)

    def _documents(self, ctx: FieldContext) -> list[Mapping[str, Any]]:
        docs = ctx.eval("documents")
        return [d for d in docs if isinstance(d, Mapping)] if isinstance(docs, list) else []

    def _chosen(self, ctx: FieldContext) -> Mapping[str, Any] | None:
        docs = self._documents(ctx)
        choice = ctx.get("choice")
        registered = (ctx.env.get("person") or {}).get("id_type")
        default = next((d for d in docs if d.get("id_type") == registered), docs[0] if docs else None)
        return next((d for d in docs if d["id"] == choice), default)

    def slots(self, ctx: FieldContext) -> list[dict[str, Any]]:
        doc = self._chosen(ctx)
        if doc is None:
            return []
        out = []
        for index, side in enumerate(doc["sides"]):
            key = f"{ctx.field.id}.{doc['id']}.{index}"
            upload = ctx.facts.get(key)
            out.append({"key": key, "label": ctx.field.prop("prefix", "") + side, "upload": upload,
                        "url": THUMBNAIL_URL.format(id=upload) if upload else None,
                        "full_url": UPLOAD_URL.format(id=upload) if upload else None})
        return out

    def value(self, ctx: FieldContext) -> Any:
        doc, slots = self._chosen(ctx), self.slots(ctx)
        if doc is None or not slots or any(s["upload"] is None for s in slots):
            return None
        if self._number_error(ctx):
            return None
        typed = self._needs_number(ctx)    # else the registered number, kept as the sign-in service gave it
        number = self._number(ctx) if typed else str((ctx.env.get("person") or {}).get("id_number") or "")
        return {"document": doc["label"], "number": number,
                "files": [{"label": s["label"], "upload": s["upload"]} for s in slots]}

    def check(self, ctx: FieldContext, value: Any, submitting: bool) -> str | None:
        # A typed number is checked once typed (or once every side is uploaded); the registered one always.
        typing = self._needs_number(ctx)
        if not typing or ctx.get("number").strip() or all(s["upload"] for s in self.slots(ctx)):
            problem = self._number_error(ctx)
            if problem:
                return problem
        missing = [s["label"] for s in self.slots(ctx) if s["upload"] is None]
        if value is None and missing and any(s["upload"] for s in self.slots(ctx)):
            return "请上传" + "、".join(missing)
        return None

    def required_message(self, field: Any) -> str:
        return field.message or "请按要求上传证件照片"

    def act(self, ctx: FieldContext, verb: str, form: Mapping[str, Any]) -> ActionResult:
        slots = {s["key"]: s for s in self.slots(ctx)}
        if verb.startswith("delete:"):
            key = verb.removeprefix("delete:")
            if key in slots:
                ctx.drop_upload(ctx.facts.pop(key, None))
            return ActionResult()
        if verb != "upload":
            return ActionResult(error="不支持的操作")
        errors = []
        for key, slot in slots.items():
            data = form.get(key)
            if not isinstance(data, (bytes, bytearray)) or not data:
                continue
            try:
                image = process_upload(bytes(data))
            except ImageRejected as exc:
                errors.append(f"{slot['label']}:{exc.message}")
                continue
            ctx.facts[key] = ctx.keep_upload(image.data, image.content_type, replacing=ctx.facts.get(key),
                                             thumbnail=image.thumbnail)
        return ActionResult(error=";".join(errors) or None)

    def display(self, ctx: FieldContext, value: Any) -> Any:
        if not value:
            return ""
        return {"images": [(f["label"], THUMBNAIL_URL.format(id=f["upload"])) for f in value["files"]]}

    def view(self, ctx: FieldContext) -> dict[str, Any]:
        docs = self._documents(ctx)
        chosen = self._chosen(ctx)
        needs_number = self._needs_number(ctx)
        return {"documents": docs, "chosen": chosen["id"] if chosen else "", "slots": self.slots(ctx),
                "button": ctx.field.prop("button", "拍照或从手机相册选择"), "needs_number": needs_number,
                "number_label": f"{chosen['label']}号码" if chosen and needs_number else "", "number": ctx.get("number"),
                # the browser scales a photo to what process_upload keeps before sending it (static/upload.js)
                "scaling": LIMITS.browser_scaling()}


def _matches(number: str, rule: Mapping[str, Any]) -> bool:
    """Whether `number` is written in the format `rule` (its whole-value pattern, then its check digit)."""
    if rule.get("pattern") and not matches_whole(rule["pattern"], number):
        return False
    return rule.get("check") != "gb11643" or is_valid_id_number(number)


WIDGET = DocumentsWidget()
