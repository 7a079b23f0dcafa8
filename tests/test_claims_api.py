"""POST /api/claims/check and GET /api/claims/rules: good bodies, each bad field, the size limit."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from catalogue.claims.claim_check import MAX_BODY_BYTES
from tests.qa_support import RULES

FINDING_KEYS = {"rule", "severity", "start", "end", "text", "message", "suggestion"}
GOOD = {"description": "Gentle warmth for stiff knees.", "wavelengths_nm": [660, 850], "areas": []}


def _body(rule_id: str, example: str = "fires") -> dict[str, Any]:
    rule = RULES[rule_id]
    record = rule["example_record"]
    if example == "passes":
        record = rule.get("example_passes_record") or record
    return {
        "description": rule[f"example_{example}"],
        "wavelengths_nm": record["wavelengths_nm"],
        "areas": record["areas"],
    }


@pytest.mark.parametrize(
    "rule_id",
    ["cure-claim", "clinically-proven", "wavelength-mismatch", "area-depth-mismatch"],
)
def test_a_listing_that_breaks_a_rule_gets_its_finding(client, rule_id: str) -> None:
    body = _body(rule_id)
    response = client.post("/api/claims/check", json=body)
    assert response.status_code == 200
    findings = response.json()["findings"]
    assert all(set(f) == FINDING_KEYS for f in findings)
    # Spans point into the description as sent, so a client can highlight them.
    assert all(body["description"][f["start"] : f["end"]] == f["text"] for f in findings)
    hit = [f for f in findings if f["rule"] == rule_id]
    assert hit and {f["severity"] for f in hit} == {RULES[rule_id]["severity"]}
    assert all(f["message"] and f["suggestion"] for f in hit)


@pytest.mark.parametrize("rule_id", ["cure-claim", "clinically-proven", "wavelength-mismatch"])
def test_the_same_words_said_right_pass(client, rule_id: str) -> None:
    response = client.post("/api/claims/check", json=_body(rule_id, "passes"))
    assert response.status_code == 200
    assert rule_id not in {f["rule"] for f in response.json()["findings"]}


def test_a_clean_listing_has_no_findings_and_needs_no_csrf_token_or_account(client) -> None:
    response = client.post("/api/claims/check", json=GOOD)
    assert (response.status_code, response.json()) == (200, {"findings": []})
    assert "csrftoken" not in client.cookies


@pytest.mark.parametrize(
    ("body", "key", "words"),
    [
        ({**GOOD, "description": None}, "description", "must be a string"),
        ({**GOOD, "description": 12}, "description", "must be a string"),
        ({**GOOD, "description": "x" * 20_001}, "description", "the limit is 20,000"),
        ({"wavelengths_nm": [660], "areas": []}, "description", "is required"),
        ({**GOOD, "wavelengths_nm": 660}, "wavelengths_nm", "must be an array"),
        ({**GOOD, "wavelengths_nm": ["660"]}, "wavelengths_nm", "item 0 must be a number"),
        ({**GOOD, "wavelengths_nm": [660, True]}, "wavelengths_nm", "item 1 must be a number"),
        ({**GOOD, "wavelengths_nm": [660, 2000]}, "wavelengths_nm", "between 380 and 1400"),
        ({"description": "x", "areas": []}, "wavelengths_nm", "is required"),
        ({**GOOD, "areas": "knees"}, "areas", "must be an array"),
        ({**GOOD, "areas": ["knees", 3]}, "areas", "slugs (strings) only"),
        ({**GOOD, "areas": ["knees", "kneez"]}, "areas", "unknown body area: kneez"),
        ({"description": "x", "wavelengths_nm": []}, "areas", "is required"),
        ([GOOD], "body", "must be a JSON object"),
        ("just words", "body", "must be a JSON object"),
    ],
)
def test_a_bad_field_is_a_400_naming_it(client, body: Any, key: str, words: str) -> None:
    response = client.post("/api/claims/check", json=body)
    assert response.status_code == 400
    data = response.json()
    assert key in data["error"]
    problems = {p["key"]: p["message"] for p in data["detail"]}
    assert list(problems) == [key]
    assert words in problems[key]


def test_every_bad_field_is_named_at_once(client) -> None:
    response = client.post("/api/claims/check", json={"description": 1, "areas": ["nowhere"]})
    assert response.status_code == 400
    assert [p["key"] for p in response.json()["detail"]] == [
        "description",
        "wavelengths_nm",
        "areas",
    ]


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"{not json", "is not valid JSON"),
        (b"\xff\xfe{}", "is not UTF-8"),
        (b"", "is not valid JSON"),
        (b"[" * 20_000 + b"]" * 20_000, "nested too deeply"),
    ],
)
def test_a_body_that_is_not_json_is_a_400(client, raw: bytes, words: str) -> None:
    response = client.post(
        "/api/claims/check", content=raw, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["detail"][0]["key"] == "body"
    assert words in response.json()["detail"][0]["message"]


def test_a_body_just_under_64_kb_is_checked(client) -> None:
    raw = json.dumps(GOOD).encode()
    raw = raw[:-1] + b" " * (MAX_BODY_BYTES - len(raw)) + b"}"
    assert len(raw) == MAX_BODY_BYTES
    response = client.post(
        "/api/claims/check", content=raw, headers={"content-type": "application/json"}
    )
    assert response.status_code == 200


def test_a_body_over_64_kb_is_a_413_naming_the_limit(client) -> None:
    raw = json.dumps({**GOOD, "description": "x" * MAX_BODY_BYTES}).encode()
    response = client.post(
        "/api/claims/check", content=raw, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["error"] == "The body is over the 64 KB limit for a claim check"
    assert response.json()["detail"] == {"limit_bytes": MAX_BODY_BYTES}


def test_a_chunked_body_is_cut_off_at_64_kb_too(client) -> None:
    def chunks() -> Iterator[bytes]:
        # No content-length up front: the limit must hold on the bytes as they arrive.
        yield b'{"description": "'
        for _ in range(20):
            yield b"x" * 8192
        yield b'", "wavelengths_nm": [], "areas": []}'

    response = client.post(
        "/api/claims/check", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_rules_lists_every_rule_with_its_examples(client) -> None:
    response = client.get("/api/claims/rules")
    assert response.status_code == 200
    rules = response.json()["rules"]
    assert [r["id"] for r in rules] == sorted(RULES)
    for rule in rules:
        assert rule["severity"] == RULES[rule["id"]]["severity"]
        assert rule["example_fires"] == RULES[rule["id"]]["example_fires"]
        assert rule["example_passes"] == RULES[rule["id"]]["example_passes"]
        assert rule["rationale"] and rule["message"] and rule["suggestion"]
