"""One citizen's draft read through a journey: typed values, what is visible, what is missing, which page is next."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from renderer.definition.functions import birth_date_of, gender_of
from renderer.definition.model import Condition, Definition, Field, Journey, Page
from widgets import WIDGETS, FieldContext

RECORDS = "_records"     # facts key: service data kept by `calls: [{keep: name}]`
ENTRY = "_entry"         # facts key: how another journey sent the citizen here
RETURN = "_return"       # facts key: the page that `goto: return` leads back to


@dataclass
class Draft:
    """What is stored per citizen and journey; every request reads it and writes it back (renderer/journey/drafts.py)."""

    raw: dict[str, str] = field(default_factory=dict)       # answers as typed, by form key
    facts: dict[str, Any] = field(default_factory=dict)     # server-written: uploads, verified phones
    done: dict[str, str] = field(default_factory=dict)      # page id -> fingerprint of its answers when passed
    outcome: dict[str, Any] | None = None                   # the last submission's result
    # raw key -> [the version that last changed it, the value before]: tells a stale tab's post from a real edit
    stamps: dict[str, list[Any]] = field(default_factory=dict)
    version: int | None = None                              # as stored; None: not stored yet
    base_text: str | None = None                            # the stored state this copy was read from, as JSON
    form_version: str | None = None                         # the forms it is on (renderer/versions/registry.py)

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None, version: int | None = None, text: str | None = None) -> Draft:
        """A draft of a stored state; `text`: that state as the store keeps it, when at hand (else made here)."""
        data = data or {}
        draft = cls(dict(data.get("raw") or {}), dict(data.get("facts") or {}), dict(data.get("done") or {}),
                    data.get("outcome"), dict(data.get("stamps") or {}), version)
        if version is not None:
            draft.base_text = text if text is not None else json.dumps(data, default=str)
        return draft

    @property
    def base(self) -> dict[str, Any] | None:
        """The stored state this copy was read from: a fresh copy each time, read when a save needs it."""
        if self.base_text is None:
            return None
        base: dict[str, Any] = json.loads(self.base_text)
        return base

    def to_json(self) -> dict[str, Any]:
        return {"raw": self.raw, "facts": self.facts, "done": self.done, "outcome": self.outcome,
                "stamps": self.stamps}

    def fresh(self, form_version: str | None, **kept: Any) -> Draft:
        """An empty draft that replaces this one in the store (same version line), on `form_version` (today's)."""
        new = Draft(**kept)
        new.version, new.base_text, new.form_version = self.version, self.base_text, form_version
        return new


def condition(value: Condition, env: Mapping[str, Any]) -> bool:
    return value if isinstance(value, bool) else bool(value.evaluate(env))


class Evaluation:
    """Values and visibility of every field, computed in page order from the draft."""

    def __init__(self, definition: Definition, journey: Journey, draft: Draft, identity: Any,
                 services: Any = None, store: Any = None, today: dt.date | None = None,
                 walked: Any = None) -> None:
        """`walked`: a renderer.journey.walks.Walk of these very inputs, taken instead of walking again."""
        self.definition, self.journey, self.draft = definition, journey, draft
        self.identity, self.services, self.store = identity, services, store
        self.walked = walked
        if walked is not None:
            self.env: dict[str, Any] = dict(walked.env)
            self.visible: set[str] = set(walked.visible)
            self.pages_on_route: list[Page] = list(walked.pages_on_route)
            return
        person = identity.as_context()
        resident = dict(definition.residents.get(identity.resident_type) or {})
        resident["type"] = identity.resident_type
        self.env = {
            "person": person, "resident": resident, "residents": definition.residents, "lists": definition.lists, "cities": definition.cities,
            "today": today or dt.date.today(), "derived": {}, "outcome": draft.outcome or {},
            "records": dict(draft.facts.get(RECORDS) or {}), "entry": draft.facts.get(ENTRY),
            "applicant": {},
        }
        self.env.update({f.id: None for f in journey.fields})
        self.visible = set()
        self.pages_on_route = []
        self._compute()

    def _compute(self) -> None:
        self._derive()
        # The applicant is named by answers (a guardian's B2): refresh it as soon as those are known.
        applicant_names = {n for expr in self.journey.applicant.values() for n in expr.names}
        for page in self.journey.pages:
            page_visible = condition(page.when, self.env)
            if page_visible:
                self.pages_on_route.append(page)
            for section in page.sections:
                section_visible = page_visible and condition(section.when, self.env)
                for f in section.fields:
                    if section_visible and condition(f.when, self.env):
                        self.visible.add(f.id)
                        self.env[f.id] = WIDGETS[f.kind].value(self.context(f))
                        if f.id in applicant_names:
                            self.env["applicant"] = self._applicant()
        self._derive()

    def _derive(self) -> None:
        self.env["applicant"] = self._applicant()
        self.env["derived"] = {name: expr.evaluate(self.env) for name, expr in self.journey.derived.items()}

    def _applicant(self) -> dict[str, Any]:
        """Whom the card is for: the signed-in person, unless the journey names someone else (a minor)."""
        person = self.env["person"]
        if self.journey.applicant:
            found = {name: expr.evaluate(self.env) for name, expr in self.journey.applicant.items()}
            found["is_self"] = False
        else:
            found = {k: person.get(k) for k in ("name", "id_type", "id_number")}
            found["is_self"] = True
        found["birth_date"] = birth_date_of(found.get("id_number"))
        found["gender"] = gender_of(found.get("id_number"))
        return found

    def context(self, f: Field) -> FieldContext:
        return FieldContext(field=f, raw=self.draft.raw, facts=self.draft.facts, env=self.env,
                            services=self.services, identity=self.identity, store=self.store,
                            owner=getattr(self.identity, "key", ""), journey=self.journey.id)

    def value(self, field_id: str) -> Any:
        return self.env.get(field_id) if field_id in self.visible else None

    # ------------------------------------------------------------------ checking

    def field_error(self, f: Field, submitting: bool = False) -> str | None:
        """The first problem with a visible field: format, then required, then the declared rules."""
        if f.id not in self.visible:
            return None
        widget = WIDGETS[f.kind]
        value = self.env.get(f.id)
        message = widget.check(self.context(f), value, submitting)
        if message:
            return message
        if widget.empty(value):
            return widget.required_message(f) if condition(f.required, self.env) else None
        for rule in f.rules:
            others = [n for n in rule.check.names if n in self.env and n != f.id and n in self.journey.field_ids]
            if any(self.env.get(n) is None for n in others):
                continue      # the other field reports its own problem
            if not rule.check.evaluate(self.env):
                return rule.message
        return None

    def page_errors(self, page: Page, submitting: bool = False) -> dict[str, str]:
        errors = {}
        for f in page.fields:
            message = self.field_error(f, submitting)
            if message:
                errors[f.id] = message
        return errors

    def fingerprint(self, page: Page) -> str:
        """A digest of the page's answers, so a later change undoes its 'done'."""
        keys = {k for f in page.fields for k in WIDGETS[f.kind].keys(f)}
        prefixes = tuple(f"{f.id}." for f in page.fields)
        raw = {k: v for k, v in self.draft.raw.items() if k in keys}
        facts = {k: v for k, v in self.draft.facts.items()
                 if k.startswith(prefixes) and not k.endswith((".resend_at", ".verified"))}
        digest = hashlib.sha256(json.dumps([page.id, raw, facts], sort_keys=True, default=str).encode())
        return digest.hexdigest()[:16]

    def is_complete(self, page: Page) -> bool:
        if page.is_confirm:
            return False
        walked = self.walked if self.walked is not None and self.walked.holds(self.draft) else None
        if walked is None:
            return self.draft.done.get(page.id) == self.fingerprint(page) and not self.page_errors(page)
        # Both parts depend only on what was walked: remembered with the walk for the next look at the same draft.
        if page.id not in walked.fingerprints:
            walked.fingerprints[page.id] = self.fingerprint(page)
        if self.draft.done.get(page.id) != walked.fingerprints[page.id]:
            return False
        if page.id not in walked.passes:
            walked.passes[page.id] = not self.page_errors(page)
        return walked.passes[page.id]

    def mark_done(self, page: Page) -> None:
        self.draft.done[page.id] = self.fingerprint(page)

    def first_incomplete(self) -> Page | None:
        """The page the citizen must see next: the first on the route that is not passed."""
        for page in self.pages_on_route:
            if not self.is_complete(page):
                return page
        return None

    def reachable(self, page: Page) -> bool:
        """A page may be shown if it is on the route and no earlier page is incomplete."""
        if page not in self.pages_on_route:
            return False
        first = self.first_incomplete()
        if first is None:
            return True
        return self.pages_on_route.index(page) <= self.pages_on_route.index(first)
