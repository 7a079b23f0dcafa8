"""Bulk import page and CSV export; the engine is ``catalogue.imports.importer``."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from datetime import timedelta
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException, ValidationException
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Stream, Template
from litestar.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_409_CONFLICT,
    HTTP_413_REQUEST_ENTITY_TOO_LARGE,
)

from catalogue.data.db import Database
from catalogue.data.models import STATUSES, StoreEntry, as_utc, utcnow
from catalogue.imports import importer
from catalogue.imports.devicefile import COLUMNS, template_csv
from catalogue.imports.exporter import iter_csv
from catalogue.web.deps import CurrentUser, Db
from catalogue.web.guards import require_roles

# The multipart envelope around a 10 MB file needs a little room; the file itself is
# checked against importer.MAX_BYTES with a message that names the limit.
UPLOAD_LIMIT = importer.MAX_BYTES + 256 * 1024
REPORT_TTL = timedelta(hours=1)
MAX_SHOWN = 500  # problems and findings listed on the page; the CSV holds them all


def _page(context: dict[str, Any], status_code: int = 200) -> Template:
    return Template(
        "admin/import.html",
        context={"columns": COLUMNS, "report": None, "max_shown": MAX_SHOWN, **context},
        status_code=status_code,
    )


def _too_large(_request: Request[Any, Any, Any], _exc: RequestEntityTooLarge) -> Template:
    return _page(
        {
            "error": f"The upload is larger than {importer.MAX_BYTES // 1024 // 1024} MB. "
            "Split the file and import the parts one after another."
        },
        status_code=HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    )


def _save_report(db: Database, report: importer.ImportReport, user_id: int) -> str:
    """Keep the report's CSV for an hour so the page can offer it as a download."""
    token = secrets.token_urlsafe(16)
    value = json.dumps({"user_id": user_id, "csv": report.to_csv()}).encode()
    with db.writing() as session:
        session.add(
            StoreEntry(key=f"import-report:{token}", value=value, expires_at=utcnow() + REPORT_TTL)
        )
    return token


class AdminImportController(Controller):
    path = "/admin"
    include_in_schema = False
    guards = [require_roles("merchandiser")]  # noqa: RUF012

    @get("/import", sync_to_thread=False)
    def form(self) -> Template:
        return _page({})

    @post(
        "/import",
        sync_to_thread=True,
        request_max_body_size=UPLOAD_LIMIT,
        exception_handlers={RequestEntityTooLarge: _too_large},
    )
    def upload(
        self,
        request: Request[Any, Any, Any],
        user: CurrentUser,
        db: Db,
        data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Template:
        upload = data.get("file")
        dry_run = data.get("dry_run") in ("1", "on", "true")
        valid_only = data.get("rows") == "valid"
        fmt = data.get("format") if data.get("format") in ("csv", "json") else None
        if not isinstance(upload, UploadFile) or not upload.filename:
            return _page({"error": "Choose a CSV or JSON file to import."}, HTTP_400_BAD_REQUEST)
        raw = upload.file.read(importer.MAX_BYTES + 1)
        if len(raw) > importer.MAX_BYTES:
            return _too_large(request, RequestEntityTooLarge())
        report = importer.import_devices(
            db,
            raw,
            fmt=fmt,
            filename=upload.filename,
            dry_run=dry_run,
            valid_only=valid_only,
            user_id=user.id,
            role=user.role,
        )
        token = _save_report(db, report, user.id) if report.problems or report.findings else None
        status = 200 if report.ok else HTTP_400_BAD_REQUEST
        return _page(
            {
                "report": report,
                "filename": upload.filename,
                "report_token": token,
                "valid_only": valid_only,
            },
            status_code=HTTP_409_CONFLICT if report.conflict else status,
        )

    @get("/import/template.csv", sync_to_thread=False)
    def template(self) -> Response[str]:
        """The header and one example row, to fill in and import."""
        return Response(
            template_csv(),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": 'attachment; filename="device-import-template.csv"'},
        )

    @get("/import/report/{token:str}", sync_to_thread=True)
    def report_csv(self, user: CurrentUser, db: Db, token: FromPath[str]) -> Response[str]:
        with db.session() as session:
            entry = session.get(StoreEntry, f"import-report:{token}")
            expires = entry.expires_at if entry else None
            stored = json.loads(entry.value) if entry else None
        expired = expires is not None and as_utc(expires) < utcnow()
        if stored is None or expired or stored["user_id"] != user.id:
            raise NotFoundException("That import report is gone; reports are kept for an hour.")
        return Response(
            stored["csv"],
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": 'attachment; filename="import-report.csv"'},
        )


class AdminExportController(Controller):
    path = "/admin"
    include_in_schema = False
    guards = [require_roles("merchandiser", "qa")]  # noqa: RUF012

    @get("/export.csv", sync_to_thread=False)
    def export_csv(self, db: Db, status: FromQuery[str | None] = None) -> Stream:
        """Every device (or one status) in the import format, streamed batch by batch."""
        if status is not None and status not in STATUSES:
            raise ValidationException(
                detail=f"status must be one of {', '.join(STATUSES)}",
                extra=[{"key": "status", "message": f"{status!r} is not a status"}],
            )

        def chunks() -> Iterator[str]:
            with db.session() as session:
                yield from iter_csv(session, status=status)

        return Stream(
            chunks(),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": 'attachment; filename="devices.csv"'},
        )
