"""People who sign in: argon2 password hashes, roles, and slowing down password guessing.

Roles are ``merchandiser`` (enters devices), ``qa`` (approves), ``admin`` (everything).
No account exists until someone runs ``catalogue users create``: there is no default login.

Failed sign-ins are counted per account and per network address in ``store_entry`` rows, so
the count is shared by every app process and survives a restart. After a few free attempts
each further failure doubles a lock-out delay (30 s, 60 s, ... up to 15 minutes); while
locked, even the right password is refused, so the lock-out is no oracle.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func
from sqlalchemy.orm import Session
from sqlmodel import col, select

from catalogue.data.db import Database
from catalogue.data.models import ROLES, StoreEntry, User, as_utc, utcnow
from catalogue.devices.schemas import FieldErrors

# Printable ASCII without spaces, one @, a dotted domain of letters, digits and hyphens:
# no control characters, quotes or brackets reach a log line, a page or a CSV cell.
EMAIL_RE = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024

FREE_ATTEMPTS_PER_ACCOUNT = 5
FREE_ATTEMPTS_PER_ADDRESS = 20
FIRST_DELAY_SECONDS = 30
MAX_DELAY_SECONDS = 15 * 60
# A counter with no new failure for this long is forgotten.
THROTTLE_WINDOW = timedelta(minutes=30)


class AccountError(ValueError):
    """Bad input for an account, one message per field."""

    def __init__(self, errors: FieldErrors) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class SignInThrottled(Exception):
    """Too many failed sign-ins for this account or address; try again later."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed sign-ins; try again in {retry_after} seconds")
        self.retry_after = retry_after


def password_hasher(*, fast: bool = False) -> PasswordHasher:
    """argon2id with the library's defaults; ``fast`` (tests only) makes hashing near free."""
    if fast:
        return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    return PasswordHasher()


def role_allows(role: str, roles: Sequence[str]) -> bool:
    """Whether someone with ``role`` may do what needs one of ``roles``: admins may do all."""
    return role == "admin" or role in roles


def normalise_email(email: str) -> str:
    return email.strip().lower()


def password_problem(password: str) -> str | None:
    """What is wrong with a new password, or None: the one rule for every way one is set."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"must be at least {MIN_PASSWORD_LENGTH} characters long"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"must be at most {MAX_PASSWORD_LENGTH} characters long"
    return None


def check_email_and_role(email: str, role: str) -> FieldErrors:
    errors: FieldErrors = {}
    if not EMAIL_RE.fullmatch(email) or len(email) > 254:
        errors["email"] = f"{email[:60]!r} is not an email address"
    if role not in ROLES:
        errors["role"] = f"{role!r} is not one of {', '.join(ROLES)}"
    return errors


def _check_new_account(email: str, password: str, role: str) -> FieldErrors:
    errors = check_email_and_role(email, role)
    if problem := password_problem(password):
        errors["password"] = problem
    return errors


def find_user(session: Session, email: str) -> User | None:
    query = select(User).where(func.lower(col(User.email)) == normalise_email(email))
    return session.scalars(query).first()


def create_user(
    session: Session, *, email: str, password: str, role: str, hasher: PasswordHasher
) -> User:
    email = normalise_email(email)
    errors = _check_new_account(email, password, role)
    if not errors and find_user(session, email) is not None:
        errors["email"] = f"{email} already has an account"
    if errors:
        raise AccountError(errors)
    user = User(email=email, password_hash=hasher.hash(password), role=role)
    session.add(user)
    session.flush()
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(col(User.email))).all())


def set_active(session: Session, *, email: str, active: bool) -> User:
    """Disable (or re-enable) an account; a disabled account's open sessions stop working."""
    user = find_user(session, email)
    if user is None:
        raise AccountError({"email": f"no account for {normalise_email(email)}"})
    user.is_active = active
    session.flush()
    return user


# --- signing in ------------------------------------------------------------------------

# Verified against when the email is unknown, so a wrong email costs as much time as a
# wrong password and the response time does not tell which accounts exist.
_DUMMY_PASSWORD = "not-a-real-password-for-timing"


@dataclass(frozen=True)
class _Counter:
    failures: int
    locked_until: datetime | None

    def retry_after(self, now: datetime) -> int:
        if self.locked_until is None or self.locked_until <= now:
            return 0
        return max(1, int((self.locked_until - now).total_seconds() + 0.999))


