"""Mentions keep their PLOVER contexts (future, planned, referenced, historical, ...) as a list.

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


def upgrade() -> None:
    # New stores get the column from the table definition; stores made before it need it added.
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("mentions")}
    if "contexts" not in columns:
        op.add_column("mentions", sa.Column("contexts", sa.JSON()))


def downgrade() -> None:
    op.drop_column("mentions", "contexts")
