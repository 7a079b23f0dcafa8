"""QA pages: the claim audit of every listing, waivers, approve / send back, the rule catalogue.

Every action is a plain form POST that comes back to the same filtered page (no JavaScript
needed). A refused action re-renders the page with the reason next to the listing (400, or
409 when someone changed the listing first); a done one redirects with a one-time notice.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import replace
from datetime import date
from typing import Any
from urllib.parse import parse_qsl

from litestar import Controller, Request, get, post
from litestar.exceptions import ValidationException
from litestar.params import FromPath
from litestar.response import Redirect, Stream, Template
from litestar.status_codes import (
    HTTP_303_SEE_OTHER,
    HTTP_400_BAD_REQUEST,
    HTTP_404_NOT_FOUND,
)
from sqlalchemy.orm import Session

from catalogue import qa
from catalogue.data.db import Database
from catalogue.web.deps import CurrentUser, Db, DbSession, Form, device_or_404
from catalogue.web.forms import UnwaiveForm, WaiveForm
from catalogue.web.guards import SignedInUser, require_roles, signed_in_user
from catalogue.web.notices import give_notice, take_notice
from catalogue.web.qa_review import review

NOTICE_KEY = "qa_notice"
AUDIT_PATH = "/qa/audit"


def _filters(session: Session, params: Mapping[str, str]) -> qa.AuditFilters:
    try:
        return qa.parse_filters(params, rule_ids=list(qa.rule_titles(session)))
    except qa.QAError as exc:
        raise ValidationException(
            detail="Those audit filters do not make sense",
            extra=[{"key": exc.key or "query", "message": exc.message}],
        ) from None


def _back_filters(session: Session, data: Mapping[str, Any]) -> qa.AuditFilters:
    """The page a form came from, rebuilt from its ``back`` query (never a raw redirect URL)."""
    back = str(data.get("back") or "").lstrip("?")
    try:
        return qa.parse_filters(dict(parse_qsl(back)), rule_ids=list(qa.rule_titles(session)))
    except qa.QAError:
        return qa.AuditFilters()


def _done(
    request: Request[Any, Any, Any],
    session: Session,
    data: Mapping[str, Any],
    slug: str,
    notice: str,
) -> Redirect:
    """Back to the filtered page the form came from, at the listing, with a one-time notice."""
    give_notice(request, notice, key=NOTICE_KEY)
    filters = _back_filters(session, data)
    return Redirect(f"{AUDIT_PATH}{filters.query()}#listing-{slug}", status_code=HTTP_303_SEE_OTHER)


def _refused(
    request: Request[Any, Any, Any],
    session: Session,
    data: Mapping[str, Any],
    problem: dict[str, Any],
    status_code: int,
) -> Template:
    """The page the form came from again, saying why the action was not done."""
    problem = {**problem, "name": _name_of(session, str(problem.get("slug", "")))}
    return _audit_page(
        request, session, _back_filters(session, data), problem=problem, status_code=status_code
    )


def _name_of(session: Session, slug: str) -> str:
    """How people name a listing: its name (the slug only if it is gone)."""
    device = qa.device_by_slug(session, slug)
    return device.name if device is not None else slug


def _title_of(session: Session, rule_id: str) -> str:
    """How people name a rule: ``'Burning heat'`` (the id only for a rule no longer stored)."""
    known = qa.rule_titles(session).get(rule_id)
    return f"'{known[1]}'" if known else rule_id


def _audit_page(
    request: Request[Any, Any, Any],
    session: Session,
    filters: qa.AuditFilters,
    *,
    problem: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Template:
    page = qa.audit_page(session, filters)
    return Template(
        "qa/audit.html",
        context={
            "page": page,
            "filters": page.filters,
            "rules": qa.rule_titles(session),
            "hits": qa.rule_hits(session, status=filters.status, brand=filters.brand),
            "statuses": qa.status_counts(session, filters),
            "brands": qa.brands(session),
            "notice": None if problem else take_notice(request, key=NOTICE_KEY),
            "problem": problem,
            "user": signed_in_user(request),
        },
        status_code=status_code,
    )


def _csv_lines(db: Database, filters: qa.AuditFilters) -> Iterator[str]:
    """The export, a few hundred listings at a time, on a session of its own: the response
    streams after the handler (and its request session) has finished."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    with db.session() as session:
        rows = qa.csv_rows(qa.iter_listings(session, filters))
        for row in rows:
            writer.writerow(row)
            if buffer.tell() > 64 * 1024:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
    yield buffer.getvalue()


