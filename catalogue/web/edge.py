"""The edge: refuse input no handler should see, before any handler or query sees it.

One ``before_request`` hook on the app. A control character (NUL above all: PostgreSQL
refuses it in text) in the path, a query value, a form field or a JSON string is a 400 that
names where it was; a query string that is not UTF-8 is a 400 too. Static paths that cannot
name a file (a control character, an over-long name) are a 404 before the file system is asked.

Tab, line feed and carriage return pass in form fields and JSON: a description has lines.
Here too: an unsafe request of a signed-in session must carry the CSRF token that session was
given at sign-in (``sessions.csrf_token_bound``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote_to_bytes

from litestar import Request
from litestar.datastructures import UploadFile
from litestar.exceptions import NotFoundException, PermissionDeniedException, ValidationException

from catalogue.core.inputs import JSONInputError, control_character, json_control_character
from catalogue.core.inputs import load_json as load_limited_json
from catalogue.web.sessions import CSRF_EXEMPT, csrf_token_bound

STATIC_PREFIX = "/static/"
MAX_STATIC_PATH = 255
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _refuse(where: str, message: str) -> ValidationException:
    return ValidationException(
        detail="This request holds characters we do not accept",
        extra=[{"key": where, "message": message}],
    )


def _path_problem(path: str) -> str | None:
    if found := control_character(path, lines=False):
        return f"the address holds a control character ({found})"
    return None


def _query_problems(raw: bytes) -> None:
    for pair in raw.split(b"&"):
        key, _, value = pair.replace(b"+", b" ").partition(b"=")
        try:
            name = unquote_to_bytes(key).decode("utf-8")
            text = unquote_to_bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            raise _refuse("query", "the query string is not UTF-8") from None
        if found := control_character(name, lines=False) or control_character(text, lines=False):
            raise _refuse(name[:40] or "query", f"holds a control character ({found})")


async def _body_problems(request: Request[Any, Any, Any]) -> None:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type in FORM_TYPES:
        form = await request.form()
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                continue  # a file's contents are the importer's to judge, row by row
            if found := control_character(key) or control_character(str(value)):
                raise _refuse(key[:40], f"holds a control character ({found})")
    elif content_type == "application/json":
        body = await request.body()
        try:
            data = load_limited_json(body.decode("utf-8"))
        except (UnicodeDecodeError, JSONInputError):
            return  # the handler says what is wrong with the body itself
        if found := json_control_character(data):
            raise _refuse("body", f"a string holds a control character ({found})")


async def refuse_hostile_input(request: Request[Any, Any, Any]) -> None:
    """Litestar's ``before_request`` hook: returns nothing, or raises a 400 (or a 404)."""
    path = request.scope["path"]
    if path.startswith(STATIC_PREFIX):
        if len(path) > MAX_STATIC_PATH or _path_problem(path):
            raise NotFoundException("No such file.")
    elif problem := _path_problem(path):
        raise _refuse("path", problem)
    if raw := request.scope.get("query_string", b""):
        _query_problems(raw)
    if request.method in ("POST", "PUT", "PATCH"):
        await _body_problems(request)
    unsafe = request.method not in ("GET", "HEAD", "OPTIONS")
    if unsafe and path not in CSRF_EXEMPT and not csrf_token_bound(request):
        raise PermissionDeniedException(
            "This form belongs to another sign-in. Reload the page and try again."
        )
