"""Errors as users should see them: JSON with a 4xx for the API, a friendly page for HTML."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.response import Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR, HTTP_503_SERVICE_UNAVAILABLE
from sqlalchemy.exc import OperationalError

log = logging.getLogger("catalogue")

TITLES = {
    400: "That request did not make sense to us",
    403: "You cannot do that",
    404: "We could not find that page",
    405: "That method is not allowed here",
    409: "Someone else changed this first",
    413: "That upload is too large",
    429: "Too many attempts",
    503: "Busy for a moment",
}


def wants_json(request: Request[Any, Any, Any]) -> bool:
    if request.url.path.startswith("/api/") or request.url.path.endswith(".json"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _detail(exc: HTTPException) -> Any:
    """Validation errors name the argument: ``[{"key": "per_page", "message": "..."}]``."""
    if isinstance(exc, ValidationException) and exc.extra:
        return exc.extra
    return exc.extra or None


def database_busy(exc: BaseException) -> bool:
    """Another writer held the database longer than we wait: SQLite's busy timeout ran out,
    or PostgreSQL's ``lock_timeout`` did. Nothing was written; trying again is the answer."""
    if not isinstance(exc, OperationalError):
        return False
    text = str(exc.orig)
    return "database is locked" in text or "lock timeout" in text


def handle_exception(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    if isinstance(exc, HTTPException):
        status, message, detail = exc.status_code, exc.detail, _detail(exc)
    elif database_busy(exc):
        log.warning("database busy on %s %s", request.method, request.url.path)
        status, message, detail = (
            HTTP_503_SERVICE_UNAVAILABLE,
            "The catalogue is busy with another change; nothing was saved. "
            "Try again in a few seconds.",
            None,
        )
        exc = HTTPException(status_code=status, headers={"retry-after": "5"})
    else:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        status, message, detail = (
            HTTP_500_INTERNAL_SERVER_ERROR,
            "Something went wrong on our side. It has been logged.",
            None,
        )
    headers = getattr(exc, "headers", None) or {}
    if wants_json(request):
        body: dict[str, Any] = {"status_code": status, "error": message}
        if detail:
            body["detail"] = detail
        return Response(body, status_code=status, media_type=MediaType.JSON, headers=headers)
    return Template(
        template_name="error.html",
        context={
            "status_code": status,
            "title": TITLES.get(status, "Something went wrong"),
            "message": message,
            "detail": detail if isinstance(detail, list) else None,
        },
        status_code=status,
        headers=headers,
    )


def exception_handlers() -> dict[type[Exception] | int, Callable[..., Response[Any]]]:
    return {HTTPException: handle_exception, Exception: handle_exception}
