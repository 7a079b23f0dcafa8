"""catalogue change log: which devices each catalogue version touched

Revision ID: 0175
Revises: 0170
Create Date: 2026-12-01 12:50:00

Each app process keeps its facet bitmaps (catalogue/browse/facet_index.py) and brings them up
to a new catalogue version by reading again only the devices that changed since. Triggers,
as for the version itself (migration 0160), note every device whose row, listed areas or
emissions were written, with the version the write made. The device, device_area and
emission triggers of 0160 are replaced by ones that bump the version and then note the
change, so the note always carries the version of its own write. A TRUNCATE notes device 0:
"everything changed".

The log is pruned after bulk writes (catalogue/browse/facet_index.py, ``prune_changes``).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0175"
down_revision: str | None = "0170"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, the column naming the device). Spelled out: a migration keeps the schema of its day.
NOTED = (("device", "id"), ("device_area", "device_id"), ("emission", "device_id"))
BUMP = (
    "INSERT INTO catalogue_version (id, version) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET version = catalogue_version.version + 1"
)


def _sqlite_note(row: str, column: str) -> str:
    return (
        "INSERT INTO catalogue_change (version, device_id) "
        f"SELECT version, {row}.{column} FROM catalogue_version WHERE id = 1"
    )


def _sqlite_triggers(table: str, column: str, *, noting: bool) -> list[str]:
    rows = {"INSERT": ["NEW"], "UPDATE": ["OLD", "NEW"], "DELETE": ["OLD"]}
    statements = []
    for event, which in rows.items():
        body = [BUMP] + ([_sqlite_note(r, column) for r in which] if noting else [])
        statements.append(f"DROP TRIGGER IF EXISTS catalogue_version_{table}_{event.lower()}")
        statements.append(
            f"CREATE TRIGGER catalogue_version_{table}_{event.lower()} AFTER {event} ON {table} "
            f"BEGIN {'; '.join(body)}; END"
        )
    return statements


def _postgres_function(table: str, column: str) -> str:
    note = "INSERT INTO catalogue_change (version, device_id) SELECT v, {0} FROM {1}"
    return (
        f"CREATE FUNCTION note_{table}_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "DECLARE v bigint; BEGIN "
        f"{BUMP} RETURNING version INTO v; "
        "IF TG_OP = 'TRUNCATE' THEN "
        "INSERT INTO catalogue_change (version, device_id) VALUES (v, 0); END IF; "
        f"IF TG_OP IN ('INSERT', 'UPDATE') THEN {note.format(column, 'new_rows')}; END IF; "
        f"IF TG_OP IN ('DELETE', 'UPDATE') THEN {note.format(column, 'old_rows')}; END IF; "
        "RETURN NULL; END $$"
    )


def upgrade() -> None:
    op.create_table(
        "catalogue_change",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_change")),
    )
    op.create_index("ix_catalogue_change_version", "catalogue_change", ["version"])
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table, column in NOTED:
            for statement in _sqlite_triggers(table, column, noting=True):
                op.execute(statement)
    elif dialect == "postgresql":
        for table, column in NOTED:
            op.execute(f"DROP TRIGGER IF EXISTS catalogue_version_bump ON {table}")
            op.execute(_postgres_function(table, column))
            function = f"EXECUTE FUNCTION note_{table}_change()"
            for event, referencing in (
                ("INSERT", "REFERENCING NEW TABLE AS new_rows"),
                ("UPDATE", "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"),
                ("DELETE", "REFERENCING OLD TABLE AS old_rows"),
                ("TRUNCATE", ""),
            ):
                op.execute(
                    f"CREATE TRIGGER catalogue_change_{event.lower()} AFTER {event} ON {table} "
                    f"{referencing} FOR EACH STATEMENT {function}"
                )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table, column in NOTED:
            for statement in _sqlite_triggers(table, column, noting=False):
                op.execute(statement)
    elif dialect == "postgresql":
        for table, _column in NOTED:
            for event in ("insert", "update", "delete", "truncate"):
                op.execute(f"DROP TRIGGER IF EXISTS catalogue_change_{event} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS note_{table}_change()")
            op.execute(
                f"CREATE TRIGGER catalogue_version_bump AFTER INSERT OR UPDATE OR DELETE "
                f"OR TRUNCATE ON {table} FOR EACH STATEMENT "
                "EXECUTE FUNCTION bump_catalogue_version()"
            )
    op.drop_index("ix_catalogue_change_version", table_name="catalogue_change")
    op.drop_table("catalogue_change")
