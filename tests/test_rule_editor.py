"""The rule editor over HTTP: who may use it, refusals per field, the impact preview against
the findings after saving, versions, disabling, the background re-audit sending a newly
failing published listing back to review, and the rules cache."""

from __future__ import annotations

import html
import re
import time
from typing import Any

import pytest
from sqlalchemy.orm import Session
from sqlmodel import col, select

from catalogue.claims import audit
from catalogue.data.db import Database
from catalogue.data.models import ClaimRule, Device, DeviceChange, Finding
from catalogue.data.rule_tables import ClaimRuleVersion, Reaudit
from catalogue.qa import rule_form
from tests.qa_support import RULES, add_listing

PAIN_FREE = "Live pain free with ten minutes a day."
NEW_RULE: dict[str, str] = {
    "rule_id": "pain-free-promise",
    "kind": "phrase",
    "title": "Promises a pain-free life",
    "severity": "error",
    "enabled": "on",
    "rationale": "Light supports comfort; it does not end pain for good.",
    "message": "“{text}” promises an end to pain, which the guide does not support.",
    "suggestion": "Say it may help ease discomfort with regular use.",
    "lexicon": "painfree: pain free, free of pain",
    "frames": "claim: painfree",
    "patterns": "",
    "unless": "",
    "must_fire": f"{PAIN_FREE}\nWake up free of pain.",
    "must_not": "A gentle panel for daily routines.",
    "wavelengths": "660, 850",
    "areas": "knees",
}


def check(client: Any, path: str, form: dict[str, str]) -> Any:
    """Press "Check", with the version the edit page was opened at (as its form carries)."""
    if path.endswith("/edit") and "base" not in form:
        opened = re.search(r'name="base" value="(\d+)"', client.get(path).text)
        form = {**form, "base": opened.group(1) if opened else ""}
    return client.form(path, {**form, "action": "check"})


def save(client: Any, path: str, form: dict[str, str]) -> Any:
    """Check the rule, then save exactly what was checked (as the page's two buttons do)."""
    page = check(client, path, form)
    assert page.status_code == 200, page.text
    checked = re.search(r'name="checked" value="([0-9a-f]+)"', page.text)
    base = re.search(r'name="base" value="(-?\d+)"', page.text)
    assert checked and base
    return client.form(
        path, {**form, "action": "save", "checked": checked.group(1), "base": base.group(1)}
    )


def wait_for_reaudit(client: Any, db: Database, timeout: float = 90) -> dict[str, Any]:
    with db.session() as s:
        run_id = s.scalar(select(Reaudit.id).order_by(col(Reaudit.id).desc()))
    deadline = time.monotonic() + timeout
    while True:
        state = client.get(f"/qa/rules/reaudits/{run_id}/json").json()
        if state["state"] != "running" or time.monotonic() > deadline:
            assert state["state"] == "done", state
            return dict(state)
        time.sleep(0.1)


def impact_numbers(page: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r'<strong id="impact-(\w+)">(\d+)</strong>', page)}


def edit_values(rule_id: str, **changes: str) -> dict[str, str]:
    spec = RULES[rule_id]
    values = rule_form.form_values(spec, None) | {"enabled": "on"} | changes
    return {k: v for k, v in values.items() if v is not None}


# --- who may use it -------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), [("merchandiser", 403), ("qa", 200), ("admin", 200)])
@pytest.mark.parametrize("path", ["/qa/rules/new", "/qa/rules/cure-claim/edit"])
def test_qa_and_admin_edit_rules_merchandisers_get_403(
    staff, path: str, role: str, status: int
) -> None:
    client = staff(role)
    assert client.get(path).status_code == status
    assert check(client, path, NEW_RULE).status_code == (403 if status == 403 else 200)


@pytest.mark.parametrize(
    "path",
    ["/qa/rules/no-such-rule/edit", "/qa/rules/reaudits/7", "/qa/rules/reaudits/" + "9" * 20],
)
def test_an_unknown_rule_or_run_is_a_404(staff, path: str) -> None:
    assert staff("qa").get(path).status_code == 404


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "says"),
    [
        ({"must_fire": "A gentle panel for daily routines."}, "must_fire", "does not catch"),
        ({"must_not": "Wake up free of pain, every morning."}, "must_not", "catches, but must not"),
        ({"must_fire": ""}, "must_fire", "at least one example"),
        ({"lexicon": "PainFree: pain free"}, "lexicon", "group name"),
        ({"lexicon": "painfree: Pain Free"}, "lexicon", "lower case"),
        ({"frames": "claim: painfree ..x"}, "frames", ""),
        ({"message": "{texts} promises"}, "message", "placeholder"),
        ({"rule_id": "Bad Id"}, "rule_id", "lower-case words"),
        ({"rule_id": "cure-claim"}, "rule_id", "already a rule"),
        ({"rule_id": "a" * 65}, "rule_id", "under 64 characters"),
        ({"title": ""}, "title", "non-empty"),
        ({"severity": "fatal"}, "severity", "Choose one of"),
        ({"areas": "elbowz"}, "areas", "no body area"),
        ({"wavelengths": "2000"}, "wavelengths", "outside"),
    ],
)
def test_the_editor_refuses_a_rule_naming_the_field(
    staff, session: Session, changes: dict[str, str], field: str, says: str
) -> None:
    response = check(staff("qa"), "/qa/rules/new", NEW_RULE | changes)
    assert response.status_code == 400
    error = re.search(rf'<p class="field__error" id="e-{field}">([^<]*)</p>', response.text)
    assert error, f"no message next to {field}"
    assert says in html.unescape(error.group(1))
    assert 'name="action" value="save"' not in response.text  # nothing to save
    assert session.get(ClaimRule, "pain-free-promise") is None


