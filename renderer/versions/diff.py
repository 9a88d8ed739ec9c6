"""A semantic diff of two versions of the forms, each change classified for a citizen in flight.

Pure: two Definitions in, a list of Changes out (renderer/versions/rules.py says what each kind means). Things the
model keeps no position for (journeys, popups, data entries) are placed by the optional Places of each folder.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from renderer.definition.model import Button, Definition, Journey, Link, Page, Route, Section
from renderer.versions import conditions
from renderer.versions.data import diff_data
from renderer.versions.fields import FieldDiff, added, asks, required
from renderer.versions.places import Places
from renderer.versions.rules import BREAKING, COMPATIBLE, Change, change

__all__ = ["BREAKING", "COMPATIBLE", "Change", "diff"]


def diff(old: Definition, new: Definition, was: Places | None = None, now: Places | None = None) -> list[Change]:
    """Every change from `old` to `new`: journeys first (in the new version's order), then the data."""
    was, now = was or Places(), now or Places()
    changes: list[Change] = []
    for jid in [j for j in old.journeys if j not in new.journeys]:
        changes.append(change("journey.removed", jid, f"journey {jid} ({old.journeys[jid].title}) removed",
                              was.journey(jid), in_old=True))
    for jid, journey in new.journeys.items():
        if jid not in old.journeys:
            changes.append(change("journey.added", jid, f"journey {jid} ({journey.title}) added", now.journey(jid)))
        else:
            changes += JourneyDiff(old, new, old.journeys[jid], journey, was, now).changes()
    return changes + diff_data(old, new, was, now)


def _renames(old: Journey, new: Journey) -> dict[str, str]:
    """Old page id -> new id, for a page removed and one added with the same title and the same fields."""
    gone = [p for p in old.pages if new.page(p.id) is None]
    came = [p for p in new.pages if old.page(p.id) is None]
    found: dict[str, str] = {}
    for page in gone:
        twin = next((p for p in came if p.id not in found.values() and p.title == page.title
                     and [f.id for f in p.fields] == [f.id for f in page.fields]), None)
        if twin is not None:
            found[page.id] = twin.id
    return found


class JourneyDiff:
    def __init__(self, old_def: Definition, new_def: Definition, old: Journey, new: Journey,
                 was: Places, now: Places) -> None:
        self.old_def, self.new_def, self.old, self.new, self.was, self.now = old_def, new_def, old, new, was, now
        self.renamed = _renames(old, new)
        self.page_of_old = {pid: self.renamed.get(pid, pid) for pid in (p.id for p in old.pages)}
        self.new_pages = {p.id: p for p in new.pages}

    def changes(self) -> list[Change]:
        return [*self._journey(), *self._pages(), *self._fields(), *self._results(), *self._popups()]

    def _c(self, kind: str, subject: str, position: Any, **more: Any) -> Change:
        return change(kind, self.new.id, subject, position, **more)

    # ------------------------------------------------------------------ the journey itself

    def _journey(self) -> Iterator[Change]:
        old, new, where = self.old, self.new, self.now.journey(self.new.id)
        texts = [k for k in ("title", "steps", "home_link") if getattr(old, k) != getattr(new, k)]
        if texts:
            yield self._c("journey.text", f"journey {new.id}: {', '.join(texts)} changed", where)
        if old.in_flight != new.in_flight:
            yield self._c("journey.in_flight", f"journey {new.id}: in_flight {old.in_flight} → {new.in_flight}", where)
        if _sources(old.applicant) != _sources(new.applicant):
            yield self._c("journey.applicant", f"journey {new.id}: applicant changed", where)
        read = {n for p in new.pages for c in _conditions_of(p) for n in _names(c)}
        for key in sorted(k for k in {**old.derived, **new.derived}
                          if _sources(old.derived).get(k) != _sources(new.derived).get(k)):
            kind = "journey.derived_read" if f"derived.{key}" in read else "journey.derived_shown"
            yield self._c(kind, f"journey {new.id}: derived.{key} changed", where)

    # ------------------------------------------------------------------ pages

    def _pages(self) -> Iterator[Change]:
        old, new = self.old, self.new
        for page in old.pages:
            if page.id in self.renamed:
                twin = self.new_pages[self.renamed[page.id]]
                yield self._c("page.renamed", f"page {page.id} renamed {twin.id} ({twin.title})", twin.position,
                              page_title=twin.title, page=twin.id, old_page=page.id)
            elif new.page(page.id) is None:
                yield self._c("page.removed", f"page {page.id} ({page.title}) removed", page.position, in_old=True,
                              page_title=page.title, page=page.id)
        kept = set(self.page_of_old.values())
        for page in new.pages:
            if page.id not in kept:
                yield self._c("page.added", f"page {page.id} ({page.title}) added", page.position,
                              page_title=page.title, page=page.id)
        yield from self._moves()
        for page in new.pages:
            before = next((p for p in old.pages if self.page_of_old[p.id] == page.id), None)
            if before is not None:
                yield from self._page(before, page)

    def _moves(self) -> Iterator[Change]:
        old_order = [self.page_of_old[p.id] for p in self.old.pages if self.page_of_old[p.id] in self._new_ids]
        new_order = [p.id for p in self.new.pages if p.id in old_order]
        rank = {pid: i for i, pid in enumerate(old_order)}
        stayed = _longest_increasing(new_order, rank)
        for index, pid in enumerate(new_order):
            if pid in stayed:
                continue
            page = self.new_pages[pid]
            now_before = [q for q in new_order[index + 1:] if rank[q] < rank[pid]]
            now_after = [q for q in new_order[:index] if rank[q] > rank[pid]]
            where = f"after {new_order[index - 1]}" if index else "to the start"
            yield self._c("page.moved", f"page {pid} ({page.title}) moved {where}", page.position,
                          page_title=page.title, page=pid, now_before=now_before, now_after=now_after)

    @property
    def _new_ids(self) -> set[str]:
        return set(self.new_pages)

    def _page(self, old: Page, new: Page) -> Iterator[Change]:
        title = {"page_title": new.title, "page": new.id}
        texts = [k for k in ("title", "step", "note", "banner", "blocks") if getattr(old, k) != getattr(new, k)]
        if texts:
            yield self._c("page.text", f"page {new.id}: {', '.join(texts)} changed", new.position, **title)
        how = conditions.compare(old.when, new.when)
        if how != conditions.SAME:
            kind = "page.hidden_more" if how == conditions.NARROWER else "page.condition"
            yield self._c(kind, f"page {new.id}: when {conditions.source(old.when)} → {conditions.source(new.when)}",
                          new.position, **title)
        yield from self._sections(old, new)
        if _confirm(old) != _confirm(new):
            yield self._c("confirm.changed", f"page {new.id}: what the confirm page shows changed", new.position, **title)
        yield from self._buttons(old, new)

    def _sections(self, old: Page, new: Page) -> Iterator[Change]:
        before = {s.title or f"#{i}": s for i, s in enumerate(old.sections)}
        for index, section in enumerate(new.sections):
            key = section.title or f"#{index}"
            previous = before.get(key) or (old.sections[index] if len(old.sections) == len(new.sections) else None)
            if previous is None:
                continue
            where = section.fields[0].position if section.fields else new.position
            title = {"page_title": new.title, "page": new.id}
            if previous.title != section.title:
                yield self._c("page.text", f"page {new.id}: section {previous.title} renamed {section.title}",
                              where, **title)
            how = conditions.compare(previous.when, section.when)
            if how != conditions.SAME:
                kind = ("section.hidden_more" if how == conditions.NARROWER else "section.condition"
                        if _asks_required(section) else "section.condition_optional")
                yield self._c(kind, f"page {new.id}: section {key} when {conditions.source(previous.when)} → "
                                    f"{conditions.source(section.when)}", where, **title)

    # ------------------------------------------------------------------ buttons and routes

    def _buttons(self, old: Page, new: Page) -> Iterator[Change]:
        title = {"page_title": new.title, "page": new.id}
        before = {b.label: b for b in old.buttons}
        after = {b.label: b for b in new.buttons}
        gone = [b for b in old.buttons if b.label not in after]
        came = [b for b in new.buttons if b.label not in before]
        pairs = [(before[b.label], b) for b in new.buttons if b.label in before]
        if len(gone) == len(came):
            pairs += list(zip(gone, came))
            for a, b in zip(gone, came):
                yield self._c("button.text", f"page {new.id}: button {a.label} → {b.label}", b.position, **title)
        else:
            for b in gone:
                yield self._c("button.removed", f"page {new.id}: button {b.label} removed", b.position or old.position,
                              in_old=True, **title)
            for b in came:
                yield self._c("button.added", f"page {new.id}: button {b.label} added", b.position or new.position,
                              **title)
        for a, b in pairs:
            yield from self._button(new, a, b)

    def _button(self, page: Page, old: Button, new: Button) -> Iterator[Change]:
        title = {"page_title": page.title, "page": page.id}
        what, where = f"page {page.id}: button {new.label}", new.position or page.position
        before, after = _checks(old), _checks(new)
        for check in [c for c in after if c not in before]:
            yield self._c("button.check_added", f"{what}: {check} added", where, **title)
        for check in [c for c in before if c not in after]:
            yield self._c("button.check_removed", f"{what}: {check} removed", where, **title)
        how = conditions.compare(old.enabled, new.enabled)
        if how != conditions.SAME:
            kind = "button.disabled_more" if how != conditions.WIDER else "button.enabled_more"
            yield self._c(kind, f"{what}: enabled {conditions.source(old.enabled)} → "
                                f"{conditions.source(new.enabled)}", where, **title)
        if old.confirm != new.confirm:
            yield self._c("button.text", f"{what}: confirm popup {old.confirm} → {new.confirm}", where, **title)
        for code in [c for c in {**old.on, **new.on} if _route(old.on.get(c)) != _route(new.on.get(c))]:
            kind = "route.ok_changed" if code == "ok" else "route.outcome"
            yield self._c(kind, f"{what}: on {code}: {_route(old.on.get(code))} → {_route(new.on.get(code))}",
                          where, outcome=code, **title)

    # ------------------------------------------------------------------ fields

    def _fields(self) -> Iterator[Change]:
        old_pages = {f.id: p for p in self.old.pages for f in p.fields}
        old_fields = {f.id: f for f in self.old.fields}
        new_pages = {f.id: p for p in self.new.pages for f in p.fields}
        added_pages = {p.id for p in self.new.pages if p.id not in self.page_of_old.values()}
        gone = [f for f in self.old.fields if f.id not in new_pages]
        came = [f for f in self.new.fields if f.id not in old_pages]
        for f in gone:
            page = old_pages[f.id]
            twin = next((g for g in came if g.label == f.label and g.kind == f.kind
                         and new_pages[g.id].id == self.page_of_old[page.id]), None)
            if twin is not None:
                came.remove(twin)
                target = new_pages[twin.id]
                yield self._c("field.renamed", f"{target.id} › {f.id} renamed {twin.id} ({twin.label})",
                              twin.position, page_title=target.title, page=target.id, field=twin.id, old_field=f.id)
            elif self.page_of_old[page.id] in self._new_ids:
                yield self._c("field.removed", f"{page.id} › {f.id} ({f.label}) removed", f.position, in_old=True,
                              page_title=page.title, page=page.id, field=f.id)
        for f in came:
            if new_pages[f.id].id not in added_pages:
                yield added(self.new, new_pages[f.id], f)
        for f in self.new.fields:
            if f.id not in old_pages:
                continue
            page, before = new_pages[f.id], old_pages[f.id]
            if self.page_of_old[before.id] != page.id:
                kind = "field.moved_required" if required(f) else "field.moved_optional"
                yield self._c(kind, f"{page.id} › {f.id} ({f.label}) moved from page {before.id}", f.position,
                              page_title=page.title, page=page.id, field=f.id)
            yield from FieldDiff(self.old_def, self.new_def, self.old, self.new, page, old_fields[f.id], f).changes()

    # ------------------------------------------------------------------ results and popups

    def _results(self) -> Iterator[Change]:
        old, new = self.old.results, self.new.results
        for rid in [r for r in old if r not in new]:
            yield self._c("result.removed", f"result {rid} ({old[rid].title}) removed", old[rid].position,
                          in_old=True)
        for rid, result in new.items():
            if rid not in old:
                yield self._c("result.added", f"result {rid} ({result.title}) added", result.position)
            else:
                yield from self._ending("result", rid, old[rid], result, result.position)

    def _popups(self) -> Iterator[Change]:
        old, new, jid = self.old.popups, self.new.popups, self.new.id
        for pid in [p for p in old if p not in new]:
            yield self._c("popup.removed", f"popup {pid} removed", self.was.popup(jid, pid), in_old=True)
        for pid, popup in new.items():
            if pid not in old:
                yield self._c("popup.added", f"popup {pid} added", self.now.popup(jid, pid))
            else:
                yield from self._ending("popup", pid, old[pid], popup, self.now.popup(jid, pid))

    def _ending(self, what: str, key: str, old: Any, new: Any, where: Any) -> Iterator[Change]:
        """A result or popup: its texts, and where its buttons lead."""
        texts = [k for k in ("title", "text", "icon") if getattr(old, k, None) != getattr(new, k, None)]
        if texts:
            yield self._c(f"{what}.text", f"{what} {key}: {', '.join(texts)} changed", where)
        if [(b.label, b.href) for b in old.buttons] != [(b.label, b.href) for b in new.buttons]:
            yield self._c(f"{what}.text", f"{what} {key}: buttons changed", where)
        if [_link(b) for b in old.buttons] != [_link(b) for b in new.buttons]:
            leads = "; ".join(f"{b.label} → {_link(b)}" for b in new.buttons)
            yield self._c("links.changed", f"{what} {key}: where its buttons lead: {leads}", where)


def _longest_increasing(new_order: list[str], rank: Mapping[str, int]) -> set[str]:
    """The most pages that kept their relative order; the others are the ones that moved."""
    best: dict[str, list[str]] = {}
    for pid in new_order:
        before = [best[q] for q in best if rank[q] < rank[pid]]
        best[pid] = [*max(before, key=len, default=[]), pid]
    longest: list[str] = max(best.values(), key=len, default=[])
    return set(longest)


def _names(condition: Any) -> set[str]:
    return set() if isinstance(condition, bool) else set(condition.names)


def _conditions_of(page: Page) -> list[Any]:
    found = [page.when, *(s.when for s in page.sections)]
    for f in page.fields:
        found += [f.when, f.required, f.enabled]
    return found


def _sources(exprs: Mapping[str, Any]) -> dict[str, str]:
    return {k: v.source for k, v in exprs.items()}


def _asks_required(section: Section) -> bool:
    return any(required(f) for f in section.fields if asks(f))


def _confirm(page: Page) -> list[Any]:
    return [(c.title, c.edit, conditions.source(c.when),
             [(s.label, s.fields, s.value.source if s.value else None, s.display) for s in c.shows])
            for c in page.confirm]


def _checks(button: Button) -> list[str]:
    """A button's checks as text: its guards, then each service call with its arguments."""
    found = [f"guard {conditions.source(when)} → {_route(route)}" for when, route in button.guards]
    for call in button.calls:
        args = ", ".join(f"{k}={v.source}" for k, v in sorted(call.args.items()))
        found.append(f"call {call.service}({args})")
    return found


def _route(route: Route | None) -> str:
    if route is None:
        return "(none)"
    for key in ("goto", "result", "popup", "journey", "error_field"):
        if getattr(route, key):
            extra = f" page {route.page}" if key == "journey" and route.page else ""
            return f"{key.replace('_field', '')} {getattr(route, key)}{extra}"
    if route.next:
        return "next"
    return f"message {route.message!r}"


def _link(link: Link) -> str:
    if link.journey:
        return f"journey {link.journey}" + (f" page {link.page}" if link.page else "")
    return f"goto {link.goto}" if link.goto else "close"
