"""`yss purge`: what an abandoned application left behind is removed after the retention period."""
from __future__ import annotations

import datetime as dt
import json

from renderer.store import open_store
from renderer.web.config import load_settings


def run_purge(days: int | None = None) -> int:
    """Purge the store YSS_DB names; prints what was removed as one JSON line (for the operator's scheduler log)."""
    settings = load_settings()
    keep = settings.retention_days if days is None else days
    if keep < 1:
        print("yss purge: --days must be at least 1")
        return 2
    store = open_store(settings.database)
    try:
        counts = store.purge(dt.timedelta(days=keep))
    finally:
        store.close()
    print(json.dumps({"purged": counts, "retention_days": keep}, ensure_ascii=False))
    return 0
