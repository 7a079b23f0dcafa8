"""Stored findings: written with every device write, kept waivers, the publish gate."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session
from sqlmodel import select

from catalogue.claims import audit
from catalogue.data.models import Finding, Waiver
from catalogue.data.reference import load_bands
from catalogue.devices import crud
from catalogue.devices.schemas import parse_device
from tests.factories import add_device, device_data


def _rules(session: Session, device_id: int) -> set[str]:
    return set(session.scalars(select(Finding.rule_id).where(Finding.device_id == device_id)))


@pytest.mark.parametrize(
    ("overrides", "rules", "blocked"),
    [
        ({"description": "Gentle warmth that supports recovery over weeks."}, set(), False),
        ({"description": "This panel cures arthritis."}, {"cure-claim"}, True),
        ({"description": "Intense burning heat for sore backs."}, {"burning-heat"}, True),
        (
            {"wavelengths": [660], "areas": ["knees"], "description": "Red light."},
            {"area-depth-mismatch"},
            True,
        ),
        (
            {"wavelengths": [660, 940], "areas": [], "description": "Red light."},
            {"outside-article-band"},
            False,
        ),
    ],
)
def test_findings_are_stored_and_gate_publishing(
    session: Session, overrides, rules, blocked
) -> None:
    device = add_device(session, **overrides)
    assert device.id is not None
    assert _rules(session, device.id) == rules
    assert bool(audit.device_blockers(session, device_id=device.id)) is blocked


def test_rewriting_the_description_clears_its_findings(session: Session) -> None:
    device = add_device(session, description="It cures arthritis.")
    assert device.id is not None
    assert _rules(session, device.id) == {"cure-claim"}
    data, _ = parse_device(
        device_data(slug=device.slug, sku=device.sku, description="Supports comfort gradually.")
    )
    assert data is not None
    crud.update_device(
        session, device=device, data=data, bands=load_bands(session), expected_version=1
    )
    assert _rules(session, device.id) == set()


def test_a_waiver_survives_a_recompute_and_unblocks_a_warning(session: Session) -> None:
    device = add_device(session, description="Expect intense burning heat.")
    assert device.id is not None
    finding = session.scalars(select(Finding).where(Finding.device_id == device.id)).one()
    session.add(
        Waiver(
            device_id=device.id,
            rule_id=finding.rule_id,
            text=finding.text,
            reason="Quoted from a lab report",
        )
    )
    session.flush()
    assert audit.device_blockers(session, device_id=device.id) == []
    audit.refresh_all(session)
    assert [w for _, w in audit.open_findings(session, device_id=device.id)] == [True]
    assert audit.device_blockers(session, device_id=device.id) == []


def test_counts_by_severity_in_one_query(session: Session) -> None:
    clean = add_device(session, description="Supports comfort gradually.")
    faulty = add_device(
        session, description="A miracle that cures pain instantly. Intense burning heat."
    )
    assert clean.id is not None and faulty.id is not None
    counts = audit.finding_counts(session, [clean.id, faulty.id])
    assert counts[clean.id] == {"error": 0, "warning": 0, "suggestion": 0}
    assert counts[faulty.id]["error"] >= 2
    assert counts[faulty.id]["warning"] == 1
