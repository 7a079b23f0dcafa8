"""Import and export from the command line: a good file in and out, a bad one refused."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from catalogue.cli import main
from catalogue.data.db import Database
from tests.import_support import HEADER, csv_file, row


@pytest.fixture
def cli_env(db_url: str) -> dict[str, str]:
    return {"DATABASE_URL": db_url, "CATALOGUE_ENV": "test", "SECRET_KEY": "s" * 40}


def test_cli_import_and_export(cli_env: dict[str, str], db: Database, tmp_path) -> None:
    runner = CliRunner()
    good = tmp_path / "good.csv"
    good.write_bytes(csv_file(row(), row(sku="IMP-2", slug="p2")))
    result = runner.invoke(main, ["import", str(good), "--dry-run"], env=cli_env)
    assert result.exit_code == 0, result.output
    assert "dry run: would create 2" in result.output
    result = runner.invoke(main, ["import", str(good)], env=cli_env)
    assert result.exit_code == 0 and "created 2" in result.output
    out = tmp_path / "out.json"
    result = runner.invoke(main, ["export", "--format", "json", "--output", str(out)], env=cli_env)
    assert result.exit_code == 0 and "exported 2 devices" in result.output
    assert len(json.loads(out.read_text())) == 2
    result = runner.invoke(main, ["export"], env=cli_env)
    assert result.stdout.startswith(HEADER)


def test_cli_import_reports_problems_and_fails(
    cli_env: dict[str, str], db: Database, tmp_path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_file(row(irradiance_mw_cm2="900")))
    report = tmp_path / "report.csv"
    result = CliRunner().invoke(main, ["import", str(bad), "--report", str(report)], env=cli_env)
    assert result.exit_code == 1
    assert "row 2, irradiance_mw_cm2: 900 is above the maximum 500" in result.output
    assert "nothing imported" in result.output
    assert "900 is above the maximum 500" in report.read_text()
