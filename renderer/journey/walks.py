"""Evaluations remembered by what they were computed from, so that a draft is walked once, not on every request.

Walking a draft through its journey (every field's value and visibility, in page order) costs time in proportion
to the form's size. Its result depends on nothing but the forms, the citizen, the date and the draft's answers
and facts: widgets' `value()` read no store and no service (widgets/base.py). So a walk is kept here under a
digest of exactly those inputs, and the same inputs get it back: the GET after a POST's redirect, a reload, the
several looks one request takes at an unchanged draft.

This is a cache, not state: a process that does not have an entry walks the draft itself, with the same result,
and a worker never needs another's entries. It is bounded (least recently used entries go first).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from renderer.definition.model import Definition, Journey, Page
from renderer.journey.evaluation import Draft, Evaluation
from renderer.services.base import Identity

SIZE = 512       # walks per process: a few hundred citizens mid-journey at once; each entry is a few KB


@dataclass(frozen=True)
class Walk:
    """What Evaluation._compute produced, from a private copy of the draft's inputs (nothing else refers to it)."""

    env: dict[str, Any]
    visible: frozenset[str]
    pages_on_route: tuple[Page, ...]
    draft: Draft                                                    # the private copy it was walked from
    # page id -> its fingerprint, and whether it has no errors: Evaluation.is_complete's two costly parts
    fingerprints: dict[str, str] = field(default_factory=dict)
    passes: dict[str, bool] = field(default_factory=dict)

    def holds(self, draft: Draft) -> bool:
        """Whether `draft` still holds what was walked (the engine changes a draft after evaluating it)."""
        return (draft.raw == self.draft.raw and draft.facts == self.draft.facts
                and draft.outcome == self.draft.outcome)


class Walks:
    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self._walks: OrderedDict[tuple[Any, ...], Walk] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def evaluate(self, definition: Definition, journey: Journey, draft: Draft, identity: Identity,
                 services: Any = None, store: Any = None, today: dt.date | None = None) -> Evaluation:
        """An Evaluation of `draft`, from a remembered walk when the same inputs were walked before."""
        today = today or dt.date.today()
        inputs = _inputs(draft)
        key = (id(definition), definition.version, journey.id, _person(identity), today,
               hashlib.sha256(inputs.encode()).digest())
        with self._lock:
            walk = self._walks.get(key)
            if walk is not None:
                self._walks.move_to_end(key)
                self.hits += 1
        if walk is None:
            # Walked on a private copy of the inputs, so that what the walk keeps cannot change under it when the
            # engine later changes the draft it was asked about; and without the store and the services, so that a
            # widget whose value() reached for them would fail here, not be remembered.
            private = Draft.from_json(json.loads(inputs))
            computed = Evaluation(definition, journey, private, identity, None, None, today)
            walk = Walk(computed.env, frozenset(computed.visible), tuple(computed.pages_on_route), private)
            with self._lock:
                self.misses += 1
                self._walks[key] = walk
                self._walks.move_to_end(key)
                while len(self._walks) > self.size:
                    self._walks.popitem(last=False)
        return Evaluation(definition, journey, draft, identity, services, store, today, walked=walk)

    def clear(self) -> None:
        with self._lock:
            self._walks.clear()


def _inputs(draft: Draft) -> str:
    """What a walk reads of the draft, as canonical JSON: its answers, its facts and the last outcome."""
    return json.dumps({"raw": draft.raw, "facts": draft.facts, "outcome": draft.outcome}, sort_keys=True,
                      ensure_ascii=False, default=str)


def _person(identity: Identity) -> tuple[Any, ...]:
    return (identity.key, identity.name, identity.id_number, identity.id_type, identity.resident_type,
            identity.phone)
