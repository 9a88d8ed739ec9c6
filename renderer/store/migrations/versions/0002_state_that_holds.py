"""State that holds: draft versions, uploads tied to their draft, submissions with a lease and one live application
per applicant, server-side sessions, and short-lived records (face checks, SMS codes, rate limits).

Revision ID: 0002
Revises: 0001
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

LIVE = sa.text("status IN ('pending', 'failed')")


def upgrade() -> None:
    with op.batch_alter_table("drafts") as table:
        table.add_column(sa.Column("version", sa.Integer, nullable=False, server_default="1"))
    with op.batch_alter_table("uploads") as table:
        table.add_column(sa.Column("journey", sa.String(64)))
        table.add_column(sa.Column("kept", sa.Boolean, nullable=False, server_default=sa.text("false")))
    op.create_index("uploads_by_draft", "uploads", ["owner", "journey"])
    with op.batch_alter_table("applications") as table:
        table.add_column(sa.Column("applicant", sa.String(64)))
        table.add_column(sa.Column("attempts", sa.Integer, nullable=False, server_default="0"))
        table.add_column(sa.Column("lease_until", sa.DateTime(timezone=True)))
        table.add_column(sa.Column("updated_at", sa.DateTime(timezone=True)))
    # Uploads already in an application are kept; a submission left pending by a crash can be sent again.
    op.execute("UPDATE uploads SET kept = true WHERE EXISTS (SELECT 1 FROM applications a "
               "WHERE a.owner = uploads.owner AND a.payload LIKE '%' || uploads.id || '%')")
    op.create_index("one_live_application", "applications", ["journey", "applicant"], unique=True,
                    sqlite_where=LIVE, postgresql_where=LIVE)
    op.create_table(
        "sessions",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)))
    op.create_index("sessions_by_expiry", "sessions", ["expires_at"])
    op.create_table(
        "records",
        sa.Column("kind", sa.String(32), primary_key=True),
        sa.Column("key", sa.String(128), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False))
    op.create_index("records_by_expiry", "records", ["expires_at"])


def downgrade() -> None:
    op.drop_table("records")
    op.drop_table("sessions")
    op.drop_index("one_live_application", "applications")
    with op.batch_alter_table("applications") as table:
        for name in ("updated_at", "lease_until", "attempts", "applicant"):
            table.drop_column(name)
    op.drop_index("uploads_by_draft", "uploads")
    with op.batch_alter_table("uploads") as table:
        table.drop_column("kept")
        table.drop_column("journey")
    with op.batch_alter_table("drafts") as table:
        table.drop_column("version")