def test_saving_needs_the_checked_rule(staff, session: Session) -> None:
    """A save whose rule differs from the one checked is shown again, with its impact."""
    client = staff("qa")
    response = client.form("/qa/rules/new", {**NEW_RULE, "action": "save", "checked": "0" * 64})
    assert response.status_code == 200
    assert "changed since its impact was shown" in response.text
    assert session.get(ClaimRule, "pain-free-promise") is None


# --- impact, saving, re-audit -------------------------------------------------------------------


def test_the_impact_preview_equals_the_findings_after_saving(
    staff, db: Database, session: Session
) -> None:
    hit = [
        add_listing(session, None, slug=f"pain-free-{n}", description=PAIN_FREE, status=status)
        for n, status in enumerate(("draft", "in_review", "draft"))
    ]
    add_listing(session, None, slug="plain-panel")
    session.commit()
    client = staff("qa")
    page = check(client, "/qa/rules/new", NEW_RULE)
    numbers = impact_numbers(page.text)
    assert numbers == {"before": 0, "after": 3, "gain": 3, "lose": 0, "to_review": 0}
    assert all(f"/admin/devices/{d.slug}" in page.text for d in hit)

    response = save(client, "/qa/rules/new", NEW_RULE)
    assert response.status_code == 303
    assert response.headers["location"] == "/qa/rules/pain-free-promise/edit"
    done = wait_for_reaudit(client, db)
    assert done["done"] == done["total"] == 4
    session.rollback()  # a new read transaction sees what the app wrote
    found = set(
        session.scalars(
            select(Finding.device_id).where(Finding.rule_id == "pain-free-promise").distinct()
        )
    )
    assert found == {d.id for d in hit} and len(found) == numbers["after"]

    # Switching it off again: the preview says all three lose it, and after saving they have.
    off = {k: v for k, v in NEW_RULE.items() if k != "enabled"}
    numbers = impact_numbers(check(client, "/qa/rules/pain-free-promise/edit", off).text)
    assert numbers == {"before": 3, "after": 0, "gain": 0, "lose": 3, "to_review": 0}
    assert save(client, "/qa/rules/pain-free-promise/edit", off).status_code == 303
    wait_for_reaudit(client, db)
    session.rollback()  # a new read transaction sees what the app wrote
    assert (
        session.scalars(select(Finding).where(Finding.rule_id == "pain-free-promise")).all() == []
    )
    rule = session.get(ClaimRule, "pain-free-promise")
    assert rule is not None and rule.enabled is False
    assert "Promises a pain-free life" in client.get("/qa/rules").text  # listed to enable again


def test_an_edit_sends_a_newly_failing_published_listing_back_to_review(
    staff, db: Database, session: Session
) -> None:
    """burning-heat becomes an error: a published listing with its words leaves the shop."""
    words = RULES["burning-heat"]["example_fires"]
    hot = add_listing(session, "burning-heat", slug="hot-mat", name="Hot Mat", status="published")
    calm = add_listing(session, None, slug="calm-mat", name="Calm Mat", status="published")
    session.commit()
    anonymous, client = staff(None), staff("qa")
    assert "hot-mat" in anonymous.get("/api/devices").text

    form = edit_values("burning-heat", severity="error", comment="Heat claims hurt people.")
    numbers = impact_numbers(check(client, "/qa/rules/burning-heat/edit", form).text)
    assert numbers["after"] == numbers["before"] == 1  # the same listings, a harsher severity
    assert numbers["to_review"] == 1
    assert save(client, "/qa/rules/burning-heat/edit", form).status_code == 303
    done = wait_for_reaudit(client, db)
    assert done["sent_back"] == numbers["to_review"]

    session.rollback()  # a new read transaction sees what the app wrote
    statuses = {
        slug: status for slug, status in session.execute(select(Device.slug, Device.status))
    }
    assert statuses["hot-mat"] == "in_review" and statuses["calm-mat"] == "published"
    shop = anonymous.get("/api/devices").text
    assert "hot-mat" not in shop and "calm-mat" in shop
    change = session.scalars(
        select(DeviceChange).where(
            DeviceChange.device_id == hot.id, DeviceChange.action == "recheck"
        )
    ).one()
    assert change.changes == {"status": ["published", "in_review"]}
    assert change.user_id is not None
    title = RULES["burning-heat"]["title"]
    assert change.comment and f"'{title}' (version 2)" in change.comment
    assert "error" in change.comment and any(w in change.comment for w in words.split())
    queue = client.get("/qa/queue.json").json()["listings"]
    assert [item["slug"] for item in queue] == ["hot-mat"]
    assert calm.id is not None


