"""Import files past our limits (cell length, JSON nesting, number length, control characters)
get a message by row and column, from the engine, the upload page and the CLI alike, and never
a 500 or a traceback; exports are safe to open in a spreadsheet and re-import unchanged."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from catalogue.cli import main
from catalogue.data.db import Database
from catalogue.imports import importer
from catalogue.imports.exporter import export_devices
from tests.factories import add_device
from tests.import_support import csv_file, fingerprint, row, upload

HUGE = "9" * 5_000


def _item(**values: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "sku": "LIM-1",
        "slug": "limit-panel",
        "name": "Limit Panel",
        "brand": "Limitbrand",
        "form_factor": "panel",
        "price": "199.00",
        "currency": "USD",
        "emissions": "660;850",
        "areas": "knees",
    }
    item.update(values)
    return item


def _json(*items: Any) -> bytes:
    return json.dumps(list(items)).encode()


BAD_FILES: list[tuple[str, str, bytes, str]] = [
    # (case, format, file, a problem the report must hold)
    ("cell over csv's own limit", "csv", csv_file(row(description="x" * 200_000)), "row 2, row: "),
    (
        "cell over ours",
        "csv",
        csv_file(row(), row(sku="LIM-2", slug="p2", name="n" * 30_000)),
        "row 3, name: a cell holds at most 25,000 characters",
    ),
    ("header over the limit", "csv", csv_file(row(), header="h" * 200_000), "header: "),
    ("long unknown column", "csv", csv_file(row(), header="z" * 5_000), "header: unknown column"),
    ("NUL in a name", "csv", csv_file(row(name="Pan\x00el")), "row 2, name: holds a control"),
    ("ESC in a brand", "csv", csv_file(row(brand="\x1b[31m")), "row 2, brand: holds a control"),
    (
        "NUL in a description",
        "csv",
        csv_file(row(description="warm\x00knees")),
        "row 2, description: holds a control character (U+0000)",
    ),
    ("digits in a CSV price", "csv", csv_file(row(price=HUGE)), "row 2, price: "),
    ("digits in a CSV LED count", "csv", csv_file(row(led_count=HUGE)), "row 2, led_count: "),
    ("binary", "csv", b"\x00\x01\x02,\xff\xfe", "file: the file is not UTF-8"),
    ("deep JSON", "json", b"[" * 50_000 + b"]" * 50_000, "file: nested too deeply"),
    ("deep item", "json", _json(_item(areas=[[[[[[[["knees"]]]]]]]])), "file: nested too deeply"),
    (
        "huge JSON integer",
        "json",
        ("[" + json.dumps(_item())[:-1] + f', "led_count": {HUGE}}}]').encode(),
        "file: holds a number 5,000 characters long",
    ),
    ("NaN", "json", b'[{"price": NaN}]', "file: holds NaN"),
    (
        "long JSON string",
        "json",
        _json(_item(description="d" * 30_000)),
        "row 1, description: a cell holds at most 25,000 characters",
    ),
    ("long JSON key", "json", _json({"k" * 5_000: 1}), "row 1, row: unknown field(s)"),
    (
        "NUL in JSON",
        "json",
        _json(_item(description="a\u0000b")),
        "row 1, description: holds a control character",
    ),
]
IDS = [c[0] for c in BAD_FILES]


@pytest.mark.parametrize(("case", "fmt", "raw", "message"), BAD_FILES, ids=IDS)
@pytest.mark.parametrize("dry_run", [True, False])
def test_a_file_past_the_limits_is_refused_by_row_and_column(
    db: Database, case: str, fmt: str, raw: bytes, message: str, dry_run: bool
) -> None:
    before = fingerprint(db)
    report = importer.import_devices(db, raw, fmt=fmt, dry_run=dry_run)  # type: ignore[arg-type]
    problems = [str(p) for p in report.problems]
    assert any(message in p for p in problems), problems
    assert all(len(p) < 1_000 for p in problems)  # the input is not echoed back whole
    assert fingerprint(db) == before


@pytest.mark.parametrize(("case", "fmt", "raw", "message"), BAD_FILES[:8:3], ids=IDS[:8:3])
def test_the_upload_page_answers_a_bad_file_with_a_400(
    staff: Any, db: Database, case: str, fmt: str, raw: bytes, message: str
) -> None:
    for dry_run in ("1", ""):
        response = upload(staff("merchandiser"), raw, f"devices.{fmt}", dry_run=dry_run)
        assert response.status_code == 400, response.text[:300]
        assert "Traceback" not in response.text


def _cli(db_url: str, *args: str, input: bytes | None = None) -> Any:
    env = {"DATABASE_URL": db_url, "CATALOGUE_ENV": "test", "SECRET_KEY": "s" * 40}
    return CliRunner().invoke(main, list(args), input=input, env=env)


@pytest.mark.parametrize(("case", "fmt", "raw", "message"), BAD_FILES, ids=IDS)
def test_the_cli_reports_a_bad_file_without_a_traceback(
    db_url: str, tmp_path: Path, case: str, fmt: str, raw: bytes, message: str
) -> None:
    path = tmp_path / f"devices.{fmt}"
    path.write_bytes(raw)
    result = _cli(db_url, "import", str(path), "--dry-run")
    assert result.exit_code == 1, result.output[-500:]
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert message in result.output


@pytest.mark.parametrize(
    ("case", "args", "stdin", "code", "message"),
    [
        ("missing file", ["import", "{tmp}/nope.csv"], None, 1, "no such file"),
        ("a directory", ["import", "{tmp}"], None, 2, "is a directory"),
        ("empty file", ["import", "{tmp}/empty.csv"], None, 1, "the file is empty"),
        ("stdin garbage", ["import", "-"], b"\xff\xfe\x00", 1, "not UTF-8"),
        ("stdin deep JSON", ["import", "-", "--format", "json"], b"[" * 9_999, 1, "nested"),
        ("unknown format", ["import", "{tmp}/empty.csv", "--format", "xml"], None, 2, "xml"),
        (
            "report in a missing folder",
            ["import", "{tmp}/one.csv", "--report", "{tmp}/no/r.csv"],
            None,
            1,
            "cannot write",
        ),
        (
            "export to a missing folder",
            ["export", "--output", "{tmp}/no/out.csv"],
            None,
            1,
            "cannot write",
        ),
        ("export of an unknown status", ["export", "--status", "sold"], None, 2, "sold"),
        (
            "user with a control character",
            ["users", "create", "--email", "a\x01@b.co", "--role", "qa", "--password-stdin"],
            b"long enough password\n",
            1,
            "not an email address",
        ),
    ],
)
def test_cli_bad_input_runs_end_in_a_message(
    db_url: str,
    tmp_path: Path,
    case: str,
    args: list[str],
    stdin: bytes | None,
    code: int,
    message: str,
) -> None:
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "one.csv").write_bytes(csv_file(row()))
    result = _cli(db_url, *[a.replace("{tmp}", str(tmp_path)) for a in args], input=stdin)
    assert result.exit_code == code, result.output[-500:]
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert message in result.output


# --- spreadsheet formulas --------------------------------------------------------------------

FORMULAS = {
    "name": '=HYPERLINK("http://example.com","Panel")',
    "brand": "+cmd|' /C calc'!A0",
    "description": "@SUM(A1:A9) -- and a word",
}


def _formula_device(db: Database) -> None:
    with db.writing() as s:
        add_device(s, slug="formula-panel", sku="FORMULA-1", status="draft", **FORMULAS)


def test_csv_export_neutralises_formulas_and_reimports_unchanged(db: Database) -> None:
    _formula_device(db)
    with db.session() as s:
        out = io.StringIO()
        export_devices(s, out, fmt="csv")
    text = out.getvalue()
    for value in FORMULAS.values():
        assert f",{value}" not in text.replace('"', "")  # no cell starts with the formula
    assert ",'=HYPERLINK(" in text.replace('"', "")
    before = fingerprint(db)
    report = importer.import_devices(db, text.encode(), fmt="csv")
    assert report.ok and report.unchanged == 1, report.problems
    assert fingerprint(db) == before


def test_web_and_cli_exports_neutralise_formulas(
    staff: Any, db: Database, db_url: str, tmp_path: Path
) -> None:
    _formula_device(db)
    web = staff("merchandiser").get("/admin/export.csv").text
    out = tmp_path / "out.csv"
    assert _cli(db_url, "export", "--output", str(out)).exit_code == 0
    for text in (web, out.read_text()):
        cells = [c for line in text.splitlines()[1:] for c in line.split(",")]
        assert not [c for c in cells if c.lstrip('"').startswith(("=", "+", "-", "@"))]


def test_import_report_cells_cannot_run_as_formulas(db: Database) -> None:
    report = importer.import_devices(db, csv_file(row(name="=1+1", price="=2")), fmt="csv")
    lines = report.to_csv().splitlines()[1:]
    assert lines and all(
        not c.startswith(("=", "+", "-", "@")) for ln in lines for c in ln.split(",")
    )
