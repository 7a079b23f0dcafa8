"""Fixtures: a migrated database per test (SQLite always, PostgreSQL when TEST_POSTGRES_URL is set),
the app over it, and a real server plus a real Chromium for the page tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from catalogue.app import create_app
from catalogue.cli import run_migrations
from catalogue.data.db import Database
from catalogue.data.models import SQLModel
from catalogue.imports.seed import seed_database
from catalogue.media.storage import MediaStore
from catalogue.settings import ROOT, Settings

SEED_DIR = ROOT / "seed"
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL")
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]

# Fixtures of one topic that several test modules share live in rooms of their own.
pytest_plugins = [
    "tests.claims_fixtures",
    "tests.known_catalogue_fixtures",
    "tests.qa_fixtures",
]


def prepare(url: str, *, devices: bool = False, media_dir: Path | None = None) -> None:
    """Migrate to head and load the reference data (and, when asked, the seed devices, with
    their pictures when ``media_dir`` is given)."""
    run_migrations(url)
    db = Database(url)
    media = MediaStore(media_dir) if media_dir else None
    try:
        with db.writing() as session:
            seed_database(session, SEED_DIR, devices=devices, media=media)
    finally:
        db.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    prepare(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_ready() -> Iterator[str]:
    """A database of this test run's own on the TEST_POSTGRES_URL server, dropped at the end,
    so parallel runs (and other users of that database) never see each other's rows."""
    if not POSTGRES_URL:
        pytest.skip("TEST_POSTGRES_URL is not set")
    name = f"catalogue_test_{os.getpid()}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    prepare(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _reset_postgres(url: str) -> None:
    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    db = Database(url)
    try:
        with db.writing() as session:
            seed_database(session, SEED_DIR, devices=False)
    finally:
        db.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated database holding the reference data and no devices, private to this test."""
    if request.param == "sqlite":
        path = tmp_path / "catalogue.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_ready")
    _reset_postgres(url)
    return url


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    """A plain session; a test commits what the app under test must see."""
    with db.session() as s:
        yield s


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=db_url, environment="test", secret_key="x" * 40, media_dir=tmp_path / "media"
    )


@pytest.fixture
def app(settings: Settings) -> Litestar:
    return create_app(settings)


@pytest.fixture
def client(app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(app=app) as c:
        yield c


# --- The real server and a real browser, for the page tests --------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    database_url: str
    env: dict[str, str]

    def cli(self, *args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        """Run a ``catalogue`` command against this server's database."""
        return subprocess.run(
            [sys.executable, "-m", "catalogue.cli", *args],
            env=self.env,
            input=input,
            capture_output=True,
            text=True,
            check=True,
        )


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("seeded") / "seeded.db"
    prepare(f"sqlite:///{path}", devices=True, media_dir=path.parent / "media")
    return path


def start_server(database_url: str, log_path: Path, **extra_env: str) -> tuple[Any, LiveServer]:
    """``catalogue serve`` in a process of its own over ``database_url``: (process, server)."""
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "CATALOGUE_ENV": "test",
        "SECRET_KEY": "t" * 40,
        "WORKERS": "1",
    }
    env.pop("REDIS_URL", None)
    env.update(extra_env)
    log = log_path.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "catalogue.cli", "serve"], env=env, stdout=log, stderr=log
    )
    log.close()
    url = f"http://127.0.0.1:{port}"
    # Generous: on a shared two-core machine two workers can take half a minute to import.
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                stop_server(process)  # terminate, so uvicorn stops its workers too
                raise RuntimeError(log_path.read_text()) from None
            time.sleep(0.1)
    return process, LiveServer(url=url, database_url=database_url, env=env)


def stop_server(process: Any) -> None:
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def live_server(seeded_template: Path, tmp_path: Path) -> Iterator[LiveServer]:
    """``catalogue serve`` in its own process over a private copy of the seeded catalogue."""
    path = tmp_path / "live.db"
    shutil.copy(seeded_template, path)
    shutil.copytree(seeded_template.parent / "media", tmp_path / "media")
    process, server = start_server(
        f"sqlite:///{path}", tmp_path / "server.log", MEDIA_DIR=str(tmp_path / "media")
    )
    yield server
    stop_server(process)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=chromium,
            args=[
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/ (git-ignored) to look at by eye."""
    folder = ROOT / "test-artifacts"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.png"
    # caret="initial": hiding the caret injects a style element, which the CSP refuses.
    page.screenshot(path=str(path), full_page=True, caret="initial")
    return path


# --- Signed-in staff (merchandiser, QA, admin) for the admin pages -------------------------

STAFF_PASSWORD = "a long enough test password"


@pytest.fixture
def staff_settings(settings: Settings) -> Settings:
    """The test settings with cheap argon2 parameters (allowed only in CATALOGUE_ENV=test)."""
    import dataclasses

    return dataclasses.replace(settings, fast_password_hashing=True)


@pytest.fixture
def staff_app(staff_settings: Settings) -> Litestar:
    return create_app(staff_settings)


class StaffClient:
    """A test client with a CSRF cookie; ``form()`` posts a form carrying the token."""

    def __init__(self, client: TestClient[Litestar], email: str | None, role: str | None) -> None:
        self.client, self.email, self.role = client, email, role

    def __getattr__(self, name: str) -> Any:
        return getattr(self.client, name)

    def token(self) -> str:
        if "csrftoken" not in self.client.cookies:
            self.client.get("/signin")
        return str(self.client.cookies["csrftoken"])

    def form(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        kwargs.setdefault("follow_redirects", False)
        return self.client.post(path, data={"_csrf_token": self.token(), **(data or {})}, **kwargs)

    def sign_in(self, email: str, password: str = STAFF_PASSWORD) -> Any:
        return self.form("/signin", {"email": email, "password": password})


@pytest.fixture
def staff(staff_settings: Settings, db: Database) -> Iterator[Any]:
    """``staff("qa")`` -> a client signed in as a new QA account; ``staff(None)``: anonymous.

    Each client gets its own app over the same database, like app processes behind one
    address (two TestClients sharing one app hang on shutdown)."""
    import itertools

    from catalogue import accounts

    clients: list[TestClient[Litestar]] = []
    counter = itertools.count(1)
    hasher = accounts.password_hasher(fast=True)

    def make(role: str | None = None) -> StaffClient:
        client = TestClient(app=create_app(staff_settings))
        client.__enter__()
        clients.append(client)
        if role is None:
            return StaffClient(client, None, None)
        email = f"{role}{next(counter)}@example.com"
        with db.writing() as s:
            accounts.create_user(s, email=email, password=STAFF_PASSWORD, role=role, hasher=hasher)
        staff_client = StaffClient(client, email, role)
        response = staff_client.sign_in(email)
        assert response.status_code == 303, response.text
        return staff_client

    yield make
    for client in clients:
        client.__exit__(None, None, None)
