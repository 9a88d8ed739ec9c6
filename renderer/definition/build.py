"""Check the meaning of structurally valid documents and build the frozen model."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from renderer.definition.catalogue import phrase
from renderer.definition.checks import CONTEXT_ROOTS, Checker, Origin
from renderer.definition.errors import did_you_mean, format_path
from renderer.definition.fields import build_field
from renderer.definition.model import (
    IN_FLIGHT_DEFAULT,
    Advice,
    Block,
    Branch,
    Button,
    Call,
    City,
    ConfirmSection,
    Field,
    ItemsFrom,
    Journey,
    Link,
    Page,
    Popup,
    Receipt,
    Result,
    ResultRow,
    Route,
    Section,
    ShowItem,
    Verification,
)
from renderer.definition.overrides import override_page
from renderer.definition.reader import Document
from renderer.definition.verification import read_verifications
from renderer.services.registry import SERVICES


@dataclass
class Builder(Checker):
    journey_refs: list[tuple[str, str | None, Origin]] = field(default_factory=list)

    # ------------------------------------------------------------------ journeys

    def journey(self, doc: Document, fragments: Mapping[str, Document]) -> Journey | None:
        data = doc.data
        origin = Origin(doc, [])
        raw_pages, results_raw, popups_raw = self._expand(origin, fragments)
        self.keeps = {str(call["keep"]): str(call["service"]) for page, _ in raw_pages
                      for button in page.get("buttons") or [] for call in button.get("calls") or []
                      if isinstance(call, dict) and call.get("keep") and call.get("service") in SERVICES}
        field_ids = self._field_ids(raw_pages)
        roots = CONTEXT_ROOTS | frozenset(field_ids)
        derived = {name: self.expression(src, origin.at("derived", name), roots)
                   for name, src in (data.get("derived") or {}).items()}
        applicant = {name: self.expression(src, origin.at("applicant", name), roots)
                     for name, src in (data.get("applicant") or {}).items()}
        steps = tuple(data.get("steps") or ())
        page_ids = [p.get("id") for p, _ in raw_pages]
        first_seen: dict[str, Origin] = {}
        for page_raw, page_origin in raw_pages:
            pid = page_raw.get("id")
            if pid in first_seen:
                self.problem("page.duplicate_id", page_origin.at("id"), page=pid,
                             first=first_seen[pid].at("id").position())
            else:
                first_seen[pid] = page_origin
        results = {r["id"]: self._result(r, o, roots, page_ids) for r, o in results_raw}
        popups = {pid: self._popup(pid, p, o, roots, page_ids) for pid, (p, o) in popups_raw.items()}
        self.field_pages = {f.get("id"): i for i, (p, o) in enumerate(raw_pages) for f, _ in _raw_fields(p, o)}
        built = []
        for i, (p, o) in enumerate(raw_pages):
            self.current_page = i
            built.append(self._page(p, o, roots, steps, page_ids, results, popups))
        self.current_page = None
        pages = tuple(built)
        self._check_confirm_edits(pages, raw_pages)
        return Journey(id=str(data["journey"]), title=str(data["title"]), steps=steps, pages=pages,
                       results=results, popups=popups,
                       derived={k: v for k, v in derived.items() if v is not None},
                       home_link=data.get("home_link"),
                       applicant={k: v for k, v in applicant.items() if v is not None},
                       in_flight=str(data.get("in_flight", IN_FLIGHT_DEFAULT)),
                       verifications=self._verifications(origin, page_ids),
                       receipt=self._receipt(data.get("receipt"), origin.at("receipt"), pages))

    def _receipt(self, raw: Any, origin: Origin, pages: Sequence[Page]) -> Receipt | None:
        """A receipt shows confirm sections by their titles: each must be a section of a confirm page."""
        if not raw:
            return None
        titles = [section.title for page in pages for section in page.confirm]
        for i, title in enumerate(raw.get("sections") or []):
            if title not in titles:
                self.problem("receipt.unknown_section", origin.at("sections", i), section=title,
                             choices=", ".join(titles), suggestion=did_you_mean(title, titles))
        return Receipt(title=str(raw["title"]), sections=tuple(raw.get("sections") or ()))

    def _verifications(self, origin: Origin, page_ids: list[str]) -> tuple[Verification, ...]:
        declared, errors = read_verifications(origin.doc.data.get("verify") or [], page_ids,
                                              lambda path: (origin.at("verify", *path).position(),
                                                            format_path(["verify", *path])))
        self.errors += errors
        return declared

    def _expand(self, origin: Origin, fragments: Mapping[str, Document]) -> tuple[
            list[tuple[Any, Origin]], list[tuple[Any, Origin]], dict[str, tuple[Any, Origin]]]:
        """Pages, results and popups of a journey with its includes put in place."""
        data = origin.doc.data
        pages: list[tuple[Any, Origin]] = []
        results = [(r, origin.at("results", i)) for i, r in enumerate(data.get("results") or [])]
        popups = {k: (v, origin.at("popups", k)) for k, v in (data.get("popups") or {}).items()}
        for i, entry in enumerate(data.get("pages") or []):
            if "include" not in entry:
                pages.append((entry, origin.at("pages", i)))
                continue
            name = entry["include"]
            fragment = fragments.get(name)
            if fragment is None:
                self.problem("ref.unknown_fragment", origin.at("pages", i, "include"), name=name,
                             choices=", ".join(sorted(fragments)), suggestion=did_you_mean(name, fragments))
                continue
            frag = Origin(fragment, [])
            overrides = entry.get("override") or {}
            frag_page_ids = [str(p["id"]) for p in fragment.data.get("pages") or [] if "id" in p]
            for page_id in overrides:
                if page_id not in frag_page_ids:
                    self.problem("ref.unknown_page#override", origin.at("pages", i, "override", page_id),
                                 fragment=name, page=page_id, choices=", ".join(frag_page_ids),
                                 suggestion=did_you_mean(page_id, frag_page_ids))
            for j, page in enumerate(fragment.data.get("pages") or []):
                if "include" in page:  # not allowed in a fragment: includes.py reports it
                    continue
                page_origin = frag.at("pages", j)
                if page.get("id") in overrides:
                    changes = overrides[page["id"]] or {}
                    page = override_page(page, changes)
                    page_origin.overlay = origin.at("pages", i, "override", page["id"])
                    page_origin.overlay_keys = frozenset(changes)
                pages.append((page, page_origin))
            results += [(r, frag.at("results", j)) for j, r in enumerate(fragment.data.get("results") or [])]
            for key, popup in (fragment.data.get("popups") or {}).items():
                popups.setdefault(key, (popup, frag.at("popups", key)))
        return pages, results, popups

    def _field_ids(self, raw_pages: Sequence[tuple[Any, Origin]]) -> list[str]:
        seen: dict[str, Origin] = {}
        for page, origin in raw_pages:
            for field_raw, field_origin in _raw_fields(page, origin):
                fid = field_raw.get("id")
                if fid in seen:
                    self.problem("field.duplicate_id", field_origin.at("id"), field=fid, first=seen[fid].position())
                elif fid in CONTEXT_ROOTS:
                    self.problem("field.reserved_id", field_origin.at("id"), field=fid,
                                 reserved=", ".join(sorted(CONTEXT_ROOTS)))
                else:
                    seen[fid] = field_origin
        return list(seen)

    def _page(self, raw: Any, origin: Origin, roots: frozenset[str], steps: tuple[str, ...],
              page_ids: list[str], results: Mapping[str, Result], popups: Mapping[str, Popup]) -> Page:
        step = raw.get("step")
        if step is not None and step not in steps:
            self.problem("page.unknown_step", origin.at("step"), step=step, choices=", ".join(steps),
                         suggestion=did_you_mean(step, steps))
        sections: list[Section] = []
        if raw.get("fields"):
            sections.append(Section(None, tuple(self._field(f, origin.at("fields", i), roots, popups)
                                                for i, f in enumerate(raw["fields"]))))
        for i, sec in enumerate(raw.get("sections") or []):
            so = origin.at("sections", i)
            sections.append(Section(sec["title"], tuple(self._field(f, so.at("fields", j), roots, popups)
                                                         for j, f in enumerate(sec["fields"])),
                                    self.condition(sec.get("when"), so.at("when"), roots, True)))
        field_ids = {f.id for s in sections for f in s.fields}
        confirm = tuple(self._confirm_section(c, origin.at("confirm", i), roots, page_ids)
                        for i, c in enumerate(raw.get("confirm") or []))
        buttons_raw = raw.get("buttons") or [{"label": "下一步", "on": {"ok": {"next": True}}}]
        buttons = tuple(self._button(b, origin.at("buttons", i), roots, page_ids, results, popups)
                        for i, b in enumerate(buttons_raw))
        if confirm and field_ids:
            self.problem("page.confirm_with_fields", origin)
        return Page(id=raw["id"], title=raw["title"], position=origin.position(), step=step,
                    when=self.condition(raw.get("when"), origin.at("when"), roots, True),
                    note=raw.get("note"), banner=raw.get("banner"),
                    blocks=tuple(self._block(b, origin.at("blocks", i), roots) for i, b in enumerate(raw.get("blocks") or ())),
                    sections=tuple(sections), confirm=confirm, buttons=buttons)

    def _block(self, raw: Any, origin: Origin, roots: frozenset[str]) -> Block:
        items_from = None
        if raw.get("items_from"):
            spec = raw["items_from"]
            source = self.expression(spec["source"], origin.at("items_from", "source"), roots)
            items_from = ItemsFrom(source, spec["term"], spec["text"]) if source else None
        return Block(raw["title"], tuple(raw.get("lines") or ()),
                     tuple((str(it["term"]), it["text"]) for it in raw.get("items") or ()), items_from)

    def _field(self, raw: Any, origin: Origin, roots: frozenset[str], popups: Mapping[str, Popup]) -> Field:
        return build_field(self, raw, origin, roots, popups)

    def _button(self, raw: Any, origin: Origin, roots: frozenset[str], page_ids: list[str],
                results: Mapping[str, Result], popups: Mapping[str, Popup]) -> Button:
        routes = {}
        for code, route in (raw.get("on") or {}).items():
            ro = origin.at("on", code)
            targets = [k for k in ("next", "goto", "result", "popup", "message", "journey", "error") if k in route]
            if len(targets) != 1:
                self.problem("route.targets", ro, outcome=code, targets=", ".join(targets) or phrase("none"))
            error = route.get("error") or {}
            routes[str(code)] = Route(next=bool(route.get("next")), goto=route.get("goto"),
                                      result=route.get("result"), popup=route.get("popup"),
                                      message=route.get("message"), journey=route.get("journey"),
                                      page=route.get("page"), entry=route.get("entry"),
                                      error_field=error.get("field"), )
            if error:
                routes[str(code)] = _with_message(routes[str(code)], error["message"])
                self._check_ref("field", error["field"], sorted(roots - CONTEXT_ROOTS), ro.at("error", "field"))
            if route.get("journey"):
                self.journey_refs.append((route["journey"], route.get("page"), ro))
            self._check_ref("page", route.get("goto"), page_ids, ro.at("goto"))
            self._check_ref("result", route.get("result"), list(results), ro.at("result"))
            self._check_ref("popup", route.get("popup"), list(popups), ro.at("popup"))
        if "ok" not in routes:
            self.problem("button.no_ok", origin, label=raw["label"])
        self._check_ref("popup", raw.get("confirm"), list(popups), origin.at("confirm"))
        guards = []
        for i, guard in enumerate(raw.get("guards") or []):
            go = origin.at("guards", i)
            when = self.expression(guard["when"], go.at("when"), roots)
            self._check_ref("popup", guard.get("popup"), list(popups), go.at("popup"))
            if when is not None:
                guards.append((when, Route(popup=guard.get("popup"), message=guard.get("message"))))
        calls = []
        for i, call in enumerate(raw.get("calls") or []):
            if isinstance(call, str):
                calls.append(Call(call))
                continue
            allowed = tuple(SERVICES[call["service"]].args) if call["service"] in SERVICES else ()
            for name in call.get("with") or {}:
                if name not in allowed:
                    self.problem("call.unknown_argument", origin.at("calls", i, "with", name), service=call["service"],
                                 name=name, choices=", ".join(allowed) or phrase("none"),
                                 suggestion=did_you_mean(name, allowed))
            args = {name: self.expression(src, origin.at("calls", i, "with", name), roots)
                    for name, src in (call.get("with") or {}).items() if name in allowed}
            calls.append(Call(call["service"], {k: v for k, v in args.items() if v is not None}, call.get("keep")))
        possible = ["ok", "invalid", *(code for c in calls if c.service in SERVICES for code in SERVICES[c.service].codes)]
        for code in routes:
            if code not in possible:
                self.problem("route.unknown_outcome", origin.at("on", code), button=raw["label"], code=code,
                             services=("it calls " + ", ".join(c.service for c in calls)) if calls else "it calls no service",
                             choices=", ".join(dict.fromkeys(possible)), suggestion=did_you_mean(code, possible))
        return Button(label=raw["label"], calls=tuple(calls),
                      enabled=self.condition(raw.get("enabled"), origin.at("enabled"), roots, True),
                      on=routes, position=origin.position(), confirm=raw.get("confirm"), guards=tuple(guards))

    def _check_ref(self, kind: str, value: str | None, known: list[str], origin: Origin,
                   extra: Iterable[str] = ()) -> None:
        if value is None or value in known or value in extra:
            return
        choices = [*known, *extra]
        if choices:
            self.problem({"field": "ref.unknown_field", "page": "ref.unknown_page", "result": "ref.unknown_result",
                          "popup": "ref.unknown_popup"}[kind],
                         origin, value=value, choices=", ".join(choices), suggestion=did_you_mean(value, choices))
        else:
            self.problem({"field": "ref.unknown_field#none_yet", "page": "ref.unknown_page#none_yet",
                          "result": "ref.unknown_result#none_yet", "popup": "ref.unknown_popup#none_yet"}[kind],
                         origin, value=value)

    def _confirm_section(self, raw: Any, origin: Origin, roots: frozenset[str], page_ids: list[str]) -> ConfirmSection:
        self._check_ref("page", raw.get("edit"), page_ids, origin.at("edit"))
        items = []
        field_roots = roots - CONTEXT_ROOTS
        for i, item in enumerate(raw["shows"]):
            io = origin.at("shows", i)
            if isinstance(item, str):
                self._check_ref("field", item, sorted(field_roots), io)
                items.append(ShowItem(None, (item,)))
                continue
            names = ([item["field"]] if "field" in item else []) + list(item.get("fields") or [])
            for j, name in enumerate(names):
                self._check_ref("field", name, sorted(field_roots), io.at("fields", j) if "fields" in item else io.at("field"))
            value = self.expression(item["value"], io.at("value"), roots) if "value" in item else None
            items.append(ShowItem(item["label"], tuple(names), value, item.get("display", "plain")))
        return ConfirmSection(title=raw["title"], shows=tuple(items), edit=raw.get("edit"),
                              when=self.condition(raw.get("when"), origin.at("when"), roots, True))

    def _check_confirm_edits(self, pages: Sequence[Page], raw_pages: Sequence[tuple[Any, Origin]]) -> None:
        """A 修改 link must edit a page that comes before the confirm page (it returns there)."""
        for index, (page, (_, origin)) in enumerate(zip(pages, raw_pages)):
            before = [p.id for p in pages[:index]]
            known = {p.id for p in pages}
            for i, section in enumerate(page.confirm):
                if section.edit and section.edit in known and section.edit not in before:
                    self.problem("confirm.edit_not_before", origin.at("confirm", i, "edit"), section=section.title,
                                 page=section.edit, choices=", ".join(before))

    def _links(self, raw: Any, origin: Origin, page_ids: list[str]) -> tuple[Link, ...]:
        links = []
        for i, b in enumerate(raw or []):
            self._check_ref("page", b.get("goto"), page_ids, origin.at(i, "goto"), extra=["start", "return"])
            if b.get("journey"):
                self.journey_refs.append((b["journey"], b.get("page"), origin.at(i)))
            links.append(Link(b["label"], b.get("goto"), b.get("href"), b.get("journey"), b.get("page"),
                              bool(b.get("remember")), bool(b.get("resubmit"))))
        return tuple(links)

    def _result(self, raw: Any, origin: Origin, roots: frozenset[str], page_ids: list[str]) -> Result:
        shows = []
        for i, row in enumerate(raw.get("shows") or []):
            value = self.expression(row["value"], origin.at("shows", i, "value"), roots)
            if value is not None:
                shows.append(ResultRow(str(row["label"]), value))
        return Result(id=raw["id"], title=raw["title"], text=self.text(raw["text"], origin.at("text"), roots),
                      position=origin.position(),
                      icon=raw.get("icon", "success"), buttons=self._links(raw.get("buttons"), origin.at("buttons"), page_ids),
                      shows=tuple(shows), next=tuple(str(line) for line in raw.get("next") or ()),
                      reasons={str(reason): _advice(a) for reason, a in (raw.get("reasons") or {}).items()},
                      otherwise=_advice(raw["otherwise"]) if raw.get("otherwise") else None)

    def _popup(self, pid: str, raw: Any, origin: Origin, roots: frozenset[str], page_ids: list[str]) -> Popup:
        return Popup(id=pid, title=raw.get("title"), text=self.text(raw["text"], origin.at("text"), roots),
                     buttons=self._links(raw.get("buttons"), origin.at("buttons"), page_ids))

    # ------------------------------------------------------------------ data

    def city(self, doc: Document, issuing_cities: Sequence[str]) -> City:
        data = doc.data
        districts = tuple(data["districts"])
        branches = []
        for i, b in enumerate(data["branches"]):
            if b["district"] not in districts:
                self.problem("city.unknown_district", Origin(doc, ["branches", i, "district"]), branch=b["name"],
                             district=b["district"], city=data["city"], choices=", ".join(districts),
                             suggestion=did_you_mean(b["district"], districts))
            branches.append(Branch(**{k: str(v) for k, v in b.items()}))
        if issuing_cities and data["city"] not in issuing_cities:
            self.problem("city.not_issuing", Origin(doc, ["city"]), city=data["city"],
                         suggestion=did_you_mean(data["city"], issuing_cities))
        return City(name=str(data["city"]), banks=tuple(data["banks"]), districts=districts,
                    branches=tuple(branches), hotline=data.get("hotline"), code=data.get("code"))


def _with_message(route: Route, message: str) -> Route:
    return Route(error_field=route.error_field, message=message)


def _raw_fields(page: Any, origin: Origin) -> Iterable[tuple[Any, Origin]]:
    for i, f in enumerate(page.get("fields") or []):
        yield f, origin.at("fields", i)
    for i, sec in enumerate(page.get("sections") or []):
        for j, f in enumerate(sec.get("fields") or []):
            yield f, origin.at("sections", i, "fields", j)


def _advice(raw: Any) -> Advice:
    return Advice(explain=str(raw["explain"]), advice=str(raw["advice"]), retry=bool(raw.get("retry", True)))
