"""device index trim: four device indexes no query plan uses any more

Revision ID: 0195
Revises: 0190
Create Date: 2026-12-01 18:30:00

Every device written pays for every index on ``device``: a 50,000-device import adds each
row to each of them inside its write transaction, while editors, QA and sign-ins wait for
the lock. These four serve no query now (EXPLAIN QUERY PLAN of the shop, worklist, admin and
QA pages on 50,000 devices, on SQLite and PostgreSQL):

- ``ix_device_status_brand`` and ``ix_device_status_form_factor``: the leading columns of
  ``ix_device_browse_brand`` and ``ix_device_browse_form_factor``, which serve the same
  lookups and more.
- ``ix_device_status_light_type_price``: the shop sorts and filters on ``price_usd`` (0130);
  status and light type lead ``ix_device_browse_light_type``.
- ``ix_device_status_coverage``: no query filters on coverage; the coverage filter is asked
  of the light type (``browse/conditions.py``).

Plain ``drop_index`` rather than a batch: a batch would copy ``device`` and drop the text
search triggers of 0003.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0195"
down_revision: str | None = "0190"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Spelled out rather than imported from the models: a migration keeps the schema of its day.
INDEXES = {
    "ix_device_status_light_type_price": ["status", "light_type", "price"],
    "ix_device_status_coverage": ["status", "coverage"],
    "ix_device_status_brand": ["status", "brand"],
    "ix_device_status_form_factor": ["status", "form_factor"],
}


def upgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="device")


def downgrade() -> None:
    for name, columns in reversed(INDEXES.items()):
        op.create_index(name, "device", columns, unique=False)
