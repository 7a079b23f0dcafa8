"""The QA pages over HTTP: approving a listing and sending it back, with a stale form refused."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session
from sqlmodel import select

from catalogue.data.models import Device, DeviceChange
from tests.qa_http_support import status_of, waive

# The ``listings`` fixture comes from tests/qa_fixtures.py.


# --- approve and send back -----------------------------------------------------------------


def _version(session: Session, slug: str) -> int:
    session.rollback()  # a fresh snapshot: SQLite's reads see the database as the txn began
    device = session.scalars(select(Device).where(Device.slug == slug)).one()
    return device.version


@pytest.mark.parametrize("role", ["qa", "admin"])
def test_approve_waits_for_the_warning_to_be_waived(staff, listings, session, role) -> None:
    client = staff(role)
    html = client.get("/qa/audit").text
    assert 'action="/qa/audit/warned-panel/approve"' not in html
    version = {"version": str(_version(session, "warned-panel"))}
    refused = client.form("/qa/audit/warned-panel/approve", version)
    assert refused.status_code == 400
    assert "cannot be published yet" in refused.text and "needs a QA waiver" in refused.text
    assert status_of(session, "warned-panel") == "in_review"

    waive(client, "warned-panel", "clinically-proven", "Trial report on file.")
    assert 'action="/qa/audit/warned-panel/approve"' in client.get("/qa/audit").text
    done = client.form("/qa/audit/warned-panel/approve", version)
    assert done.status_code == 303
    assert status_of(session, "warned-panel") == "published"
    change = session.scalars(select(DeviceChange).where(DeviceChange.action == "approve")).one()
    assert change.changes == {"status": ["in_review", "published"]}


def test_an_error_blocks_approval(staff, listings, session) -> None:
    response = staff("qa").form(
        "/qa/audit/cured-wrap/approve", {"version": str(_version(session, "cured-wrap"))}
    )
    assert response.status_code == 400
    assert "cure-claim" in response.text
    assert status_of(session, "cured-wrap") == "in_review"


def test_send_back_needs_a_comment_and_keeps_it(staff, listings, session) -> None:
    client = staff("qa")
    version = str(_version(session, "cured-wrap"))
    refused = client.form("/qa/audit/cured-wrap/send-back", {"version": version, "comment": " "})
    assert refused.status_code == 400
    assert "a comment is required" in refused.text
    done = client.form(
        "/qa/audit/cured-wrap/send-back",
        {"version": version, "comment": "Drop the word cures.", "back": "?status=in_review"},
    )
    assert done.status_code == 303
    assert done.headers["location"] == "/qa/audit?status=in_review#listing-cured-wrap"
    assert status_of(session, "cured-wrap") == "draft"
    change = session.scalars(select(DeviceChange).where(DeviceChange.action == "send_back")).one()
    assert change.comment == "Drop the word cures."


def test_a_stale_form_is_a_409_and_changes_nothing(staff, listings, session) -> None:
    stale = str(_version(session, "cured-wrap") - 1)
    response = staff("qa").form(
        "/qa/audit/cured-wrap/send-back", {"version": stale, "comment": "Fix it."}
    )
    assert response.status_code == 409
    assert status_of(session, "cured-wrap") == "in_review"
