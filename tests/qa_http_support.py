"""Helpers for the QA page tests: waiving a finding as the page does, a listing's status."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.orm import Session
from sqlmodel import select

from catalogue.data.models import Device
from tests.qa_support import RULES

TITLE = RULES["clinically-proven"]["title"]


def waive(client: Any, slug: str, rule: str, reason: str, back: str = "") -> Any:
    """Waive ``rule`` on ``slug`` through the audit page's own form."""
    words = RULES[rule]["example_fires"]
    page = client.get(f"/qa/audit?rule={rule}").text
    # The exact words the checker marked travel in the form; take them from the page.
    match = re.search(r'name="text" value="([^"]*)"', page)
    assert match, f"no waive form for {rule} on {slug}"
    assert match.group(1) in words
    return client.form(
        f"/qa/audit/{slug}/waive",
        {"rule": rule, "text": match.group(1), "reason": reason, "back": back},
    )


def status_of(session: Session, slug: str) -> str:
    """The listing's status as stored now (a fresh snapshot, for SQLite)."""
    session.rollback()
    return session.scalars(select(Device.status).where(Device.slug == slug)).one()
