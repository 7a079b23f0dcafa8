"""Hostile input at the edge: control characters, malformed cookies and static paths, integers
that are not ours to parse, huge ids, JSON numbers past Python's digit limit. Never a 500, and
no Python in the answer. Every test runs on SQLite and PostgreSQL (the ``db_url`` fixture)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session

from catalogue.cli import main
from catalogue.core.inputs import (
    formula_read,
    formula_safe,
    load_json,
    whole_number,
)
from tests.factories import add_device

HUGE = "9" * 5_000
LEAKS = ("Traceback", "sqlalchemy", "invalid literal", "set_int_max_str_digits", "psycopg")


def assert_clean(response: Any, *statuses: int) -> None:
    assert response.status_code in statuses, (response.status_code, response.text[:500])
    for leak in LEAKS:
        assert leak not in response.text


# --- control characters --------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/devices/%00",
        "/api/devices/bad%01slug",
        "/areas/%00",
        "/api/areas/knees%7F",
        "/compare?ids=a%00,b",
        "/devices?brand=%00",
        "/devices?q=knee%00",
        "/api/devices?q=%1B%5B31m",
        "/api/devices?area=knees&area=%00",
        "/devices?q=%FF%FE",  # not UTF-8
        "/signin?next=/%00",
    ],
)
def test_control_characters_in_paths_and_queries_are_a_400(client: Any, path: str) -> None:
    response = client.get(path)
    assert_clean(response, 400)
    assert "character" in response.text or "UTF-8" in response.text


@pytest.mark.parametrize(
    ("path", "role"),
    [
        ("/qa/audit?brand=%00", "qa"),
        ("/qa/audit.csv?brand=%00", "qa"),
        ("/qa/audit.json?rule=%00", "qa"),
        ("/admin/devices?q=%00", "merchandiser"),
        ("/admin/devices/%00", "merchandiser"),
    ],
)
def test_control_characters_on_staff_pages_are_a_400(staff: Any, path: str, role: str) -> None:
    assert_clean(staff(role).get(path), 400)


@pytest.mark.parametrize(
    ("path", "field", "value"),
    [
        ("/signin", "email", "a\x00@example.com"),
        ("/signin", "password", "pass\x00word-long-enough"),
        ("/signin", "next", "/devices\x01"),
    ],
)
def test_control_characters_in_form_fields_are_a_400(
    staff: Any, path: str, field: str, value: str
) -> None:
    anonymous = staff(None)
    data = {"email": "x@example.com", "password": "whatever-password", field: value}
    assert_clean(anonymous.form(path, data), 400)


def test_control_characters_in_editor_forms_are_a_400(staff: Any, session: Session) -> None:
    add_device(session, slug="edge-panel", sku="EDGE-1", status="draft")
    session.commit()
    merchandiser = staff("merchandiser")
    response = merchandiser.form("/admin/devices/edge-panel/edit", {"name": "Panel\x00"})
    assert_clean(response, 400)
    # Lines in a description are fine: they are not refused at the edge.
    response = merchandiser.form("/admin/devices/edge-panel/edit", {"description": "a\r\nb\tc"})
    assert "control character" not in response.text


@pytest.mark.parametrize(
    ("description", "status"),
    [
        ("knee\u0000pain", 400),
        ("bell\u0007", 400),
        ("two\nlines\tand a tab", 200),
    ],
)
def test_json_strings_with_control_characters_are_a_400(
    client: Any, description: str, status: int
) -> None:
    body = {"description": description, "wavelengths_nm": [660], "areas": []}
    assert_clean(client.post("/api/claims/check", json=body), status)


# --- cookies and static files ----------------------------------------------------------------


@pytest.mark.parametrize("cookie", ["%00", "\x00", "null", "x" * 5_000, "ab" * 32 + "'", "Z" * 64])
def test_a_malformed_session_cookie_is_no_session(client: Any, cookie: str) -> None:
    client.cookies.set("lumen_session", cookie)
    response = client.get("/devices")
    assert_clean(response, 200)
    assert "Sign in" in response.text
    # The browser is told to forget it, and nothing is looked up or written for it.
    set_cookie = response.headers.get("set-cookie", "")
    assert "lumen_session=" in set_cookie and "Max-Age=0" in set_cookie


@pytest.mark.parametrize("path", ["/static/%00", "/static/" + "a" * 5_000, "/static/a%01.css"])
def test_unknown_or_malformed_static_paths_are_a_404(client: Any, path: str) -> None:
    assert_clean(client.get(path), 404)


# --- integers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "low", "high", "expected"),
    [
        ("1", 1, 10, 1),
        (" 10 ", 1, 10, 10),
        ("007", 0, 10, 7),
        ("0", 1, 10, None),
        ("11", 1, 10, None),
        ("-1", 0, 10, None),
        ("+1", 0, 10, None),
        ("²", 0, 10, None),
        ("٤", 0, 10, None),  # an Arabic-Indic four: int() would take it
        ("1_000", 0, 10_000, None),
        ("1e3", 0, 10_000, None),
        ("", 0, 10, None),
        (HUGE, 0, 10, None),
        ("0" * 17 + "1", 0, 10, 1),
        ("0" * 18 + "1", 0, 10, None),
    ],
)
def test_whole_number(text: str, low: int, high: int, expected: int | None) -> None:
    if expected is None:
        with pytest.raises(ValueError, match=f"accepts a whole number from {low} to {high}"):
            whole_number(text, low=low, high=high)
    else:
        assert whole_number(text, low=low, high=high) == expected


@pytest.mark.parametrize("value", ["%C2%B2", HUGE, "-1", "0", "1.5", "1e9", "%EF%BC%91"])
@pytest.mark.parametrize("path", ["/devices", "/api/devices"])
def test_bad_page_numbers_on_shop_pages_are_a_400_in_our_words(
    client: Any, path: str, value: str
) -> None:
    response = client.get(f"{path}?page={value}")
    assert_clean(response, 400)
    assert "page accepts a whole number from 1 to" in response.text


@pytest.mark.parametrize("value", ["%C2%B2", HUGE, "-1", "0", "99999999999"])
@pytest.mark.parametrize("path", ["/qa/audit", "/qa/audit.json", "/qa/audit.csv"])
def test_bad_page_numbers_on_qa_pages_are_a_400(staff: Any, path: str, value: str) -> None:
    response = staff("qa").get(f"{path}?page={value}")
    assert_clean(response, 400)
    assert "is not a page number" in response.text


@pytest.mark.parametrize("back", ["?page=%C2%B2", "?page=" + HUGE, "page=99999999999"])
def test_a_bad_back_page_on_qa_actions_is_ignored(staff: Any, session: Session, back: str) -> None:
    add_device(session, slug="edge-panel", sku="EDGE-1", status="in_review")
    session.commit()
    qa = staff("qa")
    response = qa.form(
        "/qa/audit/edge-panel/approve", {"version": HUGE, "back": back, "comment": ""}
    )
    assert_clean(response, 303, 400, 409)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("seen_change_id", "99999999999999999999"),
        ("seen_change_id", HUGE),
        ("seen_change_id", "²"),
        ("version", "99999999999999999999"),
        ("version", "-5"),
    ],
)
def test_huge_ids_in_an_edit_never_reach_sql(
    staff: Any, session: Session, field: str, value: str
) -> None:
    add_device(session, slug="edge-panel", sku="EDGE-1", status="draft")
    session.commit()
    merchandiser = staff("merchandiser")
    page = merchandiser.get("/admin/devices/edge-panel/edit").text
    version = re.search(r'name="version" value="(\d+)"', page).group(1)  # type: ignore[union-attr]
    data = {"name": "Edge Panel", "sku": "EDGE-1", "slug": "edge-panel", "version": version}
    data[field] = value
    assert_clean(merchandiser.form("/admin/devices/edge-panel/edit", data), 303, 400, 409)


@pytest.mark.parametrize(
    ("change_id", "version"),
    [("99999999999999999999", "1"), (HUGE, "1"), ("²", "1"), ("1", "99999999999999999999")],
)
def test_huge_ids_in_a_restore_never_reach_sql(
    staff: Any, session: Session, change_id: str, version: str
) -> None:
    add_device(session, slug="edge-panel", sku="EDGE-1", status="draft")
    session.commit()
    response = staff("merchandiser").form(
        "/admin/devices/edge-panel/restore", {"change_id": change_id, "version": version}
    )
    assert_clean(response, 400, 409)


# --- JSON numbers past Python's digit limit ---------------------------------------------------


def _claim_body(wavelength: str) -> bytes:
    return (
        '{"description": "Warmth for knees.", "wavelengths_nm": [' + wavelength + '], "areas": []}'
    ).encode()


@pytest.mark.parametrize("number", [HUGE, "1" + "0" * 4_301, "1e99999", "-" + HUGE, "0." + HUGE])
def test_a_huge_json_number_in_a_claim_check_is_a_400(client: Any, number: str) -> None:
    response = client.post(
        "/api/claims/check",
        content=_claim_body(number),
        headers={"content-type": "application/json"},
    )
    assert_clean(response, 400)
    assert "number" in response.text or "wavelength" in response.text


def test_check_claims_jsonl_answers_a_huge_number_with_an_error_line(db_url: str) -> None:
    good = json.dumps({"id": 1, "description": "Warmth.", "wavelengths_nm": [660], "areas": []})
    bad = '{"id": 2, "description": "x", "wavelengths_nm": [' + HUGE + '], "areas": []}'
    result = CliRunner().invoke(
        main,
        ["check-claims", "--jsonl", "--source", "seed"],
        input="\n".join([good, bad, good.replace('"id": 1', '"id": 3')]) + "\n",
        env={"DATABASE_URL": db_url},
    )
    assert result.exit_code == 2, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 3
    assert "error" in lines[1] and "number" in json.dumps(lines[1])
    assert lines[2]["id"] == 3 and "findings" in lines[2]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[" * 10 + "]" * 10, "nested too deeply"),
        ("[" * 50_000 + "]" * 50_000, "nested too deeply"),
        (f"[{HUGE}]", "5,000 characters"),
        ("[NaN]", "not a JSON number"),
        ("[1,", "not valid JSON"),
    ],
)
def test_load_json_limits(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        load_json(text)


@pytest.mark.parametrize(
    "value",
    ["=HYPERLINK(1)", "+cmd|x", "-2", "@SUM(A1)", "\tx", "\rx", "'=x", "''+x", "'tis", "plain", ""],
)
def test_formula_read_undoes_formula_safe(value: str) -> None:
    safe = formula_safe(value)
    assert not safe.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert formula_read(safe) == value
