"""One-time notices: "done" after a redirect, shown once on the page the person lands on."""

from __future__ import annotations

from typing import Any

from litestar import Request

NOTICE_KEY = "notice"


def give_notice(request: Request[Any, Any, Any], notice: str) -> None:
    request.set_session({**request.session, NOTICE_KEY: notice})


def take_notice(request: Request[Any, Any, Any]) -> str | None:
    session = request.session
    if NOTICE_KEY not in session:
        return None
    notice = session.get(NOTICE_KEY)
    request.set_session({k: v for k, v in session.items() if k != NOTICE_KEY})
    return str(notice)
