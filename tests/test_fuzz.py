"""A fuzzing harness: hostile values in every route's path, query and form parameters, as an
anonymous visitor and as each role, on SQLite and PostgreSQL. A 5xx, an answer that shows our
insides (a traceback, "sqlalchemy", Python's int() message) or a slow answer fails the test.

``make test`` runs a short version: every route and parameter, each with one value of the
table (rotating), each route as one role (rotating). The long version sends every value as
every role and is run by hand::

    FUZZ_LONG=1 .venv/bin/pytest tests/test_fuzz.py -n 2

The time limit is 2 s a request in the long run; the short run allows 30 s (it only catches a
hang: it shares machines with other suites, and timing is not what it checks).
``FUZZ_SLOW_SECONDS`` sets the limit.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute
from sqlalchemy.orm import Session

from catalogue.app import create_app
from catalogue.settings import Settings
from tests.factories import add_device

LONG = os.environ.get("FUZZ_LONG") == "1"
SLOW_SECONDS = float(os.environ.get("FUZZ_SLOW_SECONDS") or (2 if LONG else 30))
# The short run sends this many of the query names and form fields to each route (rotating,
# so every name is sent to some routes); the long run sends all of them to every route.
SHORT_NAMES = 5
ROLES = (None, "merchandiser", "qa", "admin")
LEAKS = re.compile(
    r"Traceback|sqlalchemy|psycopg|invalid literal for int|set_int_max_str_digits"
    r"|OperationalError|IntegrityError|File \"/",
    re.IGNORECASE,
)
RAW = "raw:"  # a value sent as it is, not percent-encoded: an invalid UTF-8 escape

# (name, value): each goes into one parameter at a time.
HOSTILE: list[tuple[str, str]] = [
    ("nul", "\x00"),
    ("controls", "a\x01\x1b[31m\x7fb"),
    ("bad utf-8 escape", RAW + "%ff%fe%C0%AF"),
    ("10,000 characters", "x" * 10_000),
    ("5,000 digits", "9" * 5_000),
    ("superscript two", "²"),
    ("negative", "-1"),
    ("huge id", "99999999999999999999"),
    ("fullwidth one", "１"),
    ("empty", ""),
]
# Query arguments the pages read (most are not in the OpenAPI document: the handlers read them
# from the query string), and every form field our forms post.
QUERY_NAMES = (
    "page", "per_page", "q", "brand", "light_type", "coverage", "area", "form_factor",
    "min_price", "max_price", "min_nm", "max_nm", "sort", "ids", "diff", "status", "rule",
    "severity", "next", "saved",
)  # fmt: skip
FORM_NAMES = (
    "version", "seen_change_id", "change_id", "action", "comment", "reason", "rule", "text",
    "waiver", "back", "email", "password", "next", "role", "active", "name", "brand", "slug",
    "sku", "price", "currency", "form_factor", "emission_nm", "emission_share", "areas",
    "irradiance_mw_cm2", "led_count", "description", "status", "dry_run", "format",
)  # fmt: skip
# Signing out would end the very sessions the harness sends as.
SKIPPED = {("POST", "/signout")}
PATH_PARAM = re.compile(r"\{(\w+):\w+\}")
FUZZ_SLUG = "fuzz-panel"


@dataclass(frozen=True)
class Probe:
    method: str
    route: str  # the route's template, for the failure message
    url: str
    body: str | None = None


def _encode(value: str) -> str:
    return value[len(RAW) :] if value.startswith(RAW) else quote(value, safe="")


def routes(app: Litestar) -> list[tuple[str, str, list[str]]]:
    """(method, path template, path parameter names) of every GET and POST route, the OpenAPI
    document's and the form routes (which are left out of the document) alike."""
    found = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for method in ("GET", "POST"):
            if method in route.methods:
                found.append((method, route.path, PATH_PARAM.findall(route.path)))
    documented = {path for path in (app.openapi_schema.paths or {})}
    assert documented, "the OpenAPI document lists no paths"
    listed = {PATH_PARAM.sub(r"{\1}", path) for _, path, _ in found}
    assert documented <= listed, documented - listed
    return found


def _documented(app: Litestar, path: str) -> list[str]:
    """The query parameters the OpenAPI document names for this GET route."""
    item = (app.openapi_schema.paths or {}).get(PATH_PARAM.sub(r"{\1}", path))
    parameters = item.get.parameters if item and item.get else None
    return [p.name for p in parameters or [] if getattr(p, "param_in", "query") == "query"]


