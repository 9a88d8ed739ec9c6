"""Form versions: each forms/ the server loaded, kept immutable; drafts and applications name theirs.

Revision ID: 0003
Revises: 0002
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "form_versions",
        sa.Column("version", sa.String(64), primary_key=True),
        sa.Column("label", sa.String(64), nullable=False),
        sa.Column("files", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False))
    with op.batch_alter_table("drafts") as table:
        table.add_column(sa.Column("form_version", sa.String(64)))
    with op.batch_alter_table("applications") as table:
        table.add_column(sa.Column("form_version", sa.String(64)))


def downgrade() -> None:
    with op.batch_alter_table("applications") as table:
        table.drop_column("form_version")
    with op.batch_alter_table("drafts") as table:
        table.drop_column("form_version")
    op.drop_table("form_versions")
