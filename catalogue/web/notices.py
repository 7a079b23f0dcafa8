"""One-time notices: "done" after a redirect, shown once on the page the person lands on."""

from __future__ import annotations

from typing import Any

from litestar import Request

NOTICE_KEY = "notice"


def give_notice(request: Request[Any, Any, Any], notice: Any, *, key: str = NOTICE_KEY) -> None:
    """Keep ``notice`` (text, or anything the session can store) for the next page. A page
    family with a ``key`` of its own never shows another's notice."""
    request.set_session({**request.session, key: notice})


def take_notice(request: Request[Any, Any, Any], *, key: str = NOTICE_KEY) -> Any:
    """The notice kept under ``key``, removed as it is read; None when there is none."""
    session = request.session
    notice = session.get(key)
    if notice is None:
        return None
    request.set_session({k: v for k, v in session.items() if k != key})
    return notice
