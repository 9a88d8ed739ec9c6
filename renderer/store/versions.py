"""Form versions in the store: written once when a server first loads them, read back by any worker, any year."""
from __future__ import annotations

import json

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from renderer.store.base import utcnow
from renderer.store.database import Database
from renderer.store.tables import drafts, form_versions


class Versions:
    def __init__(self, db: Database) -> None:
        self.db = db

    def keep(self, version: str, label: str, files: dict[str, str]) -> bool:
        """Store a version's files unless it is stored already (versions are immutable); True if it is new."""
        with self.db.write() as conn:
            if conn.execute(select(form_versions.c.version).where(form_versions.c.version == version)).first():
                return False
            try:
                with conn.begin_nested():
                    conn.execute(insert(form_versions).values(version=version, label=label, created_at=utcnow(),
                                                              files=json.dumps(files, ensure_ascii=False)))
            except IntegrityError:      # another worker stored it at the same moment
                return False
        return True

    def files(self, version: str) -> tuple[str, dict[str, str]] | None:
        """(label, {path: text}) of a stored version."""
        with self.db.read() as conn:
            row = conn.execute(select(form_versions.c.label, form_versions.c.files)
                               .where(form_versions.c.version == version)).first()
        return (row.label, json.loads(row.files)) if row else None

    def label(self, version: str) -> str | None:
        with self.db.read() as conn:
            return conn.execute(select(form_versions.c.label).where(form_versions.c.version == version)).scalar()

    def drafts_not_on(self, version: str) -> list[tuple[str, str | None, int]]:
        """(journey, form version, how many drafts) for drafts started on another version than `version`."""
        with self.db.read() as conn:
            rows = conn.execute(select(drafts.c.journey, drafts.c.form_version, func.count())
                                .where((drafts.c.form_version != version) | drafts.c.form_version.is_(None))
                                .group_by(drafts.c.journey, drafts.c.form_version)
                                .order_by(drafts.c.journey, drafts.c.form_version)).all()
        return [(row[0], row[1], int(row[2])) for row in rows]
