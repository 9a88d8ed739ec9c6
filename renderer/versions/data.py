"""The diff of the data every journey reads: lists, cities (banks, districts, branches) and resident types."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from renderer.definition.model import City, Definition
from renderer.versions.choices import SEPARATOR, entries
from renderer.versions.places import Places
from renderer.versions.rules import Change, change


def is_text(value: Any) -> bool:
    """A text people read (it has Chinese in it), as opposed to a code, pattern, number or flag."""
    return isinstance(value, str) and any(ord(ch) > 0x2E7F for ch in value)


def only_texts_differ(old: Any, new: Any) -> bool:
    """Both have the same shape and every value that differs is a text on both sides."""
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        return old.keys() == new.keys() and all(only_texts_differ(old[k], new[k]) for k in old)
    if isinstance(old, (list, tuple)) and isinstance(new, (list, tuple)):
        return len(old) == len(new) and all(only_texts_differ(a, b) for a, b in zip(old, new))
    return old == new or (is_text(old) and is_text(new))


def diff_data(old: Definition, new: Definition, was: Places, now: Places) -> list[Change]:
    return [*_lists(old, new, was, now), *_cities(old, new, was, now), *_residents(old, new, was, now)]


def _lists(old: Definition, new: Definition, was: Places, now: Places) -> Iterator[Change]:
    for name in sorted(old.lists.keys() - new.lists.keys()):
        yield change("list.removed", None, f"list {name} removed", was.list_entry(name), in_old=True, value=name)
    for name in sorted(new.lists.keys() - old.lists.keys()):
        yield change("list.added", None, f"list {name} added", now.list_entry(name), value=name)
    for name in sorted(old.lists.keys() & new.lists.keys()):
        before, after = entries(old.lists[name]), entries(new.lists[name])
        for key in [k for k in before if k not in after]:
            yield change("list.entry_removed", None, f"list {name}: {key} removed",
                         was.list_entry(name, *key.split(SEPARATOR)), in_old=True, value=key, list=name)
        for key in [k for k in after if k not in before]:
            yield change("list.entry_added", None, f"list {name}: {key} added",
                         now.list_entry(name, *key.split(SEPARATOR)), value=key, list=name)
        for key in [k for k in after if k in before and before[k] != after[k]]:
            kind = "list.entry_text" if only_texts_differ(before[key], after[key]) else "list.entry_changed"
            yield change(kind, None, f"list {name}: {key} changed", now.list_entry(name, *key.split(SEPARATOR)),
                         value=key, list=name)


def _cities(old: Definition, new: Definition, was: Places, now: Places) -> Iterator[Change]:
    for name in sorted(old.cities.keys() - new.cities.keys()):
        yield change("city.removed", None, f"city {name} removed", was.at("city", name, "city"), in_old=True,
                     value=name)
    for name in sorted(new.cities.keys() - old.cities.keys()):
        yield change("city.added", None, f"city {name} added", now.at("city", name, "city"), value=name)
    for name in sorted(old.cities.keys() & new.cities.keys()):
        yield from _city(old.cities[name], new.cities[name], was, now)


def _city(old: City, new: City, was: Places, now: Places) -> Iterator[Change]:
    name = old.name
    for part, what in (("banks", "bank"), ("districts", "district")):
        before, after = getattr(old, part), getattr(new, part)
        for item in [b for b in before if b not in after]:
            yield change(f"city.{what}_removed", None, f"city {name}: {what} {item} removed",
                         was.at("city", name, part, item), in_old=True, value=item, city=name)
        for item in [b for b in after if b not in before]:
            yield change(f"city.{what}_added", None, f"city {name}: {what} {item} added",
                         now.at("city", name, part, item), value=item, city=name)
    before = {b.id: b for b in old.branches}
    after = {b.id: b for b in new.branches}
    for bid in [b for b in before if b not in after]:
        yield change("city.branch_removed", None, f"city {name}: branch {before[bid].name} ({bid}) removed",
                     was.at("city", name, "branches", bid), in_old=True, value=bid, city=name)
    for bid in [b for b in after if b not in before]:
        yield change("city.branch_added", None, f"city {name}: branch {after[bid].name} ({bid}) added",
                     now.at("city", name, "branches", bid), value=bid, city=name)
    for bid in [b for b in after if b in before and before[b] != after[b]]:
        changed = [k for k in vars(after[bid]) if getattr(before[bid], k) != getattr(after[bid], k)]
        yield change("city.branch_changed", None, f"city {name}: branch {after[bid].name} ({bid}): "
                     f"{', '.join(changed)} changed", now.at("city", name, "branches", bid), value=bid, city=name)
    for key in ("hotline", "code"):
        if getattr(old, key) != getattr(new, key):
            yield change("city.text", None, f"city {name}: {key} {getattr(old, key)} → {getattr(new, key)}",
                         now.at("city", name, key), city=name)


def _residents(old: Definition, new: Definition, was: Places, now: Places) -> Iterator[Change]:
    for key in sorted(old.residents.keys() - new.residents.keys()):
        label = old.residents[key].get("label", key)
        yield change("resident.removed", None, f"resident type {key} ({label}) removed", was.resident(key),
                     in_old=True, value=key)
    for key in sorted(new.residents.keys() - old.residents.keys()):
        label = new.residents[key].get("label", key)
        yield change("resident.added", None, f"resident type {key} ({label}) added", now.resident(key), value=key)
    for key in sorted(old.residents.keys() & new.residents.keys()):
        before, after = old.residents[key], new.residents[key]
        for attr in [a for a in {**before, **after} if before.get(a) != after.get(a)]:
            yield from _resident_setting(key, attr, before.get(attr), after.get(attr), was, now)


def _resident_setting(key: str, attr: str, before: Any, after: Any, was: Places, now: Places) -> Iterator[Change]:
    where = now.resident(key, attr) or now.resident(key)
    subject = f"resident type {key}: {attr}"
    if isinstance(before, (list, tuple)) and isinstance(after, (list, tuple)):
        old_items, new_items = entries(before), entries(after)
        for item in [i for i in old_items if i not in new_items]:
            yield change("resident.entry_removed", None, f"{subject}: {item} removed",
                         was.resident(key, attr, item), in_old=True, value=item, resident=key)
        for item in [i for i in new_items if i not in old_items]:
            yield change("resident.entry_added", None, f"{subject}: {item} added",
                         now.resident(key, attr, item), value=item, resident=key)
        for item in [i for i in new_items if i in old_items and old_items[i] != new_items[i]]:
            kind = "resident.text" if only_texts_differ(old_items[item], new_items[item]) else "resident.setting"
            yield change(kind, None, f"{subject}: {item} changed", now.resident(key, attr, item),
                         value=item, resident=key)
    elif only_texts_differ(before, after) or ({type(before), type(after)} == {type(None), str} \
            and is_text(before or after)):
        yield change("resident.text", None, f"{subject} changed", where, resident=key)
    else:
        yield change("resident.setting", None, f"{subject}: {_show(before)} → {_show(after)}", where, resident=key)


def _show(value: Any) -> str:
    text = "(none)" if value is None else str(value)
    return text if len(text) <= 40 else text[:39] + "…"
