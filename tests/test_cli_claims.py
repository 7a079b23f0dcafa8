"""``catalogue check-claims --jsonl`` and ``catalogue audit``: exit codes, lines, formats."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import threading
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy.orm import Session
from sqlmodel import select

from catalogue.cli import main
from catalogue.data.models import ClaimRule, Waiver
from catalogue.qa import CSV_COLUMNS
from catalogue.settings import ROOT
from tests.qa_support import RULES, add_listing


def _line(line_id: Any, rule_id: str | None = None, **overrides: Any) -> str:
    if rule_id is None:
        data: dict[str, Any] = {
            "description": "Gentle warmth for stiff knees.",
            "wavelengths_nm": [660, 850],
            "areas": ["knees"],
        }
    else:
        rule = RULES[rule_id]
        data = {"description": rule["example_fires"], **rule["example_record"]}
    return json.dumps({"id": line_id, **data, **overrides})


def _drop(key: str, line_id: Any = "x") -> str:
    data = json.loads(_line(line_id))
    del data[key]
    return json.dumps(data)


def _run(db_url: str, *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input, env={"DATABASE_URL": db_url})


def _out(result: Result) -> list[dict[str, Any]]:
    return [json.loads(line) for line in result.stdout.splitlines()]


# --- check-claims ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "code"),
    [
        ([_line(1)], 0),
        ([_line(1), _line(2, "clinically-proven")], 0),  # a warning does not fail
        ([_line(1), _line(2, "cure-claim")], 1),
        ([_line(1), "not json"], 2),
        ([_line(1, "cure-claim"), "not json"], 2),  # bad input wins: fix the data first
        ([], 0),
    ],
)
def test_check_claims_exit_codes(db_url: str, lines: list[str], code: int) -> None:
    result = _run(db_url, "check-claims", "--jsonl", input="\n".join(lines) + "\n")
    assert result.exit_code == code, result.output
    assert len(_out(result)) == len(lines)


@pytest.mark.parametrize(
    ("line", "out_id", "words"),
    [
        ("{oops", None, "line 1 is not valid JSON"),
        ("[1, 2]", None, "line 1 must be a JSON object, not an array"),
        (_line("a", description=None), "a", "line 1: description must be a string"),
        (_drop("wavelengths_nm", "b"), "b", "wavelengths_nm is required"),
        (_line("c", wavelengths_nm=[660, 5000]), "c", "between 380 and 1400 nm"),
        (_line("d", areas=["kneez"]), "d", "areas holds an unknown body area: kneez"),
        (_drop("id"), None, "id is required"),
        (_line([1]), None, "id must be a string or a number"),
    ],
)  # fmt: skip
def test_an_invalid_line_gets_an_error_line(
    db_url: str, line: str, out_id: Any, words: str
) -> None:
    result = _run(db_url, "check-claims", "--jsonl", input=line + "\n" + _line("next") + "\n")
    assert result.exit_code == 2
    first, second = _out(result)
    assert set(first) == {"id", "error"}
    assert first["id"] == out_id
    assert words in first["error"]
    assert second == {"id": "next", "findings": []}  # processing goes on


def test_one_answer_per_line_in_order(db_url: str) -> None:
    rules = ["cure-claim", None, "clinically-proven", "wavelength-mismatch", None]
    lines = [_line(n, rule) for n, rule in enumerate(rules)]
    lines.insert(2, "garbage")
    lines.insert(4, "")  # blank lines are skipped, not answered
    result = _run(db_url, "check-claims", "--jsonl", input="\n".join(lines))
    out = _out(result)
    assert [o["id"] for o in out] == [0, 1, None, 2, 3, 4]
    assert "error" in out[2]
    for o, rule in zip([out[0], out[1], out[3], out[4], out[5]], rules, strict=True):
        found = {f["rule"] for f in o["findings"]}
        assert (rule in found) if rule else not found
        for f in o["findings"]:
            assert set(f) == {"rule", "severity", "start", "end", "text", "message", "suggestion"}


def test_a_line_over_the_limit_is_refused_and_the_next_one_checked(db_url: str) -> None:
    huge = _line("huge", description="x" * 70_000)
    result = _run(db_url, "check-claims", "--jsonl", input=f"{huge}\n{_line('after')}\n")
    assert result.exit_code == 2
    first, second = _out(result)
    assert first == {"id": None, "error": "line 1: longer than 65536 bytes"}
    assert second["id"] == "after"


def test_without_a_seeded_database_the_seed_files_are_used(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'absent.db'}"
    result = _run(url, "check-claims", "--jsonl", input=_line(1, "cure-claim") + "\n")
    assert result.exit_code == 1
    assert "using seed/ files" in result.stderr
    assert "cure-claim" in {f["rule"] for f in _out(result)[0]["findings"]}
    assert not (tmp_path / "absent.db").exists()  # reading it did not create it
    refused = _run(url, "check-claims", "--jsonl", "--source", "database", input="")
    assert refused.exit_code == 2
    assert "cannot use the database" in refused.stderr


def test_check_claims_answers_each_line_as_it_arrives(tmp_path) -> None:
    """A caller can send a line, read its answer, then send the next (memory stays flat)."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'none.db'}"}
    process = subprocess.Popen(
        [sys.executable, "-m", "catalogue.cli", "check-claims", "--jsonl", "--source", "seed"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
        text=True,
    )
    assert process.stdin and process.stdout
    answers: list[str] = []
    try:
        for n, rule in enumerate(["cure-claim", None]):
            process.stdin.write(_line(n, rule) + "\n")
            process.stdin.flush()
            reader = threading.Thread(target=lambda: answers.append(process.stdout.readline()))
            reader.start()
            reader.join(timeout=20)
            assert not reader.is_alive(), "no answer while stdin was still open"
            assert json.loads(answers[-1])["id"] == n
        process.stdin.close()
        assert process.wait(timeout=20) == 1
    finally:
        process.kill()


# --- audit ---------------------------------------------------------------------------------


@pytest.fixture
def catalogue(session: Session) -> None:
    add_listing(session, "clinically-proven", slug="pub-warned", status="published")
    add_listing(session, "cure-claim", slug="pub-cured", status="published")
    add_listing(session, "miracle-or-guarantee", slug="draft-miracle", status="draft")
    add_listing(session, None, slug="pub-clean", status="published")
    session.commit()


def _pairs(result: Result, fmt: str) -> set[tuple[str, str]]:
    if fmt == "text":
        lines = result.stdout.splitlines()[:-1]  # the last line is the summary
        return {(line.split(":")[0], line.split("[")[1].split("]")[0]) for line in lines}
    if fmt == "json":
        doc = json.loads(result.stdout)
        return {(item["slug"], f["rule"]) for item in doc["listings"] for f in item["findings"]}
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == list(CSV_COLUMNS)
    return {(row["device"], row["rule"]) for row in rows}


@pytest.mark.parametrize("fmt", ["text", "json", "csv"])
def test_audit_reports_published_listings_in_each_format(db_url, catalogue, fmt: str) -> None:
    result = _run(db_url, "audit", "--format", fmt)
    assert result.exit_code == 1  # pub-cured holds an error
    pairs = _pairs(result, fmt)
    assert {slug for slug, _ in pairs} == {"pub-warned", "pub-cured"}
    assert ("pub-warned", "clinically-proven") in pairs and ("pub-cured", "cure-claim") in pairs


def test_audit_text_reads_like_a_linter(db_url, catalogue) -> None:
    result = _run(db_url, "audit", "--rule", "clinically-proven")
    words = RULES["clinically-proven"]["example_fires"]
    start = words.lower().index("clinically proven")
    line, summary = result.stdout.splitlines()
    assert line.startswith(f"pub-warned:{start}-{start + 17}: warning [clinically-proven] ")
    assert summary == (
        "0 errors, 1 warning, 0 suggestions in 1 published listing hitting clinically-proven"
    )


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ([], 1),
        (["--fail-on", "never"], 0),
        (["--rule", "clinically-proven"], 0),
        (["--rule", "clinically-proven", "--fail-on", "warning"], 1),
        (["--rule", "clinically-proven", "--fail-on", "never"], 0),
        (["--status", "draft", "--rule", "cure-claim", "--fail-on", "warning"], 0),
        (["--status", "draft"], 1),
        (["--rule", "no-such-rule"], 2),
    ],
)
def test_audit_exit_codes(db_url, catalogue, args: list[str], code: int) -> None:
    assert _run(db_url, "audit", *args).exit_code == code


