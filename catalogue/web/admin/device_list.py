"""The device list (search, filters, sort, pages) and bulk actions on the ticked rows."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import parse_qsl

from litestar import Controller, Request, get, post
from litestar.exceptions import PermissionDeniedException, ValidationException
from litestar.response import Redirect, Stream, Template
from litestar.status_codes import HTTP_200_OK, HTTP_303_SEE_OTHER

from catalogue.browse.labels import FORM_FACTOR_LABELS
from catalogue.data.models import FORM_FACTORS, STATUSES
from catalogue.devices import bulk, workflow
from catalogue.devices.fields import STATUS_LABELS
from catalogue.devices.worklist import (
    FINDINGS,
    WorklistError,
    WorklistQuery,
    brands,
    parse_ticked,
    status_counts,
    worklist,
)
from catalogue.imports.exporter import iter_csv
from catalogue.web.admin.device_form import getall
from catalogue.web.deps import Db, DbSession, Form
from catalogue.web.guards import require_roles, signed_in_user
from catalogue.web.notices import give_notice, take_notice

READERS = ("merchandiser", "qa")
COLUMNS = (
    ("name", "Device"),
    ("sku", "SKU"),
    ("status", "Status"),
    ("light", "Light"),
    ("updated", "Last edited"),
)


def _query(params: Mapping[str, str]) -> WorklistQuery:
    try:
        return WorklistQuery.from_params(params)
    except WorklistError as exc:
        raise ValidationException(
            detail="The device list cannot use that address",
            extra=[{"key": exc.key, "message": exc.message}],
        ) from None


def _back(data: Mapping[str, Any]) -> WorklistQuery:
    """The list state a bulk form came from, rebuilt from its ``back`` query."""
    try:
        return WorklistQuery.from_params(dict(parse_qsl(str(data.get("back") or "").lstrip("?"))))
    except WorklistError:
        return WorklistQuery()


class AdminDeviceListController(Controller):
    path = "/admin"
    include_in_schema = False
    guards = [require_roles(*READERS)]  # noqa: RUF012

    @get("/devices", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any], session: DbSession) -> Template:
        query = _query(request.query_params)
        user = signed_in_user(request)
        return Template(
            "admin/devices.html",
            context={
                "page": worklist(session, query),
                "query": query,
                "columns": COLUMNS,
                "statuses": STATUSES,
                "status_labels": STATUS_LABELS,
                "status_counts": status_counts(session),
                "brands": brands(session),
                "form_factors": [(f, FORM_FACTOR_LABELS[f]) for f in FORM_FACTORS],
                "findings": FINDINGS,
                "bulk_moves": bulk.allowed_for(user.role),
                "notice": take_notice(request),
            },
        )

    @post("/devices/bulk", sync_to_thread=True, status_code=HTTP_200_OK)
    def bulk_action(self, request: Request[Any, Any, Any], db: Db, data: Form) -> Redirect | Stream:
        """``action=export`` downloads the ticked rows; a workflow action moves each one."""
        user = signed_in_user(request)
        ticked = parse_ticked(getall(data, "ids"))
        action = str(data.get("action") or "")
        back = _back(data)
        if not ticked:
            give_notice(request, "Tick at least one device first.")
            return Redirect(back.url(page=back.page), status_code=HTTP_303_SEE_OTHER)
        if action == "export":
            ids = [device_id for device_id, _ in ticked[: bulk.MAX_TICKED]]

            def chunks() -> Iterator[str]:
                with db.session() as session:
                    yield from iter_csv(session, device_ids=ids)

            return Stream(
                chunks(),
                media_type="text/csv; charset=utf-8",
                headers={"content-disposition": 'attachment; filename="devices-selected.csv"'},
            )
        try:
            outcome = bulk.bulk_move(
                db, ticked=ticked, action=action, role=user.role, user_id=user.id
            )
        except workflow.WorkflowError as exc:
            if exc.forbidden:
                raise PermissionDeniedException(exc.message) from None
            raise ValidationException(
                detail=exc.message, extra=[{"key": "action", "message": exc.message}]
            ) from None
        give_notice(request, outcome.summary())
        return Redirect(back.url(page=back.page), status_code=HTTP_303_SEE_OTHER)
