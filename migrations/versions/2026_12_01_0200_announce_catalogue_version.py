"""announce catalogue version: PostgreSQL sends NOTIFY catalogue_version on every bump

Revision ID: 0200
Revises: 0195
Create Date: 2026-12-01 19:20:00

Every bump of ``catalogue_version`` (0160's statement triggers, 0175's change-log triggers,
0185's rates) updates its one row, so one row trigger on that table announces them all. The
payload is the new version; PostgreSQL delivers it when the writing transaction commits. App
processes listen (``catalogue/data/version_watch.py``) and answer anonymous shop pages from
their caches without asking the database for the version on every request. SQLite has no
NOTIFY; there the version stays a read per request (a local file read).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0200"
down_revision: str | None = "0195"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNEL = "catalogue_version"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE FUNCTION announce_catalogue_version() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN PERFORM pg_notify('{CHANNEL}', NEW.version::text); RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER catalogue_version_announce AFTER INSERT OR UPDATE ON catalogue_version "
        "FOR EACH ROW EXECUTE FUNCTION announce_catalogue_version()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS catalogue_version_announce ON catalogue_version")
    op.execute("DROP FUNCTION IF EXISTS announce_catalogue_version()")
