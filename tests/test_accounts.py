"""Accounts: argon2 hashes, validation, disabling, throttled sign-in, and the users CLI."""

from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from catalogue import accounts
from catalogue.cli import main
from catalogue.data.db import Database
from catalogue.data.models import User, utcnow

HASHER = accounts.password_hasher(fast=True)
PASSWORD = "twelve chars or more"


def make(db: Database, email: str = "m@example.com", role: str = "merchandiser") -> User:
    with db.writing() as s:
        return accounts.create_user(s, email=email, password=PASSWORD, role=role, hasher=HASHER)


def test_no_account_exists_until_one_is_created(db: Database) -> None:
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(User)) == 0


def test_password_is_stored_as_argon2id(db: Database) -> None:
    user = make(db, email="  Mixed@Example.COM ")
    assert user.email == "mixed@example.com"
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_production_hasher_uses_the_library_defaults() -> None:
    from argon2 import PasswordHasher

    assert accounts.password_hasher().memory_cost == PasswordHasher().memory_cost
    assert accounts.password_hasher(fast=True).memory_cost < PasswordHasher().memory_cost


@pytest.mark.parametrize(
    ("email", "password", "role", "field", "message"),
    [
        ("not-an-email", PASSWORD, "qa", "email", "is not an email address"),
        ("a@example.com", "short", "qa", "password", "at least 12 characters"),
        ("a@example.com", PASSWORD, "owner", "role", "is not one of merchandiser, qa, admin"),
        ("taken@example.com", PASSWORD, "qa", "email", "already has an account"),
        ("TAKEN@example.com", PASSWORD, "qa", "email", "already has an account"),
    ],
)
def test_bad_accounts_are_refused_by_field(
    db: Database, email: str, password: str, role: str, field: str, message: str
) -> None:
    make(db, email="taken@example.com")
    with pytest.raises(accounts.AccountError) as caught, db.writing() as s:
        accounts.create_user(s, email=email, password=password, role=role, hasher=HASHER)
    assert message in caught.value.errors[field]


@pytest.mark.parametrize(
    ("email", "password", "signed_in"),
    [
        ("m@example.com", PASSWORD, True),
        ("M@EXAMPLE.COM", PASSWORD, True),
        ("m@example.com", "wrong password here", False),
        ("nobody@example.com", PASSWORD, False),
    ],
)
def test_sign_in(db: Database, email: str, password: str, signed_in: bool) -> None:
    make(db)
    user = accounts.sign_in(db, email=email, password=password, address="10.0.0.1", hasher=HASHER)
    assert (user is not None) is signed_in
    if user is not None:
        assert user.last_sign_in_at is not None


def test_disabled_account_cannot_sign_in(db: Database) -> None:
    make(db)
    with db.writing() as s:
        accounts.set_active(s, email="m@example.com", active=False)
    assert (
        accounts.sign_in(db, email="m@example.com", password=PASSWORD, address="a", hasher=HASHER)
        is None
    )


def test_failures_lock_the_account_then_double(db: Database) -> None:
    make(db)
    for _ in range(accounts.FREE_ATTEMPTS_PER_ACCOUNT):
        assert (
            accounts.sign_in(
                db, email="m@example.com", password="nope nope nope", address="a", hasher=HASHER
            )
            is None
        )
    # Locked: even the right password, and from another address.
    with pytest.raises(accounts.SignInThrottled) as caught:
        accounts.sign_in(db, email="m@example.com", password=PASSWORD, address="b", hasher=HASHER)
    assert 0 < caught.value.retry_after <= accounts.FIRST_DELAY_SECONDS
    # Time passes: the next failure locks for twice as long.
    later = utcnow() + timedelta(seconds=accounts.FIRST_DELAY_SECONDS + 1)
    with db.writing() as s:
        assert accounts.throttle_wait(s, email="m@example.com", address="b", now=later) == 0
        wait = accounts.record_failure(s, email="m@example.com", address="b", now=later)
    assert wait == 2 * accounts.FIRST_DELAY_SECONDS


