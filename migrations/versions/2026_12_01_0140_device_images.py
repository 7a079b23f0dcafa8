"""device images: pictures of a device, their order, main image and alt text

Revision ID: 0140
Revises: 0003
Create Date: 2026-12-01 10:20:00

The files themselves live under MEDIA_DIR, named by ``content_hash`` (``catalogue/media``).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0140"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "device_image",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("is_main", sa.Boolean(), nullable=False),
        sa.Column("alt_text", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("content_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["device.id"],
            name=op.f("fk_device_image_device_id_device"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_image")),
        sa.UniqueConstraint("device_id", "content_hash", name="uq_device_image_device_hash"),
    )
    op.create_index(
        "ix_device_image_device_position", "device_image", ["device_id", "position"], unique=False
    )
    op.create_index("ix_device_image_content_hash", "device_image", ["content_hash"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_device_image_content_hash", table_name="device_image")
    op.drop_index("ix_device_image_device_position", table_name="device_image")
    op.drop_table("device_image")
