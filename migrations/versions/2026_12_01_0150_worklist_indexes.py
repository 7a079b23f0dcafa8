"""worklist indexes: the editor's device list sorts and its findings filter

Revision ID: 0150
Revises: 0130
Create Date: 2026-12-01 10:30:00

``/admin/devices`` sorts all 50,000 devices by any column and shows 50: with an index on the
sort column the page is the index's first rows instead of a sort of the whole table. The
findings filter reads ``finding`` by severity. Plain ``create_index`` rather than a batch:
a batch would copy ``device`` and drop the text search triggers of 0003.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0150"
down_revision: str | None = "0130"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Spelled out rather than imported from the models: a migration keeps the schema of its day.
INDEXES = {
    "ix_device_worklist_updated": ("device", ["updated_at"]),
    "ix_device_worklist_status_updated": ("device", ["status", "updated_at"]),
    "ix_device_worklist_name": ("device", ["name"]),
    "ix_device_worklist_brand": ("device", ["brand"]),
    "ix_device_worklist_light_type": ("device", ["light_type"]),
    "ix_device_worklist_form_factor": ("device", ["form_factor"]),
    "ix_device_worklist_price": ("device", ["price"]),
    "ix_finding_severity_device": ("finding", ["severity", "device_id"]),
}


def upgrade() -> None:
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, (table, _columns) in reversed(INDEXES.items()):
        op.drop_index(name, table_name=table)
