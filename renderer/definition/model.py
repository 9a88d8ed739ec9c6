"""The frozen model that the loader builds from forms/: journeys, pages, fields, popups and data."""
from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from renderer.definition.expressions import Expression


@dataclass(frozen=True)
class Position:
    """Where something was declared: 1-based line and column, as editors show them."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


IN_FLIGHT = ("move_when_compatible", "continue")
IN_FLIGHT_DEFAULT = IN_FLIGHT[0]

# A condition is either a constant or an expression evaluated against the answers.
Condition = bool | Expression


@dataclass(frozen=True)
class Rule:
    check: Expression
    message: str


@dataclass(frozen=True)
class Field:
    id: str
    kind: str
    label: str
    position: Position
    required: Condition = False
    when: Condition = True
    enabled: Condition = True
    message: str | None = None
    hint: str | None = None
    placeholder: str | None = None
    default: Any = None
    rules: tuple[Rule, ...] = ()
    # Settings that are expressions (options as a text, value, documents, city, default_from as "default" …).
    exprs: Mapping[str, Expression] = field(default_factory=dict)
    # Every other widget-specific setting, as written (max_length, code_label, popups …).
    props: Mapping[str, Any] = field(default_factory=dict)
    # The kind's typed settings (widgets/settings.py), as the loader read them; None for a Field made in code.
    settings: Any = field(default=None, compare=False)

    def prop(self, name: str, default: Any = None) -> Any:
        """A widget setting, or `default` when the YAML does not give it."""
        return self.props.get(name, default)


@dataclass(frozen=True)
class Section:
    title: str | None
    fields: tuple[Field, ...]
    when: Condition = True


@dataclass(frozen=True)
class Route:
    """What a button outcome leads to: exactly one of next, goto, result, popup, message, journey, error."""

    next: bool = False
    goto: str | None = None
    result: str | None = None
    popup: str | None = None
    message: str | None = None
    journey: str | None = None          # another journey: its page `page`, or where its walker says
    page: str | None = None
    entry: str | None = None            # how that journey was entered; its pages read it as `entry`
    error_field: str | None = None      # a field error: the message goes next to this field


@dataclass(frozen=True)
class Call:
    """A named service action and the expressions that give its arguments."""

    service: str
    args: Mapping[str, Expression] = field(default_factory=dict)
    keep: str | None = None     # keep the outcome's data as records.<keep>


@dataclass(frozen=True)
class Button:
    label: str
    calls: tuple[Call, ...] = ()
    enabled: Condition = True
    on: Mapping[str, Route] = field(default_factory=dict)
    position: Position | None = None
    confirm: str | None = None   # a popup that asks before the button acts; its last button goes ahead
    guards: tuple[tuple[Expression, Route], ...] = ()   # checked before any service: the first true one routes


@dataclass(frozen=True)
class Link:
    """A button that leads somewhere; without a target it closes its dialog."""

    label: str
    goto: str | None = None          # a page id of this journey, `start`, or `return` (the return point)
    href: str | None = None
    journey: str | None = None       # another journey (its `page`, or its start)
    page: str | None = None
    remember: bool = False           # that journey may come back here (`goto: return`)
    resubmit: bool = False           # sends the application again: shown only where the reason's advice allows it


@dataclass(frozen=True)
class Popup:
    id: str
    text: str
    buttons: tuple[Link, ...]
    title: str | None = None


@dataclass(frozen=True)
class ShowItem:
    """One row of a confirm section: a label and the fields or value it shows."""

    label: str | None
    fields: tuple[str, ...] = ()
    value: Expression | None = None
    display: str = "plain"


@dataclass(frozen=True)
class ConfirmSection:
    title: str
    shows: tuple[ShowItem, ...]
    edit: str | None = None
    when: Condition = True


@dataclass(frozen=True)
class ItemsFrom:
    """Term / text items read from data (the guide's 所需材料 from the resident types)."""

    source: Expression
    term: str
    text: str


@dataclass(frozen=True)
class Block:
    title: str
    lines: tuple[str, ...] = ()
    items: tuple[tuple[str, str], ...] = ()
    items_from: ItemsFrom | None = None


@dataclass(frozen=True)
class Page:
    id: str
    title: str
    position: Position
    step: str | None = None
    when: Condition = True
    note: str | None = None
    banner: str | None = None
    blocks: tuple[Block, ...] = ()
    sections: tuple[Section, ...] = ()
    confirm: tuple[ConfirmSection, ...] = ()
    buttons: tuple[Button, ...] = ()

    @property
    def fields(self) -> tuple[Field, ...]:
        return tuple(f for s in self.sections for f in s.fields)

    @property
    def is_confirm(self) -> bool:
        return bool(self.confirm)


@dataclass(frozen=True)
class ResultRow:
    """A fact a result page shows, e.g. 申请编号 and the number the provincial system gave."""

    label: str
    value: Expression


@dataclass(frozen=True)
class Advice:
    """A reason an outside system gave, in plain words: what it means, what to do, and whether 重新提交 can help."""

    explain: str
    advice: str
    retry: bool = True


@dataclass(frozen=True)
class Result:
    id: str
    title: str
    text: str
    icon: str = "success"
    buttons: tuple[Link, ...] = ()
    position: Position | None = None
    shows: tuple[ResultRow, ...] = ()
    next: tuple[str, ...] = ()                  # what happens next, in order
    reasons: Mapping[str, Advice] = field(default_factory=dict)    # by the reason's exact text
    otherwise: Advice | None = None             # for any other reason

    def advice_for(self, reason: str | None) -> Advice | None:
        return self.reasons.get(reason or "", self.otherwise)


@dataclass(frozen=True)
class Receipt:
    """What a citizen keeps of a submitted application: sections of the confirm page, as it was shown then."""

    title: str
    sections: tuple[str, ...]                   # confirm section titles


@dataclass(frozen=True)
class Verification:
    """A check the journey needs (the face check): every page from `start` on needs a pass younger than
    `valid_minutes`; the engine sends a citizen without one to the check first, whatever the buttons call."""

    service: str
    start: str                   # the first page that needs it (`from:` in the YAML)
    valid_minutes: int
    failed: str                  # the message when the check does not pass
    position: Position | None = None


@dataclass(frozen=True)
class Journey:
    id: str
    title: str
    steps: tuple[str, ...]
    pages: tuple[Page, ...]
    results: Mapping[str, Result]
    popups: Mapping[str, Popup]
    derived: Mapping[str, Expression]
    home_link: str | None = None
    applicant: Mapping[str, Expression] = field(default_factory=dict)   # whom the card is for; default: person
    # When a new version of the forms is served, a citizen mid-journey: moves over if every change is compatible for
    # their answers (move_when_compatible), or always finishes on the version they started (continue).
    in_flight: str = "move_when_compatible"
    verifications: tuple[Verification, ...] = ()
    receipt: Receipt | None = None

    # Looked up on every request: computed once per journey (the journey is frozen; a changed one is a new object).

    def page(self, page_id: str) -> Page | None:
        return self._pages_by_id.get(page_id)

    @functools.cached_property
    def _pages_by_id(self) -> dict[str, Page]:
        by_id: dict[str, Page] = {}
        for p in self.pages:
            by_id.setdefault(p.id, p)       # the first of a repeated id, as a scan in page order finds it
        return by_id

    @functools.cached_property
    def fields(self) -> tuple[Field, ...]:
        return tuple(f for p in self.pages for f in p.fields)

    @functools.cached_property
    def field_ids(self) -> frozenset[str]:
        return frozenset(f.id for f in self.fields)

    def field(self, field_id: str) -> Field | None:
        return next((f for f in self.fields if f.id == field_id), None)

    def needs(self, page_id: str) -> tuple[Verification, ...]:
        """The verifications a page needs: those whose first page is this one or comes before it."""
        order = [p.id for p in self.pages]
        if page_id not in order:
            return ()
        return tuple(v for v in self.verifications if v.start in order and order.index(v.start) <= order.index(page_id))

    def page_of(self, field_id: str) -> Page | None:
        return next((p for p in self.pages if any(f.id == field_id for f in p.fields)), None)


@dataclass(frozen=True)
class Branch:
    id: str
    name: str
    district: str
    address: str
    hours: str
    phone: str
    bank: str | None = None


@dataclass(frozen=True)
class City:
    name: str
    banks: tuple[str, ...]
    districts: tuple[str, ...]
    branches: tuple[Branch, ...]
    hotline: str | None = None
    code: str | None = None


class Shown:
    """How a value from the forms' data (an option, a resident type's document, a branch's name) is shown in one
    language: a table made when the forms load; a value it does not know (what the citizen typed) is shown as it is.
    Hashable by identity, so a list of options drawn with it is cached per table."""

    __slots__ = ("table",)

    def __init__(self, table: Mapping[str, str] | None = None) -> None:
        self.table = table or {}

    def __call__(self, value: Any) -> Any:
        if type(value) is not str or not self.table:
            return value
        found = self.table.get(value)
        if found is None and " " in value:        # a region: province, city and district joined by spaces
            return " ".join(self.table.get(part, part) for part in value.split(" "))
        return value if found is None else found


@dataclass(frozen=True)
class Definition:
    """Everything under forms/, checked and frozen."""

    journeys: Mapping[str, Journey]
    lists: Mapping[str, Any]          # name -> list of options, or a region tree
    cities: Mapping[str, City]
    residents: Mapping[str, Mapping[str, Any]]
    version: str = ""                 # content hash of the forms folder that made it (renderer/definition/version.py)
    label: str = ""                   # forms/VERSION, or v-<hash prefix>: what people call the version
    # The language the texts are in (renderer/definition/languages.py). The Simplified definition carries its twin
    # in each other language (renderer/definition/translate.py), made when the forms load.
    language: str = "zh-CN"
    translated: Mapping[str, Definition] = field(default_factory=dict, compare=False, repr=False)
    overrides: Mapping[str, Mapping[str, str]] = field(default_factory=dict, compare=False, repr=False)
    shown: Shown = field(default_factory=lambda: Shown(), compare=False, repr=False)   # a YAML text as shown
    say: Callable[[str], str] | None = field(default=None, compare=False, repr=False)   # any text -> as shown

    def in_language(self, code: str) -> Definition:
        """The twin whose texts are in `code`; this one for its own language or one the forms do not have."""
        return self.translated.get(code, self)

    def said(self, text: str) -> str:
        """A message (the YAML's, or one made in Python naming a label) in this language."""
        return self.say(text) if self.say is not None and text else text
