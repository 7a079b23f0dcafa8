"""The publish gate: one pure rule, its SQL twin, and every way to ``published`` through it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import delete, func
from sqlalchemy.orm import Session
from sqlmodel import col, select

from catalogue.claims import audit
from catalogue.cli import main
from catalogue.core import gate
from catalogue.core.claims.check import ClaimFinding
from catalogue.data.db import Database
from catalogue.data.models import Device, Finding, Waiver
from catalogue.devices import workflow
from catalogue.imports import importer
from catalogue.imports.seed import SeedError, SeedReport, seed_devices
from tests.factories import add_device
from tests.import_support import csv_file, row, upload

# (findings as (rule, severity, words), waivers as (rule, words), the rules that block)
CASES: list[tuple[list[tuple[str, str, str]], list[tuple[str, str]], list[str]]] = [
    ([], [], []),
    ([("cure-claim", "error", "cures")], [], ["cure-claim"]),
    # A waiver left over from when the rule was a warning does not excuse an error.
    ([("cure-claim", "error", "cures")], [("cure-claim", "cures")], ["cure-claim"]),
    ([("burning-heat", "warning", "burning")], [], ["burning-heat"]),
    ([("burning-heat", "warning", "burning")], [("burning-heat", "burning")], []),
    ([("burning-heat", "warning", "burning")], [("burning-heat", "hot")], ["burning-heat"]),
    ([("burning-heat", "warning", "burning")], [("cure-claim", "burning")], ["burning-heat"]),
    ([("vague-dose", "suggestion", "some")], [], []),
    ([("area-depth-mismatch", "error", "")], [], ["area-depth-mismatch"]),  # a record check
    (
        [("a", "warning", "x"), ("a", "warning", "y"), ("b", "suggestion", "z")],
        [("a", "x")],
        ["a"],
    ),
    (
        [("cure-claim", "error", "cures"), ("burning-heat", "warning", "burning")],
        [("burning-heat", "burning")],
        ["cure-claim"],
    ),
]


def _finding(rule: str, severity: str, text: str) -> ClaimFinding:
    return ClaimFinding(rule, severity, 0, len(text), text, f"{rule} message", "")


@pytest.mark.parametrize(("findings", "waivers", "blocking"), CASES)
def test_the_gate_blocks_errors_and_unwaived_warnings(
    findings: list[tuple[str, str, str]], waivers: list[tuple[str, str]], blocking: list[str]
) -> None:
    blockers = gate.publish_blockers([_finding(*f) for f in findings], set(waivers))
    assert [b.rule for b in blockers] == blocking


def test_the_sql_twin_agrees_with_the_gate_over_every_case(session: Session) -> None:
    expected: dict[int, int] = {}
    for findings, waivers, _ in CASES:
        device = add_device(session, description="Gentle warmth.", areas=[])
        assert device.id is not None
        session.execute(delete(Finding).where(col(Finding.device_id) == device.id))
        for rule, severity, text in findings:
            session.add(
                Finding(
                    device_id=device.id,
                    rule_id=rule,
                    severity=severity,
                    start=0,
                    end=len(text),
                    text=text,
                    message="m",
                    suggestion="",
                )
            )
        for rule, text in waivers:
            session.add(Waiver(device_id=device.id, rule_id=rule, text=text, reason="checked"))
        session.flush()
        stored = session.scalars(select(Finding).where(Finding.device_id == device.id)).all()
        expected[device.id] = len(
            gate.publish_blockers(stored, audit.waivers_of(session, device.id))
        )
    counts = audit.open_counts()
    in_sql = dict(
        session.execute(
            select(col(Device.id), func.coalesce(counts.c.blocking, 0))
            .outerjoin(counts, counts.c.device_id == col(Device.id))
            .where(col(Device.id).in_(list(expected)))
        ).all()
    )
    assert in_sql == expected
    assert sorted(expected.values()) != [0] * len(expected)  # the table has blocked cases


# --- every way to published ----------------------------------------------------------------

CURED = "This panel cures arthritis in the knee."


@pytest.fixture
def cured(session: Session) -> Device:
    """A device in review whose description has an open error."""
    device = add_device(session, status="in_review", description=CURED)
    session.commit()
    return device


def _status(db: Database, slug: str) -> str:
    with db.session() as s:
        return s.scalars(select(Device.status).where(Device.slug == slug)).one()


def test_a_caller_that_forgets_the_gate_still_gets_it(session: Session, cured: Device) -> None:
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.move_device(
            session,
            device=cured,
            action="approve",
            role="qa",
            user_id=None,
            expected_version=cured.version,
        )
    # Named the way people name the rule: by its title, not its id.
    assert refused.value.blockers and "'Promises a cure or treatment'" in refused.value.blockers[0]


@pytest.mark.parametrize("role", ["qa", "admin"])
@pytest.mark.parametrize("page", ["editor", "qa"])
def test_approving_on_any_page_is_refused_naming_the_finding(
    staff: Any, db: Database, cured: Device, role: str, page: str
) -> None:
    client = staff(role)
    if page == "editor":
        path, data = f"/admin/devices/{cured.slug}/move", {"action": "approve"}
    else:
        path, data = f"/qa/audit/{cured.slug}/approve", {}
    response = client.form(path, {**data, "version": cured.version})
    assert response.status_code == 400
    assert "cure-claim" in response.text
    assert _status(db, cured.slug) == "in_review"


@pytest.mark.parametrize(
    ("role", "why"),
    [
        ("merchandiser", "Approve and publish needs the qa role"),
        ("qa", "Submit for review needs the merchandiser role"),
        ("admin", "cannot be published: cure-claim"),
    ],
)
def test_importing_a_new_published_listing_is_refused_for_every_role(
    db: Database, role: str, why: str
) -> None:
    report = importer.import_devices(
        db, csv_file(row(status="published", description=CURED)), role=role
    )
    assert not report.ok and why in str(report.problems[0])
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Device)) == 0


@pytest.mark.parametrize("role", ["merchandiser", "qa", "admin"])
def test_importing_a_stored_listing_as_published_is_refused_for_every_role(
    db: Database, cured: Device, role: str
) -> None:
    raw = csv_file(row(sku=cured.sku, slug=cured.slug, status="published", description=CURED))
    report = importer.import_devices(db, raw, role=role)
    assert not report.ok
    assert _status(db, cured.slug) == "in_review"


@pytest.mark.parametrize(("role", "code"), [("merchandiser", 400), ("admin", 400), ("qa", 403)])
def test_the_import_page_refuses_publishing_an_open_error(
    staff: Any, db: Database, role: str, code: int
) -> None:
    response = upload(staff(role), csv_file(row(status="published", description=CURED)))
    assert response.status_code == code
    if code == 400:
        assert "status" in response.text and "nothing imported" in response.text
    assert _status_count(db) == 0


def _status_count(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Device)) or 0


def test_the_command_line_import_refuses_publishing_an_open_error(
    db_url: str, db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "cured.csv"
    path.write_bytes(csv_file(row(status="published", description=CURED)))
    result = CliRunner().invoke(main, ["import", str(path)], env={"DATABASE_URL": db_url})
    assert result.exit_code == 1
    assert "cannot be published: cure-claim" in result.output
    assert _status_count(db) == 0


def test_a_seed_file_cannot_publish_an_open_error(session: Session, tmp_path: Path) -> None:
    (tmp_path / "devices.csv").write_bytes(csv_file(row(status="published", description=CURED)))
    with pytest.raises(SeedError, match="Promises a cure or treatment"):
        seed_devices(session, tmp_path, SeedReport())
