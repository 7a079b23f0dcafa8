"""catalogue version: one counter that every write to what shoppers see bumps

Revision ID: 0160
Revises: 0140
Create Date: 2026-12-01 10:40:00

The shop caches facet counts per filter state and catalogue version (catalogue/browse/cache.py).
Triggers, not application code, bump the version, so bulk SQL, imports, the editor, QA and
migrations all invalidate the counts alike. SQLite has only row triggers; PostgreSQL bumps
once per statement. The bump is an upsert so a TRUNCATE of the table (tests do) recovers.

A later SQLite batch migration that copies one of these tables drops its triggers with the
old table and must create them again (``TABLES`` and ``sqlite_triggers`` below).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0160"
down_revision: str | None = "0140"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Spelled out rather than imported from catalogue: a migration keeps the schema of its day.
TABLES = ("device", "emission", "device_area", "device_image", "band", "body_area")
BUMP = (
    "INSERT INTO catalogue_version (id, version) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET version = catalogue_version.version + 1"
)


def sqlite_triggers(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER catalogue_version_{table}_{event.lower()} AFTER {event} ON {table} "
        f"BEGIN {BUMP}; END"
        for event in ("INSERT", "UPDATE", "DELETE")
    ]


def upgrade() -> None:
    op.create_table(
        "catalogue_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_version")),
    )
    op.execute("INSERT INTO catalogue_version (id, version) VALUES (1, 0)")
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table in TABLES:
            for statement in sqlite_triggers(table):
                op.execute(statement)
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION bump_catalogue_version() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN {BUMP}; RETURN NULL; END $$"
        )
        for table in TABLES:
            op.execute(
                f"CREATE TRIGGER catalogue_version_bump AFTER INSERT OR UPDATE OR DELETE "
                f"OR TRUNCATE ON {table} FOR EACH STATEMENT "
                "EXECUTE FUNCTION bump_catalogue_version()"
            )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table in TABLES:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS catalogue_version_{table}_{event}")
    elif dialect == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS catalogue_version_bump ON {table}")
        op.execute("DROP FUNCTION IF EXISTS bump_catalogue_version()")
    op.drop_table("catalogue_version")
