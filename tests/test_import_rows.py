"""Import reports count the rows that have problems, report claim findings in the same pass
as the problems, and "only the valid rows" writes the good rows and lists the rest."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from catalogue.cli import main
from catalogue.data.db import Database
from catalogue.data.models import Device
from catalogue.imports import importer
from catalogue.imports.devicefile import COLUMNS
from tests.import_support import csv_file, fingerprint, row, upload

THREE_BAD_CELLS = {"price": "0", "currency": "ABC", "areas": "elbow"}

# (case, file, the summary of an all-or-nothing import)
COUNTS: list[tuple[str, bytes, str]] = [
    (
        "three problems in the last of two rows",
        csv_file(row(), row(sku="B", slug="b", **THREE_BAD_CELLS)),
        "nothing imported: 3 problems in 1 row",
    ),
    (
        "one problem in each of two rows",
        csv_file(row(price="0"), row(sku="B", slug="b", currency="ABC"), row(sku="C", slug="c")),
        "nothing imported: 2 problems in 2 rows",
    ),
    (
        "four problems over two rows of three",
        csv_file(row(**THREE_BAD_CELLS), row(sku="B", slug="b"), row(sku="C", slug="c", price="0")),
        "nothing imported: 4 problems in 2 rows",
    ),
    ("the file itself", csv_file(header="sku,colour"), "nothing imported: 1 problem with the file"),
    ("a clean file", csv_file(row()), "created 1, updated 0, unchanged 0 of 1 row; 0 claim"),
]


@pytest.mark.parametrize(("case", "raw", "summary"), COUNTS, ids=[c[0] for c in COUNTS])
def test_the_summary_counts_rows_with_problems(
    db: Database, case: str, raw: bytes, summary: str
) -> None:
    report = importer.import_devices(db, raw)
    assert report.summary().startswith(summary), report.summary()


def test_claim_findings_come_in_the_same_pass_as_the_problems(db: Database) -> None:
    """One round of fixes: a row with a bad value still has its words checked, and a good
    row's findings are reported although another row stops the import."""
    raw = csv_file(
        row(price="0", description="This wrap cures arthritis."),
        row(sku="B", slug="b", description="It heals torn tendons overnight."),
        row(sku="C", slug="c", emissions="660;nonsense", description="A cure for sore knees."),
        row(sku="B", slug="b2", description="This wrap cures arthritis."),  # a duplicate SKU
    )
    report = importer.import_devices(db, raw)
    assert not report.ok
    assert [str(p) for p in report.problems][:1] == ["row 2, price: 0 is below the minimum 1"]
    assert {p.row for p in report.problems} == {2, 4, 5}
    rows_with_claims = {(f.row, f.sku, f.finding.severity) for f in report.findings}
    assert {(n, sku, "error") for n, sku in [(2, "IMP-1"), (3, "B"), (4, "C"), (5, "B")]} <= (
        rows_with_claims
    )
    lines = report.to_csv().splitlines()
    assert any(line.startswith("2,description,claim finding,error,") for line in lines)


def test_all_or_nothing_writes_nothing_when_one_row_is_bad(db: Database) -> None:
    before = fingerprint(db)
    raw = csv_file(row(), row(sku="B", slug="b", price="0"), row(sku="C", slug="c"))
    report = importer.import_devices(db, raw)
    assert not report.ok and report.skipped == [] and (report.created, report.updated) == (0, 0)
    assert fingerprint(db) == before


MIXED = csv_file(
    row(),
    row(sku="B", slug="b", **THREE_BAD_CELLS),
    row(sku="C", slug="c"),
    row(sku="C", slug="c-again"),  # the SKU again: skipped, its first row is kept
    row(sku="D", slug="d", status="published"),  # a merchandiser cannot publish
)


def test_valid_only_writes_the_good_rows_and_lists_the_skipped(db: Database) -> None:
    report = importer.import_devices(db, MIXED, valid_only=True, role="merchandiser")
    assert report.ok and report.written
    assert (report.created, report.updated) == (2, 0)
    assert [(r, sorted(p.column for p in ps)) for r, ps in report.skipped] == [
        (3, ["areas", "currency", "price"]),
        (5, ["sku"]),
        (6, ["status"]),
    ]
    assert report.summary() == (
        "created 2, updated 0, unchanged 0 of 5 rows; skipped 5 problems in 3 rows; "
        "0 claim findings"
    )
    with db.session() as s:
        assert sorted(s.scalars(select(Device.sku))) == ["C", "IMP-1"]
    assert "3,price,row skipped,error,,0 is below the minimum 1" in report.to_csv()


