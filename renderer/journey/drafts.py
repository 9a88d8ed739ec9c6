"""A citizen's draft, loaded and saved so that nothing acknowledged is lost: every save names the version it was
read at; when another request saved in between, the two are merged field by field, and only a true conflict (both
changed the same answer differently) is reported — after the other side's answer has been kept."""
from __future__ import annotations

import random
import time
from collections.abc import Mapping
from typing import Any

from renderer.definition.typed_text import ascii_digits
from renderer.journey.evaluation import Draft
from renderer.journey.submission import SUBMISSION, new_key
from renderer.store.base import StaleDraft, stored_json

MAX_MERGES = 40       # a save that keeps losing the race this often is refused rather than retried for ever
BACKOFF_S = 0.002     # after a lost race, wait a little (growing, jittered) so two busy tabs stop colliding


class DraftConflict(Exception):
    """Both this request and another changed the same answers; the other's were kept."""

    def __init__(self, keys: set[str]) -> None:
        super().__init__(", ".join(sorted(keys)))
        self.keys = keys


def _merge_map(base: Mapping[str, Any], mine: Mapping[str, Any], theirs: Mapping[str, Any],
               conflicts: set[str] | None) -> dict[str, Any]:
    """Three-way merge of one map: each side's changes against `base`; where both changed a key differently,
    theirs stays (it was acknowledged first) and the key is a conflict (or, with conflicts=None, dropped)."""
    merged = dict(theirs)
    for key in set(base) | set(mine):
        mine_value, base_value = mine.get(key, _GONE), base.get(key, _GONE)
        if mine_value == base_value:
            continue                                   # not changed here: theirs (changed or not) stands
        their_value = theirs.get(key, _GONE)
        if their_value in (base_value, mine_value):
            _put(merged, key, mine_value)
        elif conflicts is None:
            merged.pop(key, None)                       # derived data (a page's fingerprint): recomputed later
        else:
            conflicts.add(key)
    return merged


_GONE = object()


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    if value is _GONE:
        target.pop(key, None)
    else:
        target[key] = value


def merge(base: Mapping[str, Any], mine: Mapping[str, Any], theirs: Mapping[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """Merge a draft saved from a copy of `base` into the stored `theirs`; returns the state and the conflicting keys."""
    conflicts: set[str] = set()
    merged: dict[str, Any] = {
        "raw": _merge_map(base.get("raw") or {}, mine.get("raw") or {}, theirs.get("raw") or {}, conflicts),
        "facts": _merge_map(base.get("facts") or {}, mine.get("facts") or {}, theirs.get("facts") or {}, conflicts),
        "done": _merge_map(base.get("done") or {}, mine.get("done") or {}, theirs.get("done") or {}, None),
        "stamps": dict(theirs.get("stamps") or {}),
    }
    mine_outcome, base_outcome = mine.get("outcome"), base.get("outcome")
    merged["outcome"] = mine_outcome if mine_outcome != base_outcome else theirs.get("outcome")
    return merged, conflicts


def _stamp(state: dict[str, Any], stored: Mapping[str, Any], version: int) -> None:
    """Note, for each answer this save changes, the version that changes it and the value it had."""
    stamps = state.setdefault("stamps", {})
    before = stored.get("raw") or {}
    for key, value in (state.get("raw") or {}).items():
        if before.get(key) != value:
            stamps[key] = [version, before.get(key)]


class Drafts:
    """Drafts of one store, as the engine reads and writes them."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def load(self, owner: str, journey: str) -> Draft:
        stored = self.store.load_draft(owner, journey)
        if stored is None:
            return Draft()
        draft = Draft.from_json(stored.state, stored.version, stored.text)
        draft.form_version = stored.form_version
        return draft

    def save(self, owner: str, journey: str, draft: Draft) -> None:
        """Write the draft; on a race, merge with what was saved meanwhile and write again. The draft object is
        updated in place to what is stored. Raises DraftConflict (after saving) when answers truly collided."""
        base = draft.base or {}
        # What is written: the draft's own maps, with stamps of its own (stamping must not touch the draft before
        # the save succeeds); after it, the draft takes this state over, so nothing else holds it.
        state = {**draft.to_json(), "stamps": dict(draft.stamps)}
        stored_state, version, conflicts, attempt = base, draft.version, set(), 0
        key = new_key()       # the draft's idempotency key, unless what is saved holds one already
        for _ in range(MAX_MERGES):
            _stamp(state, stored_state, (version or 0) + 1)
            state["facts"] = {SUBMISSION: key, **state["facts"]}
            text = stored_json(state)
            try:
                new_version = self.store.save_draft(owner, journey, text, version, draft.form_version,
                                                    submission=state["facts"][SUBMISSION])
                break
            except StaleDraft:
                attempt += 1
                time.sleep(random.uniform(0, BACKOFF_S * attempt))
                current = self.store.load_draft(owner, journey)
                stored_state = current.state if current else {}
                version = current.version if current else None
                state, found = merge(base, draft.to_json(), stored_state)
                conflicts |= found
        else:
            raise DraftConflict({"*"})
        fresh = Draft.from_json(state, new_version, text)
        draft.raw, draft.facts, draft.done, draft.outcome = fresh.raw, fresh.facts, fresh.done, fresh.outcome
        draft.stamps, draft.version, draft.base_text = fresh.stamps, fresh.version, fresh.base_text
        if conflicts:
            raise DraftConflict(conflicts)


def form_version(form: Mapping[str, Any]) -> int | None:
    """The draft version the posted page was shown at (a hidden field); None from a client that sends none."""
    text = form.get("_version")
    return int(text) if isinstance(text, str) and ascii_digits(text) and len(text) < 12 else None


def posted_verdict(draft: Draft, key: str, posted: str, seen: int | None) -> str:
    """take: store what was posted; keep: another tab changed it since and this one did not; conflict: both did."""
    current = draft.raw.get(key, "")
    stamp = draft.stamps.get(key)
    if posted == current or seen is None or stamp is None or stamp[0] <= seen:
        return "take"
    return "keep" if posted == (stamp[1] or "") else "conflict"


def stale_confirm(draft: Draft, seen: int | None) -> bool:
    """信息确认 was shown before an answer changed: what it showed is not what would be sent."""
    return seen is not None and any(stamp[0] > seen for stamp in draft.stamps.values())
