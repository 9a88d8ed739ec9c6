"""Short-lived records that any worker may read back: face-check challenges, SMS codes, rate limits, and the
simulator's own memory. Each is a JSON value under (kind, key) with an expiry; `change` is one locked transaction."""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from sqlalchemy import ClauseElement, bindparam, delete, select

from renderer.store.base import utcnow
from renderer.store.database import Database
from renderer.store.prepared import Prepared, dialect_insert
from renderer.store.tables import records

T = TypeVar("T")
Value = dict[str, Any]
# change(): given the live value (or None), return (new value or None to remove it, its expiry, the answer)
Change = Callable[[Value | None], tuple[Value | None, dt.datetime | None, T]]


def _insert(dialect_name: str) -> Any:
    return dialect_insert(dialect_name)(records).values(kind=bindparam("kind"), key=bindparam("key"),
                                                        value=bindparam("value"), expires_at=bindparam("expires_at"))


def _upsert(dialect_name: str) -> ClauseElement:
    statement = _insert(dialect_name)
    return statement.on_conflict_do_update(index_elements=[records.c.kind, records.c.key],
                                           set_={"value": statement.excluded.value,
                                                 "expires_at": statement.excluded.expires_at})


# pages read and write records on every request (a face-check pass, a flash): prepared statements, see prepared.py
_THIS = (records.c.kind == bindparam("kind"), records.c.key == bindparam("key"))
_GET = Prepared(select(records.c.value, records.c.expires_at).where(*_THIS))
_LOCK = Prepared(select(records.c.value, records.c.expires_at).where(*_THIS).with_for_update())
_PUT = Prepared(_upsert)
_MAKE = Prepared(lambda dialect_name: _insert(dialect_name).on_conflict_do_nothing())
_DELETE = Prepared(delete(records).where(*_THIS))


class Records:
    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, kind: str, key: str, now: dt.datetime | None = None) -> Value | None:
        with self.db.statements() as sql:
            row = sql.first(_GET, kind=kind, key=key)
        return json.loads(row[0]) if row and row[1] > (now or utcnow()) else None

    def put(self, kind: str, key: str, value: Mapping[str, Any], expires_at: dt.datetime) -> None:
        """Store `value` whatever was there: one upsert, atomic on its own."""
        with self.db.statements() as sql:
            sql.run(_PUT, kind=kind, key=key, value=_json(value), expires_at=expires_at)

    def take(self, kind: str, key: str, now: dt.datetime | None = None) -> Value | None:
        """Read and remove at once: a single-use record (a face-check challenge) can be taken only once."""
        return self.change(kind, key, lambda old: (None, None, old), now)

    def remove(self, kind: str, key: str) -> None:
        with self.db.write() as conn:
            conn.execute(delete(records).where(records.c.kind == kind, records.c.key == key))

    def change(self, kind: str, key: str, fn: Change[T], now: dt.datetime | None = None) -> T:
        """Run `fn` on the live value with the row locked, and store what it returns, in one transaction."""
        now = now or utcnow()
        with self.db.transaction() as sql:     # BEGIN IMMEDIATE on SQLite: the whole file is locked
            if not self.db.sqlite:     # make the row exist so that FOR UPDATE has something to lock
                sql.run(_MAKE, kind=kind, key=key, value="null", expires_at=now)
            row = sql.first(_LOCK, kind=kind, key=key)
            old = json.loads(row[0]) if row and row[1] > now else None
            new, expires_at, answer = fn(old)
            if new is None or expires_at is None:
                sql.run(_DELETE, kind=kind, key=key)
            else:
                sql.run(_PUT, kind=kind, key=key, value=_json(new), expires_at=expires_at)
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

    def give_back(self, kind: str, key: str, now: dt.datetime | None = None) -> None:
        """Undo one `hit` in its window: a limit that counts only failures takes the slot before an attempt and
        returns it when the attempt succeeded."""
        def uncount(old: Value | None) -> tuple[Value | None, dt.datetime | None, None]:
            if old is None:
                return None, None, None
            return {**old, "n": max(0, old["n"] - 1)}, dt.datetime.fromisoformat(old["until"]), None

        self.change(kind, key, uncount, now)

    def purge(self, now: dt.datetime | None = None) -> int:
        with self.db.write() as conn:
            return int(conn.execute(delete(records).where(records.c.expires_at <= (now or utcnow()))).rowcount)


def _json(value: Mapping[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False)
