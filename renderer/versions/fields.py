"""The diff of one field between two versions: its kind, texts, conditions, checks, settings and choices."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from renderer.definition.model import Definition, Field, Journey, Page
from renderer.versions import conditions
from renderer.versions.choices import CHOICE_SETTINGS, choices, is_choice_field
from renderer.versions.data import is_text, only_texts_differ
from renderer.versions.rules import (
    DISPLAY_SETTINGS,
    LOOSER_WHEN_HIGHER,
    LOOSER_WHEN_LOWER,
    Change,
    change,
)
from widgets import WIDGETS

TEXTS = ("label", "hint", "placeholder", "message")
MAX_CASES_SHOWN = 3


def asks(f: Field) -> bool:
    """The citizen gives something here (a readonly value or a record list asks nothing)."""
    widget = WIDGETS.get(f.kind)
    return widget is None or bool(widget.keys(f))


def required(f: Field) -> bool:
    return asks(f) and conditions.maybe(f.required)


def name(page: Page, f: Field) -> str:
    return f"{page.id} › {f.id} ({f.label})"


def added(journey: Journey, page: Page, f: Field) -> Change:
    kind = "field.added_required" if required(f) else "field.added_optional" if asks(f) else "field.added_shown"
    return change(kind, journey.id, f"{name(page, f)} added", f.position, page_title=page.title, page=page.id,
                  field=f.id)


@dataclass
class FieldDiff:
    """Two versions of one field: `old_def`/`new_def` give the data its choices are read from."""

    old_def: Definition
    new_def: Definition
    old_journey: Journey
    new_journey: Journey
    page: Page              # its page in the new version
    old: Field
    new: Field

    def _change(self, kind: str, what: str, **more: Any) -> Change:
        return change(kind, self.new_journey.id, f"{name(self.page, self.new)}: {what}", self.new.position,
                      page_title=self.page.title, page=self.page.id, field=self.new.id, **more)

    def changes(self) -> Iterator[Change]:
        old, new = self.old, self.new
        if old.kind != new.kind:
            yield self._change("field.kind", f"kind {old.kind} → {new.kind}")
        texts = [t for t in TEXTS if getattr(old, t) != getattr(new, t)]
        if texts:
            yield self._change("field.text", f"{', '.join(texts)} changed")
        yield from self._conditions()
        if old.default != new.default or _source(old, "default") != _source(new, "default"):
            yield self._change("field.default", "default changed")
        if _source(old, "value") != _source(new, "value"):
            yield self._change("field.value", f"value {_source(old, 'value')} → {_source(new, 'value')}")
        yield from self._rules()
        yield from self._settings()
        if is_choice_field(old) or is_choice_field(new):
            yield from self._choices()

    def _conditions(self) -> Iterator[Change]:
        old, new = self.old, self.new
        how = conditions.compare(old.required, new.required)
        if how != conditions.SAME and asks(new):
            kind = "field.required_less" if how == conditions.NARROWER else "field.required_more"
            yield self._change(kind, f"required: {conditions.source(old.required)} → {conditions.source(new.required)}")
        how = conditions.compare(old.when, new.when)
        if how != conditions.SAME:
            kind = ("field.hidden_more" if how == conditions.NARROWER
                    else "field.condition" if required(new) else "field.condition_optional")
            yield self._change(kind, f"when: {conditions.source(old.when)} → {conditions.source(new.when)}")
        if conditions.compare(old.enabled, new.enabled) != conditions.SAME:
            yield self._change("field.enabled", f"enabled: {conditions.source(old.enabled)} → "
                                                f"{conditions.source(new.enabled)}")

    def _rules(self) -> Iterator[Change]:
        before = {r.check.source: r.message for r in self.old.rules}
        after = {r.check.source: r.message for r in self.new.rules}
        for check in [c for c in after if c not in before]:
            yield self._change("field.rule_added", f"check {check} added")
        for check in [c for c in before if c not in after]:
            yield self._change("field.rule_removed", f"check {check} removed")
        for check in [c for c in after if c in before and before[c] != after[c]]:
            yield self._change("field.text", f"message of check {check} changed")

    def _settings(self) -> Iterator[Change]:
        old, new = self.old, self.new
        before = {**{k: v for k, v in old.props.items() if k != "options"},
                  **{k: e.source for k, e in old.exprs.items() if k not in (*CHOICE_SETTINGS, "default", "value")}}
        after = {**{k: v for k, v in new.props.items() if k != "options"},
                 **{k: e.source for k, e in new.exprs.items() if k not in (*CHOICE_SETTINGS, "default", "value")}}
        for key in sorted(k for k in {**before, **after} if before.get(k) != after.get(k)):
            a, b = before.get(key), after.get(key)
            kind = _setting_kind(key, a, b)
            yield self._change(kind, f"{key} changed" if kind in ("field.text", "field.display")
                               else f"{key}: {_show(a)} → {_show(b)}")

    def _choices(self) -> Iterator[Change]:
        before = choices(self.old_def, self.old_journey, self.old)
        after = choices(self.new_def, self.new_journey, self.new)
        found: dict[tuple[str, str], list[str]] = {}
        for case in [c for c in after if c in before]:
            old_items, new_items = before[case], after[case]
            for key in old_items:
                if key not in new_items:
                    found.setdefault(("option.removed", key), []).append(case)
                elif old_items[key] != new_items[key]:
                    kind = "option.text" if only_texts_differ(old_items[key], new_items[key]) else "option.changed"
                    found.setdefault((kind, key), []).append(case)
            for key in new_items:
                if key not in old_items:
                    found.setdefault(("option.added", key), []).append(case)
        for (kind, key), cases in found.items():
            verb = {"option.removed": "no longer offered", "option.added": "offered",
                    "option.changed": "changed", "option.text": "texts changed"}[kind]
            yield self._change(kind, f"option {key} {verb}{_cases(cases)}", value=key,
                               cases=[c for c in cases if c])


def _source(f: Field, key: str) -> str | None:
    expr = f.exprs.get(key)
    return None if expr is None else expr.source


def _setting_kind(key: str, before: Any, after: Any) -> str:
    if key in LOOSER_WHEN_HIGHER and (after is None or (before is not None and after > before)):
        return "field.limit_looser"
    if key in LOOSER_WHEN_LOWER and (after is None or (before is not None and after < before)):
        return "field.limit_looser"
    if key in DISPLAY_SETTINGS:
        return "field.display"
    if only_texts_differ(before, after) or ((before is None or after is None) and is_text(before or after)):
        return "field.text"
    return "field.setting"


def _cases(cases: list[str]) -> str:
    shown = [c for c in cases if c]
    if not shown:
        return ""
    more = f" and {len(shown) - MAX_CASES_SHOWN} more" if len(shown) > MAX_CASES_SHOWN else ""
    return f" (for {'; '.join(shown[:MAX_CASES_SHOWN])}{more})"


def _show(value: Any) -> str:
    text = "(none)" if value is None else str(value)
    return text if len(text) <= 40 else text[:39] + "…"
