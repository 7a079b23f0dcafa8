"""The QA pages over HTTP: who may see them, filters, highlights, pages, waivers, review, export."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlmodel import select

from catalogue.data.models import Device, DeviceChange, User, Waiver
from catalogue.qa import CSV_COLUMNS, PER_PAGE
from tests.qa_support import RULES, add_listing, count_on_page, listing_slugs

TITLE = RULES["clinically-proven"]["title"]


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


def _waive(client: Any, slug: str, rule: str, reason: str, back: str = "") -> Any:
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


# --- who may see it ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 302), ("merchandiser", 403), ("qa", 200), ("admin", 200)],
)
@pytest.mark.parametrize("path", ["/qa/audit", "/qa/rules", "/qa/audit.csv"])
def test_only_qa_and_admin_see_the_qa_pages(
    staff, path: str, role: str | None, status: int
) -> None:
    response = staff(role).get(path, follow_redirects=False)
    assert response.status_code == status
    if role is None:
        assert response.headers["location"] == f"/signin?next={path}"


def test_qa_home_goes_to_the_review_queue(staff) -> None:
    response = staff("qa").get("/qa", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (302, "/qa/queue")


def test_the_rule_filter_names_rules_by_title(staff, listings) -> None:
    html = staff("qa").get("/qa/audit?rule=clinically-proven").text
    options = dict(re.findall(r'<option value="([a-z-]+)"(?: selected)?>([^<(]+) \(', html))
    assert options["clinically-proven"] == TITLE
    assert options["cure-claim"] == RULES["cure-claim"]["title"]
    assert set(options) >= set(RULES)


# --- the list ------------------------------------------------------------------------------


def test_audit_lists_every_listing_with_its_open_counts(staff, listings) -> None:
    html = staff("qa").get("/qa/audit").text
    assert sorted(listing_slugs(html)) == sorted(d.slug for d in listings.values())
    assert count_on_page(html, "warned-panel", "warning") == 1
    assert count_on_page(html, "cured-wrap", "error") >= 1
    assert [count_on_page(html, "clean-panel", s) for s in ("error", "warning")] == [0, 0]
    # The review queue comes first: in review, most errors first.
    assert listing_slugs(html)[:2] == ["cured-wrap", "warned-panel"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"warned-panel", "cured-wrap", "clean-panel", "miracle-pad"}),
        ("rule=clinically-proven", {"warned-panel"}),
        ("rule=cure-claim", {"cured-wrap"}),
        ("severity=error", {"cured-wrap", "miracle-pad"}),
        ("severity=warning", {"warned-panel"}),
        ("status=draft", {"miracle-pad"}),
        ("status=all", {"warned-panel", "cured-wrap", "clean-panel", "miracle-pad"}),
        ("brand=Alpha", {"warned-panel", "clean-panel"}),
        ("brand=Beta&severity=error&status=in_review", {"cured-wrap"}),
        ("rule=cure-claim&status=published", set()),
    ],
)
def test_filters_narrow_the_list(staff, listings, query: str, expected: set[str]) -> None:
    client = staff("qa")
    assert set(listing_slugs(client.get(f"/qa/audit?{query}").text)) == expected
    twin = client.get(f"/qa/audit.json?{query}").json()
    assert {item["slug"] for item in twin["listings"]} == expected
    assert twin["total"] == len(expected)


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("severity=fatal", "severity"),
        ("status=gone", "status"),
        ("rule=no-such-rule", "rule"),
        ("page=0", "page"),
        ("page=two", "page"),
    ],
)
def test_a_filter_that_makes_no_sense_is_a_400_naming_it(staff, query: str, key: str) -> None:
    client = staff("qa")
    page = client.get(f"/qa/audit?{query}")
    assert page.status_code == 400
    assert f"<code>{key}</code>" in page.text
    twin = client.get(f"/qa/audit.json?{query}")
    assert twin.status_code == 400
    assert twin.json()["detail"][0]["key"] == key


def test_the_words_are_marked_and_everything_is_escaped(staff, session: Session) -> None:
    words = RULES["clinically-proven"]["example_fires"]
    add_listing(
        session,
        "clinically-proven",
        slug="sneaky-panel",
        name="<b>Sneaky</b> Panel",
        description=f'<script>alert("x")</script> {words}',
    )
    session.commit()
    html = staff("qa").get("/qa/audit").text
    assert "<script>alert" not in html and "<b>Sneaky" not in html
    assert "&lt;script&gt;alert" in html and "&lt;b&gt;Sneaky&lt;/b&gt; Panel" in html
    mark = re.search(
        r'<mark class="finding finding--warning" tabindex="0" aria-describedby="([\w-]+)">'
        r'([^<]+)</mark><span class="finding__tip" role="tooltip" id="([\w-]+)">'
        r"(.*?)</span></span>",
        html,
    )
    assert mark, "no warning highlight"
    assert mark.group(1) == mark.group(3)  # the mark is described by its own tooltip
    assert mark.group(2).lower().startswith("clinically proven")
    assert "clinically-proven" in mark.group(4)


def test_pages_hold_25_listings_and_run_past_the_end_to_the_last(staff, session) -> None:
    for n in range(PER_PAGE + 5):
        add_listing(session, None, slug=f"panel-{n:02d}", name=f"Panel {n:02d}")
    session.commit()
    client = staff("qa")
    first = client.get("/qa/audit").text
    second = client.get("/qa/audit?page=2").text
    assert len(listing_slugs(first)) == PER_PAGE
    assert len(listing_slugs(second)) == 5
    assert set(listing_slugs(first)).isdisjoint(listing_slugs(second))
    assert "Listings 26–30 of 30" in second
    assert 'rel="next" href="/qa/audit?page=2"' in first
    assert listing_slugs(client.get("/qa/audit?page=99").text) == listing_slugs(second)


def test_a_page_costs_the_same_queries_for_3_listings_as_for_25(staff, staff_app, session) -> None:
    client = staff("qa")
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if re.search(r"\b(finding|waiver|device)\b", statement):
            statements.append(statement)

    event.listen(staff_app.state.db.engine, "before_cursor_execute", record)
    try:
        counts = []
        for start, stop in ((0, 3), (3, PER_PAGE)):
            for n in range(start, stop):
                # Every listing with a finding and a waiver, so each kind of row is loaded.
                device = add_listing(session, "clinically-proven", slug=f"warned-{n:02d}")
                session.add(
                    Waiver(
                        device_id=device.id,
                        rule_id="clinically-proven",
                        text="Clinically proven",
                        reason="checked",
                    )
                )
            session.commit()
            statements.clear()
            assert len(listing_slugs(client.get("/qa/audit").text)) == stop
            counts.append(len(statements))
    finally:
        event.remove(staff_app.state.db.engine, "before_cursor_execute", record)
    assert counts[0] == counts[1], statements
    assert counts[1] <= 8


# --- waivers -------------------------------------------------------------------------------


def test_a_waiver_needs_a_reason(staff, listings) -> None:
    client = staff("qa")
    response = _waive(client, "warned-panel", "clinically-proven", reason="   ")
    assert response.status_code == 400
    assert "a reason is required" in response.text
    assert count_on_page(response.text, "warned-panel", "warning") == 1


def test_a_waived_warning_stops_counting_and_records_who_and_why(
    staff, listings, session: Session
) -> None:
    client = staff("qa")
    response = _waive(
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
    assert _waive(client, "warned-panel", "clinically-proven", "ok").status_code == 303
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
    _waive(client, "warned-panel", "clinically-proven", "Trial report on file.")
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
    _waive(client, "live-panel", "clinically-proven", "Trial report on file.")
    response = _unwaive(client, "live-panel", _waiver_id(session), "Report retracted.")
    assert response.status_code == 303
    html = client.get(response.headers["location"]).text
    assert "Live Panel stays published with this warning open" in html
    assert count_on_page(html, "live-panel", "warning") == 1
    assert _status(session, "live-panel") == "published"


@pytest.mark.parametrize(
    ("role", "status"),
    # An anonymous form POST is a 401, not a sign-in redirect (catalogue/web/guards.py).
    [(None, 401), ("merchandiser", 403)],
    ids=["anonymous", "merchandiser"],
)
def test_only_qa_and_admin_can_withdraw_a_waiver(
    staff, listings, session: Session, role: str | None, status: int
) -> None:
    _waive(staff("qa"), "warned-panel", "clinically-proven", "Trial report on file.")
    waiver = _waiver_id(session)
    response = _unwaive(staff(role), "warned-panel", waiver, "I say so.")
    assert response.status_code == status
    session.rollback()
    assert [w.id for w in session.scalars(select(Waiver))] == [waiver]
    assert session.scalars(select(DeviceChange).where(DeviceChange.action == "unwaive")).all() == []


def test_withdrawing_needs_the_csrf_token(staff, listings, session: Session) -> None:
    client = staff("qa")
    _waive(client, "warned-panel", "clinically-proven", "Trial report on file.")
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
    _waive(client, "warned-panel", "clinically-proven", "Trial report on file.")
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
    _waive(client, "warned-panel", "clinically-proven", "The brand sent us the trial report.")
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


# --- approve and send back -----------------------------------------------------------------


def _version(session: Session, slug: str) -> int:
    session.rollback()  # a fresh snapshot: SQLite's reads see the database as the txn began
    device = session.scalars(select(Device).where(Device.slug == slug)).one()
    return device.version


def _status(session: Session, slug: str) -> str:
    session.rollback()
    return session.scalars(select(Device.status).where(Device.slug == slug)).one()


@pytest.mark.parametrize("role", ["qa", "admin"])
def test_approve_waits_for_the_warning_to_be_waived(staff, listings, session, role) -> None:
    client = staff(role)
    html = client.get("/qa/audit").text
    assert 'action="/qa/audit/warned-panel/approve"' not in html
    version = {"version": str(_version(session, "warned-panel"))}
    refused = client.form("/qa/audit/warned-panel/approve", version)
    assert refused.status_code == 400
    assert "cannot be published yet" in refused.text and "needs a QA waiver" in refused.text
    assert _status(session, "warned-panel") == "in_review"

    _waive(client, "warned-panel", "clinically-proven", "Trial report on file.")
    assert 'action="/qa/audit/warned-panel/approve"' in client.get("/qa/audit").text
    done = client.form("/qa/audit/warned-panel/approve", version)
    assert done.status_code == 303
    assert _status(session, "warned-panel") == "published"
    change = session.scalars(select(DeviceChange).where(DeviceChange.action == "approve")).one()
    assert change.changes == {"status": ["in_review", "published"]}


def test_an_error_blocks_approval(staff, listings, session) -> None:
    response = staff("qa").form(
        "/qa/audit/cured-wrap/approve", {"version": str(_version(session, "cured-wrap"))}
    )
    assert response.status_code == 400
    assert "cure-claim" in response.text
    assert _status(session, "cured-wrap") == "in_review"


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
    assert _status(session, "cured-wrap") == "draft"
    change = session.scalars(select(DeviceChange).where(DeviceChange.action == "send_back")).one()
    assert change.comment == "Drop the word cures."


def test_a_stale_form_is_a_409_and_changes_nothing(staff, listings, session) -> None:
    stale = str(_version(session, "cured-wrap") - 1)
    response = staff("qa").form(
        "/qa/audit/cured-wrap/send-back", {"version": stale, "comment": "Fix it."}
    )
    assert response.status_code == 409
    assert _status(session, "cured-wrap") == "in_review"


# --- export and the rule catalogue ---------------------------------------------------------


def test_csv_export_has_one_row_per_finding_under_the_filters(staff, listings) -> None:
    client = staff("qa")
    _waive(client, "warned-panel", "clinically-proven", "Trial report on file.")
    response = client.get("/qa/audit.csv?rule=clinically-proven")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert [(r["device"], r["rule"], r["waived"]) for r in rows] == [
        ("warned-panel", "clinically-proven", "yes")
    ]
    assert rows[0]["waiver_reason"] == "Trial report on file."
    assert rows[0]["waived_by"] == client.email
    everything = list(csv.DictReader(io.StringIO(client.get("/qa/audit.csv").text)))
    assert {r["device"] for r in everything} == {"warned-panel", "cured-wrap", "miracle-pad"}


def test_csv_cells_cannot_run_as_spreadsheet_formulas(staff, session) -> None:
    add_listing(session, "clinically-proven", name="=HYPERLINK(1)", slug="formula-panel")
    session.commit()
    rows = list(csv.DictReader(io.StringIO(staff("qa").get("/qa/audit.csv").text)))
    assert rows[0]["name"] == "'=HYPERLINK(1)"


def test_rule_catalogue_shows_each_rule_with_examples_and_hits(staff, listings) -> None:
    html = staff("qa").get("/qa/rules").text
    for rule_id, rule in RULES.items():
        assert f'id="rule-{rule_id}"' in html
        assert f'<span class="sev sev--{rule["severity"]}">' in html
    assert re.search(
        r'<a href="/qa/audit\?rule=clinically-proven" id="hits-clinically-proven">1</a>', html
    )
    assert '<span class="muted" id="hits-burning-heat">0</span>' in html
    # The firing example is run through the checker and marked.
    section = html[html.index('id="rule-cure-claim"') :]
    section = section[: section.index("</section>")]
    assert '<mark class="finding finding--error"' in section
    assert "Its examples no longer behave" not in html
