"""The review queue at ``/qa/queue``: listings in review, oldest submission first.

QA approves or sends back one listing, or ticks several and approves them at once; the
publish gate decides for each (``workflow.move_device``). Every action is a plain form POST
that comes back to the same page of the queue with a one-time notice naming the listings.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import ValidationException
from litestar.params import FromPath
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER
from sqlalchemy.orm import Session

from catalogue.core.inputs import whole_number, whole_number_or
from catalogue.data.db import Database
from catalogue.devices.worklist import parse_ticked
from catalogue.qa import queue
from catalogue.qa.listing import MAX_PAGE
from catalogue.web.admin.device_form import getall
from catalogue.web.deps import CurrentUser, Db, DbSession, Form
from catalogue.web.guards import SignedInUser, require_roles, signed_in_user
from catalogue.web.notices import give_notice, take_notice
from catalogue.web.qa_review import review

QUEUE_PATH = "/qa/queue"
NOTICE_KEY = "queue_notice"  # {"text": ...} or {"approved": [...], "refused": [[name, why]]}


def _page_number(value: object, *, strict: bool) -> int:
    """The ``page`` argument; a nonsense one is a 400 on the page itself, page 1 on a form."""
    text = str(value or "1").strip()
    if not strict:
        return whole_number_or(text, 1) or 1
    try:
        return whole_number(text, low=1, high=MAX_PAGE)
    except ValueError:
        shown = text if len(text) <= 20 else text[:20] + "…"
        raise ValidationException(
            detail="That queue page does not exist",
            extra=[
                {"key": "page", "message": f"{shown!r} is not a page number (1 to {MAX_PAGE:,})"}
            ],
        ) from None


def _give(request: Request[Any, Any, Any], notice: dict[str, Any]) -> None:
    give_notice(request, notice, key=NOTICE_KEY)


def _take(request: Request[Any, Any, Any]) -> dict[str, Any] | None:
    notice = take_notice(request, key=NOTICE_KEY)
    if notice is None:
        return None
    return notice if isinstance(notice, dict) else {"text": str(notice)}


def _back(data: Mapping[str, Any], anchor: str = "") -> Redirect:
    page = _page_number(data.get("page"), strict=False)
    query = f"?page={page}" if page > 1 else ""
    return Redirect(f"{QUEUE_PATH}{query}{anchor}", status_code=HTTP_303_SEE_OTHER)


def _queue_page(
    request: Request[Any, Any, Any],
    session: Session,
    page: int,
    *,
    problem: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Template:
    return Template(
        "qa/queue.html",
        context={
            "queue": queue.queue_page(session, page),
            "notice": None if problem else _take(request),
            "problem": problem,
            "user": signed_in_user(request),
        },
        status_code=status_code,
    )


class ReviewQueueController(Controller):
    path = "/qa"
    guards = [require_roles("qa")]  # noqa: RUF012 (Litestar reads it as a class attribute)
    include_in_schema = False

    @get("/queue", sync_to_thread=True)
    def queue(self, request: Request[Any, Any, Any], session: DbSession) -> Template:
        page = _page_number(request.query_params.get("page"), strict=True)
        return _queue_page(request, session, page)

    @get("/queue.json", sync_to_thread=True)
    def queue_json(self, request: Request[Any, Any, Any], session: DbSession) -> dict[str, Any]:
        """The queue page's data: the same page of listings, as JSON."""
        page = queue.queue_page(
            session, _page_number(request.query_params.get("page"), strict=True)
        )
        return {
            "page": page.page,
            "pages": page.pages,
            "per_page": page.per_page,
            "total": page.total,
            "listings": [queue.item_json(item) for item in page.items],
        }

    @post("/queue/approve", sync_to_thread=True, status_code=HTTP_303_SEE_OTHER)
    def approve_ticked(self, request: Request[Any, Any, Any], db: Db, data: Form) -> Redirect:
        user = signed_in_user(request)
        ticked = parse_ticked(getall(data, "ticked"))
        if not ticked:
            _give(request, {"text": "Tick at least one listing first."})
            return _back(data)
        outcome = queue.approve_ticked(db, ticked=ticked, role=user.role, user_id=user.id)
        _give(request, outcome.as_notice())
        return _back(data)

    @post("/queue/{slug:str}/approve", sync_to_thread=True, status_code=HTTP_303_SEE_OTHER)
    def approve(
        self,
        request: Request[Any, Any, Any],
        user: CurrentUser,
        session: DbSession,
        db: Db,
        slug: FromPath[str],
        data: Form,
    ) -> Redirect | Template:
        return self._review(request, user, session, db, slug, data, "approve")

    @post("/queue/{slug:str}/send-back", sync_to_thread=True, status_code=HTTP_303_SEE_OTHER)
    def send_back(
        self,
        request: Request[Any, Any, Any],
        user: CurrentUser,
        session: DbSession,
        db: Db,
        slug: FromPath[str],
        data: Form,
    ) -> Redirect | Template:
        return self._review(request, user, session, db, slug, data, "send_back")

    def _review(
        self,
        request: Request[Any, Any, Any],
        user: SignedInUser,
        session: Session,
        db: Database,
        slug: str,
        data: Mapping[str, Any],
        action: str,
    ) -> Redirect | Template:
        outcome = review(db, user, slug, data, action, shown_below="The queue below")
        if outcome.done:
            _give(request, {"text": outcome.done})
            return _back(data)
        page = _page_number(data.get("page"), strict=False)
        return _queue_page(
            request, session, page, problem=outcome.problem, status_code=outcome.status
        )
