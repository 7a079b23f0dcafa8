"""Listings for the QA page tests: one of each kind of finding, in review and out of it."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from catalogue.data.models import Device
from tests.qa_support import add_listing


@pytest.fixture
def listings(session: Session) -> dict[str, Device]:
    """Four listings: a warning in review, an error in review, a clean one, an error draft."""
    made = {
        "warned": add_listing(
            session, "clinically-proven", slug="warned-panel", brand="Alpha", status="in_review"
        ),
        "cured": add_listing(
            session, "cure-claim", slug="cured-wrap", brand="Beta", status="in_review"
        ),
        "clean": add_listing(session, None, slug="clean-panel", brand="Alpha", status="published"),
        "draft": add_listing(
            session, "miracle-or-guarantee", slug="miracle-pad", brand="Beta", status="draft"
        ),
    }
    session.commit()
    return made