def test_a_waived_warning_no_longer_fails_the_audit(db_url, catalogue, session, db) -> None:
    args = ("audit", "--rule", "clinically-proven", "--fail-on", "warning", "--format", "json")
    assert _run(db_url, *args).exit_code == 1
    with db.writing() as s:
        from catalogue.qa import device_by_slug

        device = device_by_slug(s, "pub-warned")
        assert device is not None and device.id is not None
        s.add(
            Waiver(
                device_id=device.id,
                rule_id="clinically-proven",
                text="Clinically proven",
                reason="Report on file.",
            )
        )
    result = _run(db_url, *args)
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["summary"]["waived"] == 1 and doc["summary"]["warning"] == 0
    assert doc["listings"][0]["findings"][0]["waiver"]["reason"] == "Report on file."


def test_status_all_takes_in_every_listing(db_url, catalogue) -> None:
    result = _run(db_url, "audit", "--status", "all", "--format", "csv")
    assert {slug for slug, _ in _pairs(result, "csv")} == {
        "pub-warned",
        "pub-cured",
        "draft-miracle",
    }


def test_recompute_picks_up_a_changed_rule(db_url, catalogue, db) -> None:
    with db.writing() as s:
        rule = s.scalars(select(ClaimRule).where(ClaimRule.id == "clinically-proven")).one()
        rule.severity = "error"
        rule.spec = {**rule.spec, "severity": "error"}
    args = ("audit", "--rule", "clinically-proven")
    stale = _run(db_url, *args)
    assert (stale.exit_code, "warning [clinically-proven]" in stale.stdout) == (0, True)
    fresh = _run(db_url, *args, "--recompute")
    assert fresh.exit_code == 1
    assert "error [clinically-proven]" in fresh.stdout
    assert "recomputed the findings of 4 listings" in fresh.stderr
