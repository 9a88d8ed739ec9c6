"""How a journey changes a fragment's page when it includes it."""
from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any


def override_page(page: Any, changes: Mapping[str, Any]) -> Any:
    """A fragment page with a journey's overrides: page keys replaced, `fields:` merged by field id."""
    page = copy.deepcopy(page)
    found = changes.get("fields")
    field_changes: dict[str, Any] = found if isinstance(found, dict) else {}
    for key, value in changes.items():
        if not (key == "fields" and field_changes):
            page[key] = value
    holders = [page, *list(page.get("sections") or [])]
    for holder in holders:
        for f in holder.get("fields") or []:
            if isinstance(f, dict) and f.get("id") in field_changes:
                f.update(field_changes[f["id"]])
    return page
