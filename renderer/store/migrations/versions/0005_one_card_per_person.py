"""One person, one card: at most one application per applicant that is live or accepted, in any journey.

Revision ID: 0005
Revises: 0004

Before, the unique index covered live (pending, failed) applications per journey, so a person could hold several
accepted ones (the adult journey, then the minor journey for the same child). An applicant who already holds more
than one is kept as they are, oldest first: the newer ones are marked `duplicate` (the province holds only one),
so the index can be made; the operator finds them by that status.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

HOLDS_A_CARD = "status IN ('pending', 'failed', 'accepted')"


def upgrade() -> None:
    op.execute(sa.text(f"""
        UPDATE applications SET status = 'duplicate', lease_until = NULL
        WHERE {HOLDS_A_CARD} AND applicant IS NOT NULL AND id NOT IN (
            SELECT first_id FROM (
                SELECT MIN(id) AS first_id FROM applications
                WHERE {HOLDS_A_CARD} AND applicant IS NOT NULL GROUP BY applicant) AS firsts)"""))
    op.drop_index("one_live_application", table_name="applications")
    op.create_index("one_card_per_applicant", "applications", ["applicant"], unique=True,
                    sqlite_where=sa.text(HOLDS_A_CARD), postgresql_where=sa.text(HOLDS_A_CARD))


def downgrade() -> None:
    op.drop_index("one_card_per_applicant", table_name="applications")
    live = "status IN ('pending', 'failed')"
    op.create_index("one_live_application", "applications", ["journey", "applicant"], unique=True,
                    sqlite_where=sa.text(live), postgresql_where=sa.text(live))
