"""exchange rates: rates as data with their history, and each device's price in US dollars

Revision ID: 0130
Revises: 0160
Create Date: 2026-12-01 10:30:00

The shop shows, sorts and filters prices in one display currency. ``device.price_usd`` holds
each price at the stored rates (filled by ``catalogue seed`` / ``catalogue.prices`` and kept on
every write), and the browse covering indexes carry it instead of the listed price. Columns
and indexes are added in place, never by copying ``device``: a copy would drop the SQLite
full-text triggers of 0003.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0130"
down_revision: str | None = "0160"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Spelled out rather than imported from the models: a migration keeps the schema of its day.
BROWSE = {
    "ix_device_browse_light_type": ["status", "light_type", "{price}", "form_factor", "brand"],
    "ix_device_browse_form_factor": ["status", "form_factor", "{price}", "light_type", "brand"],
    "ix_device_browse_brand": ["status", "brand", "{price}", "light_type", "form_factor"],
    "ix_device_browse_name": ["status", "name", "light_type", "form_factor", "brand", "{price}"],
}


def _browse_indexes(price: str) -> None:
    for name, columns in BROWSE.items():
        op.drop_index(name, table_name="device")
        op.create_index(name, "device", [c.format(price=price) for c in columns], unique=False)


def upgrade() -> None:
    op.create_table(
        "exchange_rate",
        sa.Column("currency", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
        sa.Column("usd_value", sa.Numeric(precision=18, scale=8), nullable=False),
        sa.Column("set_on", sa.Date(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["app_user.id"], name=op.f("fk_exchange_rate_updated_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("currency", name=op.f("pk_exchange_rate")),
    )
    op.create_table(
        "exchange_rate_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("currency", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
        sa.Column("old_value", sa.Numeric(precision=18, scale=8), nullable=True),
        sa.Column("new_value", sa.Numeric(precision=18, scale=8), nullable=False),
        sa.Column("set_on", sa.Date(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_exchange_rate_change_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_rate_change")),
    )
    op.create_index(
        op.f("ix_exchange_rate_change_currency"), "exchange_rate_change", ["currency"], unique=False
    )
    op.add_column(
        "device", sa.Column("price_usd", sa.Numeric(precision=14, scale=2), nullable=True)
    )
    op.create_index("ix_device_status_price_usd", "device", ["status", "price_usd"], unique=False)
    _browse_indexes("price_usd")


def downgrade() -> None:
    _browse_indexes("price")
    op.drop_index("ix_device_status_price_usd", table_name="device")
    op.drop_column("device", "price_usd")  # in place (SQLite 3.35+), keeping the FTS triggers
    op.drop_index(op.f("ix_exchange_rate_change_currency"), table_name="exchange_rate_change")
    op.drop_table("exchange_rate_change")
    op.drop_table("exchange_rate")
