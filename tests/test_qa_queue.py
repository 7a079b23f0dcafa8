"""The review queue over HTTP: order, open findings, approve / send back, approve ticked,
pages and the JSON twin; and where signing in lands each role."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlmodel import col, select

from catalogue.data.models import Device, DeviceChange
from catalogue.devices import workflow
from catalogue.qa.queue import PER_PAGE
from tests.qa_support import RULES, add_listing

START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _submit(session: Session, device: Device, minutes: int) -> None:
    """Submit a draft for review, as if ``minutes`` after START."""
    workflow.move_device(
        session,
        device=device,
        action="submit",
        role="merchandiser",
        user_id=None,
        expected_version=device.version,
    )
    session.execute(
        update(DeviceChange)
        .where(col(DeviceChange.device_id) == device.id, col(DeviceChange.action) == "submit")
        .values(at=START + timedelta(minutes=minutes))
    )


def queue_slugs(page: str) -> list[str]:
    return re.findall(
        r'<section class="qa-listing card queue-item" id="listing-([a-z0-9-]+)"', page
    )


def notice(page: str) -> str:
    found = re.search(
        r'<div class="notice notice--ok" role="status" id="queue-notice">(.*?)</div>', page, re.S
    )
    assert found, "no notice on the page"
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())
    return re.sub(r" ([:.;,])", r"\1", words)


@pytest.fixture
def waiting(session: Session) -> dict[str, Device]:
    """Three listings in review, submitted in the order late, early, middle (not the order
    they were made), a draft, and a published listing."""
    made = {
        "late": add_listing(session, None, slug="late-panel", name="Late Panel", status="draft"),
        "early": add_listing(
            session, "cure-claim", slug="early-wrap", name="Early Wrap", status="draft"
        ),
        "middle": add_listing(
            session, "clinically-proven", slug="middle-pad", name="Middle Pad", status="draft"
        ),
        "draft": add_listing(session, None, slug="still-draft", name="Still Draft", status="draft"),
        "live": add_listing(session, None, slug="live-mask", name="Live Mask", status="published"),
    }
    for key, minutes in (("late", 30), ("early", 10), ("middle", 20)):
        _submit(session, made[key], minutes)
    session.commit()
    return made


# --- who may see it ------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), [(None, 302), ("merchandiser", 403), ("qa", 200)])
@pytest.mark.parametrize("path", ["/qa/queue", "/qa/queue.json"])
def test_only_qa_and_admin_see_the_queue(staff, path: str, role: str | None, status: int) -> None:
    response = staff(role).get(path, follow_redirects=False)
    # Anonymous: the page sends to sign-in, the JSON twin answers 401.
    expected = 401 if role is None and path.endswith(".json") else status
    assert response.status_code == expected


@pytest.mark.parametrize("path", ["/qa/queue/approve", "/qa/queue/early-wrap/approve"])
def test_a_merchandiser_cannot_approve_from_the_queue(staff, waiting, db, path: str) -> None:
    response = staff("merchandiser").form(path, {"ticked": "1:1", "version": "1"})
    assert response.status_code == 403


# --- what it shows ------------------------------------------------------------------------


def test_queue_lists_listings_in_review_oldest_submission_first(staff, waiting) -> None:
    client = staff("qa")
    page = client.get("/qa/queue").text
    assert queue_slugs(page) == ["early-wrap", "middle-pad", "late-panel"]
    twin = client.get("/qa/queue.json").json()
    assert [item["slug"] for item in twin["listings"]] == ["early-wrap", "middle-pad", "late-panel"]
    assert twin["listings"][0]["waiting_since"].startswith("2026-03-01T09:10")
    assert (twin["total"], twin["page"], twin["pages"], twin["per_page"]) == (3, 1, 1, PER_PAGE)


def test_an_edited_published_listing_waits_since_its_edit(staff, waiting, session) -> None:
    """A published listing whose edit sent it back to review joins the end of the queue."""
    live = session.get(Device, waiting["live"].id)
    assert live is not None
    session.add(
        DeviceChange(
            device_id=live.id,
            action="update",
            changes={"status": ["published", "in_review"]},
            at=START + timedelta(minutes=15),
        )
    )
    live.status = "in_review"
    session.commit()
    order = queue_slugs(staff("qa").get("/qa/queue").text)
    assert order == ["early-wrap", "live-mask", "middle-pad", "late-panel"]


def test_each_listing_shows_its_open_findings_by_rule_title(staff, waiting) -> None:
    client = staff("qa")
    twin = {item["slug"]: item for item in client.get("/qa/queue.json").json()["listings"]}
    cure = [f for f in twin["early-wrap"]["findings"] if f["rule"] == "cure-claim"]
    assert cure and cure[0]["title"] == RULES["cure-claim"]["title"]
    assert cure[0]["severity"] == "error" and cure[0]["text"].lower().startswith("cure")
    assert twin["late-panel"]["findings"] == []
    page = client.get("/qa/queue").text
    section = page.split('id="listing-early-wrap"')[1].split("</section>")[0]
    assert RULES["cure-claim"]["title"] in section
    assert f'<mark class="finding finding--error">{html.escape(cure[0]["text"])}</mark>' in section


def test_a_waived_warning_is_not_an_open_finding(staff, waiting) -> None:
    client = staff("qa")
    audit = client.get("/qa/audit?rule=clinically-proven").text
    words = re.search(r'name="text" value="([^"]*)"', audit)
    assert words
    done = client.form(
        "/qa/audit/middle-pad/waive",
        {"rule": "clinically-proven", "text": html.unescape(words.group(1)), "reason": "Trial."},
    )
    assert done.status_code == 303
    twin = {item["slug"]: item for item in client.get("/qa/queue.json").json()["listings"]}
    assert all(f["rule"] != "clinically-proven" for f in twin["middle-pad"]["findings"])
    assert twin["middle-pad"]["blocked"] is False


# --- approve or send back one -------------------------------------------------------------


def _status(session: Session, slug: str) -> str:
    session.rollback()  # a new read transaction sees what the app wrote
    return session.scalars(select(Device.status).where(Device.slug == slug)).one()


def test_approving_from_the_queue_publishes_and_names_the_listing(staff, waiting, session) -> None:
    client = staff("qa")
    late = waiting["late"]
    response = client.form("/qa/queue/late-panel/approve", {"version": late.version, "page": "1"})
    assert response.status_code == 303 and response.headers["location"] == "/qa/queue"
    page = client.get("/qa/queue").text
    assert notice(page) == "Approved Late Panel: it is now published."
    assert "late-panel" not in queue_slugs(page)
    assert _status(session, "late-panel") == "published"


def test_approving_a_blocked_listing_is_refused_by_rule_title(staff, waiting, session) -> None:
    early = waiting["early"]
    response = staff("qa").form("/qa/queue/early-wrap/approve", {"version": early.version})
    assert response.status_code == 400
    assert "Not done for" in response.text and "Early Wrap" in response.text
    assert f"'{RULES['cure-claim']['title']}'" in html.unescape(response.text)
    assert _status(session, "early-wrap") == "in_review"


@pytest.mark.parametrize(
    ("comment", "status", "after"),
    [("", 400, "in_review"), ("   ", 400, "in_review"), ("Say what it is for.", 303, "draft")],
)
def test_sending_back_needs_a_note(
    staff, waiting, session, comment: str, status: int, after: str
) -> None:
    client = staff("qa")
    version = waiting["middle"].version
    response = client.form(
        "/qa/queue/middle-pad/send-back", {"version": version, "comment": comment}
    )
    assert response.status_code == status
    assert _status(session, "middle-pad") == after
    if status == 303:
        assert (
            notice(client.get("/qa/queue").text) == "Sent Middle Pad back to draft with your note."
        )
        change = session.scalars(
            select(DeviceChange).where(DeviceChange.action == "send_back")
        ).one()
        assert change.comment == comment
    else:
        assert "a comment is required" in response.text


def test_a_stale_version_is_a_409(staff, waiting, session) -> None:
    response = staff("qa").form("/qa/queue/late-panel/approve", {"version": "1"})
    assert response.status_code == 409
    assert _status(session, "late-panel") == "in_review"


# --- approve ticked -----------------------------------------------------------------------


def _ticked(*devices: Device, stale: bool = False) -> list[str]:
    return [f"{d.id}:{d.version - (1 if stale else 0)}" for d in devices]


def test_approve_ticked_lets_the_gate_decide_for_each(staff, waiting, session) -> None:
    client = staff("qa")
    ticked = _ticked(waiting["late"], waiting["early"], waiting["middle"])
    response = client.form("/qa/queue/approve", {"ticked": ticked})
    assert response.status_code == 303
    said = notice(client.get("/qa/queue").text)
    assert said.startswith("Approved 1: Late Panel.")
    assert f"Early Wrap: open error '{RULES['cure-claim']['title']}'" in said
    assert f"Middle Pad: unwaived warning '{RULES['clinically-proven']['title']}'" in said
    statuses = {slug: _status(session, slug) for slug in ("late-panel", "early-wrap", "middle-pad")}
    assert statuses == {
        "late-panel": "published",
        "early-wrap": "in_review",
        "middle-pad": "in_review",
    }
    approvals = session.scalars(select(DeviceChange).where(DeviceChange.action == "approve")).all()
    assert [c.device_id for c in approvals] == [waiting["late"].id]


@pytest.mark.parametrize(
    ("which", "why"),
    [
        ("stale", "it changed after the queue was loaded"),
        ("draft", "Approve and publish works on a device in in_review, and this one is draft"),
    ],
)
def test_approve_ticked_names_other_refusals(staff, waiting, session, which: str, why: str) -> None:
    client = staff("qa")
    if which == "stale":
        ticked, name = _ticked(waiting["late"], stale=True), "Late Panel"
    else:
        ticked, name = [f"{waiting['draft'].id}:{waiting['draft'].version}"], "Still Draft"
    client.form("/qa/queue/approve", {"ticked": ticked})
    said = notice(client.get("/qa/queue").text)
    assert said == f"Nothing was approved. Not approved: {name}: {why}"
    assert _status(session, "late-panel") == "in_review"


def test_approve_with_nothing_ticked_says_so(staff, waiting) -> None:
    client = staff("qa")
    assert client.form("/qa/queue/approve", {"page": "1"}).status_code == 303
    assert notice(client.get("/qa/queue").text) == "Tick at least one listing first."


# --- pages --------------------------------------------------------------------------------


def test_queue_pages_fifty_at_a_time(staff, session) -> None:
    for n in range(PER_PAGE + 1):
        add_listing(session, None, slug=f"queued-{n:02d}", status="in_review")
    session.commit()
    client = staff("qa")
    first, second = client.get("/qa/queue").text, client.get("/qa/queue?page=2").text
    assert len(queue_slugs(first)) == PER_PAGE and len(queue_slugs(second)) == 1
    assert not set(queue_slugs(first)) & set(queue_slugs(second))
    assert 'rel="next" href="/qa/queue?page=2"' in first
    twin = client.get("/qa/queue.json?page=2").json()
    assert [i["slug"] for i in twin["listings"]] == queue_slugs(second)
    assert (twin["total"], twin["pages"]) == (PER_PAGE + 1, 2)


@pytest.mark.parametrize("page", ["0", "two", "9" * 30])
def test_a_page_that_makes_no_sense_is_a_400(staff, page: str) -> None:
    client = staff("qa")
    assert client.get(f"/qa/queue?page={page}").status_code == 400
    response = client.get(f"/qa/queue.json?page={page}")
    assert response.status_code == 400 and response.json()["detail"][0]["key"] == "page"


# --- where signing in lands ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "next_path", "lands"),
    [
        ("qa", None, "/qa/queue"),
        ("merchandiser", None, "/admin/devices"),
        ("admin", None, "/admin/devices"),
        ("qa", "/qa/rules", "/qa/rules"),
        ("merchandiser", "/admin/import", "/admin/import"),
        ("qa", "//evil.example/x", "/qa/queue"),
        ("merchandiser", "https://evil.example/", "/admin/devices"),
    ],
)
def test_signing_in_lands_each_role_where_it_works(
    staff, role: str, next_path: str | None, lands: str
) -> None:
    first = staff(role)  # makes the account
    client = staff(None)
    data: dict[str, Any] = {"email": first.email, "password": "a long enough test password"}
    if next_path is not None:
        data["next"] = next_path
    response = client.form("/signin", data)
    assert (response.status_code, response.headers["location"]) == (303, lands)
