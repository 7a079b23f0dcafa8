"""The rule editor's tables: every saved version of a rule, the rules version that caches
key on, and the background re-audits a rule change starts.

Kept apart from ``models.py`` (which imports this module at its end, so one metadata holds
every table) because they change together with the rule editor.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from catalogue.data.naming import utcnow


def _timestamp() -> Any:
    return Field(default_factory=utcnow, sa_type=DateTime(timezone=True))


class ClaimRuleVersion(SQLModel, table=True):
    """One saved version of a rule: who, when, what changed, and the rule as it then was.

    ``changes`` is ``{"title": [old, new], ...}`` over the editable parts (the spec's keys,
    ``enabled`` and ``examples``); ``spec`` is the whole rule after the change.
    """

    __tablename__: ClassVar[str] = "claim_rule_version"
    __table_args__ = (UniqueConstraint("rule_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    rule_id: str = Field(
        sa_column=Column(
            String(64),
            ForeignKey("claim_rule.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        )
    )
    number: int  # 1 for the rule as it was first stored, then one more per save
    user_id: int | None = Field(default=None, foreign_key="app_user.id")
    at: datetime = _timestamp()
    action: str = Field(max_length=16)  # seed, create, edit, disable, enable
    changes: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    spec: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    enabled: bool = True
    examples: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    comment: str | None = Field(default=None, sa_type=Text)


class RuleSetVersion(SQLModel, table=True):
    """One row whose ``version`` every write to ``claim_rule`` bumps, by database triggers
    (migration 0180): each process keeps its validated rules under this number."""

    __tablename__: ClassVar[str] = "rule_set_version"

    id: int = Field(primary_key=True)
    version: int = Field(default=0, sa_type=BigInteger)


class Reaudit(SQLModel, table=True):
    """A re-audit of the whole catalogue after a rule change, with its progress, so any app
    process can show it. ``state``: running, done, superseded (a newer change started
    another) or failed."""

    __tablename__: ClassVar[str] = "reaudit"

    id: int | None = Field(default=None, primary_key=True)
    rule_id: str = Field(max_length=64)
    rule_version: int
    started_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    started_at: datetime = _timestamp()
    updated_at: datetime = _timestamp()
    finished_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    state: str = Field(default="running", max_length=16)
    total: int = Field(default=0, sa_type=Integer)
    done: int = Field(default=0, sa_type=Integer)
    sent_back: int = Field(default=0, sa_type=Integer)
    error: str | None = Field(default=None, sa_type=Text)