class QAController(Controller):
    path = "/qa"
    guards = [require_roles("qa")]  # noqa: RUF012 (Litestar reads it as a class attribute)
    include_in_schema = False

    @get("/", sync_to_thread=False)
    def home(self) -> Redirect:
        return Redirect("/qa/queue")

    @get("/audit", sync_to_thread=True)
    def audit(self, request: Request[Any, Any, Any], session: DbSession) -> Template:
        return _audit_page(request, session, _filters(session, request.query_params))

    @get("/audit.json", sync_to_thread=True)
    def audit_json(self, request: Request[Any, Any, Any], session: DbSession) -> dict[str, Any]:
        """The audit page's data: the same filters and page, as JSON."""
        page = qa.audit_page(session, _filters(session, request.query_params))
        return {
            "page": page.filters.page,
            "pages": page.pages,
            "per_page": page.per_page,
            "total": page.total,
            "listings": [qa.listing_json(listing) for listing in page.listings],
        }

    @get("/audit.csv", sync_to_thread=True)
    def audit_csv(self, request: Request[Any, Any, Any], session: DbSession, db: Db) -> Stream:
        filters = replace(_filters(session, request.query_params), page=1)
        name = f"claim-audit-{date.today().isoformat()}.csv"
        return Stream(
            _csv_lines(db, filters),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="{name}"'},
        )

    @post("/audit/{slug:str}/waive", sync_to_thread=True, status_code=HTTP_303_SEE_OTHER)
    def waive(
        self,
        request: Request[Any, Any, Any],
        user: CurrentUser,
        session: DbSession,
        db: Db,
        slug: FromPath[str],
        data: Form,
    ) -> Redirect | Template:
        form = WaiveForm.of(data)
        rule_id, text = form.rule, form.text
        try:
            with db.writing() as s:
                qa.waive_warning(
                    s,
                    device=device_or_404(s, slug),
                    rule_id=rule_id,
                    text=text,
                    reason=form.reason,
                    user_id=user.id,
                )
        except qa.QAError as exc:
            problem = {"slug": slug, "message": exc.message, "rule": rule_id, "text": text}
            return _refused(request, session, data, problem, HTTP_400_BAD_REQUEST)
        name = _name_of(session, slug)
        return _done(
            request, session, data, slug, f"Waived {_title_of(session, rule_id)} on {name}."
        )

    @post("/audit/{slug:str}/unwaive", sync_to_thread=True, status_code=HTTP_303_SEE_OTHER)
    def unwaive(
        self,
        request: Request[Any, Any, Any],
        user: CurrentUser,
        session: DbSession,
        db: Db,
        slug: FromPath[str],
        data: Form,
    ) -> Redirect | Template:
        form = UnwaiveForm.of(data)
        waiver_id = form.waiver
        try:
            with db.writing() as s:
                withdrawn = qa.unwaive_warning(
                    s,
                    device=device_or_404(s, slug),
                    waiver_id=waiver_id,
                    reason=form.reason,
                    user_id=user.id,
                )
        except qa.QAError as exc:
            problem = {"slug": slug, "message": exc.message, "waiver": waiver_id}
            # No key: the waiver is not there (any more); a key: the form is wrong.
            status = HTTP_404_NOT_FOUND if exc.key is None else HTTP_400_BAD_REQUEST
            return _refused(request, session, data, problem, status)
        name = _name_of(session, slug)
        notice = f"Withdrew the waiver of {_title_of(session, withdrawn.rule_id)} on {name}."
        if withdrawn.left_open:
            notice += (
                f" {name} stays published with this warning open;"
                " it must be waived or fixed before the listing is approved again."
            )
        return _done(request, session, data, slug, notice)

    @post("/audit/{slug:str}/approve", sync_to_thread=True, status_code=HTTP_303_SEE_OTHER)
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

    @post("/audit/{slug:str}/send-back", sync_to_thread=True, status_code=HTTP_303_SEE_OTHER)
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
        outcome = review(db, user, slug, data, action, shown_below="The page below")
        if outcome.done:
            return _done(request, session, data, slug, outcome.done)
        return _refused(request, session, data, outcome.problem, outcome.status)

    @get("/rules", sync_to_thread=True)
    def rules(self, session: DbSession, user: CurrentUser) -> Template:
        return Template(
            "qa/rules.html",
            context={
                "entries": qa.rule_catalogue(session),
                "disabled": qa.disabled_rules(session),
                "user": user,
            },
        )
