"""Invitations and password resets without email: random tokens stored only as hashes, one
use, 48 hours, refused for disabled accounts; the page the link opens sets the password."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select, update

from catalogue import accounts, password_links
from catalogue.cli import main
from catalogue.data.db import Database
from catalogue.data.models import PasswordLink, User, utcnow
from tests.conftest import STAFF_PASSWORD

HASHER = accounts.password_hasher(fast=True)
NEW_PASSWORD = "a brand new password of mine"


def invite(db: Database, email: str = "new.person@example.com", role: str = "qa") -> str:
    with db.writing() as s:
        _, token = password_links.invite(s, email=email, role=role)
    return token


def use(db: Database, token: str, **kwargs: Any) -> str:
    return password_links.set_password(
        db, token=token, password=NEW_PASSWORD, confirm=NEW_PASSWORD, hasher=HASHER, **kwargs
    )


def can_sign_in(db: Database, email: str, password: str = NEW_PASSWORD) -> bool:
    user = accounts.sign_in(db, email=email, password=password, address="t", hasher=HASHER)
    return user is not None


def test_an_invitation_sets_the_password_once(db: Database) -> None:
    token = invite(db)
    assert not can_sign_in(db, "new.person@example.com", password_links.NO_PASSWORD)
    assert use(db, token) == "new.person@example.com"
    assert can_sign_in(db, "new.person@example.com")
    with pytest.raises(password_links.LinkRefused):
        use(db, token)


def test_only_the_hash_of_the_token_is_stored(db: Database) -> None:
    token = invite(db)
    assert len(token) >= 43  # 32 random bytes
    with db.session() as s:
        rows = s.scalars(select(PasswordLink)).all()
        assert [r.token_hash for r in rows] == [hashlib.sha256(token.encode()).hexdigest()]
        every_value = [str(v) for r in rows for v in r.model_dump().values()]
    assert not any(token in value for value in every_value)
    assert invite(db, "other@example.com") != token  # random, not derived from the account


@pytest.mark.parametrize(
    ("hours", "works"), [(0, True), (47.9, True), (48, False), (48.1, False), (24 * 30, False)]
)
def test_a_link_works_for_48_hours(db: Database, hours: float, works: bool) -> None:
    token = invite(db)
    later = utcnow() + timedelta(hours=hours)
    if works:
        assert use(db, token, now=later)
    else:
        with pytest.raises(password_links.LinkRefused):
            use(db, token, now=later)


def _tamper(token: str) -> str:
    return token[:-1] + ("A" if token[-1] != "A" else "B")


@pytest.mark.parametrize(
    "wrong", [_tamper, lambda t: t.upper(), lambda t: "", lambda t: t + "x", lambda t: t * 5]
)
def test_a_wrong_token_opens_nothing(db: Database, wrong: Any) -> None:
    token = invite(db)
    with pytest.raises(password_links.LinkRefused):
        use(db, wrong(token))
    assert use(db, token)  # the real one still works


def test_a_disabled_account_s_link_stops_working(db: Database) -> None:
    with db.writing() as s:
        accounts.create_user(
            s, email="old@example.com", password=STAFF_PASSWORD, role="qa", hasher=HASHER
        )
        _, token = password_links.reset(s, email="old@example.com")
        accounts.set_active(s, email="old@example.com", active=False)
    with pytest.raises(password_links.LinkRefused):
        use(db, token)
    with db.writing() as s, pytest.raises(accounts.AccountError, match="disabled"):
        password_links.reset(s, email="old@example.com")
    with db.writing() as s:
        accounts.set_active(s, email="old@example.com", active=True)
    assert use(db, token)  # enabled again within its 48 hours: it works once more


def test_a_new_link_retires_the_older_one_and_a_reset_keeps_the_role(db: Database) -> None:
    first = invite(db, role="merchandiser")
    with db.writing() as s:
        user, second = password_links.reset(s, email="new.person@example.com")
    with pytest.raises(password_links.LinkRefused):
        use(db, first)
    assert use(db, second) and user.role == "merchandiser"


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("short", "short", "at least 12 characters"),
        ("x" * 1025, "x" * 1025, "at most 1024 characters"),
        (NEW_PASSWORD, NEW_PASSWORD + "!", "the two passwords differ"),
    ],
)
def test_the_password_rules_are_the_same_and_a_refusal_keeps_the_link(
    db: Database, password: str, confirm: str, message: str
) -> None:
    token = invite(db)
    with pytest.raises(accounts.AccountError, match=message):
        password_links.set_password(
            db, token=token, password=password, confirm=confirm, hasher=HASHER
        )
    assert use(db, token)


@pytest.mark.parametrize(
    ("email", "role", "field"),
    [("not an email", "qa", "email"), ("x@example.com", "boss", "role")],
)
def test_an_invitation_needs_a_real_email_and_role(
    db: Database, email: str, role: str, field: str
) -> None:
    with db.writing() as s, pytest.raises(accounts.AccountError) as caught:
        password_links.invite(s, email=email, role=role)
    assert field in caught.value.errors


# --- the pages -------------------------------------------------------------------------


def _link_from(page: str) -> str:
    return page.split('id="new-link-url"')[1].split('value="')[1].split('"')[0]


def test_an_admin_invites_and_the_person_sets_a_password(staff: Any, db: Database) -> None:
    admin = staff("admin")
    page = admin.form("/admin/users/invite", {"email": "Invited@Example.com", "role": "qa"})
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    url = _link_from(page.text)
    assert "/set-password/" in url and "invited, no password yet" in page.text
    path = url[url.index("/set-password/") :]

    person = staff(None)
    form = person.get(path)
    assert form.status_code == 200 and "invited@example.com" in form.text
    assert form.headers["referrer-policy"] == "no-referrer"
    short = person.form(path, {"password": "short", "confirm": "short"})
    assert short.status_code == 400 and "at least 12 characters" in short.text
    done = person.form(path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 200 and 'id="password-set"' in done.text
    assert person.get(path).status_code == 404  # once only
    again = person.form(path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert again.status_code == 404 and "Ask an admin for a new one" in again.text
    assert person.sign_in("invited@example.com", NEW_PASSWORD).status_code == 303


def test_an_admin_makes_a_reset_link_which_expires(staff: Any, db: Database) -> None:
    admin = staff("admin")
    qa = staff("qa")
    page = admin.form("/admin/users/reset-link", {"email": qa.email})
    assert page.status_code == 200 and "Password reset link for" in page.text
    url = _link_from(page.text)
    path = url[url.index("/set-password/") :]
    with db.writing() as s:
        s.execute(update(PasswordLink).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert staff(None).get(path).status_code == 404
    refused = admin.form("/admin/users/reset-link", {"email": "nobody@example.com"})
    assert refused.status_code == 400 and "no account for nobody@example.com" in refused.text


@pytest.mark.parametrize("token", ["nonsense", "x" * 500, "%2e%2e"])
def test_a_made_up_link_is_a_404(staff: Any, db: Database, token: str) -> None:
    response = staff(None).get(f"/set-password/{token}")
    assert response.status_code == 404 and "does not work" in response.text


@pytest.mark.parametrize("role", ["merchandiser", "qa"])
def test_only_admins_make_links(staff: Any, db: Database, role: str) -> None:
    client = staff(role)
    assert (
        client.form("/admin/users/invite", {"email": "a@example.com", "role": "qa"}).status_code
        == 403
    )
    with db.session() as s:
        assert s.scalars(select(User).where(User.email == "a@example.com")).first() is None


# --- the command line ------------------------------------------------------------------


def test_cli_invite_and_reset(db_url: str, db: Database) -> None:
    env = {"DATABASE_URL": db_url, "CATALOGUE_ENV": "test", "SECRET_KEY": "s" * 40}
    runner = CliRunner()
    made = runner.invoke(
        main,
        ["users", "invite", "--email", "cli@example.com", "--role", "merchandiser",
         "--site", "https://atlas.example"],
        env=env,
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    url = made.output.strip().splitlines()[-1]
    assert url.startswith("https://atlas.example/set-password/")
    again = runner.invoke(main, ["users", "reset", "--email", "cli@example.com"], env=env)
    assert again.exit_code == 0 and "/set-password/" in again.output
    with pytest.raises(password_links.LinkRefused):  # the first link was retired
        use(db, url.rsplit("/", 1)[1])
    assert use(db, again.output.strip().splitlines()[-1].rsplit("/", 1)[1])
    missing = runner.invoke(main, ["users", "reset", "--email", "no@example.com"], env=env)
    assert missing.exit_code == 1 and "no account for no@example.com" in missing.output