def test_each_save_is_a_version_with_who_when_and_what(
    staff, db: Database, session: Session
) -> None:
    client = staff("qa")
    form = edit_values("clinically-proven", title="Says it is proven", comment="Shorter title.")
    assert save(client, "/qa/rules/clinically-proven/edit", form).status_code == 303
    wait_for_reaudit(client, db)
    off = {k: v for k, v in form.items() if k not in ("enabled", "comment")}
    assert save(client, "/qa/rules/clinically-proven/edit", off).status_code == 303
    wait_for_reaudit(client, db)
    session.rollback()  # a new read transaction sees what the app wrote
    versions = session.scalars(
        select(ClaimRuleVersion)
        .where(ClaimRuleVersion.rule_id == "clinically-proven")
        .order_by(col(ClaimRuleVersion.number))
    ).all()
    assert [(v.number, v.action) for v in versions] == [(1, "seed"), (2, "edit"), (3, "disable")]
    assert versions[1].changes["title"] == [
        RULES["clinically-proven"]["title"],
        "Says it is proven",
    ]
    assert versions[1].comment == "Shorter title." and versions[1].user_id is not None
    assert set(versions[2].changes) == {"enabled"} and versions[2].at >= versions[1].at
    page = client.get("/qa/rules/clinically-proven/edit").text
    assert re.search(r'<tr id="version-3"><td>3</td>.*?qa\d+@example.com.*?disable', page, re.S)
    assert "clinically-proven" not in {r.id for r in audit.load_context(session).rules}


def test_a_save_over_someone_elses_is_a_409(staff, db: Database, session: Session) -> None:
    first, second = staff("qa"), staff("qa")
    form = edit_values("cure-claim", suggestion="Describe support, not cure.")
    page = check(second, "/qa/rules/cure-claim/edit", form)  # opened at version 1
    assert save(first, "/qa/rules/cure-claim/edit", form).status_code == 303
    wait_for_reaudit(first, db)
    checked = re.search(r'name="checked" value="([0-9a-f]+)"', page.text)
    assert checked
    late = second.form(
        "/qa/rules/cure-claim/edit",
        {**form, "action": "save", "checked": checked.group(1), "base": "1"},
    )
    assert late.status_code == 409
    session.rollback()  # a new read transaction sees what the app wrote
    count = session.scalars(
        select(ClaimRuleVersion).where(ClaimRuleVersion.rule_id == "cure-claim")
    ).all()
    assert len(count) == 2


# --- the rules cache ----------------------------------------------------------------------------


def test_rules_are_validated_once_per_rules_version(db: Database) -> None:
    with db.session() as one, db.session() as two:
        first = audit.load_rule_rows(one)
        assert audit.load_rule_rows(two) is first  # no new validation for the same version
    with db.writing() as s:
        rule = s.get(ClaimRule, "cure-claim")
        assert rule is not None
        rule.title = "Promises a cure"
    with db.session() as three:
        again = audit.load_rule_rows(three)
        assert again is not first and again == first  # a write bumps the version: re-read


# --- what the form may hold ------------------------------------------------------------------


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_shipped_rule_fits_the_form_as_it_stands(rule_id: str) -> None:
    # the seed's word families grow with the checker: a QA opening any shipped rule must be
    # able to save it back unchanged
    assert rule_form.size_errors(edit_values(rule_id)) == {}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("lexicon", "fast: " + "x" * rule_form.MAX_LINE, "lines of"),
        ("lexicon", "\n".join(f"f{i}: w" for i in range(rule_form.MAX_LINES + 1)), "lines of"),
        ("must_fire", "\n".join(["a" * (rule_form.MAX_LINE - 1)] * 6), "under"),
        ("message", "m" * (rule_form.MAX_TEXT + 1), "under"),
    ],
)
def test_a_field_past_its_limit_is_named(field: str, value: str, message: str) -> None:
    errors = rule_form.size_errors(edit_values("cure-claim", **{field: value}))
    assert message in errors[field]
