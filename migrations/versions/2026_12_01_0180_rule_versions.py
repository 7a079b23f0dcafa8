"""rule versions: the rule editor's history, a rules version for caches, background re-audits

Revision ID: 0180
Revises: 0175
Create Date: 2026-12-01 14:00:00

``claim_rule`` gains ``enabled`` (disabling is a change like any other) and ``examples`` (the
editor's must-fire and must-not lists). ``claim_rule_version`` keeps every saved version;
each stored rule gets its version 1 here. ``rule_set_version`` is bumped by triggers on
every write to ``claim_rule`` (as ``catalogue_version`` is for the shop, migration 0160), so
each process validates the rules once per version. ``reaudit`` is a re-audit's progress.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0180"
down_revision: str | None = "0175"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BUMP = (
    "INSERT INTO rule_set_version (id, version) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET version = rule_set_version.version + 1"
)


def upgrade() -> None:
    with op.batch_alter_table("claim_rule") as batch:
        batch.add_column(
            sa.Column("enabled", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch.add_column(sa.Column("examples", sa.JSON(), nullable=True))
    op.create_table(
        "claim_rule_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.String(length=64), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("examples", sa.JSON(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["rule_id"],
            ["claim_rule.id"],
            name=op.f("fk_claim_rule_version_rule_id_claim_rule"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_claim_rule_version_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_rule_version")),
        sa.UniqueConstraint("rule_id", "number", name=op.f("uq_claim_rule_version_rule_id")),
    )
    op.create_index(
        op.f("ix_claim_rule_version_rule_id"), "claim_rule_version", ["rule_id"], unique=False
    )
    op.execute(
        "INSERT INTO claim_rule_version (rule_id, number, at, action, changes, spec, enabled) "
        "SELECT id, 1, updated_at, 'seed', '{}', spec, enabled FROM claim_rule"
    )
    op.create_table(
        "rule_set_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rule_set_version")),
    )
    op.execute("INSERT INTO rule_set_version (id, version) VALUES (1, 1)")
    op.create_table(
        "reaudit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("rule_version", sa.Integer(), nullable=False),
        sa.Column("started_by_id", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("sent_back", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["started_by_id"], ["app_user.id"], name=op.f("fk_reaudit_started_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reaudit")),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for event in ("INSERT", "UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER rule_set_version_{event.lower()} AFTER {event} ON claim_rule "
                f"BEGIN {BUMP}; END"
            )
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION bump_rule_set_version() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN {BUMP}; RETURN NULL; END $$"
        )
        op.execute(
            "CREATE TRIGGER rule_set_version_bump AFTER INSERT OR UPDATE OR DELETE "
            "OR TRUNCATE ON claim_rule FOR EACH STATEMENT "
            "EXECUTE FUNCTION bump_rule_set_version()"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS rule_set_version_{event}")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS rule_set_version_bump ON claim_rule")
        op.execute("DROP FUNCTION IF EXISTS bump_rule_set_version()")
    op.drop_table("reaudit")
    op.drop_table("rule_set_version")
    op.drop_index(op.f("ix_claim_rule_version_rule_id"), table_name="claim_rule_version")
    op.drop_table("claim_rule_version")
    with op.batch_alter_table("claim_rule") as batch:
        batch.drop_column("examples")
        batch.drop_column("enabled")
