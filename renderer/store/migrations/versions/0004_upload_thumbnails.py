"""Upload thumbnails: a small JPEG kept beside each image, for the pages that show it among other data.

Revision ID: 0004
Revises: 0003
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("uploads") as table:
        table.add_column(sa.Column("thumbnail", sa.LargeBinary))


def downgrade() -> None:
    with op.batch_alter_table("uploads") as table:
        table.drop_column("thumbnail")
