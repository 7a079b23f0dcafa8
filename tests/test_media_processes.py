"""Two app processes over one database and one MEDIA_DIR, as behind a load balancer: each
serves the pictures uploaded through the other."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlmodel import select

from catalogue import accounts
from catalogue.data.db import Database
from catalogue.data.models import DeviceImage
from catalogue.media.processing import rendition_names
from tests import media_support as m
from tests.conftest import STAFF_PASSWORD, start_server, stop_server
from tests.factories import add_device


def _signed_in(url: str, email: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=30)
    client.get("/signin")
    token = client.cookies["csrftoken"]
    response = client.post(
        "/signin", data={"_csrf_token": token, "email": email, "password": STAFF_PASSWORD}
    )
    assert response.status_code == 303, response.text
    return client


def _upload(client: httpx.Client, slug: str, data: bytes, alt: str) -> None:
    response = client.post(
        f"/admin/devices/{slug}/images",
        data={"_csrf_token": client.cookies["csrftoken"], "alt_text": alt},
        files={"file": ("photo.jpg", data, "image/jpeg")},
    )
    assert response.status_code == 303, response.text


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_each_process_serves_what_the_other_stored(
    db_url: str, db: Database, tmp_path: Path
) -> None:
    with db.writing() as s:
        slug = add_device(s, status="draft").slug
        accounts.create_user(
            s,
            email="merch@example.com",
            password=STAFF_PASSWORD,
            role="merchandiser",
            hasher=accounts.password_hasher(fast=True),
        )
    media = tmp_path / "shared-media"
    servers = [
        start_server(db_url, tmp_path / f"{name}.log", MEDIA_DIR=str(media)) for name in "ab"
    ]
    try:
        a, b = (_signed_in(server.url, "merch@example.com") for _, server in servers)
        _upload(a, slug, m.jpeg(900, 600), "Uploaded through A")
        _upload(b, slug, m.png(700, 500), "Uploaded through B")
        with db.session() as s:
            stored = {i.alt_text: i for i in s.scalars(select(DeviceImage))}
        for alt, other in (("Uploaded through A", b), ("Uploaded through B", a)):
            image = stored[alt]
            for name in rendition_names(image.content_hash, image.width):
                response = other.get(f"/media/{name}")
                assert response.status_code == 200, name
                assert response.content == (media / name[:2] / name).read_bytes()
            assert alt in other.get(f"/admin/devices/{slug}/images").text
        a.close()
        b.close()
    finally:
        for process, _ in servers:
            stop_server(process)
    assert not list(media.rglob(".tmp-*"))
