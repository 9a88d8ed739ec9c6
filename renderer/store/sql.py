"""The store on SQLAlchemy Core: drafts with a version, uploads, and submissions as a small state machine."""
from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import and_, bindparam, delete, exists, func, insert, or_, select, text, update
from sqlalchemy.engine import Connection, Row
from sqlalchemy.exc import IntegrityError

from renderer.store import base, migrate
from renderer.store.base import (
    HOLDS_A_CARD,
    LIVE_STATUSES,
    Application,
    Claim,
    StaleDraft,
    StoredDraft,
    StoredUpload,
    SubmissionPending,
    utcnow,
)
from renderer.store.database import POOL_SIZE, Database, database_url
from renderer.store.prepared import Prepared, dialect_insert
from renderer.store.records import Records
from renderer.store.sessions import Sessions
from renderer.store.tables import applications, drafts, uploads
from renderer.store.versions import Versions

LEASE = dt.timedelta(seconds=30)      # a submission being sent; after this a retry may send it again (same key)

# every page reads its draft and every answer saves it: prepared statements (prepared.py), the rest stays on Core
_THIS_DRAFT = (drafts.c.owner == bindparam("owner"), drafts.c.journey == bindparam("journey"))
_LOAD = Prepared(select(drafts.c.state, drafts.c.version, drafts.c.form_version).where(*_THIS_DRAFT))
_START = Prepared(lambda dialect_name: dialect_insert(dialect_name)(drafts).values(
    owner=bindparam("owner"), journey=bindparam("journey"), state=bindparam("state"), version=1,
    updated_at=bindparam("now"), form_version=bindparam("form_version"))
    .on_conflict_do_nothing(index_elements=[drafts.c.owner, drafts.c.journey]))
# a draft whose application is being sent keeps the answers it was sent with: a save waits until it is settled
_NOT_BEING_SENT = ~exists().where(applications.c.token == bindparam("submission", type_=applications.c.token.type),
                                  applications.c.status == "pending")
_SAVE = Prepared(update(drafts).where(*_THIS_DRAFT, drafts.c.version == bindparam("version"), _NOT_BEING_SENT).values(
    state=bindparam("state"), version=drafts.c.version + 1, updated_at=bindparam("now"),
    form_version=func.coalesce(bindparam("form_version", type_=drafts.c.form_version.type), drafts.c.form_version)))
_PENDING = Prepared(select(applications.c.id).where(applications.c.token == bindparam("token"),
                                                   applications.c.status == "pending"))