def _key(kind: str, value: str) -> str:
    return f"throttle:{kind}:{hashlib.sha256(value.encode()).hexdigest()}"


def _keys(email: str, address: str) -> dict[str, tuple[str, int]]:
    return {
        "email": (_key("email", normalise_email(email)), FREE_ATTEMPTS_PER_ACCOUNT),
        "address": (_key("address", address), FREE_ATTEMPTS_PER_ADDRESS),
    }


def _read_counter(session: Session, key: str, now: datetime) -> _Counter:
    entry = session.get(StoreEntry, key)
    if entry is None or (entry.expires_at is not None and as_utc(entry.expires_at) <= now):
        return _Counter(0, None)
    data = json.loads(entry.value)
    until = datetime.fromisoformat(data["locked_until"]) if data.get("locked_until") else None
    return _Counter(int(data["failures"]), until)


def throttle_wait(
    session: Session, *, email: str, address: str, now: datetime | None = None
) -> int:
    """Seconds until this account and address may try again; 0 when they may now."""
    now = now or utcnow()
    return max(
        _read_counter(session, key, now).retry_after(now)
        for key, _ in _keys(email, address).values()
    )


def record_failure(
    session: Session, *, email: str, address: str, now: datetime | None = None
) -> int:
    """Count one failed sign-in; returns the lock-out now in force, in seconds."""
    now = now or utcnow()
    wait = 0
    for key, free in _keys(email, address).values():
        entry = session.get(StoreEntry, key, with_for_update=True)
        counter = _read_counter(session, key, now)
        failures = counter.failures + 1
        locked_until = counter.locked_until
        if failures >= free:
            delay = min(FIRST_DELAY_SECONDS * 2 ** (failures - free), MAX_DELAY_SECONDS)
            locked_until = now + timedelta(seconds=delay)
            wait = max(wait, delay)
        value = json.dumps(
            {
                "failures": failures,
                "locked_until": locked_until.isoformat() if locked_until else None,
            }
        ).encode()
        if entry is None:
            session.add(StoreEntry(key=key, value=value, expires_at=now + THROTTLE_WINDOW))
        else:
            entry.value, entry.expires_at = value, now + THROTTLE_WINDOW
    session.flush()
    return wait


def clear_failures(session: Session, *, email: str) -> None:
    """A successful sign-in forgets the account's failures (not the address's)."""
    entry = session.get(StoreEntry, _key("email", normalise_email(email)))
    if entry is not None:
        session.delete(entry)
        session.flush()


@lru_cache(maxsize=4)
def _dummy_hash(time_cost: int, memory_cost: int, parallelism: int) -> str:
    hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)
    return hasher.hash(_DUMMY_PASSWORD)


def verify_password(user: User | None, password: str, hasher: PasswordHasher) -> bool:
    """Check a password in about the same time whether or not the account exists."""
    if len(password) > MAX_PASSWORD_LENGTH:
        return False
    stored = (
        user.password_hash
        if user is not None
        else _dummy_hash(hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    )
    try:
        return hasher.verify(stored, password) and user is not None
    except (VerificationError, InvalidHashError):
        return False


def sign_in(
    db: Database, *, email: str, password: str, address: str, hasher: PasswordHasher
) -> User | None:
    """The user when the password is right and the account active; None otherwise.

    Raises ``SignInThrottled`` while this account or address is locked out. The slow hash
    check runs outside the write transaction so it never holds the SQLite write lock.
    """
    with db.session() as session:
        wait = throttle_wait(session, email=email, address=address)
        if wait:
            raise SignInThrottled(wait)
        user = find_user(session, email)
    ok = verify_password(user, password, hasher) and user is not None and user.is_active
    with db.writing() as session:
        if not ok or user is None:
            record_failure(session, email=email, address=address)
            return None
        clear_failures(session, email=email)
        # Expired sessions, counters and import reports are swept here, a cheap indexed
        # delete on a write that is rare enough.
        session.execute(
            delete(StoreEntry).where(
                col(StoreEntry.expires_at).is_not(None), col(StoreEntry.expires_at) <= utcnow()
            )
        )
        fresh = session.get(User, user.id)
        assert fresh is not None
        fresh.last_sign_in_at = utcnow()
        if hasher.check_needs_rehash(fresh.password_hash):
            fresh.password_hash = hasher.hash(password)
        session.flush()
        return fresh
