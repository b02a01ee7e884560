"""Canonical events, their member mentions, and per-article merge state.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "canonical_events",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("types", sa.Text(), nullable=False),
        sa.Column("mode", sa.String(64)),
        sa.Column("acled_event_type", sa.String(64)),
        sa.Column("acled_sub_event_type", sa.String(96)),
        sa.Column("actor1_id", sa.String(128)),
        sa.Column("actor1_name", sa.Text()),
        sa.Column("actor1_kind", sa.String(32)),
        sa.Column("actor1_country", sa.String(3)),
        sa.Column("actor2_id", sa.String(128)),
        sa.Column("actor2_name", sa.Text()),
        sa.Column("actor2_kind", sa.String(32)),
        sa.Column("actor2_country", sa.String(3)),
        sa.Column("actors", sa.JSON()),
        sa.Column("place_name", sa.Text()),
        sa.Column("place_geonameid", sa.Integer()),
        sa.Column("place_lat", sa.Float()),
        sa.Column("place_lon", sa.Float()),
        sa.Column("place_country", sa.String(3)),
        sa.Column("place_admin1", sa.String(32)),
        sa.Column("place_precision", sa.String(16)),
        sa.Column("box_south", sa.Float()),
        sa.Column("box_north", sa.Float()),
        sa.Column("box_west", sa.Float()),
        sa.Column("box_east", sa.Float()),
        sa.Column("date_start", sa.Date()),
        sa.Column("date_end", sa.Date()),
        sa.Column("date_precision", sa.String(16)),
        sa.Column("window_start", sa.Date(), nullable=False),
        sa.Column("window_end", sa.Date(), nullable=False),
        sa.Column("fatalities", sa.Integer()),
        sa.Column("fatalities_min", sa.Integer()),
        sa.Column("fatalities_max", sa.Integer()),
        sa.Column("n_mentions", sa.Integer(), nullable=False),
        sa.Column("n_articles", sa.Integer(), nullable=False),
        sa.Column("n_outlets", sa.Integer(), nullable=False),
        sa.Column("outlets", sa.JSON()),
        sa.Column("first_reported", sa.Date()),
        sa.Column("last_reported", sa.Date()),
        sa.Column("notes", sa.Text()),
        sa.Column("merge_version", sa.String(16), nullable=False),
    )
    for column in (
        "type",
        "actor1_id",
        "actor2_id",
        "place_country",
        "date_start",
        "window_start",
        "window_end",
    ):
        op.create_index(f"ix_canonical_events_{column}", "canonical_events", [column])
    op.create_table(
        "event_mentions",
        sa.Column("mention_id", sa.String(80), primary_key=True),
        sa.Column("event_id", sa.String(40), nullable=False),
        sa.Column("article_id", sa.String(64), nullable=False),
        sa.Column("rule", sa.Text(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
    )
    op.create_index("ix_event_mentions_event_id", "event_mentions", ["event_id"])
    op.create_index("ix_event_mentions_article_id", "event_mentions", ["article_id"])
    op.create_table(
        "merge_state",
        sa.Column("article_id", sa.String(64), primary_key=True),
        sa.Column("n_sources", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("merge_state")
    op.drop_table("event_mentions")
    op.drop_table("canonical_events")
