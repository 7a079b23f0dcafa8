"""Invitations and password resets without email: an admin makes a link and hands it over.

A link carries a random token (32 bytes, URL-safe); the database keeps only its SHA-256, so a
copy of the table opens no account. A link works once, for 48 hours, and only while its
account is active; making a new link for an account retires the ones before it. An invited
account exists from the invitation on, with no password (``NO_PASSWORD`` matches none) until
its link is used, so an admin can disable it like any other.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from sqlalchemy import delete, update
from sqlalchemy.orm import Session
from sqlmodel import col, select

from catalogue import accounts
from catalogue.data.db import Database
from catalogue.data.models import PasswordLink, User, as_utc, utcnow

LINK_LIFETIME = timedelta(hours=48)
KINDS = ("invitation", "reset")
# Not an argon2 hash: verifying any password against it fails (``accounts.verify_password``).
NO_PASSWORD = "!no-password-yet"
# token_urlsafe(32) is 43 characters; anything much longer is no token of ours.
MAX_TOKEN_CHARS = 100
REFUSED = (
    "This link does not work: it was used already, it is older than 48 hours, or the "
    "account is disabled. Ask an admin for a new one."
)


class LinkRefused(Exception):
    """The token opens nothing: unknown, used, expired, or the account is disabled."""

    def __init__(self) -> None:
        super().__init__(REFUSED)


@dataclass(frozen=True, slots=True)
class OpenLink:
    """A link that works now, and whose account it sets the password of."""

    link_id: int
    kind: str
    email: str
    expires_at: datetime


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _make(session: Session, user: User, *, kind: str, created_by_id: int | None) -> str:
    assert kind in KINDS and user.id is not None
    # One working link an account at a time: an older one handed to the wrong person dies.
    session.execute(
        delete(PasswordLink).where(
            col(PasswordLink.user_id) == user.id, col(PasswordLink.used_at).is_(None)
        )
    )
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        PasswordLink(
            token_hash=token_hash(token),
            kind=kind,
            user_id=user.id,
            created_by_id=created_by_id,
            created_at=now,
            expires_at=now + LINK_LIFETIME,
        )
    )
    session.flush()
    return token


def invite(
    session: Session, *, email: str, role: str, created_by_id: int | None = None
) -> tuple[User, str]:
    """A new account with no password yet, and the token of its invitation link."""
    email = accounts.normalise_email(email)
    errors = accounts.check_email_and_role(email, role)
    if not errors and accounts.find_user(session, email) is not None:
        errors["email"] = f"{email} already has an account; make a reset link instead"
    if errors:
        raise accounts.AccountError(errors)
    user = User(email=email, password_hash=NO_PASSWORD, role=role)
    session.add(user)
    session.flush()
    return user, _make(session, user, kind="invitation", created_by_id=created_by_id)


def reset(session: Session, *, email: str, created_by_id: int | None = None) -> tuple[User, str]:
    """A link that sets a new password for an existing, active account (an invitation again
    when the account never had a password)."""
    user = accounts.find_user(session, email)
    if user is None:
        raise accounts.AccountError({"email": f"no account for {accounts.normalise_email(email)}"})
    if not user.is_active:
        raise accounts.AccountError({"email": f"{user.email} is disabled; enable it first"})
    kind = "invitation" if user.password_hash == NO_PASSWORD else "reset"
    return user, _make(session, user, kind=kind, created_by_id=created_by_id)


def open_link(session: Session, token: str, *, now: datetime | None = None) -> OpenLink:
    """The link ``token`` opens, if it works now; ``LinkRefused`` otherwise."""
    now = now or utcnow()
    if not token or len(token) > MAX_TOKEN_CHARS:
        raise LinkRefused
    found = session.execute(
        select(PasswordLink, User)
        .join(User, col(User.id) == col(PasswordLink.user_id))
        .where(col(PasswordLink.token_hash) == token_hash(token))
    ).first()
    if found is None:
        raise LinkRefused
    link, user = found
    if link.used_at is not None or as_utc(link.expires_at) <= now or not user.is_active:
        raise LinkRefused
    assert link.id is not None
    return OpenLink(link.id, link.kind, user.email, as_utc(link.expires_at))


def set_password(
    db: Database,
    *,
    token: str,
    password: str,
    confirm: str,
    hasher: PasswordHasher,
    now: datetime | None = None,
) -> str:
    """Use the link: set the account's password and retire the link. Returns the email.

    Raises ``LinkRefused``, or ``accounts.AccountError`` for a password the rules refuse
    (the link still works then). The slow hash runs before the write transaction; the link
    is claimed with a conditional UPDATE, so two uses at once cannot both succeed.
    """
    with db.session() as session:
        opened = open_link(session, token, now=now)
    problem = accounts.password_problem(password)
    if problem is None and password != confirm:
        problem = "the two passwords differ"
    if problem:
        raise accounts.AccountError({"password": problem})
    password_hash = hasher.hash(password)
    with db.writing() as session:
        opened = open_link(session, token, now=now)  # disabled or used meanwhile?
        claimed = session.execute(
            update(PasswordLink)
            .where(col(PasswordLink.id) == opened.link_id, col(PasswordLink.used_at).is_(None))
            .values(used_at=now or utcnow())
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            raise LinkRefused
        user = accounts.find_user(session, opened.email)
        assert user is not None
        user.password_hash = password_hash
        # A reset also lifts a lock-out: the person proved who they are to an admin.
        accounts.clear_failures(session, email=user.email)
        session.flush()
        return user.email
