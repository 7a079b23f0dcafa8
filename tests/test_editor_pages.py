"""The merchandiser's pages beyond the list: the form's error summary, the device page's human
labels, the shop preview of a draft, the notice after submitting, and Duplicate."""

from __future__ import annotations

import re
from typing import Any

import pytest

from catalogue.data.db import Database
from catalogue.devices.fields import FIELDS, field_label
from tests.test_editor_http import form_data

# (bad input, the field, the id its summary link leads to, the label it names)
SUMMARY_LINKS = [
    ({"price": "0.5"}, "price", "f-price", "Price"),
    (
        {"irradiance_mw_cm2": "900"},
        "irradiance_mw_cm2",
        "f-irradiance_mw_cm2",
        "Irradiance (mW/cm²)",
    ),
    ({"session_minutes": "90"}, "session_minutes", "f-session_minutes", "Session length (minutes)"),
    ({"currency": "XYZ"}, "currency", "f-currency", "Currency"),
    ({"form_factor": "lamp"}, "form_factor", "f-form_factor", "Form factor"),
    ({"emission_nm": ["200"]}, "emissions", "emissions", "Wavelengths (nm, with share in %)"),
    ({"areas": ["kneecaps"]}, "areas", "areas", "Intended body areas"),
]


@pytest.mark.parametrize(("overrides", "field", "anchor", "label"), SUMMARY_LINKS)
def test_the_error_summary_links_each_field_and_takes_focus(
    staff: Any, db: Database, overrides: dict[str, Any], field: str, anchor: str, label: str
) -> None:
    response = staff("merchandiser").form("/admin/devices/new", form_data(**overrides))
    assert response.status_code == 400
    page = response.text
    summary = page.split('id="form-errors"')[1].split("</div>")[0]
    assert 'tabindex="-1"' in summary and "data-error-summary" in summary
    links = re.findall(r'<a href="#([^"]+)">([^:<]+):', summary)
    assert links == [(anchor, label)]
    assert f'id="{anchor}"' in page  # the link leads somewhere
    # Focus is moved by the editor's script file: the CSP allows no inline script.
    assert '<script src="/static/admin.js"' in page and "<script>" not in page


def test_the_summary_counts_and_lists_every_bad_field(staff: Any, db: Database) -> None:
    bad = form_data(price="0", session_minutes="90", led_count="2.5")
    summary = (
        staff("merchandiser").form("/admin/devices/new", bad).text.split('id="form-errors"')[1]
    )
    summary = summary.split("</div>")[0]
    assert "3 fields need attention" in summary
    assert re.findall(r'<a href="#f-([a-z_]+)"', summary) == [
        "price",
        "led_count",
        "session_minutes",
    ]


def test_the_field_table_names_every_input_the_form_takes() -> None:
    from catalogue.devices.schemas import MEASUREMENTS, PRODUCT_FIELDS

    for name in (*PRODUCT_FIELDS, *MEASUREMENTS, "emissions", "areas", "description"):
        assert name in FIELDS
    assert field_label("irradiance_mw_cm2") == "Irradiance (mW/cm²)"
    assert field_label("no_such_field") == "no_such_field"


# --- the device page -------------------------------------------------------------------


@pytest.fixture
def draft(db: Database) -> str:
    from tests.factories import add_device

    with db.writing() as s:
        device = add_device(
            s,
            name="Quartz Recovery Panel",
            slug="quartz-recovery-panel",
            sku="QTZ-100",
            status="draft",
            irradiance_mw_cm2=75,
            led_count=240,
        )
        return device.slug


def test_the_device_page_speaks_in_labels_not_column_names(
    staff: Any, db: Database, draft: str
) -> None:
    merchandiser = staff("merchandiser")
    assert merchandiser.form(f"/admin/devices/{draft}/move", {"action": "submit", "version": 1})
    page = merchandiser.get(f"/admin/devices/{draft}").text
    record = page.split('id="record-title"')[1].split("</table>")[0]
    assert '<th scope="row">Irradiance (mW/cm²)</th><td>75</td>' in record
    assert '<th scope="row">LED count</th><td>240</td>' in record
    assert '<th scope="row">Status</th><td>In review</td>' in record
    assert "irradiance_mw_cm2" not in record and "in_review</td>" not in record
    assert '<span class="status status--in_review">In review</span>' in page
    history = page.split('id="history-title"')[1]
    assert "<td>Status</td><td>Draft</td><td>In review</td>" in history


