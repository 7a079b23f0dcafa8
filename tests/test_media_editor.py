"""The gallery editor over HTTP: upload, refusals, alt text, order, main image, delete,
history, the review rule for published devices, and alt text in the claim check."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session
from sqlmodel import col, select

from catalogue.claims import audit
from catalogue.data.db import Database
from catalogue.data.models import Device, DeviceChange, DeviceImage, Finding
from tests import media_support as m
from tests.factories import add_device


def _device(db: Database, **overrides: Any) -> Device:
    with db.writing() as s:
        return add_device(s, **overrides)


def _upload(client: Any, slug: str, data: bytes, alt: str = "A panel", name: str = "p.jpg") -> Any:
    return client.form(
        f"/admin/devices/{slug}/images",
        {"alt_text": alt},
        files={"file": (name, data, "image/jpeg")},
    )


def _rows(db: Database, device_id: int) -> list[DeviceImage]:
    with db.session() as s:
        return list(
            s.scalars(
                select(DeviceImage)
                .where(DeviceImage.device_id == device_id)
                .order_by(col(DeviceImage.position))
            )
        )


def _actions(db: Database, device_id: int) -> list[str]:
    with db.session() as s:
        query = select(DeviceChange.action).where(DeviceChange.device_id == device_id)
        return list(s.scalars(query.order_by(col(DeviceChange.id))))


def test_upload_shows_the_image_and_sends_a_published_device_to_review(
    staff: Any, db: Database
) -> None:
    device = _device(db, status="published")
    client = staff("merchandiser")
    response = _upload(client, device.slug, m.jpeg(1600, 1200), alt="A tall panel on a stand")
    assert response.status_code == 303
    page = client.get(f"/admin/devices/{device.slug}/images").text
    assert 'alt="A tall panel on a stand"' in page and "Main image" in page
    assert 'srcset="/media/' in page and 'width="1200" height="900"' in page
    with db.session() as s:
        assert s.get(Device, device.id).status == "in_review"  # type: ignore[union-attr]
    assert _actions(db, device.id)[-1] == "image_add"  # type: ignore[arg-type]
    detail = client.get(f"/admin/devices/{device.slug}").text
    assert "Picture added" in detail and "A tall panel on a stand" in detail


@pytest.mark.parametrize(
    ("name", "data", "alt", "message"),
    [
        ("photo.png", m.HTML, "A panel", "photo.png: is not a JPEG, PNG or WebP image"),
        ("logo.png", m.SVG, "A panel", "logo.png: is not a JPEG, PNG or WebP image"),
        ("cut.jpg", m.jpeg(900, 700)[:2500], "A panel", "cut.jpg: is truncated or damaged"),
        ("bomb.png", m.bomb_png(), "A panel", "bomb.png: has more than 40 megapixels"),
        ("tiny.jpg", m.jpeg(300, 120), "A panel", "at least 200 px"),
        ("moving.webp", m.animated_webp(), "A panel", "moving.webp: is animated"),
        ("p.jpg", m.jpeg(), "", "Alt text is required"),
    ],
)
def test_refused_uploads_say_why_and_store_nothing(
    staff: Any, db: Database, name: str, data: bytes, alt: str, message: str
) -> None:
    device = _device(db)
    response = _upload(staff("merchandiser"), device.slug, data, alt=alt, name=name)
    assert response.status_code == 400
    assert message in response.text
    assert _rows(db, device.id) == []  # type: ignore[arg-type]


def test_an_upload_over_10_mb_is_refused_with_the_limit(staff: Any, db: Database) -> None:
    device = _device(db)
    big = b"\xff\xd8\xff" + b"\x00" * (10 * 1024 * 1024 + 10)
    response = _upload(staff("merchandiser"), device.slug, big, name="huge.jpg")
    assert response.status_code in (400, 413)
    assert "10 MB" in response.text
    assert _rows(db, device.id) == []  # type: ignore[arg-type]


def test_order_main_alt_and_delete_are_history_entries(staff: Any, db: Database) -> None:
    device = _device(db, status="draft")
    assert device.id is not None
    client = staff("merchandiser")
    for width, alt in ((640, "Front"), (700, "Side"), (760, "Back")):
        assert _upload(client, device.slug, m.jpeg(width, 480), alt=alt).status_code == 303
    front, side, back = _rows(db, device.id)
    base = f"/admin/devices/{device.slug}/images"
    steps = [
        ({"action": "down"}, front, ["Side", "Front", "Back"]),
        ({"action": "up"}, back, ["Side", "Back", "Front"]),
        ({"action": "main"}, back, ["Side", "Back", "Front"]),
        ({"action": "alt", "alt_text": "Back, with the stand"}, back, None),
        ({"action": "delete"}, side, ["Back, with the stand", "Front"]),
    ]
    for data, image, order in steps:
        assert client.form(f"{base}/{image.id}", data).status_code == 303
        if order is not None:
            assert [r.alt_text for r in _rows(db, device.id)] == order
    rows = _rows(db, device.id)
    assert [r.is_main for r in rows] == [True, False]
    assert _actions(db, device.id)[-5:] == [
        "image_move",
        "image_move",
        "image_main",
        "image_alt",
        "image_remove",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "alt", "alt_text": "  "}, "Alt text is required"),
        ({"action": "spin"}, "Unknown change"),
    ],
)
def test_bad_changes_are_refused(
    staff: Any, db: Database, data: dict[str, str], message: str
) -> None:
    device = _device(db)
    client = staff("merchandiser")
    _upload(client, device.slug, m.jpeg())
    image = _rows(db, device.id)[0]  # type: ignore[arg-type]
    response = client.form(f"/admin/devices/{device.slug}/images/{image.id}", data)
    assert response.status_code == 400 and message in response.text
    assert _rows(db, device.id)[0].alt_text == "A panel"  # type: ignore[arg-type]


def test_another_devices_image_cannot_be_changed(staff: Any, db: Database) -> None:
    mine, other = _device(db), _device(db)
    client = staff("merchandiser")
    _upload(client, other.slug, m.jpeg())
    theirs = _rows(db, other.id)[0]  # type: ignore[arg-type]
    response = client.form(f"/admin/devices/{mine.slug}/images/{theirs.id}", {"action": "delete"})
    assert response.status_code == 400
    assert len(_rows(db, other.id)) == 1  # type: ignore[arg-type]


def test_qa_may_look_but_not_upload(staff: Any, db: Database) -> None:
    device = _device(db)
    qa = staff("qa")
    assert qa.get(f"/admin/devices/{device.slug}/images").status_code == 200
    assert _upload(qa, device.slug, m.jpeg()).status_code == 403


def test_alt_text_is_read_by_the_claim_checker(staff: Any, db: Database, session: Session) -> None:
    device = _device(db, description="A panel for gentle evening sessions.")
    assert device.id is not None
    client = staff("merchandiser")
    _upload(client, device.slug, m.jpeg(), alt="A panel that cures arthritis")
    findings = session.scalars(select(Finding).where(Finding.device_id == device.id)).all()
    assert [f.rule_id for f in findings] == ["cure-claim"]
    assert findings[0].text.startswith("cures")
    assert findings[0].start > len(device.description)
    assert audit.device_blockers(session, device_id=device.id)
    image = _rows(db, device.id)[0]
    client.form(
        f"/admin/devices/{device.slug}/images/{image.id}",
        {"action": "alt", "alt_text": "A panel on its stand"},
    )
    session.rollback()  # a new read transaction sees the edit
    assert session.scalars(select(Finding).where(Finding.device_id == device.id)).all() == []
