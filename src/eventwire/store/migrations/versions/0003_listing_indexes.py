"""Indexes the API's listings walk one page at a time, in both sort directions.

``canonical_events``: (date_start, id) for the events list and (type, date_start, id) for it
filtered by type; they replace the single-column indexes on date_start and type, which they cover.
(place_lat, place_lon, date_start, id) for small boxes: a radius search or a zoomed-in map.
actor1_country and actor2_country: with the index on place_country (revision 0001), the country
filter (place OR either actor) becomes a union of three index lookups instead of a walk over every
event until a page of that country is found.
``mentions``: (effective_start, article_id, seq) for the mention-level list. New stores get that one
from the table definition in ``store.schema``; stores made before it (or whose index the API of
issue 8 created at start-up, under the same name) get it here if missing.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

MENTIONS_ORDER = "ix_mentions_api_order"


def upgrade() -> None:
    # IF [NOT] EXISTS (SQLite and PostgreSQL): reflecting the mentions' indexes would trip over the
    # expression index on upper(type), which SQLAlchemy cannot reflect on SQLite.
    op.create_index("ix_canonical_events_listing", "canonical_events", ["date_start", "id"])
    op.create_index("ix_canonical_events_type_listing", "canonical_events", ["type", "date_start", "id"])
    op.create_index(
        "ix_canonical_events_place", "canonical_events", ["place_lat", "place_lon", "date_start", "id"]
    )
    for column in ("actor1_country", "actor2_country"):
        op.create_index(f"ix_canonical_events_{column}", "canonical_events", [column])
    for old in ("ix_canonical_events_date_start", "ix_canonical_events_type"):
        op.drop_index(old, table_name="canonical_events", if_exists=True)
    op.create_index(MENTIONS_ORDER, "mentions", ["effective_start", "article_id", "seq"], if_not_exists=True)


def downgrade() -> None:
    op.create_index("ix_canonical_events_type", "canonical_events", ["type"])
    op.create_index("ix_canonical_events_date_start", "canonical_events", ["date_start"])
    op.drop_index("ix_canonical_events_place", table_name="canonical_events")
    for column in ("actor1_country", "actor2_country"):
        op.drop_index(f"ix_canonical_events_{column}", table_name="canonical_events")
    op.drop_index("ix_canonical_events_type_listing", table_name="canonical_events")
    op.drop_index("ix_canonical_events_listing", table_name="canonical_events")