def test_submitting_says_so_once(staff: Any, db: Database, draft: str) -> None:
    merchandiser = staff("merchandiser")
    moved = merchandiser.form(f"/admin/devices/{draft}/move", {"action": "submit", "version": 1})
    assert moved.status_code == 303 and moved.headers["location"] == f"/admin/devices/{draft}"
    page = merchandiser.get(f"/admin/devices/{draft}").text
    notice = page.split('id="moved"')[1].split("</p>")[0]
    assert "“Quartz Recovery Panel” is submitted for review" in notice
    assert 'id="moved"' not in merchandiser.get(f"/admin/devices/{draft}").text  # once
    # A refused step says why instead, and no confirmation.
    again = merchandiser.form(f"/admin/devices/{draft}/move", {"action": "submit", "version": 2})
    assert again.status_code in (400, 403) and 'id="moved"' not in again.text


@pytest.mark.parametrize("role", ["merchandiser", "qa", "admin"])
def test_staff_preview_a_draft_as_the_shop_shows_it(
    staff: Any, db: Database, draft: str, role: str
) -> None:
    client = staff(role)
    detail = client.get(f"/admin/devices/{draft}").text
    assert f'href="/admin/devices/{draft}/preview"' in detail
    response = client.get(f"/admin/devices/{draft}/preview")
    assert response.status_code == 200
    assert response.headers["x-robots-tag"].startswith("noindex")
    assert response.headers["cache-control"] == "no-store"
    page = response.text
    assert '<meta name="robots" content="noindex, nofollow">' in page
    banner = page.split('id="preview-banner"')[1].split("</p>")[0]
    assert "Preview." in banner and "draft, so shoppers cannot see it" in banner
    assert "<h1>Quartz Recovery Panel</h1>" in page and "<svg" in page  # the shop's page


def test_the_preview_is_for_staff_only_and_the_shop_still_hides_the_draft(
    staff: Any, db: Database, draft: str
) -> None:
    anonymous = staff(None)
    response = anonymous.get(f"/admin/devices/{draft}/preview", follow_redirects=False)
    assert response.status_code == 302 and response.headers["location"].startswith("/signin")
    assert anonymous.get(f"/devices/{draft}").status_code == 404
    assert staff("merchandiser").get("/admin/devices/no-such/preview").status_code == 404


def test_a_published_device_links_to_the_shop_not_a_preview(staff: Any, db: Database) -> None:
    from tests.factories import add_device

    with db.writing() as s:
        slug = add_device(s, status="published").slug
    page = staff("qa").get(f"/admin/devices/{slug}").text
    assert f'href="/devices/{slug}"' in page and 'id="preview-link"' not in page


def _value(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert match, name
    return match.group(1)


def test_duplicate_opens_the_new_form_filled_in_and_writes_nothing(
    staff: Any, db: Database, draft: str
) -> None:
    from tests.import_support import fingerprint

    merchandiser = staff("merchandiser")
    assert (
        f'href="/admin/devices/{draft}/duplicate"'
        in merchandiser.get(f"/admin/devices/{draft}").text
    )
    before = fingerprint(db)
    page = merchandiser.get(f"/admin/devices/{draft}/duplicate").text
    assert fingerprint(db) == before
    assert 'action="/admin/devices/new"' in page and 'id="duplicate-note"' in page
    assert _value(page, "name") == "Quartz Recovery Panel (copy)"
    assert (_value(page, "sku"), _value(page, "slug")) == ("", "")
    assert (_value(page, "irradiance_mw_cm2"), _value(page, "led_count")) == ("75", "240")
    assert re.findall(r'name="emission_nm" value="([^"]+)"', page) == ["660", "850"]
    assert 'value="knees" checked' in page
    assert "Create draft" in page

    copy = form_data(name="Quartz Recovery Panel (copy)", sku="QTZ-101", slug="")
    created = merchandiser.form("/admin/devices/new", copy)
    assert created.status_code == 303
    assert created.headers["location"].startswith("/admin/devices/quartz-recovery-panel-copy")
    missing_sku = merchandiser.form("/admin/devices/new", form_data(sku=""))
    assert missing_sku.status_code == 400 and 'href="#f-sku"' in missing_sku.text


def test_duplicate_is_for_editors(staff: Any, db: Database, draft: str) -> None:
    assert staff("qa").get(f"/admin/devices/{draft}/duplicate").status_code == 403
