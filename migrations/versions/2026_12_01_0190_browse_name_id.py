"""browse name id: the name index orders by name then id, so a page is read in index order

Revision ID: 0190
Revises: 0185
Create Date: 2026-12-01 16:00:00

The shop's default order is name then id, and a page is now read by walking this index in
that order (``catalogue/browse/ordered.py``). Without the id after the name, PostgreSQL sorted
each run of equal names and read every row from the table (the id was not in the index) and
SQLite sorted the right part of the order in a temporary tree. With it, both read the index
alone, in order.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0190"
down_revision: str | None = "0185"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_device_browse_name"
# Spelled out rather than imported from the models: a migration keeps the schema of its day.
BEFORE = ["status", "name", "light_type", "form_factor", "brand", "price_usd"]
AFTER = ["status", "name", "id", "light_type", "form_factor", "brand", "price_usd"]


def upgrade() -> None:
    op.drop_index(NAME, table_name="device")
    op.create_index(NAME, "device", AFTER, unique=False)


def downgrade() -> None:
    op.drop_index(NAME, table_name="device")
    op.create_index(NAME, "device", BEFORE, unique=False)
