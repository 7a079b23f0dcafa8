"""The app: health, the first device page, errors as JSON or pages, settings that refuse danger."""

from __future__ import annotations

import os

import pytest
from sqlalchemy.orm import Session

from catalogue.settings import DEFAULT_SECRET, Settings, SettingsError
from tests.factories import add_device


def test_healthz(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_devices_page_lists_published_only(client, session: Session) -> None:
    add_device(session, name="Shown Panel", status="published")
    add_device(session, name="Hidden Draft", status="draft")
    session.commit()
    response = client.get("/devices")
    assert response.status_code == 200
    assert "Shown Panel" in response.text
    assert "Hidden Draft" not in response.text


@pytest.mark.parametrize(
    ("path", "headers", "kind"),
    [
        ("/no-such-page", {}, "html"),
        ("/api/no-such-thing", {}, "json"),
        ("/no-such-page", {"accept": "application/json"}, "json"),
    ],
)
def test_not_found_is_a_page_or_json(client, path: str, headers: dict[str, str], kind: str) -> None:
    response = client.get(path, headers=headers)
    assert response.status_code == 404
    if kind == "json":
        assert response.json()["status_code"] == 404
    else:
        assert "We could not find that page" in response.text
        assert "Traceback" not in response.text


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"CATALOGUE_ENV": "production"}, "SECRET_KEY must be set"),
        ({"CATALOGUE_ENV": "production", "SECRET_KEY": DEFAULT_SECRET}, "SECRET_KEY must be set"),
        ({"CATALOGUE_ENV": "production", "SECRET_KEY": "short"}, "SECRET_KEY must be set"),
        ({"CATALOGUE_ENV": "staging"}, "CATALOGUE_ENV must be"),
        ({"PORT": "eighty"}, "PORT, SESSION_IDLE_MINUTES and WORKERS must be whole numbers"),
        ({"PORT": "70000"}, "PORT must be between 1 and 65535"),
        ({"WORKERS": "two"}, "WORKERS must be whole numbers"),
        ({"WORKERS": "0"}, "WORKERS must be between 1 and 64"),
        ({"WORKERS": "65"}, "WORKERS must be between 1 and 64"),
    ],
)
def test_settings_refuse_unsafe_values(environ: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(environ)


def test_settings_read_the_environment_passed_in() -> None:
    settings = Settings.from_env(
        {"DATABASE_URL": "sqlite:///x.db", "HOST": "0.0.0.0", "PORT": "9000"}
    )
    assert (settings.database_url, settings.host, settings.port) == (
        "sqlite:///x.db",
        "0.0.0.0",
        9000,
    )
    assert Settings.from_env({"WORKERS": "3"}).workers == 3
    assert Settings.from_env({}).workers == (os.cpu_count() or 1)  # one per core by default
    production = Settings.from_env({"CATALOGUE_ENV": "production", "SECRET_KEY": "k" * 40})
    assert production.environment == "production"


def test_the_openapi_document_holds_the_json_api_only(client) -> None:
    """HTML pages stay out of the schema: documented as JSON they would mislead a client."""
    document = client.get("/schema/openapi.json").json()
    paths = set(document["paths"])
    assert "/api/devices" in paths and "/api/claims/check" in paths
    assert {p for p in paths if not p.startswith("/api/")} == set()
    for path, operations in document["paths"].items():
        for operation in operations.values():
            for response in operation.get("responses", {}).values():
                assert set(response.get("content", {})) <= {"application/json"}, path
