"""The identity documents to photograph: slots follow the resident type's documents (chosen one if several)."""
from __future__ import annotations

from typing import Any, Mapping

from renderer.uploads.images import ImageRejected, process_upload
from widgets.base import ActionResult, FieldContext, Widget

UPLOAD_URL = "/uploads/{id}"


class DocumentsWidget(Widget):
    kind = "documents"
    required_verb = "请上传"
    accepts_files = True

    def keys(self, field: Any) -> list[str]:
        return [f"{field.id}.choice"]

    def _documents(self, ctx: FieldContext) -> list[Mapping[str, Any]]:
        docs = ctx.eval("documents")
        return [d for d in docs if isinstance(d, Mapping)] if isinstance(docs, list) else []

    def _chosen(self, ctx: FieldContext) -> Mapping[str, Any] | None:
        docs = self._documents(ctx)
        choice = ctx.get("choice")
        return next((d for d in docs if d["id"] == choice), docs[0] if docs else None)

    def slots(self, ctx: FieldContext) -> list[dict[str, Any]]:
        doc = self._chosen(ctx)
        if doc is None:
            return []
        out = []
        for index, side in enumerate(doc["sides"]):
            key = f"{ctx.field.id}.{doc['id']}.{index}"
            upload = ctx.facts.get(key)
            out.append({"key": key, "label": ctx.field.prop("prefix", "") + side, "upload": upload,
                        "url": UPLOAD_URL.format(id=upload) if upload else None})
        return out

    def value(self, ctx: FieldContext) -> Any:
        doc, slots = self._chosen(ctx), self.slots(ctx)
        if doc is None or not slots or any(s["upload"] is None for s in slots):
            return None
        return {"document": doc["label"], "files": [{"label": s["label"], "upload": s["upload"]} for s in slots]}

    def check(self, ctx: FieldContext, value: Any, submitting: bool) -> str | None:
        missing = [s["label"] for s in self.slots(ctx) if s["upload"] is None]
        if value is None and missing and any(s["upload"] for s in self.slots(ctx)):
            return "请上传" + "、".join(missing)
        return None

    def required_message(self, field: Any) -> str:
        return field.message or "请按要求上传证件照片"

    def act(self, ctx: FieldContext, verb: str, form: Mapping[str, Any]) -> ActionResult:
        slots = {s["key"]: s for s in self.slots(ctx)}
        if verb.startswith("delete:"):
            ctx.facts.pop(verb.removeprefix("delete:"), None)
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
            ctx.facts[key] = ctx.store.put_upload(ctx.owner, image.data, image.content_type)
        return ActionResult(error=";".join(errors) or None)

    def display(self, ctx: FieldContext, value: Any) -> Any:
        if not value:
            return ""
        return {"images": [(f["label"], UPLOAD_URL.format(id=f["upload"])) for f in value["files"]]}

    def view(self, ctx: FieldContext) -> dict[str, Any]:
        docs = self._documents(ctx)
        chosen = self._chosen(ctx)
        return {"documents": docs, "chosen": chosen["id"] if chosen else "", "slots": self.slots(ctx),
                "button": ctx.field.prop("button", "拍照或从手机相册选择")}


WIDGET = DocumentsWidget()
