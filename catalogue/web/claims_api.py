"""The claim checker over HTTP: check a listing that is not saved, list the rules.

``POST /api/claims/check`` is stateless (nothing is read from or written to a session or a
listing), so it is open to anyone and excluded from CSRF in the app factory.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.exceptions import HTTPException, ValidationException
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.params import RawBody
from litestar.status_codes import HTTP_200_OK, HTTP_413_REQUEST_ENTITY_TOO_LARGE

from catalogue.claims import audit
from catalogue.claims.claim_check import (
    MAX_BODY_BYTES,
    CheckInputError,
    check,
    parse_check_request,
    parse_json,
)
from catalogue.web.deps import DbSession
from catalogue.web.errors import handle_exception


def _too_large(request: Request[Any, Any, Any], _: RequestEntityTooLarge) -> Response[Any]:
    """Litestar's own 413 says only "Request Entity Too Large"; say which limit it was."""
    return handle_exception(
        request,
        HTTPException(
            status_code=HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            detail=f"The body is over the {MAX_BODY_BYTES // 1024} KB limit for a claim check",
            extra={"limit_bytes": MAX_BODY_BYTES},
        ),
    )


@post(
    "/api/claims/check",
    sync_to_thread=True,
    status_code=HTTP_200_OK,
    # Refused while it streams in, before a byte past the limit is buffered.
    request_max_body_size=MAX_BODY_BYTES,
    exception_handlers={RequestEntityTooLarge: _too_large},
)
def check_claims(body: RawBody, session: DbSession) -> dict[str, Any]:
    """``{"description", "wavelengths_nm", "areas"}`` -> ``{"findings": [...]}``."""
    context = audit.load_context(session)
    try:
        request = parse_check_request(parse_json(body), known_areas=list(context.areas))
    except CheckInputError as exc:
        keys = ", ".join(p["key"] for p in exc.problems)
        raise ValidationException(
            detail=f"This listing cannot be checked; look at: {keys}", extra=exc.problems
        ) from None
    return {"findings": [f.to_dict() for f in check(request, context)]}


@get("/api/claims/rules", sync_to_thread=True)
def claim_rules(session: DbSession) -> dict[str, Any]:
    """Every rule as its ``seed/rules.json`` object, in id order."""
    return {"rules": [rule.to_dict() for rule in audit.load_rule_rows(session)]}


claims_api_handlers = [check_claims, claim_rules]
