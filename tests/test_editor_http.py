"""The device editor over HTTP: field errors, preview, conflicts, history, restore, workflow."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy.orm import Session

from catalogue.data.db import Database
from catalogue.data.models import Device, Waiver
from catalogue.devices import editing
from tests.factories import add_device


def form_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Form Panel",
        "brand": "Formbrand",
        "slug": "",
        "sku": "FRM-001",
        "form_factor": "panel",
        "price": "249.00",
        "currency": "USD",
        "emission_nm": ["660", "850", ""],
        "emission_share": ["", "", ""],
        "areas": ["knees", "skin"],
        "irradiance_mw_cm2": "80",
        "irradiance_distance_cm": "15",
        "session_minutes": "10",
        "description": "A panel for gradual, gentle support after training.",
    }
    data.update(overrides)
    return data


def stored(db: Database, slug: str) -> Device | None:
    with db.session() as s:
        return editing.get_device(s, slug)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"irradiance_mw_cm2": "900"}, "irradiance_mw_cm2", "900 is above the maximum 500"),
        ({"irradiance_mw_cm2": "abc"}, "irradiance_mw_cm2", "'abc' is not a number"),
        ({"irradiance_distance_cm": ""}, "irradiance_distance_cm", "give the distance"),
        ({"price": "0.5"}, "price", "below the minimum 1"),
        ({"currency": "XYZ"}, "currency", "not an ISO 4217 currency"),
        ({"name": ""}, "name", "must not be empty"),
        ({"slug": "Bad Slug!"}, "slug", "lowercase letters, digits and hyphens"),
        (
            {"emission_nm": ["", ""], "emission_share": ["", ""]},
            "emissions",
            "at least one emission",
        ),
        ({"emission_nm": ["200"]}, "emissions", "below the minimum 380"),
        ({"emission_nm": ["660", "660"]}, "emissions", "660 nm is listed twice"),
        (
            {"emission_nm": ["660", "850"], "emission_share": ["70", "40"]},
            "emissions",
            "add up to 110",
        ),
        ({"areas": ["knees", "kneecaps"]}, "areas", "unknown body area 'kneecaps'"),
        ({"session_minutes": "90"}, "session_minutes", "above the maximum 60"),
        ({"led_count": "2.5"}, "led_count", "must be a whole number"),
        ({"warranty_months": "-1"}, "warranty_months", "below the minimum 0"),
        ({"form_factor": "lamp"}, "form_factor", "'lamp' is not one of"),
    ],
)
def test_bad_field_gets_a_message_beside_it_and_input_is_kept(
    staff, db: Database, overrides: dict[str, Any], field: str, message: str
) -> None:
    merchandiser = staff("merchandiser")
    response = merchandiser.form("/admin/devices/new", form_data(**overrides))
    assert response.status_code == 400
    match = re.search(rf'<p class="field__error" id="e-{field}">([^<]*)</p>', response.text)
    assert match, response.text
    assert message in match.group(1).replace("&#39;", "'")
    assert 'value="Formbrand"' in response.text  # what was typed stays
    assert "gradual, gentle support" in response.text
    assert stored(db, "form-panel") is None


def test_create_suggests_the_slug_and_lands_as_a_draft(staff, db: Database) -> None:
    merchandiser = staff("merchandiser")
    response = merchandiser.form("/admin/devices/new", form_data(name="Aurora Knee Wrap 2"))
    assert response.status_code == 303
    assert response.headers["location"].startswith("/admin/devices/aurora-knee-wrap-2")
    device = stored(db, "aurora-knee-wrap-2")
    assert device is not None and device.status == "draft"


def test_duplicate_sku_is_a_field_error(staff, session: Session) -> None:
    add_device(session, sku="FRM-001")
    session.commit()
    response = staff("merchandiser").form("/admin/devices/new", form_data())
    assert response.status_code == 400
    assert "&#39;FRM-001&#39; is already used by another device" in response.text


def test_live_preview_marks_the_words(staff) -> None:
    response = staff("merchandiser").form(
        "/admin/devices/preview",
        {
            "description": "Gentle light. It cures arthritis.",
            "emission_nm": ["660", "850"],
            "areas": "knees",
        },
    )
    assert response.status_code == 200
    # The same highlight as the QA pages: the message is the mark's tooltip.
    mark = re.search(
        r'<mark class="finding finding--error" tabindex="0" aria-describedby="([\w-]+)">'
        r'(.*?)</mark><span class="finding__tip" role="tooltip" id="([\w-]+)">(.*?)</span></span>',
        response.text,
    )
    assert mark and "cure" in mark.group(2)
    assert mark.group(1) == mark.group(3)  # the marked words are described by their message
    assert "<code>cure-claim</code>" in mark.group(4) and mark.group(4).split("</code>")[1].strip()
    assert "cure-claim" in response.text


def test_findings_show_on_the_device_page_after_saving(staff) -> None:
    merchandiser = staff("merchandiser")
    response = merchandiser.form(
        "/admin/devices/new", form_data(description="This wrap cures arthritis.")
    )
    page = merchandiser.get(response.headers["location"])
    assert '<mark class="finding finding--error"' in page.text
    assert "cure-claim" in page.text


def _edit(client: Any, device_slug: str, **overrides: Any) -> Any:
    """The form as the editor page holds it, with ``overrides`` typed in."""
    page = client.get(f"/admin/devices/{device_slug}/edit")
    version = re.search(r'name="version" value="(\d+)"', page.text).group(1)
    seen = re.search(r'name="seen_change_id" value="(\d+)"', page.text).group(1)
    return form_data(version=version, seen_change_id=seen, **overrides)


def test_edit_records_history_and_a_published_edit_goes_back_to_review(
    staff, session: Session, db: Database
) -> None:
    device = add_device(session, status="published", sku="FRM-001", slug="form-panel")
    session.commit()
    merchandiser = staff("merchandiser")
    data = _edit(merchandiser, device.slug, slug="form-panel", irradiance_mw_cm2="120")
    response = merchandiser.form(f"/admin/devices/{device.slug}/edit", data)
    assert response.status_code == 303, response.text
    after = stored(db, "form-panel")
    assert after is not None
    assert after.status == "in_review"  # the shop stops showing it until QA approves
    assert after.irradiance_mw_cm2 == 120
    page = merchandiser.get("/admin/devices/form-panel").text
    history = page[page.index('id="history-title"') :]
    assert merchandiser.email in history
    assert "<td>Irradiance (mW/cm²)</td><td>60</td><td>120</td>" in history
    assert "<td>Status</td><td>Published</td><td>In review</td>" in history


def test_conflict_shows_who_changed_what_and_overwrites_nothing(
    staff, session: Session, db: Database
) -> None:
    device = add_device(session, status="draft", sku="FRM-001", slug="form-panel")
    session.commit()
    first, second = staff("merchandiser"), staff("merchandiser")
    mine = _edit(first, device.slug, slug="form-panel", name="My Name", description="Mine.")
    theirs = _edit(second, device.slug, slug="form-panel", price="199.00")
    assert second.form("/admin/devices/form-panel/edit", theirs).status_code == 303
    response = first.form("/admin/devices/form-panel/edit", mine)
    assert response.status_code == 409
    text = response.text
    assert "Someone else saved this device" in text
    assert second.email in text and "<td>Price</td>" in text and "199.00" in text
    assert 'value="My Name"' in text and "Mine." in text  # the input is kept
    after = stored(db, "form-panel")
    assert after is not None and str(after.price) == "199.00" and after.name != "My Name"
    # Saving again from the conflict page (it carries the new version) succeeds.
    again = {
        **mine,
        "version": re.search(r'name="version" value="(\d+)"', text).group(1),
        "seen_change_id": re.search(r'name="seen_change_id" value="(\d+)"', text).group(1),
    }
    assert first.form("/admin/devices/form-panel/edit", again).status_code == 303
    assert stored(db, "form-panel").name == "My Name"  # type: ignore[union-attr]


def test_restore_brings_back_an_earlier_version_as_a_new_change(
    staff, session: Session, db: Database
) -> None:
    device = add_device(session, status="draft", sku="FRM-001", slug="form-panel", price="100.00")
    session.commit()
    merchandiser = staff("merchandiser")
    merchandiser.form(
        "/admin/devices/form-panel/edit",
        _edit(merchandiser, "form-panel", slug="form-panel", price="150.00"),
    )
    page = merchandiser.get("/admin/devices/form-panel").text
    first_change = re.findall(r'name="change_id" value="(\d+)"', page)[-1]
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    response = merchandiser.form(
        "/admin/devices/form-panel/restore", {"change_id": first_change, "version": version}
    )
    assert response.status_code == 303
    after = stored(db, "form-panel")
    assert after is not None and str(after.price) == "100.00"
    with db.session() as s:
        actions = [c.action for c in editing.history(s, device.id)]  # type: ignore[arg-type]
    assert actions[0] == "restore" and len(actions) == 3
    # A stale restore (old version) is refused.
    stale = merchandiser.form(
        "/admin/devices/form-panel/restore", {"change_id": first_change, "version": version}
    )
    assert stale.status_code == 409


def move(client: Any, db: Database, slug: str, action: str, comment: str = "") -> Any:
    device = stored(db, slug)
    assert device is not None
    return client.form(
        f"/admin/devices/{slug}/move",
        {"action": action, "version": device.version, "comment": comment},
    )


def test_workflow_from_draft_to_archive(staff, session: Session, db: Database) -> None:
    device = add_device(session, status="draft")
    session.commit()
    merchandiser, qa = staff("merchandiser"), staff("qa")
    assert move(merchandiser, db, device.slug, "submit").status_code == 303
    assert stored(db, device.slug).status == "in_review"  # type: ignore[union-attr]
    no_comment = move(qa, db, device.slug, "send_back")
    assert no_comment.status_code == 400 and "a comment is required" in no_comment.text
    assert move(qa, db, device.slug, "send_back", "Add the session length.").status_code == 303
    assert stored(db, device.slug).status == "draft"  # type: ignore[union-attr]
    assert "Add the session length." in merchandiser.get(f"/admin/devices/{device.slug}").text
    move(merchandiser, db, device.slug, "submit")
    assert move(qa, db, device.slug, "approve").status_code == 303
    assert stored(db, device.slug).status == "published"  # type: ignore[union-attr]
    assert move(qa, db, device.slug, "archive").status_code == 303
    assert move(merchandiser, db, device.slug, "reopen").status_code == 303
    assert stored(db, device.slug).status == "draft"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("description", "wavelengths", "areas", "blocked"),
    [
        ("This wrap cures arthritis in the knee.", [660, 850], ["knees"], "cure-claim"),
        ("Feel the intense heat soak into sore calves.", [660, 850], ["calves"], "burning-heat"),
        (
            "A compact red panel to keep close to the skin.",
            [630, 660],
            ["face", "knees"],
            "area-depth-mismatch",
        ),
    ],
)
def test_publish_gate_blocks_errors_unwaived_warnings_and_record_checks(
    staff,
    session: Session,
    db: Database,
    description: str,
    wavelengths: list[int],
    areas: list[str],
    blocked: str,
) -> None:
    device = add_device(
        session, status="in_review", description=description, wavelengths=wavelengths, areas=areas
    )
    session.commit()
    response = move(staff("qa"), db, device.slug, "approve")
    assert response.status_code == 400
    assert "cannot be published yet" in response.text and blocked in response.text
    assert stored(db, device.slug).status == "in_review"  # type: ignore[union-attr]


def test_a_waived_warning_lets_the_device_publish(staff, session: Session, db: Database) -> None:
    device = add_device(
        session,
        status="in_review",
        description="Feel the intense heat soak into sore calves.",
        areas=["calves"],
    )
    session.commit()
    qa = staff("qa")
    assert move(qa, db, device.slug, "approve").status_code == 400
    with db.session() as s:
        from catalogue.claims import audit

        finding = next(
            f for f, _ in audit.open_findings(s, device_id=device.id) if f.severity == "warning"
        )  # type: ignore[arg-type]
    with db.writing() as s:
        s.add(
            Waiver(
                device_id=device.id,
                rule_id=finding.rule_id,
                text=finding.text,
                reason="Marketing term, checked.",
            )
        )
    assert move(qa, db, device.slug, "approve").status_code == 303


def test_stale_workflow_move_is_a_conflict(staff, session: Session) -> None:
    device = add_device(session, status="draft")
    session.commit()
    response = staff("merchandiser").form(
        f"/admin/devices/{device.slug}/move", {"action": "submit", "version": device.version + 5}
    )
    assert response.status_code == 409


@pytest.mark.parametrize(
    "path", ["/admin/devices/no-such-device", "/admin/devices/no-such-device/edit"]
)
def test_unknown_device_is_404(staff, path: str) -> None:
    assert staff("merchandiser").get(path).status_code == 404


def test_device_list_filters_by_status_and_shows_editor_and_claims(staff, session: Session) -> None:
    add_device(
        session,
        name="Draft One",
        status="draft",
        description="This wrap cures arthritis in the knee.",
    )
    add_device(session, name="Live One", status="published")
    session.commit()
    merchandiser = staff("merchandiser")
    everything = merchandiser.get("/admin/devices").text
    assert "Draft One" in everything and "Live One" in everything
    assert "1 error" in everything
    drafts = merchandiser.get("/admin/devices?status=draft").text
    assert "Draft One" in drafts and "Live One" not in drafts
