"""Several app processes over one database: any of them can answer any request.

Two ``catalogue serve`` processes on two ports stand for the workers behind one address
(uvicorn hands each connection to whichever worker accepts it first, so a test cannot choose;
two ports let it): a session opened on one is signed in on the other, and a catalogue write
through one shows in the other's lists and counts.
"""

from __future__ import annotations

import os
import shutil
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import LiveServer, start_server, stop_server
from tests.import_support import csv_file, row

PASSWORD = "a long enough password"
TIMEOUT = 60  # an import with claim checks, on a shared two-core machine
REDIS_URL = os.environ.get("TEST_REDIS_URL")
SESSION_STORES = [
    "database",
    pytest.param(
        "redis", marks=pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL is not set")
    ),
]


@pytest.fixture(params=SESSION_STORES)
def two_servers(
    request: pytest.FixtureRequest, seeded_template: Path, tmp_path: Path
) -> Iterator[tuple[LiveServer, LiveServer]]:
    path = tmp_path / "shared.db"
    shutil.copy(seeded_template, path)
    extra = {"REDIS_URL": REDIS_URL} if request.param == "redis" and REDIS_URL else {}
    first, one = start_server(f"sqlite:///{path}", tmp_path / "one.log", **extra)
    try:
        second, other = start_server(f"sqlite:///{path}", tmp_path / "other.log", **extra)
    except RuntimeError:
        stop_server(first)
        raise
    one.cli(
        "users",
        "create",
        "--email",
        "admin@example.com",
        "--role",
        "admin",
        "--password-stdin",
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    yield one, other
    stop_server(first)
    stop_server(second)


def sign_in(client: httpx.Client) -> None:
    client.get("/signin")
    response = client.post(
        "/signin",
        data={
            "email": "admin@example.com",
            "password": PASSWORD,
            "_csrf_token": client.cookies["csrftoken"],
        },
    )
    assert response.status_code == 303, response.text


def signed_in(client: httpx.Client) -> bool:
    """The editor answers a signed-in merchandiser; anyone else is sent to sign in."""
    response = client.get("/admin/devices")
    assert response.status_code == 200 or "/signin" in response.headers["location"]
    return response.status_code == 200


def test_a_session_opened_on_one_process_is_signed_in_on_the_other(
    two_servers: tuple[LiveServer, LiveServer],
) -> None:
    one, other = two_servers
    with (
        httpx.Client(base_url=one.url, timeout=TIMEOUT) as a,
        httpx.Client(base_url=other.url, timeout=TIMEOUT) as b,
    ):
        assert not signed_in(b)
        sign_in(a)
        b.cookies = a.cookies
        assert signed_in(b)
        a.post("/signout", data={"_csrf_token": a.cookies["csrftoken"]})
        b.cookies = a.cookies
        assert not signed_in(b)


def test_a_write_through_one_process_shows_in_the_others_lists_and_counts(
    two_servers: tuple[LiveServer, LiveServer],
) -> None:
    one, other = two_servers
    with (
        httpx.Client(base_url=one.url, timeout=TIMEOUT) as a,
        httpx.Client(base_url=other.url, timeout=TIMEOUT) as b,
    ):
        before = b.get("/api/devices", params={"form_factor": "wrap"}).json()
        wraps = {f["value"]: f["count"] for f in before["facets"]["form_factor"]}["wrap"]
        sign_in(a)
        upload = csv_file(
            row(sku="TWO-1", slug="two-process-wrap", form_factor="wrap", status="published")
        )
        response = a.post(
            "/admin/import",
            data={"_csrf_token": a.cookies["csrftoken"]},
            files={"file": ("devices.csv", upload, "text/csv")},
        )
        assert response.status_code == 200, response.text
        after = b.get("/api/devices", params={"form_factor": "wrap"}).json()
        counts = {f["value"]: f["count"] for f in after["facets"]["form_factor"]}
        assert (after["total"], counts["wrap"]) == (before["total"] + 1, wraps + 1)
        assert "two-process-wrap" in {item["slug"] for item in after["items"]}
        assert b.get("/devices/two-process-wrap").status_code == 200


def children_of(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def test_workers_setting_starts_that_many_processes_on_one_port(
    seeded_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "workers.db"
    shutil.copy(seeded_template, path)
    process, server = start_server(f"sqlite:///{path}", tmp_path / "workers.log", WORKERS="2")
    try:
        workers = children_of(process.pid)
        assert len(workers) == 2
        with httpx.Client(base_url=server.url, timeout=TIMEOUT) as client:
            assert all(client.get("/api/devices").status_code == 200 for _ in range(6))
            # A worker that dies is replaced; the other answers meanwhile.
            os.kill(workers[0], signal.SIGKILL)
            deadline = time.monotonic() + TIMEOUT
            while time.monotonic() < deadline:
                now = children_of(process.pid)
                if len(now) == 2 and workers[0] not in now:
                    break
                time.sleep(0.2)
            assert len(now) == 2 and workers[0] not in now and workers[1] in now
            assert all(client.get("/api/devices").status_code == 200 for _ in range(6))
    finally:
        stop_server(process)
    assert not any(Path(f"/proc/{pid}").exists() for pid in now)  # stopped with the parent
