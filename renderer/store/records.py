"""Short-lived records that any worker may read back: face-check challenges, SMS codes, rate limits, and the
simulator's own memory. Each is a JSON value under (kind, key) with an expiry; `change` is one locked transaction."""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from renderer.store.base import utcnow
from renderer.store.database import Database
from renderer.store.tables import records

T = TypeVar("T")
Value = dict[str, Any]
# change(): given the live value (or None), return (new value or None to remove it, its expiry, the answer)
Change = Callable[[Value | None], tuple[Value | None, dt.datetime | None, T]]


class Records:
    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, kind: str, key: str, now: dt.datetime | None = None) -> Value | None:
        with self.db.read() as conn:
            row = conn.execute(select(records.c.value, records.c.expires_at)
                               .where(records.c.kind == kind, records.c.key == key)).first()
        return json.loads(row.value) if row and row.expires_at > (now or utcnow()) else None

    def put(self, kind: str, key: str, value: Mapping[str, Any], expires_at: dt.datetime) -> None:
        self.change(kind, key, lambda _old: (dict(value), expires_at, None))

    def take(self, kind: str, key: str, now: dt.datetime | None = None) -> Value | None:
        """Read and remove at once: a single-use record (a face-check challenge) can be taken only once."""
        return self.change(kind, key, lambda old: (None, None, old), now)

    def remove(self, kind: str, key: str) -> None:
        with self.db.write() as conn:
            conn.execute(delete(records).where(records.c.kind == kind, records.c.key == key))

    def change(self, kind: str, key: str, fn: Change[T], now: dt.datetime | None = None) -> T:
        """Run `fn` on the live value with the row locked, and store what it returns, in one transaction."""
        now = now or utcnow()
        where = (records.c.kind == kind, records.c.key == key)
        with self.db.write() as conn:
            if not self.db.sqlite:     # make the row exist so that FOR UPDATE has something to lock
                try:
                    with conn.begin_nested():
                        conn.execute(insert(records).values(kind=kind, key=key, value="null", expires_at=now))
                except IntegrityError:
                    pass
            row = conn.execute(select(records.c.value, records.c.expires_at).where(*where)
                               .with_for_update()).first()
            old = json.loads(row.value) if row and row.expires_at > now else None
            new, expires_at, answer = fn(old)
            if new is None or expires_at is None:
                conn.execute(delete(records).where(*where))
            elif row is None:
                conn.execute(insert(records).values(kind=kind, key=key, value=json.dumps(new, ensure_ascii=False),
                                                    expires_at=expires_at))
            else:
                conn.execute(update(records).where(*where).values(value=json.dumps(new, ensure_ascii=False),
                                                                  expires_at=expires_at))
            return answer

    def hit(self, kind: str, key: str, limit: int, window: dt.timedelta, now: dt.datetime | None = None) -> bool:
        """Count one event in a fixed window; False once `limit` events were counted (a rate limit)."""
        now = now or utcnow()

        def count(old: Value | None) -> tuple[Value | None, dt.datetime | None, bool]:
            state = old or {"n": 0, "until": (now + window).isoformat()}
            if state["n"] >= limit:
                return state, dt.datetime.fromisoformat(state["until"]), False
            state["n"] += 1
            return state, dt.datetime.fromisoformat(state["until"]), True

        return self.change(kind, key, count, now)

    def purge(self, now: dt.datetime | None = None) -> int:
        with self.db.write() as conn:
            return int(conn.execute(delete(records).where(records.c.expires_at <= (now or utcnow()))).rowcount)
