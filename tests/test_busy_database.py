"""PostgreSQL busy with another transaction's locks on the tables sign-in and sessions write:
a reader still gets the page, sign-in answers a clear 503 within the lock timeout (or
succeeds once the lock is gone), never a 500 and never a wait without end."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import create_engine, text, update
from sqlmodel import col

from catalogue import accounts
from catalogue.app import create_app
from catalogue.data import db as db_module
from catalogue.data.db import Database, is_sqlite
from catalogue.data.models import StoreEntry, utcnow
from catalogue.settings import Settings
from tests.conftest import STAFF_PASSWORD, StaffClient

LOCK_TIMEOUT = "1s"  # the configured wait, shortened so the table runs in seconds
READER, SIGNER = "reader@example.com", "signer@example.com"

# (what another transaction holds, sign-in's answer meanwhile, the signed-in reader's answer)
LOCKS = [
    ("SELECT id FROM app_user WHERE email = :signer FOR UPDATE", 503, 200),
    ("SELECT key FROM store_entry WHERE key LIKE 'session:%' FOR UPDATE", 303, 200),
    ("SELECT key FROM store_entry WHERE key LIKE 'throttle:%' FOR UPDATE", 503, 200),
    ("LOCK TABLE store_entry IN ACCESS EXCLUSIVE MODE", 503, 503),
    ("LOCK TABLE app_user IN ACCESS EXCLUSIVE MODE", 503, 503),
]


@pytest.fixture
def busy_settings(
    staff_settings: Settings, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> Settings:
    if is_sqlite(db_url):
        pytest.skip("SQLite has one writer at a time and no row locks: see test_session_edge")
    monkeypatch.setattr(db_module, "WRITE_LOCK_TIMEOUT", LOCK_TIMEOUT)
    return staff_settings


@pytest.fixture
def people(busy_settings: Settings, db: Database) -> Iterator[tuple[StaffClient, StaffClient]]:
    """A signed-in reader whose session is due for renewal (a write on every page until it
    is renewed), and someone about to sign in after one failed attempt (so the throttle
    has a row of theirs to clear)."""
    hasher = accounts.password_hasher(fast=True)
    with db.writing() as s:
        for email in (READER, SIGNER):
            accounts.create_user(
                s, email=email, password=STAFF_PASSWORD, role="merchandiser", hasher=hasher
            )
    with (
        TestClient(app=create_app(busy_settings)) as one,
        TestClient(app=create_app(busy_settings)) as two,
    ):
        reader, signer = StaffClient(one, READER, "merchandiser"), StaffClient(two, SIGNER, None)
        assert reader.sign_in(READER).status_code == 303
        assert signer.sign_in(SIGNER, "not the right password").status_code == 400
        with db.writing() as s:
            s.execute(
                update(StoreEntry)
                .where(col(StoreEntry.key).startswith("session:"))
                .values(expires_at=utcnow() + timedelta(minutes=30))
            )
        yield reader, signer


class Holder:
    """Another connection holding ``lock`` until ``release()``."""

    def __init__(self, url: str, lock: str) -> None:
        self.engine = create_engine(url)
        self.conn = self.engine.connect()
        self.conn.execute(text(lock), {"signer": SIGNER})

    def release(self) -> None:
        self.conn.rollback()
        self.conn.close()
        self.engine.dispose()


def _timed(call: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    response = call()
    return response, time.perf_counter() - started


@pytest.mark.parametrize(("lock", "signing_in", "reading"), LOCKS)
def test_a_busy_database_is_never_a_500(
    people: tuple[StaffClient, StaffClient],
    db_url: str,
    lock: str,
    signing_in: int,
    reading: int,
) -> None:
    reader, signer = people
    holder = Holder(db_url, lock)
    try:
        page, read_seconds = _timed(lambda: reader.get("/admin/devices", follow_redirects=False))
        shop, _ = _timed(lambda: signer.get("/devices"))  # an anonymous shopper
        answer, sign_seconds = _timed(lambda: signer.sign_in(SIGNER))
    finally:
        holder.release()
    print(f"\n{lock}: reader {page.status_code} in {read_seconds:.2f} s, "
          f"sign-in {answer.status_code} in {sign_seconds:.2f} s")  # fmt: skip
    assert shop.status_code == 200
    assert (page.status_code, answer.status_code) == (reading, signing_in), answer.text[:300]
    for response in (page, answer):
        if response.status_code == 503:
            assert response.headers["retry-after"] == "5"
            assert "busy with another change" in response.text
    # Once the lock is gone, all is as before: the reader is still signed in and the
    # signer gets in.
    assert reader.get("/admin/devices", follow_redirects=False).status_code == 200
    if signing_in != 303:
        assert signer.sign_in(SIGNER).status_code == 303


@pytest.mark.parametrize(("lock", "_signing_in", "_reading"), LOCKS[:3])
def test_sign_in_waiting_on_a_lock_gets_in_once_it_is_released(
    people: tuple[StaffClient, StaffClient], db_url: str, lock: str, _signing_in: int, _reading: int
) -> None:
    _, signer = people
    holder = Holder(db_url, lock)
    timer = threading.Timer(0.3, holder.release)  # well within the lock timeout
    timer.start()
    try:
        answer = signer.sign_in(SIGNER)
    finally:
        timer.join()
    assert answer.status_code == 303, answer.text[:300]
