"""The store's tables as they are at the newest migration (renderer/store/migrations/versions/)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, Column, DateTime, Index, Integer, LargeBinary, MetaData, String, Table, Text, text
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes on both engines (SQLite keeps no zone: it stores UTC text and gets the zone back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        if value is None:
            return None
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


metadata = MetaData()

drafts = Table(
    "drafts", metadata,
    Column("owner", String(64), primary_key=True),
    Column("journey", String(64), primary_key=True),
    Column("state", Text, nullable=False),
    Column("version", Integer, nullable=False, server_default="1"),   # optimistic concurrency
    Column("form_version", String(64)),           # the forms it was started on (form_versions.version)
    Column("updated_at", UtcDateTime(), nullable=False),
)

uploads = Table(
    "uploads", metadata,
    Column("id", String(64), primary_key=True),
    Column("owner", String(64), nullable=False),
    Column("journey", String(64)),                # the draft it belongs to; NULL for uploads kept before 0002
    Column("content_type", String(64), nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("thumbnail", LargeBinary),             # a small JPEG for pages that show it; NULL before 0004
    Column("created_at", UtcDateTime(), nullable=False),
    Column("kept", Boolean, nullable=False, server_default=text("false")),   # part of an application
    Index("uploads_by_draft", "owner", "journey"),
)

applications = Table(
    "applications", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("owner", String(64), nullable=False),
    Column("journey", String(64), nullable=False),
    Column("applicant", String(64)),              # whom the card is for: the citizen, or the minor in their care
    Column("token", String(64), nullable=False, unique=True),     # the idempotency key
    Column("payload", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("reason", Text),
    Column("reference", String(64)),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("lease_until", UtcDateTime()),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime()),
    Column("form_version", String(64)),           # the forms it was made with
    # One person, one card: at most one live or accepted application per applicant, in any journey. The rule is
    # the database's, not an `if` in Python (migration 0005).
    Index("one_card_per_applicant", "applicant", unique=True,
          sqlite_where=text("status IN ('pending', 'failed', 'accepted')"),
          postgresql_where=text("status IN ('pending', 'failed', 'accepted')")),
)

sessions = Table(
    "sessions", metadata,
    Column("id_hash", String(64), primary_key=True),     # sha256 of the cookie's id: a copy of the table signs no one in
    Column("owner", String(64), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("last_seen_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("revoked_at", UtcDateTime()),
    Index("sessions_by_expiry", "expires_at"),
)

form_versions = Table(
    "form_versions", metadata,
    Column("version", String(64), primary_key=True),     # the content hash of the forms folder
    Column("label", String(64), nullable=False),
    Column("files", Text, nullable=False),                # {path: text}: enough to load it again, years later
    Column("created_at", UtcDateTime(), nullable=False),
)

records = Table(
    "records", metadata,
    Column("kind", String(32), primary_key=True),    # face, sms, rate, sim.cleaned, sim.submission …
    Column("key", String(128), primary_key=True),
    Column("value", Text, nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Index("records_by_expiry", "expires_at"),
)
