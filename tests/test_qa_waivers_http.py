"""The QA pages over HTTP: waiving a warning, withdrawing a waiver, and the history of both."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session
from sqlmodel import select

from catalogue.data.models import DeviceChange, User, Waiver
from tests.qa_http_support import TITLE, status_of, waive
from tests.qa_support import RULES, add_listing, count_on_page

# The ``listings`` fixture comes from tests/qa_fixtures.py.


# --- waivers -------------------------------------------------------------------------------


def test_a_waiver_needs_a_reason(staff, listings) -> None:
    client = staff("qa")
    response = waive(client, "warned-panel", "clinically-proven", reason="   ")
    assert response.status_code == 400
    assert "a reason is required" in response.text
    assert count_on_page(response.text, "warned-panel", "warning") == 1


def test_a_waived_warning_stops_counting_and_records_who_and_why(
    staff, listings, session: Session
) -> None:
    client = staff("qa")
    response = waive(
        client,
        "warned-panel",
        "clinically-proven",
        reason="The brand sent us the trial report.",
        back="?rule=clinically-proven",
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/qa/audit?rule=clinically-proven#listing-warned-panel"
    html = client.get(response.headers["location"]).text
    name = listings["warned"].name
    # Named the way people name them: the rule's title, the listing's name.
    assert f"Waived &#39;{TITLE}&#39; on {name}." in html
    assert count_on_page(html, "warned-panel", "warning") == 0
    assert "The brand sent us the trial report." in html
    assert "finding--waived" in html
    # The notice shows once.
    assert "Waived &#39;" not in client.get("/qa/audit").text
    waiver = session.scalars(select(Waiver)).one()
    user = session.get(User, waiver.user_id)
    assert user is not None and user.email == client.email
    assert waiver.reason == "The brand sent us the trial report." and waiver.at is not None


def test_an_error_cannot_be_waived(staff, listings) -> None:
    words = RULES["cure-claim"]["example_fires"]
    response = staff("qa").form(
        "/qa/audit/cured-wrap/waive",
        {"rule": "cure-claim", "text": words[words.index("cures") :][:5], "reason": "fine"},
    )
    assert response.status_code == 400
    assert "Only warnings can be waived" in response.text


def test_a_waiver_twice_is_refused_the_second_time(staff, listings) -> None:
    client = staff("qa")
    assert waive(client, "warned-panel", "clinically-proven", "ok").status_code == 303
    response = client.form(
        "/qa/audit/warned-panel/waive",
        {"rule": "clinically-proven", "text": "Clinically proven", "reason": "again"},
    )
    assert response.status_code == 400
    assert "This warning is already waived." in response.text


def test_forms_need_the_csrf_token(staff, listings) -> None:
    client = staff("qa")
    response = client.post(
        "/qa/audit/warned-panel/waive",
        data={"rule": "clinically-proven", "text": "Clinically proven", "reason": "x"},
    )
    assert response.status_code == 403


def test_unknown_listing_is_a_404(staff) -> None:
    response = staff("qa").form("/qa/audit/no-such-listing/approve", {"version": "1"})
    assert response.status_code == 404


# --- withdrawing a waiver ------------------------------------------------------------------


def _waiver_id(session: Session) -> int:
    session.rollback()  # a fresh snapshot (SQLite)
    waiver = session.scalars(select(Waiver)).one()
    assert waiver.id is not None
    return waiver.id


def _unwaive(client: Any, slug: str, waiver: Any, reason: str, back: str = "") -> Any:
    return client.form(
        f"/qa/audit/{slug}/unwaive", {"waiver": str(waiver), "reason": reason, "back": back}
    )


@pytest.mark.parametrize("role", ["qa", "admin"])
def test_a_withdrawn_waiver_counts_again(staff, listings, session: Session, role: str) -> None:
    client = staff(role)
    waive(client, "warned-panel", "clinically-proven", "Trial report on file.")
    html = client.get("/qa/audit?rule=clinically-proven").text
    assert count_on_page(html, "warned-panel", "warning") == 0
    waiver = _waiver_id(session)
    assert 'action="/qa/audit/warned-panel/unwaive"' in html
    assert f'name="waiver" value="{waiver}"' in html

    response = _unwaive(
        client, "warned-panel", waiver, "The report was withdrawn.", back="?rule=clinically-proven"
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/qa/audit?rule=clinically-proven#listing-warned-panel"
    html = client.get(response.headers["location"]).text
    name = listings["warned"].name
    assert f"Withdrew the waiver of &#39;{TITLE}&#39; on {name}." in html
    assert "stays published" not in html  # in review: approval waits for it anyway
    assert count_on_page(html, "warned-panel", "warning") == 1
    assert 'action="/qa/audit/warned-panel/waive"' in html
    assert 'action="/qa/audit/warned-panel/unwaive"' not in html
    session.rollback()
    assert session.scalars(select(Waiver)).all() == []


def test_withdrawing_on_a_published_listing_says_the_warning_is_open(
    staff, session: Session
) -> None:
    add_listing(
        session, "clinically-proven", slug="live-panel", name="Live Panel", status="published"
    )
    session.commit()
    client = staff("qa")
    waive(client, "live-panel", "clinically-proven", "Trial report on file.")
    response = _unwaive(client, "live-panel", _waiver_id(session), "Report retracted.")
    assert response.status_code == 303
    html = client.get(response.headers["location"]).text
    assert "Live Panel stays published with this warning open" in html
    assert count_on_page(html, "live-panel", "warning") == 1
    assert status_of(session, "live-panel") == "published"


@pytest.mark.parametrize(
    ("role", "status"),
    # An anonymous form POST is a 401, not a sign-in redirect (catalogue/web/guards.py).
    [(None, 401), ("merchandiser", 403)],
    ids=["anonymous", "merchandiser"],
)
def test_only_qa_and_admin_can_withdraw_a_waiver(
    staff, listings, session: Session, role: str | None, status: int
) -> None:
    waive(staff("qa"), "warned-panel", "clinically-proven", "Trial report on file.")
    waiver = _waiver_id(session)
    response = _unwaive(staff(role), "warned-panel", waiver, "I say so.")
    assert response.status_code == status
    session.rollback()
    assert [w.id for w in session.scalars(select(Waiver))] == [waiver]
    assert session.scalars(select(DeviceChange).where(DeviceChange.action == "unwaive")).all() == []


def test_withdrawing_needs_the_csrf_token(staff, listings, session: Session) -> None:
    client = staff("qa")
    waive(client, "warned-panel", "clinically-proven", "Trial report on file.")
    waiver = _waiver_id(session)
    response = client.post(
        "/qa/audit/warned-panel/unwaive", data={"waiver": str(waiver), "reason": "x"}
    )
    assert response.status_code == 403
    session.rollback()
    assert [w.id for w in session.scalars(select(Waiver))] == [waiver]


@pytest.mark.parametrize(
    ("slug", "waiver", "reason", "status", "message"),
    [
        ("warned-panel", "", "gone", 400, "Say which waiver to withdraw."),
        ("warned-panel", "abc", "gone", 400, "Say which waiver to withdraw."),
        ("warned-panel", "999999", "gone", 404, "That waiver is gone"),
        ("warned-panel", "99999999999", "gone", 404, "That waiver is gone"),
        ("warned-panel", "own", "  ", 400, "a reason is required"),
        ("cured-wrap", "own", "gone", 404, "That waiver is gone"),  # another listing's waiver
        ("no-such-listing", "own", "gone", 404, None),
    ],
    ids=[
        "missing",
        "not-a-number",
        "unknown",
        "too-big",
        "no-reason",
        "other-listing",
        "unknown-listing",
    ],
)
def test_a_withdrawal_that_cannot_be_done_says_why(
    staff, listings, session: Session, slug, waiver, reason, status, message
) -> None:
    client = staff("qa")
    waive(client, "warned-panel", "clinically-proven", "Trial report on file.")
    own = _waiver_id(session)
    response = _unwaive(client, slug, own if waiver == "own" else waiver, reason)
    assert response.status_code == status
    if message:
        assert message in response.text
        assert 'id="listing-warned-panel"' in response.text  # the audit page, not an error page
    session.rollback()
    assert [w.id for w in session.scalars(select(Waiver))] == [own]


def test_the_history_shows_who_waived_and_withdrew_and_why(
    staff, listings, session: Session
) -> None:
    client = staff("qa")
    waive(client, "warned-panel", "clinically-proven", "The brand sent us the trial report.")
    _unwaive(client, "warned-panel", _waiver_id(session), "The trial report was retracted.")
    session.rollback()
    changes = session.scalars(
        select(DeviceChange)
        .where(DeviceChange.device_id == listings["warned"].id)
        .where(DeviceChange.action.in_(["waive", "unwaive"]))  # type: ignore[attr-defined]
        .order_by(DeviceChange.id)  # type: ignore[arg-type]
    ).all()
    words = {"rule": "clinically-proven", "text": "Clinically proven"}
    assert [(c.action, c.changes, c.comment) for c in changes] == [
        ("waive", {"waiver": [None, words]}, "The brand sent us the trial report."),
        ("unwaive", {"waiver": [words, None]}, "The trial report was retracted."),
    ]
    user = session.scalars(select(User).where(User.email == client.email)).one()
    assert {c.user_id for c in changes} == {user.id}
    assert all(c.snapshot == {} for c in changes)  # nothing to restore: the record is as it was

    html = client.get("/admin/devices/warned-panel").text
    history = html[html.index('id="history-title"') :]
    withdrawn = history.index("Waiver withdrawn</strong> by " + client.email)
    waived = history.index("Warning waived</strong> by " + client.email)
    assert withdrawn < waived  # newest first
    assert "Reason: “The brand sent us the trial report.”" in history
    assert "Why withdrawn: “The trial report was retracted.”" in history
    assert history.count("<code>clinically-proven</code> on <q>Clinically proven</q>") == 2
