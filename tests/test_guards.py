"""Who may see and do what, CSRF, sessions and security headers, over HTTP."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from litestar.testing import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from catalogue.app import create_app
from catalogue.data.db import Database
from catalogue.data.models import StoreEntry, utcnow
from catalogue.web.sessions import SESSION_COOKIE
from tests.conftest import STAFF_PASSWORD, StaffClient
from tests.factories import add_device

ROLES = ("merchandiser", "qa", "admin")

# (method, path, the roles let in, what they get with an empty form); {slug} is a stored draft.
# An empty form is refused as such (400), a save without the version it started from is stale
# (409), and a preview of nothing is an empty preview (200).
PAGES = [
    ("GET", "/admin/devices", {"merchandiser", "qa", "admin"}, 200),
    ("GET", "/admin/devices/new", {"merchandiser", "admin"}, 200),
    ("GET", "/admin/devices/{slug}", {"merchandiser", "qa", "admin"}, 200),
    ("GET", "/admin/devices/{slug}/edit", {"merchandiser", "admin"}, 200),
    ("GET", "/admin/devices/{slug}/preview", {"merchandiser", "qa", "admin"}, 200),
    ("GET", "/admin/devices/{slug}/duplicate", {"merchandiser", "admin"}, 200),
    ("GET", "/admin/import", {"merchandiser", "admin"}, 200),
    ("GET", "/admin/import/template.csv", {"merchandiser", "admin"}, 200),
    ("GET", "/admin/export.csv", {"merchandiser", "qa", "admin"}, 200),
    ("GET", "/admin/export.zip", {"merchandiser", "qa", "admin"}, 200),
    ("GET", "/admin/users", {"admin"}, 200),
    ("POST", "/admin/devices/preview", {"merchandiser", "qa", "admin"}, 200),
    ("POST", "/admin/users", {"admin"}, 400),
    ("POST", "/admin/users/active", {"admin"}, 400),
    ("POST", "/admin/users/invite", {"admin"}, 400),
    ("POST", "/admin/users/reset-link", {"admin"}, 400),
    ("POST", "/admin/devices/new", {"merchandiser", "admin"}, 400),
    ("POST", "/admin/devices/{slug}/edit", {"merchandiser", "admin"}, 409),
    ("POST", "/admin/devices/{slug}/restore", {"merchandiser", "admin"}, 400),
    ("POST", "/admin/import", {"merchandiser", "admin"}, 400),
]


@pytest.fixture
def draft(session: Session) -> str:
    device = add_device(session, name="Secret Draft Panel", status="draft")
    session.commit()
    return device.slug


@pytest.mark.parametrize(("method", "path", "allowed", "let_in"), PAGES)
@pytest.mark.parametrize("role", [None, *ROLES])
def test_every_admin_route_is_guarded(
    staff, draft: str, method: str, path: str, allowed: set[str], let_in: int, role: str | None
) -> None:
    client = staff(role)
    url = path.format(slug=draft)
    response = client.get(url, follow_redirects=False) if method == "GET" else client.form(url, {})
    if role is None:
        if method == "GET":
            assert response.status_code == 302, response.text
            assert response.headers["location"].startswith("/signin?next=/admin")
        else:
            assert response.status_code == 401
    elif role in allowed:
        assert response.status_code == let_in, response.text
    else:
        assert response.status_code == 403, response.text


@pytest.mark.parametrize(
    ("role", "action", "status"),
    [
        ("merchandiser", "approve", 403),  # a merchandiser cannot approve
        ("merchandiser", "archive", 403),
        ("qa", "submit", 403),
        ("admin", "approve", 303),  # admin can do everything
        ("qa", "approve", 303),
    ],
)
def test_workflow_moves_are_guarded_by_role(
    staff, session: Session, role: str, action: str, status: int
) -> None:
    device = add_device(session, status="in_review" if action == "approve" else "published")
    session.commit()
    if action == "submit":
        device.status = "draft"
        session.commit()
    client = staff(role)
    response = client.form(
        f"/admin/devices/{device.slug}/move", {"action": action, "version": device.version}
    )
    assert response.status_code == status, response.text


def test_qa_cannot_manage_users(staff) -> None:
    qa = staff("qa")
    assert qa.get("/admin/users").status_code == 403
    response = qa.form(
        "/admin/users", {"email": "x@example.com", "role": "admin", "password": "p" * 20}
    )
    assert response.status_code == 403


def test_anonymous_sees_published_only_and_drafts_are_404(client, session: Session) -> None:
    published = add_device(session, status="published")
    hidden = add_device(session, name="Unreleased Panel", status="draft")
    session.commit()
    assert client.get(f"/devices/{published.slug}").status_code == 200
    assert client.get(f"/devices/{hidden.slug}").status_code == 404  # not 403: no leak
    assert client.get(f"/api/devices/{hidden.slug}").status_code == 404
    assert "Unreleased Panel" not in client.get("/devices").text


def test_api_wants_json_401_not_a_redirect(staff) -> None:
    anonymous = staff(None)
    response = anonymous.get("/admin/devices", headers={"accept": "application/json"})
    assert response.status_code == 401
    assert response.json()["status_code"] == 401


@pytest.mark.parametrize(
    "path",
    ["/signin", "/signout", "/admin/devices/new", "/admin/users", "/admin/import"],
)
def test_post_without_csrf_token_is_403(staff, path: str) -> None:
    admin = staff("admin")
    response = admin.post(path, data={"email": "a@example.com"}, follow_redirects=False)
    assert response.status_code == 403
    response = admin.post(
        path, data={"_csrf_token": "forged" * 20, "email": "a"}, follow_redirects=False
    )
    assert response.status_code == 403


def test_htmx_header_token_is_accepted(staff) -> None:
    merchandiser = staff("merchandiser")
    response = merchandiser.post(
        "/admin/devices/preview",
        data={"description": "plain words"},
        headers={"x-csrftoken": merchandiser.token()},
    )
    assert response.status_code == 200


def test_session_id_changes_on_sign_in(staff) -> None:
    client = staff(None)
    # A planted cookie: before sign-in someone gives the victim a session id they know.
    client.cookies.set(SESSION_COOKIE, "a" * 64, domain="testserver.local")
    email = staff("qa").email
    response = client.sign_in(email)
    assert response.status_code == 303
    new_id = client.cookies.get(SESSION_COOKIE)
    assert new_id and new_id != "a" * 64
    # Signing in again rotates again.
    first = client.cookies.get(SESSION_COOKIE)
    client.sign_in(email)
    assert client.cookies.get(SESSION_COOKIE) != first


def test_session_cookie_flags(staff, staff_settings) -> None:
    client = staff(None)
    email = staff("qa").email
    cookie = client.sign_in(email).headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http in tests
    with TestClient(app=create_app(staff_settings), base_url="https://testserver.local") as secure:
        secure.get("/signin")
        token = secure.cookies["csrftoken"]
        response = secure.post(
            "/signin",
            data={"_csrf_token": token, "email": email, "password": "a long enough test password"},
            follow_redirects=False,
        )
        assert response.status_code == 303
        assert "Secure" in response.headers["set-cookie"]
        assert "strict-transport-security" in response.headers


def test_no_session_row_or_cookie_for_anonymous_visitors(client, db: Database) -> None:
    response = client.get("/devices")
    assert SESSION_COOKIE not in response.headers.get("set-cookie", "")
    with db.session() as s:
        assert s.query(StoreEntry).count() == 0


def test_sessions_live_in_the_database_and_survive_a_restart(
    staff, staff_settings, db: Database
) -> None:
    merchandiser = staff("merchandiser")
    session_id = merchandiser.cookies[SESSION_COOKIE]
    with db.session() as s:
        assert s.get(StoreEntry, f"session:{session_id}") is not None
    # A second app process over the same database knows the session.
    with TestClient(app=create_app(staff_settings)) as other:
        other.cookies.set(SESSION_COOKIE, session_id, domain="testserver.local")
        assert other.get("/admin/devices", follow_redirects=False).status_code == 200


def test_idle_session_expires(staff, db: Database) -> None:
    merchandiser = staff("merchandiser")
    with db.writing() as s:
        s.execute(update(StoreEntry).values(expires_at=utcnow() - timedelta(seconds=1)))
    response = merchandiser.get("/admin/devices", follow_redirects=False)
    assert response.status_code in (302, 303)


def test_sign_out_ends_the_session(staff, db: Database) -> None:
    merchandiser = staff("merchandiser")
    session_id = merchandiser.cookies[SESSION_COOKIE]
    assert merchandiser.get("/signout").status_code == 200
    assert merchandiser.form("/signout").status_code == 303
    assert merchandiser.get("/admin/devices", follow_redirects=False).status_code in (302, 303)
    with db.session() as s:
        assert s.get(StoreEntry, f"session:{session_id}") is None


def test_disabled_account_loses_its_session(staff, db: Database) -> None:
    from catalogue import accounts

    merchandiser = staff("merchandiser")
    with db.writing() as s:
        accounts.set_active(s, email=merchandiser.email, active=False)
    assert merchandiser.get("/admin/devices", follow_redirects=False).status_code in (302, 303)
    assert merchandiser.sign_in(merchandiser.email).status_code == 400


@pytest.mark.parametrize(
    ("email", "password", "status", "message"),
    [
        ("nobody@example.com", "a long enough test password", 400, "do not match"),
        ("{email}", "the wrong password!!", 400, "do not match"),
        ("{email}", "a long enough test password", 303, None),
    ],
)
def test_sign_in_outcomes(
    staff, email: str, password: str, status: int, message: str | None
) -> None:
    known = staff("qa").email
    client = staff(None)
    response = client.sign_in(email.format(email=known), password)
    assert response.status_code == status
    if message:
        assert message in response.text


def test_sign_in_redirects_back_only_to_this_site(staff) -> None:
    client = staff(None)
    email = staff("qa").email
    response = client.form(
        "/signin",
        {
            "email": email,
            "password": "a long enough test password",
            "next": "https://evil.example/",
        },
    )
    assert response.headers["location"] == "/qa/queue"  # where QA works
    response = client.get("/admin/import", follow_redirects=False)
    assert response.status_code in (302, 303) or response.status_code == 403


def test_repeated_failures_are_slowed_down_over_http(staff) -> None:
    email = staff("qa").email
    client = staff(None)
    for _ in range(5):
        assert client.sign_in(email, "wrong password here").status_code == 400
    response = client.sign_in(email)  # even the right password waits now
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) > 0
    assert "Too many failed attempts" in response.text


@pytest.mark.parametrize(
    "path", ["/devices", "/signin", "/no-such-page", "/static/app.css", "/healthz"]
)
def test_security_headers_on_every_response(client, path: str) -> None:
    response = client.get(path)
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"]


def test_signed_in_pages_are_not_cached(staff) -> None:
    response = staff("qa").get("/admin/devices")
    assert response.headers["cache-control"] == "no-store"


XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_descriptions_are_escaped_everywhere(staff, session: Session) -> None:
    device = add_device(session, status="published", description=f"Gentle warmth. {XSS}")
    session.commit()
    merchandiser = staff("merchandiser")
    pages = [
        merchandiser.get(f"/devices/{device.slug}"),
        merchandiser.get(f"/admin/devices/{device.slug}"),
        merchandiser.get(f"/admin/devices/{device.slug}/edit"),
        merchandiser.form("/admin/devices/preview", {"description": f"It cures arthritis. {XSS}"}),
    ]
    for response in pages:
        assert response.status_code == 200
        assert "<script>alert" not in response.text
        assert "<img src=x" not in response.text
        assert "&lt;script&gt;" in response.text


def test_templates_carry_no_inline_script_or_style(staff, session: Session) -> None:
    device = add_device(session, status="draft")
    session.commit()
    merchandiser = staff("merchandiser")
    for path in [
        "/admin/devices",
        "/admin/devices/new",
        f"/admin/devices/{device.slug}",
        f"/admin/devices/{device.slug}/edit",
        "/admin/import",
        "/signin",
    ]:
        html = merchandiser.get(path).text
        assert "<script>" not in html, path  # scripts only as <script src=...>
        assert " style=" not in html and " onclick=" not in html, path


def test_fast_hashing_is_refused_outside_tests(settings) -> None:
    from catalogue.settings import SettingsError

    with pytest.raises(SettingsError, match="FAST_PASSWORD_HASHING"):
        dataclasses.replace(settings, environment="development", fast_password_hashing=True).check()


def test_sessions_in_redis_survive_a_restart(staff_settings, db: Database) -> None:
    """With REDIS_URL set, sessions go to Redis: none in the database, shared across apps."""
    import dataclasses
    import os

    from catalogue import accounts

    redis_url = os.environ.get("TEST_REDIS_URL")
    if not redis_url:
        pytest.skip("TEST_REDIS_URL is not set")
    settings = dataclasses.replace(staff_settings, redis_url=redis_url)
    with db.writing() as s:
        accounts.create_user(
            s,
            email="redis.qa@example.com",
            password=STAFF_PASSWORD,
            role="qa",
            hasher=accounts.password_hasher(fast=True),
        )
    with TestClient(app=create_app(settings)) as first:
        response = StaffClient(first, None, None).sign_in("redis.qa@example.com")
        assert response.status_code == 303, response.text
        session_id = first.cookies[SESSION_COOKIE]
    with db.session() as s:
        assert s.query(StoreEntry).filter(StoreEntry.key.startswith("session:")).count() == 0
    with TestClient(app=create_app(settings)) as second:
        second.cookies.set(SESSION_COOKIE, session_id, domain="testserver.local")
        assert second.get("/qa/audit", follow_redirects=False).status_code == 200
