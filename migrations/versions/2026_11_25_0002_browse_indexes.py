"""browse indexes: covering indexes for the shop's facet counts and name order

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 13:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Spelled out rather than imported from the models: a migration keeps the schema of its day.
INDEXES = {
    "ix_device_browse_light_type": ["status", "light_type", "price", "form_factor", "brand"],
    "ix_device_browse_form_factor": ["status", "form_factor", "price", "light_type", "brand"],
    "ix_device_browse_brand": ["status", "brand", "price", "light_type", "form_factor"],
    "ix_device_browse_name": ["status", "name", "light_type", "form_factor", "brand", "price"],
}


def upgrade() -> None:
    with op.batch_alter_table("device", schema=None) as batch_op:
        for name, columns in INDEXES.items():
            batch_op.create_index(name, columns, unique=False)


def downgrade() -> None:
    with op.batch_alter_table("device", schema=None) as batch_op:
        for name in reversed(INDEXES):
            batch_op.drop_index(name)
