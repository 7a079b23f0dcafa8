"""Sessions and sign-in at the edge: sign-out expires the cookie, the throttle believes
X-Forwarded-For only from named proxies, CSRF tokens are bound to the session, emails are
checked, a busy database is a 503 and never a 500. SQLite and PostgreSQL alike."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from litestar import Litestar, Request
from litestar.testing import TestClient
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from catalogue import accounts
from catalogue.app import create_app
from catalogue.data.db import Database
from catalogue.data.models import StoreEntry
from catalogue.settings import Settings
from catalogue.web.auth import client_address
from catalogue.web.errors import handle_exception
from tests.conftest import StaffClient


def _entries(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(StoreEntry)) or 0


def test_sign_out_expires_the_cookie_at_once(staff: Any, db: Database) -> None:
    client = staff("merchandiser")
    old_id = client.cookies["lumen_session"]
    response = client.form("/signout")
    assert response.status_code == 303
    set_cookie = response.headers["set-cookie"]
    assert "lumen_session=" in set_cookie and "Max-Age=0" in set_cookie
    assert "Max-Age=3600" not in set_cookie
    assert "lumen_session" not in client.cookies
    # A browser that still sent the old id gets no session and causes no store write.
    before = _entries(db)
    client.cookies.set("lumen_session", old_id)
    page = client.get("/admin/devices", follow_redirects=False)
    assert page.status_code in (302, 303) and "/signin" in page.headers["location"]
    assert _entries(db) == before


def _request(peer: str, forwarded: list[str]) -> Request[Any, Any, Any]:
    headers = [(b"x-forwarded-for", value.encode()) for value in forwarded]
    return Request(scope={"type": "http", "client": (peer, 5000), "headers": headers})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("trusted", "peer", "forwarded", "expected"),
    [
        ((), "127.0.0.1", ["203.0.113.9"], "127.0.0.1"),  # the default believes no one
        ((), "198.51.100.1", ["203.0.113.9"], "198.51.100.1"),
        (("10.0.0.2",), "10.0.0.2", ["203.0.113.9"], "203.0.113.9"),
        (("10.0.0.2",), "10.0.0.2", ["1.1.1.1, 203.0.113.9"], "203.0.113.9"),  # last hop wins
        (("10.0.0.2", "10.0.0.3"), "10.0.0.2", ["203.0.113.9, 10.0.0.3"], "203.0.113.9"),
        (("10.0.0.2",), "10.0.0.2", [], "10.0.0.2"),
        (("10.0.0.2",), "198.51.100.1", ["203.0.113.9"], "198.51.100.1"),  # not a proxy
    ],
)
def test_forwarded_for_is_believed_only_from_named_proxies(
    trusted: tuple[str, ...], peer: str, forwarded: list[str], expected: str
) -> None:
    assert client_address(_request(peer, forwarded), trusted) == expected


def test_settings_read_trusted_proxies() -> None:
    env = {"TRUSTED_PROXIES": " 10.0.0.2, 10.0.0.3 ,", "CATALOGUE_ENV": "test"}
    assert Settings.from_env(env).trusted_proxies == ("10.0.0.2", "10.0.0.3")
    assert Settings.from_env({"CATALOGUE_ENV": "test"}).trusted_proxies == ()


def test_a_forged_forwarded_for_does_not_escape_the_address_throttle(staff: Any) -> None:
    client = staff(None)
    codes = []
    for n in range(accounts.FREE_ATTEMPTS_PER_ADDRESS + 1):
        response = client.client.post(
            "/signin",
            data={
                "_csrf_token": client.token(),
                "email": f"nobody{n}@example.com",
                "password": "wrong password here",
            },
            headers={"x-forwarded-for": f"203.0.113.{n}"},
        )
        codes.append(response.status_code)
    assert codes[-1] == 429, codes


def test_a_csrf_token_from_another_browser_is_refused(staff: Any) -> None:
    mine, theirs = staff("merchandiser"), staff("merchandiser")
    # Their cookie and token pair, valid on its own, planted in my browser.
    mine.cookies.set("csrftoken", theirs.token(), domain="testserver.local")
    response = mine.form("/signout")
    assert response.status_code == 403
    assert "another sign-in" in response.text
    assert mine.get("/admin/devices").status_code == 200  # still signed in


def test_signing_in_replaces_a_planted_csrf_token(staff_settings: Settings, db: Database) -> None:
    hasher = accounts.password_hasher(fast=True)
    with db.writing() as s:
        accounts.create_user(
            s, email="bound@example.com", password="x" * 20, role="merchandiser", hasher=hasher
        )
    with TestClient(app=create_app(staff_settings)) as raw:
        client = StaffClient(raw, "bound@example.com", "merchandiser")
        planted = client.token()
        assert (
            client.form("/signin", {"email": client.email, "password": "x" * 20}).status_code == 303
        )
        assert client.token() != planted
        # The old pair is a valid double-submit pair, yet no longer this session's.
        raw.cookies.set("csrftoken", planted, domain="testserver.local")
        stale = raw.post("/signout", data={"_csrf_token": planted}, follow_redirects=False)
        assert stale.status_code == 403


@pytest.mark.parametrize(
    "email",
    [
        "a\x01@example.com",
        "a@exa\x00mple.com",
        "a b@example.com",
        "a@example",
        "<a>@example.com",
        "a@-example.com",
        "a@@example.com",
        "a\x7f@example.com",
        "x" * 250 + "@example.com",
    ],
)
def test_account_emails_are_checked(db: Database, email: str) -> None:
    with db.writing() as s, pytest.raises(accounts.AccountError) as raised:
        accounts.create_user(
            s,
            email=email,
            password="a long enough password",
            role="qa",
            hasher=accounts.password_hasher(fast=True),
        )
    assert "email" in raised.value.errors


@pytest.mark.parametrize(
    ("message", "status"),
    [
        ("database is locked", 503),
        ("canceling statement due to lock timeout", 503),
        ("disk I/O error", 500),
    ],
)
def test_a_busy_database_is_a_503_not_a_500(app: Litestar, message: str, status: int) -> None:
    request: Request[Any, Any, Any] = Request(
        scope={"type": "http", "path": "/api/devices", "method": "GET", "headers": [], "app": app}  # type: ignore[typeddict-item]
    )
    exc = OperationalError("UPDATE store_entry ...", {}, Exception(message))
    response = handle_exception(request, exc)
    assert response.status_code == status
    if status == 503:
        assert response.headers["retry-after"] == "5"


def test_trusted_proxies_setting_reaches_the_throttle(
    staff_settings: Settings, db: Database
) -> None:
    """With the test client named as a proxy, each forwarded address has its own count."""
    settings = dataclasses.replace(staff_settings, trusted_proxies=("testclient",))
    with TestClient(app=create_app(settings)) as raw:
        client = StaffClient(raw, None, None)
        for n in range(accounts.FREE_ATTEMPTS_PER_ADDRESS + 1):
            response = raw.post(
                "/signin",
                data={
                    "_csrf_token": client.token(),
                    "email": f"nobody{n}@example.com",
                    "password": "wrong password here",
                },
                headers={"x-forwarded-for": f"203.0.113.{n}"},
            )
            assert response.status_code == 400, (n, response.status_code)