class SqlStore:
    """One interface, two engines: SQLite (embedded default) or PostgreSQL, chosen by the URL."""

    def __init__(self, setting: str | Any, lease: dt.timedelta = LEASE, pool: int = POOL_SIZE) -> None:
        self.db = Database(database_url(setting), pool, pool)
        self.lease = lease
        migrate.upgrade(self.db)
        self.sessions = Sessions(self.db)
        self.records = Records(self.db)
        self.versions = Versions(self.db)

    def ping(self) -> bool:
        try:
            with self.db.read() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except Exception:  # noqa: BLE001 - any driver error means "not reachable" to /readyz
            return False

    def close(self) -> None:
        self.db.dispose()

    def held(self) -> AbstractContextManager[None]:
        """One request's statements on one pooled connection (Database.held)."""
        return self.db.held()

    def released(self) -> AbstractContextManager[None]:
        """That connection given back while an outside system answers (Database.released)."""
        return self.db.released()

    # ------------------------------------------------------------------ drafts

    def load_draft(self, owner: str, journey: str) -> StoredDraft | None:
        with self.db.statements() as sql:
            row = sql.first(_LOAD, owner=owner, journey=journey)
        return StoredDraft(json.loads(row[0]), int(row[1]), row[2], row[0]) if row else None

    def save_draft(self, owner: str, journey: str, state: Mapping[str, Any] | str, version: int | None,
                   form_version: str | None = None, submission: str | None = None) -> int:
        """Write the draft if it is still at `version` (None: it must not exist yet); returns the new version.
        `state`: the state, or the text base.stored_json made of it; `form_version`: the forms it is on (kept as it
        was when not given); `submission`: the draft's idempotency key, whose application must not be pending.

        Raises StaleDraft when another request saved first, SubmissionPending while its application is sent.
        """
        # One statement each, so a transaction of its own: the version (or the key, for a new draft) decides.
        text = state if isinstance(state, str) else base.stored_json(state)
        with self.db.statements() as sql:
            if version is None:
                done = sql.run(_START, owner=owner, journey=journey, state=text, now=utcnow(),
                               form_version=form_version)
            else:
                done = sql.run(_SAVE, owner=owner, journey=journey, version=version, state=text,
                               now=utcnow(), form_version=form_version, submission=submission)
                if done != 1 and submission is not None and sql.first(_PENDING, token=submission):
                    raise SubmissionPending(journey)
        if done != 1:
            raise StaleDraft(journey)
        return 1 if version is None else version + 1

    # ------------------------------------------------------------------ uploads

    def put_upload(self, owner: str, data: bytes, content_type: str, journey: str | None = None,
                   thumbnail: bytes | None = None) -> str:
        """Keep an upload (and its thumbnail); returns a random id that only its owner can read it back by."""
        upload_id = secrets.token_urlsafe(18)
        with self.db.write() as conn:
            conn.execute(insert(uploads).values(id=upload_id, owner=owner, journey=journey, content_type=content_type,
                                                data=data, thumbnail=thumbnail or None, created_at=utcnow(),
                                                kept=False))
        return upload_id

    def get_upload(self, owner: str, upload_id: str, thumbnail: bool = False) -> StoredUpload | None:
        """The upload, or with `thumbnail` its small JPEG (the upload itself when it has none)."""
        column = func.coalesce(uploads.c.thumbnail, uploads.c.data) if thumbnail else uploads.c.data
        with self.db.read() as conn:
            row = conn.execute(select(column.label("data"), uploads.c.content_type)
                               .where(uploads.c.id == upload_id, uploads.c.owner == owner)).first()
        return StoredUpload(bytes(row.data), row.content_type) if row else None

    def delete_upload(self, owner: str, upload_id: str) -> None:
        """A deleted or replaced upload is removed, unless an application already holds it."""
        with self.db.write() as conn:
            conn.execute(delete(uploads).where(uploads.c.id == upload_id, uploads.c.owner == owner,
                                               uploads.c.kept.is_(False)))

    def count_uploads(self, owner: str) -> int:
        with self.db.read() as conn:
            return int(conn.execute(select(func.count()).select_from(uploads).where(uploads.c.owner == owner))
                       .scalar_one())

    # ------------------------------------------------------------------ submissions

    def claim_submission(self, owner: str, journey: str, applicant: str, token: str,
                         payload: Mapping[str, Any], lease: dt.timedelta | None = None,
                         now: dt.datetime | None = None, form_version: str | None = None,
                         draft_version: int | None = None) -> Claim:
        """Take the right to send application `token` now, or learn why not (another request, it is settled, the
        applicant holds another card, or the draft changed since `payload` was made from it at `draft_version`).

        A granted claim names its attempt (the fencing token `finish_submission` needs) and, in the same
        transaction, moves the draft on one version: a save from a page shown before it is a stale write, and
        while the application is pending no save is taken (`save_draft`), so nothing typed meanwhile is dropped."""
        now, lease = now or utcnow(), self.lease if lease is None else lease
        try:
            with self.db.write() as conn:
                return self._claim(conn, owner, journey, applicant, token, payload, now + lease, now, form_version,
                                   draft_version)
        except _DraftMoved as moved:
            return moved.claim

    def _claim(self, conn: Connection, owner: str, journey: str, applicant: str, token: str,
               payload: Mapping[str, Any], lease_until: dt.datetime, now: dt.datetime, form_version: str | None,
               draft_version: int | None) -> Claim:
        row = _by_token(conn, token)
        if row is None:
            try:
                with conn.begin_nested():
                    conn.execute(insert(applications).values(
                        owner=owner, journey=journey, applicant=applicant, token=token,
                        payload=base.stored_json(payload), status="pending", attempts=1, lease_until=lease_until,
                        created_at=now, updated_at=now, form_version=form_version))
            except IntegrityError:
                # The same key inserted by a request a moment before (a double click, on an engine that let both
                # try): answer as if this request had come second. Else another application holds the applicant.
                row = _by_token(conn, token)
                if row is None:
                    return Claim(_application(_must(_card_of(conn, applicant))), "held")
                return self._decide(conn, row, payload, lease_until, now, form_version, draft_version)
            return self._granted(conn, _must(_by_token(conn, token)), draft_version)
        return self._decide(conn, row, payload, lease_until, now, form_version, draft_version)

    def _decide(self, conn: Connection, row: Row[Any], payload: Mapping[str, Any], lease_until: dt.datetime,
                now: dt.datetime, form_version: str | None, draft_version: int | None) -> Claim:
        if row.status not in LIVE_STATUSES:
            return Claim(_application(row), "done")
        lease_over = row.lease_until is None or row.lease_until <= now
        if row.status == "pending" and not lease_over:
            return Claim(_application(row), "wait")
        # failed (the system said busy: nothing was received) takes the answers as they are now; a pending one
        # whose sender vanished (a crash) is sent again exactly as it was, under the same key. Either way the
        # statement names what it expects: this status, this attempt, and for pending a lease that is over.
        values: dict[str, Any] = {"status": "pending", "lease_until": lease_until, "updated_at": now,
                                  "attempts": applications.c.attempts + 1}
        if row.status == "failed":
            values["payload"], values["form_version"] = base.stored_json(payload), form_version
        expected = [applications.c.id == row.id, applications.c.status == row.status,
                    applications.c.attempts == row.attempts]
        if row.status == "pending":
            expected.append(or_(applications.c.lease_until.is_(None), applications.c.lease_until <= now))
        try:
            with conn.begin_nested():
                taken = conn.execute(update(applications).where(*expected).values(**values)).rowcount
        except IntegrityError:      # failed, and meanwhile another application of this applicant holds the card
            return Claim(_application(_card_of(conn, row.applicant) or row), "held")
        fresh = _must(_by_token(conn, row.token))
        return self._granted(conn, fresh, draft_version) if taken == 1 else Claim(_application(fresh), "wait")

    @staticmethod
    def _granted(conn: Connection, row: Row[Any], draft_version: int | None) -> Claim:
        """The claim is this request's: seal the draft at the version the payload was made from, or give it up."""
        if draft_version is None:
            return Claim(_application(row), "send")
        moved = conn.execute(update(drafts).where(
            drafts.c.owner == row.owner, drafts.c.journey == row.journey, drafts.c.version == draft_version)
            .values(version=drafts.c.version + 1)).rowcount
        if moved != 1:      # another tab saved after this page's answers were read: roll the claim back
            raise _DraftMoved(Claim(_application(row), "stale"))
        return Claim(_application(row), "send", draft_version + 1)

    def finish_submission(self, application_id: int, attempt: int, status: str, reason: str | None,
                          reference: str | None, uploads_kept: Iterable[str] = ()) -> Application:
        """Settle (accepted / rejected) or release (failed) the submission claimed as `attempt`. Only that claim,
        and only from pending: a sender whose lease ran out and whose application another request has claimed
        (or settled) since changes nothing. Returns the application as it now is."""
        now = utcnow()
        with self.db.write() as conn:
            settled = conn.execute(update(applications).where(
                applications.c.id == application_id, applications.c.status == "pending",
                applications.c.attempts == attempt).values(
                status=status, reason=reason, reference=reference, lease_until=None, updated_at=now)).rowcount
            row = conn.execute(select(applications).where(applications.c.id == application_id)).one()
            if settled == 1 and status == "accepted":     # what the application holds stays, the rest goes
                kept = list(uploads_kept)
                if kept:
                    conn.execute(update(uploads).where(uploads.c.owner == row.owner, uploads.c.id.in_(kept))
                                 .values(kept=True))
                _drop_loose_uploads(conn, row.owner, row.journey)
        return _application(row)

    def application(self, token: str) -> Application | None:
        with self.db.read() as conn:
            row = _by_token(conn, token)
        return _application(row) if row else None

    def applications_of(self, owner: str) -> list[Application]:
        with self.db.read() as conn:
            rows = conn.execute(select(applications).where(applications.c.owner == owner)
                                .order_by(applications.c.id)).all()
        return [_application(row) for row in rows]

    def count_applications(self, owner: str) -> int:
        with self.db.read() as conn:
            return int(conn.execute(select(func.count()).select_from(applications)
                                    .where(applications.c.owner == owner)).scalar_one())

    # ------------------------------------------------------------------ retention

    def purge(self, older_than: dt.timedelta, now: dt.datetime | None = None) -> dict[str, int]:
        """Remove what an abandoned application left: drafts untouched for `older_than`, their uploads, expired
        sessions and records; a failed submission of a removed draft is closed (`abandoned`)."""
        now = now or utcnow()
        cutoff = now - older_than
        with self.db.write() as conn:
            gone = conn.execute(delete(drafts).where(drafts.c.updated_at < cutoff)).rowcount
            no_draft = ~exists().where(drafts.c.owner == uploads.c.owner, drafts.c.journey == uploads.c.journey)
            files = conn.execute(delete(uploads).where(uploads.c.kept.is_(False), uploads.c.created_at < cutoff,
                                                       or_(uploads.c.journey.is_(None), no_draft))).rowcount
            closed = conn.execute(update(applications).where(
                applications.c.status == "failed", applications.c.updated_at < cutoff)
                .values(status="abandoned", updated_at=now)).rowcount
        counts = {"drafts": gone, "uploads": files, "applications_closed": closed,
                  "sessions": self.sessions.purge(now), "records": self.records.purge(now)}
        self.db.checkpoint()
        return counts