def probes(app: Litestar, pick: Iterator[tuple[str, str]]) -> Iterator[Probe]:
    """Every route with each of its parameters made hostile in turn; ``pick`` chooses the
    value (all of them in the long run, one rotating value in the short run)."""
    query_names, form_names = itertools.cycle(QUERY_NAMES), itertools.cycle(FORM_NAMES)

    def some(names: Iterator[str], every: tuple[str, ...]) -> tuple[str, ...]:
        return every if LONG else tuple(itertools.islice(names, SHORT_NAMES))

    for method, path, params in routes(app):
        if (method, path) in SKIPPED:
            continue
        real = PATH_PARAM.sub(FUZZ_SLUG, path)
        for param in params:
            for _, value in pick_values(pick):
                url = re.sub(r"\{" + param + r":\w+\}", _encode(value), path)
                body = _form({}) if method == "POST" else None
                yield Probe(method, path, PATH_PARAM.sub(FUZZ_SLUG, url), body)
        if method == "GET":
            for name in (*_documented(app, path), *some(query_names, QUERY_NAMES)):
                for _, value in pick_values(pick):
                    yield Probe(method, path, f"{real}?{name}={_encode(value)}")
                yield Probe(method, path, f"{real}?{name}=1&{name}=2&{name}={'9' * 30}")
        elif path == "/api/claims/check":
            for key in ("description", "wavelengths_nm", "areas"):
                for _, value in pick_values(pick):
                    body = {"description": "x", "wavelengths_nm": [660], "areas": []}
                    yield Probe(method, path, real, _json({**body, key: value}))
        else:
            for name in some(form_names, FORM_NAMES):
                for _, value in pick_values(pick):
                    yield Probe(method, path, real, _form({name: value}))
                yield Probe(method, path, real, _form({name: "1", "_repeat": name}))


def pick_values(pick: Iterator[tuple[str, str]]) -> list[tuple[str, str]]:
    return HOSTILE if LONG else [next(pick)]


def _form(fields: dict[str, str]) -> str:
    """A form body; the CSRF token goes in the x-csrftoken header."""
    repeat = fields.pop("_repeat", None)
    pairs = [f"{quote(k)}={_encode(v)}" for k, v in fields.items()]
    if repeat:
        pairs += [f"{quote(repeat)}=2", f"{quote(repeat)}={'9' * 30}"]
    return "&".join(pairs)


def _json(body: dict[str, Any]) -> str:
    text = json.dumps(body)
    # A 5,000-digit number as a JSON number, not a string.
    return text.replace(f'"{"9" * 5_000}"', "9" * 5_000)


def _send(client: Any, probe: Probe) -> Any:
    if probe.method == "GET":
        return client.get(probe.url, follow_redirects=False)
    content_type = (
        "application/json" if probe.route == "/api/claims/check" else
        "application/x-www-form-urlencoded"
    )  # fmt: skip
    return client.post(
        probe.url,
        content=(probe.body or "").encode("utf-8", "surrogatepass"),
        headers={"content-type": content_type, "x-csrftoken": client.token()},
        follow_redirects=False,
    )


@pytest.mark.fuzz
@pytest.mark.parametrize("role", ROLES if LONG else ("rotating",))
def test_no_hostile_value_gets_a_5xx_or_shows_our_insides(
    staff: Any, session: Session, staff_settings: Settings, role: str | None
) -> None:
    add_device(session, slug=FUZZ_SLUG, sku="FUZZ-1", status="in_review")
    session.commit()
    clients = {r: staff(r) for r in (ROLES if role == "rotating" else (role,))}
    rotation = itertools.cycle(clients.values())
    app = create_app(staff_settings)
    pick = itertools.cycle(HOSTILE)
    failures: list[str] = []
    sent = 0
    for probe in probes(app, pick):
        client = next(rotation)
        started = time.perf_counter()
        response = _send(client, probe)
        seconds = time.perf_counter() - started
        sent += 1
        where = f"{client.role or 'anonymous'} {probe.method} {probe.url[:120]!r}"
        if response.status_code >= 500:
            failures.append(f"{response.status_code} on {where}")
        elif LEAKS.search(response.text):
            failures.append(f"leak {LEAKS.search(response.text).group()!r} on {where}")  # type: ignore[union-attr]
        elif seconds > SLOW_SECONDS:
            failures.append(f"{seconds:.1f} s on {where}")
    assert sent > 200
    assert not failures, "\n".join(failures[:40])
