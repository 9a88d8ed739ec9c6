"""The widget contract: one module per field kind turns raw form values into a typed value, an error, HTML."""
from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from renderer.definition.model import Field
from renderer.definition.typed_text import typed_text
from widgets.display import show


@dataclass
class FieldContext:
    """One field of one citizen's draft, with what a widget may read or (in actions) change."""

    field: Field
    raw: MutableMapping[str, str]          # answers as posted, by form key (typed text in its one spelling)
    facts: MutableMapping[str, Any]        # what only the server writes: verified phones, upload ids
    env: Mapping[str, Any]                 # what expressions see
    services: Any = None                   # renderer.services.base.Services, for actions
    identity: Any = None
    store: Any = None
    owner: str = ""
    journey: str = ""                      # the draft's journey: uploads belong to it

    def keep_upload(self, data: bytes, content_type: str, replacing: str | None = None,
                    thumbnail: bytes | None = None) -> str:
        """Store an upload for this draft; the one it replaces (if any) is removed, so each is kept once."""
        upload = self.store.put_upload(self.owner, data, content_type, journey=self.journey, thumbnail=thumbnail)
        if replacing and replacing != upload:
            self.store.delete_upload(self.owner, replacing)
        return upload

    def drop_upload(self, upload: str | None) -> None:
        if upload:
            self.store.delete_upload(self.owner, upload)

    def eval(self, name: str, default: Any = None) -> Any:
        expr = self.field.exprs.get(name)
        return default if expr is None else expr.evaluate(self.env)

    def get(self, suffix: str = "", default: str = "") -> str:
        """The raw value of this field (or of `<id>.<suffix>`)."""
        key = self.field.id + (f".{suffix}" if suffix else "")
        return self.raw.get(key, default)

    def has(self, suffix: str = "") -> bool:
        return (self.field.id + (f".{suffix}" if suffix else "")) in self.raw

    def set(self, suffix: str, value: str) -> None:
        self.raw[self.field.id + (f".{suffix}" if suffix else "")] = value

    def default(self) -> Any:
        """The initial value: `default_from` evaluated, else the literal `default`."""
        if "default" in self.field.exprs:
            return self.eval("default")
        return self.field.default

    def enabled(self) -> bool:
        """Whether the citizen may change the field (`enabled`); when not, its value is its initial value."""
        enabled = self.field.enabled
        return enabled if isinstance(enabled, bool) else bool(enabled.evaluate(self.env))

    def typed(self, default: str = "") -> str:
        """What the citizen typed or chose; the initial value when nothing is kept or the field is disabled."""
        if self.has() and self.enabled():
            return self.get()
        initial = self.default()
        return default if initial is None else str(initial)


@dataclass
class ActionResult:
    """What a widget action (发送验证码, 获取图片, 选择 …) tells the page."""

    notice: str | None = None                  # shown in the field (e.g. the simulated SMS)
    error: str | None = None                   # shown as the field's error
    popup: str | None = None                   # a popup id of the journey
    state: Mapping[str, Any] = dc_field(default_factory=dict)   # extra view state (dialog open …)


class Widget:
    kind = ""
    required_verb = "请填写"

    @property
    def template(self) -> str:
        return f"{self.kind}.html"

    def keys(self, field: Field) -> list[str]:
        """Form keys this field owns; a POST may set only these."""
        return [field.id]

    def typed_keys(self, field: Field) -> tuple[str, ...]:
        """The form keys the citizen types into; the others hold a choice the page offered (an option, a tick)."""
        return ()

    def canonical(self, field: Field, key: str, posted: str) -> str:
        """What the draft keeps of a posted answer: typed text in its one spelling (NFKC, ASCII digits, no
        zero-width characters: renderer/definition/typed_text.py), a choice as posted (check() takes only the
        options the page offered). The one way in for answers: renderer/journey/answers.apply_answers."""
        return typed_text(posted) if key in self.typed_keys(field) else posted

    def value(self, ctx: FieldContext) -> Any:
        """The typed value, or None when empty or unreadable. A function of the field's raw answers, facts and env
        only: it reads no store and no service (renderer/journey/walks.py remembers values on that promise)."""
        text = ctx.get().strip() if ctx.has() and ctx.enabled() else ctx.default()
        return text if text not in (None, "") else None

    def check(self, ctx: FieldContext, value: Any, submitting: bool) -> str | None:
        """A message when what was entered is not acceptable (the value may be None)."""
        return None

    def empty(self, value: Any) -> bool:
        return value in (None, "", [], {})

    def required_message(self, field: Field) -> str:
        return field.message or f"{self.required_verb}{field.label}"

    def view(self, ctx: FieldContext) -> dict[str, Any]:
        """Template variables beyond the common ones."""
        return {}

    def display(self, ctx: FieldContext, value: Any) -> str:
        """The text a confirm page shows."""
        return show(value, ctx.field.prop("display", "plain"))

    def act(self, ctx: FieldContext, verb: str, form: Mapping[str, Any]) -> ActionResult:
        """Handle a button inside the field; the default widget has none."""
        return ActionResult(error="不支持的操作")

    def prepare(self, ctx: FieldContext, keep: bool = True) -> None:
        """Fetch what the field shows before the page renders (e.g. the system photo) into `ctx.facts`. With
        keep=False (a GET) nothing may be stored: what is fetched is only shown, and fetched again by the POST."""


@dataclass(frozen=True)
class Limit:
    """A limit declared once in YAML: the server check and the HTML attribute come from it."""

    attr: str
    value: Any