def _by_token(conn: Connection, token: str) -> Row[Any] | None:
    return conn.execute(select(applications).where(applications.c.token == token)).first()


def _must(row: Row[Any] | None) -> Row[Any]:
    if row is None:
        raise LookupError("the application written in this transaction is gone")
    return row


def _card_of(conn: Connection, applicant: str | None) -> Row[Any] | None:
    """The application that holds this applicant's one card (live or accepted), in any journey."""
    return conn.execute(select(applications).where(
        applications.c.applicant == applicant, applications.c.status.in_(HOLDS_A_CARD))).first()


class _DraftMoved(Exception):
    """Inside a claim's transaction: give the claim up (the transaction rolls back) and answer `claim`."""

    def __init__(self, claim: Claim) -> None:
        super().__init__(claim.action)
        self.claim = claim


def _application(row: Row[Any]) -> Application:
    return Application(id=int(row.id), owner=row.owner, journey=row.journey, token=row.token, status=row.status,
                       reason=row.reason, reference=row.reference, payload=json.loads(row.payload),
                       lease_until=row.lease_until, form_version=row.form_version,
                       created_at=row.created_at, updated_at=row.updated_at, attempt=int(row.attempts))


def _drop_loose_uploads(conn: Connection, owner: str, journey: str) -> None:
    """Uploads of a draft that is gone, unless an application holds them."""
    conn.execute(delete(uploads).where(and_(uploads.c.owner == owner, uploads.c.journey == journey,
                                            uploads.c.kept.is_(False))))