def test_valid_only_dry_run_writes_nothing(db: Database) -> None:
    before = fingerprint(db)
    report = importer.import_devices(db, MIXED, valid_only=True, dry_run=True, role="admin")
    assert report.ok and report.created == 3 and [r for r, _ in report.skipped] == [3, 5]
    assert "would skip 4 problems in 2 rows" in report.summary()
    assert fingerprint(db) == before


def test_valid_only_still_refuses_a_bad_file(db: Database) -> None:
    report = importer.import_devices(db, csv_file(header="sku,colour"), valid_only=True)
    assert not report.ok and report.summary() == "nothing imported: 1 problem with the file"


@pytest.fixture
def cli_env(db_url: str) -> dict[str, str]:
    return {"DATABASE_URL": db_url, "CATALOGUE_ENV": "test", "SECRET_KEY": "s" * 40}


@pytest.mark.parametrize(
    ("flags", "exit_code", "skus"),
    [([], 1, []), (["--valid-only"], 0, ["C", "D", "IMP-1"])],
)
def test_cli_chooses_between_all_or_nothing_and_valid_only(
    cli_env: dict[str, str],
    db: Database,
    tmp_path: Any,
    flags: list[str],
    exit_code: int,
    skus: list[str],
) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(MIXED)
    result = CliRunner().invoke(main, ["import", str(path), *flags], env=cli_env)
    assert result.exit_code == exit_code, result.output
    with db.session() as s:
        assert sorted(s.scalars(select(Device.sku))) == skus
    if flags:
        assert "rows skipped: 3, 5" in result.output
        assert "skipped 4 problems in 2 rows" in result.output


def test_cli_valid_only_fails_when_every_row_is_skipped(
    cli_env: dict[str, str], db: Database, tmp_path: Any
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_file(row(price="0")))
    result = CliRunner().invoke(main, ["import", str(path), "--valid-only"], env=cli_env)
    assert result.exit_code == 1 and "rows skipped: 2" in result.output


@pytest.mark.parametrize(
    ("choice", "status", "skus", "says"),
    [
        ("all", 400, [], "not imported"),
        ("valid", 200, ["C", "IMP-1"], "imported, 3 rows skipped"),
    ],
)
def test_upload_page_offers_the_choice(
    staff: Any, db: Database, choice: str, status: int, skus: list[str], says: str
) -> None:
    merchandiser = staff("merchandiser")
    page = merchandiser.get("/admin/import").text
    assert 'name="rows" value="all" checked' in page and 'name="rows" value="valid"' in page
    response = upload(merchandiser, MIXED, rows=choice)
    assert response.status_code == status
    assert says in response.text
    with db.session() as s:
        assert sorted(s.scalars(select(Device.sku))) == skus
    if choice == "valid":
        assert "Rows skipped (3)" in response.text
        assert 'name="rows" value="valid" checked' in response.text


# --- the template file -----------------------------------------------------------------


def test_the_template_has_the_header_and_one_example_that_imports_cleanly(
    staff: Any, db: Database
) -> None:
    merchandiser = staff("merchandiser")
    assert 'href="/admin/import/template.csv"' in merchandiser.get("/admin/import").text
    response = merchandiser.get("/admin/import/template.csv")
    assert response.status_code == 200 and "text/csv" in response.headers["content-type"]
    assert response.headers["content-disposition"].startswith("attachment")
    lines = response.text.splitlines()
    assert lines[0] == ",".join(COLUMNS) and len(lines) == 2
    before = fingerprint(db)
    checked = upload(merchandiser, response.content, "template.csv", dry_run="1")
    assert checked.status_code == 200 and "would create 1" in checked.text
    report = importer.import_devices(db, response.content, dry_run=True, role="merchandiser")
    assert report.ok and (report.created, report.findings) == (1, [])
    assert fingerprint(db) == before


def test_the_template_is_for_staff_only(staff: Any) -> None:
    response = staff(None).get("/admin/import/template.csv", follow_redirects=False)
    assert response.status_code in (302, 303, 401)
    assert staff("qa").get("/admin/import/template.csv").status_code == 403
