"""exchange rates bump the catalogue version, as bands and body areas already do

Revision ID: 0185
Revises: 0180
Create Date: 2026-12-01 15:40:00

Each app process keeps the shop's reference data (bands, body areas, exchange rates) per
catalogue version instead of reading it on every request (catalogue/web/shop.py,
``provide_catalogue``). Bands and areas bump the version since 0160; a rate edit now does too,
so a process never shows prices at a rate older than the one stored.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0185"
down_revision: str | None = "0180"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "exchange_rate"
EVENTS = ("INSERT", "UPDATE", "DELETE")
# The same upsert as 0160, spelled out: a migration keeps the schema of its day.
BUMP = (
    "INSERT INTO catalogue_version (id, version) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET version = catalogue_version.version + 1"
)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for event in EVENTS:
            op.execute(
                f"CREATE TRIGGER catalogue_version_{TABLE}_{event.lower()} AFTER {event} "
                f"ON {TABLE} BEGIN {BUMP}; END"
            )
    elif dialect == "postgresql":
        # bump_catalogue_version() is 0160's statement-level function.
        op.execute(
            f"CREATE TRIGGER catalogue_version_bump AFTER INSERT OR UPDATE OR DELETE "
            f"OR TRUNCATE ON {TABLE} FOR EACH STATEMENT "
            "EXECUTE FUNCTION bump_catalogue_version()"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for event in EVENTS:
            op.execute(f"DROP TRIGGER IF EXISTS catalogue_version_{TABLE}_{event.lower()}")
    elif dialect == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS catalogue_version_bump ON {TABLE}")
