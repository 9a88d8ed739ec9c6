"""The store: `open_store(YSS_DB)` gives the one interface on SQLite or PostgreSQL."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from renderer.store.database import POOL_SIZE
from renderer.store.sql import LEASE, SqlStore


def open_store(setting: str | Path, lease: dt.timedelta = LEASE, pool: int = POOL_SIZE) -> SqlStore:
    """A file path (SQLite, the embedded default) or postgresql://… (psycopg 3 with a pool); migrations run first.
    `lease`: how long a submission being sent is left to its sender before a retry may send it again; `pool`: the
    connections a worker keeps (as many again in overflow)."""
    return SqlStore(setting, lease, pool)
