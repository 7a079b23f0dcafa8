"""device text search: FTS5 on SQLite, a GIN tsvector index on PostgreSQL

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 14:10:00

The shop's ``q`` matched words with LIKE '%word%', a scan of every published device (0.65 s at
100k). Neither structure below is on the SQLModel metadata (SQLModel cannot describe a virtual
table or an expression index), so autogenerate is told to look past them:
``catalogue.data.db.include_in_compare``.

SQLite: ``device_fts`` is an external-content FTS5 table (the text stays in ``device`` only),
kept in step by triggers. A later batch migration that copies ``device`` drops these triggers
with the old table and must create them again and rebuild.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Spelled out rather than imported from catalogue: a migration keeps the schema of its day.
# remove_diacritics 0: PostgreSQL's 'simple' configuration keeps accents too, so "cafe" and
# "café" are different words on both backends (as they were to LIKE).
SQLITE_UP = [
    """
    CREATE VIRTUAL TABLE device_fts USING fts5(
        name, brand, description,
        content='device', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0'
    )
    """,
    """
    CREATE TRIGGER device_fts_insert AFTER INSERT ON device BEGIN
        INSERT INTO device_fts(rowid, name, brand, description)
        VALUES (new.id, new.name, new.brand, new.description);
    END
    """,
    """
    CREATE TRIGGER device_fts_delete AFTER DELETE ON device BEGIN
        INSERT INTO device_fts(device_fts, rowid, name, brand, description)
        VALUES ('delete', old.id, old.name, old.brand, old.description);
    END
    """,
    # Only when the indexed text changes: status and price edits leave the index alone.
    """
    CREATE TRIGGER device_fts_update AFTER UPDATE OF id, name, brand, description ON device
    BEGIN
        INSERT INTO device_fts(device_fts, rowid, name, brand, description)
        VALUES ('delete', old.id, old.name, old.brand, old.description);
        INSERT INTO device_fts(rowid, name, brand, description)
        VALUES (new.id, new.name, new.brand, new.description);
    END
    """,
    # The devices already there.
    "INSERT INTO device_fts(device_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS device_fts_update",
    "DROP TRIGGER IF EXISTS device_fts_delete",
    "DROP TRIGGER IF EXISTS device_fts_insert",
    "DROP TABLE IF EXISTS device_fts",
]
# The query (catalogue/browse/text.py) spells the same expression, or the index is not used.
POSTGRES_UP = [
    """
    CREATE INDEX ix_device_text_search ON device USING gin (
        to_tsvector('simple', name || ' ' || brand || ' ' || description)
    )
    """,
]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS ix_device_text_search"]


def _statements(sqlite: list[str], postgres: list[str]) -> list[str]:
    dialect = op.get_bind().dialect.name
    return {"sqlite": sqlite, "postgresql": postgres}.get(dialect, [])


def upgrade() -> None:
    for statement in _statements(SQLITE_UP, POSTGRES_UP):
        op.execute(statement)


def downgrade() -> None:
    for statement in _statements(SQLITE_DOWN, POSTGRES_DOWN):
        op.execute(statement)