def test_failures_from_one_address_lock_that_address(db: Database) -> None:
    for n in range(accounts.FREE_ATTEMPTS_PER_ADDRESS):
        # A different account each time: the per-account counter never trips.
        accounts.sign_in(
            db, email=f"guess{n}@example.com", password="x" * 12, address="6.6.6.6", hasher=HASHER
        )
    with pytest.raises(accounts.SignInThrottled):
        accounts.sign_in(
            db, email="other@example.com", password="x" * 12, address="6.6.6.6", hasher=HASHER
        )
    make(db, email="fine@example.com")
    assert accounts.sign_in(
        db, email="fine@example.com", password=PASSWORD, address="7.7.7.7", hasher=HASHER
    )


def test_success_forgets_the_account_failures(db: Database) -> None:
    make(db)
    for _ in range(accounts.FREE_ATTEMPTS_PER_ACCOUNT - 1):
        accounts.sign_in(
            db, email="m@example.com", password="nope nope nope", address="a", hasher=HASHER
        )
    assert accounts.sign_in(
        db, email="m@example.com", password=PASSWORD, address="a", hasher=HASHER
    )
    assert (
        accounts.sign_in(
            db, email="m@example.com", password="nope nope nope", address="a", hasher=HASHER
        )
        is None
    )
    assert accounts.sign_in(
        db, email="m@example.com", password=PASSWORD, address="a", hasher=HASHER
    )


# --- the CLI ---------------------------------------------------------------------------


@pytest.fixture
def cli_env(db_url: str) -> dict[str, str]:
    return {
        "DATABASE_URL": db_url,
        "CATALOGUE_ENV": "test",
        "SECRET_KEY": "s" * 40,
        "FAST_PASSWORD_HASHING": "1",
    }


def test_users_cli_create_list_disable(cli_env: dict[str, str], db: Database) -> None:
    runner = CliRunner()
    args = ["users", "create", "--email", "qa@example.com", "--role", "qa", "--password-stdin"]
    result = runner.invoke(main, args, input=f"{PASSWORD}\n", env=cli_env)
    assert result.exit_code == 0, result.output
    assert "created qa@example.com (qa)" in result.output
    result = runner.invoke(main, ["users", "list"], env=cli_env)
    assert "qa@example.com\tqa\tactive" in result.output
    result = runner.invoke(main, ["users", "disable", "--email", "qa@example.com"], env=cli_env)
    assert result.exit_code == 0
    assert (
        "qa@example.com\tqa\tdisabled" in runner.invoke(main, ["users", "list"], env=cli_env).output
    )
    assert (
        accounts.sign_in(db, email="qa@example.com", password=PASSWORD, address="a", hasher=HASHER)
        is None
    )


def test_users_cli_prompts_for_the_password(cli_env: dict[str, str]) -> None:
    args = ["users", "create", "--email", "a@example.com", "--role", "admin"]
    result = CliRunner().invoke(main, args, input=f"{PASSWORD}\n{PASSWORD}\n", env=cli_env)
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output  # hidden input


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (
            ["--email", "x@example.com", "--role", "qa", "--password-stdin"],
            "short\n",
            "at least 12",
        ),
        (["--email", "bad", "--role", "qa", "--password-stdin"], f"{PASSWORD}\n", "not an email"),
        (
            ["--email", "x@example.com", "--role", "boss", "--password-stdin"],
            f"{PASSWORD}\n",
            "boss",
        ),
    ],
)
def test_users_cli_refuses_bad_input(
    cli_env: dict[str, str], args: list[str], stdin: str, message: str
) -> None:
    result = CliRunner().invoke(main, ["users", "create", *args], input=stdin, env=cli_env)
    assert result.exit_code != 0
    assert message in result.output


def test_users_cli_disable_unknown_account(cli_env: dict[str, str]) -> None:
    result = CliRunner().invoke(
        main, ["users", "disable", "--email", "ghost@example.com"], env=cli_env
    )
    assert result.exit_code == 1
    assert "no account for ghost@example.com" in result.output
