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
from catalogue.imports import archive, importer
from catalogue.imports.devicefile import COLUMNS, template_csv
from catalogue.imports.exporter import iter_csv
from catalogue.web.deps import CurrentUser, Db, Media
from catalogue.web.guards import require_roles

# A device file is at most 10 MB, a zip of one with its pictures at most 256 MB; the
# multipart envelope needs a little room. Each is checked with a message naming its limit.
UPLOAD_LIMIT = archive.MAX_ARCHIVE_BYTES + 256 * 1024
REPORT_TTL = timedelta(hours=1)
MAX_SHOWN = 500  # problems and findings listed on the page; the CSV holds them all


def _page(context: dict[str, Any], status_code: int = 200) -> Template:
    return Template(
        "admin/import.html",
        context={"columns": COLUMNS, "report": None, "max_shown": MAX_SHOWN, **context},
        status_code=status_code,
    )


def _mb(size: int) -> str:
    return f"{size // 1024 // 1024} MB"


def _too_large(_request: Request[Any, Any, Any], _exc: RequestEntityTooLarge) -> Template:
    return _page(
        {
            "error": f"The upload is larger than {_mb(importer.MAX_BYTES)} for a CSV or JSON "
            f"file, {_mb(archive.MAX_ARCHIVE_BYTES)} for a zip. "
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
        media: Media,
        data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Template:
        upload = data.get("file")
        dry_run = data.get("dry_run") in ("1", "on", "true")
        valid_only = data.get("rows") == "valid"
        fmt = data.get("format") if data.get("format") in ("csv", "json") else None
        if not isinstance(upload, UploadFile) or not upload.filename:
            return _page(
                {"error": "Choose a CSV, JSON or zip file to import."}, HTTP_400_BAD_REQUEST
            )
        source = upload.file
        if not archive.is_zip(source.read(4)):
            source.seek(importer.MAX_BYTES + 1)
            if source.read(1):
                return _too_large(request, RequestEntityTooLarge())
        source.seek(0)
        report = archive.import_upload(
            db,
            source,
            media=media,
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


def _check_status(status: str | None) -> None:
    if status is not None and status not in STATUSES:
        raise ValidationException(
            detail=f"status must be one of {', '.join(STATUSES)}",
            extra=[{"key": "status", "message": f"{status!r} is not a status"}],
        )


class AdminExportController(Controller):
    path = "/admin"
    include_in_schema = False
    guards = [require_roles("merchandiser", "qa")]  # noqa: RUF012

    @get("/export.csv", sync_to_thread=False)
    def export_csv(self, db: Db, status: FromQuery[str | None] = None) -> Stream:
        """Every device (or one status) in the import format, streamed batch by batch."""
        _check_status(status)

        def chunks() -> Iterator[str]:
            with db.session() as session:
                yield from iter_csv(session, status=status)

        return Stream(
            chunks(),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": 'attachment; filename="devices.csv"'},
        )

    @get("/export.zip", sync_to_thread=False)
    def export_zip(self, db: Db, media: Media, status: FromQuery[str | None] = None) -> Stream:
        """The same file and every picture it names, as a zip an import takes back."""
        _check_status(status)
        return Stream(
            archive.iter_archive(db, media, status=status),
            media_type="application/zip",
            headers={"content-disposition": 'attachment; filename="devices.zip"'},
        )
