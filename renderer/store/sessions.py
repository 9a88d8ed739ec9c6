"""Server-side sessions: the signed cookie carries only an id; 退出 revokes it, sign-in makes a new one, it expires."""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import bindparam, delete, insert, or_, select, update

from renderer.store.base import Session, utcnow
from renderer.store.database import Database
from renderer.store.prepared import Prepared
from renderer.store.tables import sessions

LIFETIME = dt.timedelta(hours=8)        # signed in for at most a working day
IDLE = dt.timedelta(minutes=30)         # … and no longer than this without a request
TOUCH_EVERY = dt.timedelta(minutes=1)   # last_seen is written at most this often: not a write per request


# every request reads its session: prepared statements (renderer/store/prepared.py), the rest stays on Core
_GET = Prepared(select(sessions.c.owner, sessions.c.csrf, sessions.c.expires_at, sessions.c.last_seen_at,
                       sessions.c.revoked_at).where(sessions.c.id_hash == bindparam("id_hash")))
_TOUCH = Prepared(update(sessions).where(sessions.c.id_hash == bindparam("id_hash"))
                  .values(last_seen_at=bindparam("now")))


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


class Sessions:
    def __init__(self, db: Database) -> None:
        self.db = db

    def create(self, owner: str, now: dt.datetime | None = None) -> tuple[str, Session]:
        """A new session for `owner`; returns the id for the cookie (only its hash is stored) and the session."""
        now = now or utcnow()
        session_id = secrets.token_urlsafe(32)
        session = Session(id=_hash(session_id), owner=owner, csrf=secrets.token_urlsafe(32),
                          expires_at=now + LIFETIME, last_seen_at=now)
        with self.db.write() as conn:
            conn.execute(insert(sessions).values(id_hash=session.id, owner=owner, csrf=session.csrf, created_at=now,
                                                 last_seen_at=now, expires_at=session.expires_at))
        return session_id, session

    def get(self, session_id: str, now: dt.datetime | None = None) -> Session | None:
        """The live session with this cookie id, or None (unknown, revoked, expired or idle too long)."""
        now, id_hash = now or utcnow(), _hash(session_id)
        with self.db.statements() as sql:
            row = sql.first(_GET, id_hash=id_hash)
            if row is None:
                return None
            owner, csrf, expires_at, last_seen_at, revoked_at = row
            if revoked_at is not None or expires_at <= now or last_seen_at + IDLE <= now:
                return None
            if now - last_seen_at >= TOUCH_EVERY:      # one statement: a transaction of its own
                sql.run(_TOUCH, id_hash=id_hash, now=now)
        return Session(id=id_hash, owner=owner, csrf=csrf, expires_at=expires_at,
                       last_seen_at=max(last_seen_at, now))

    def revoke(self, session_id_hash: str, now: dt.datetime | None = None) -> None:
        with self.db.write() as conn:
            conn.execute(update(sessions).where(sessions.c.id_hash == session_id_hash)
                         .values(revoked_at=now or utcnow()))

    def purge(self, now: dt.datetime | None = None) -> int:
        now = now or utcnow()
        with self.db.write() as conn:
            return int(conn.execute(delete(sessions).where(or_(
                sessions.c.expires_at <= now, sessions.c.revoked_at.is_not(None),
                sessions.c.last_seen_at <= now - IDLE))).rowcount)
