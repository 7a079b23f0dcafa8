"""The gallery editor of one device: upload, alt text, order, main image, delete.

Plain forms that each redirect back to the page (no JavaScript needed); the rules live in
``catalogue.media``.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template
from litestar.status_codes import (
    HTTP_303_SEE_OTHER,
    HTTP_400_BAD_REQUEST,
    HTTP_413_REQUEST_ENTITY_TOO_LARGE,
)
from sqlalchemy.orm import Session

from catalogue.data.models import Device
from catalogue.devices import editing
from catalogue.media import images, uploads
from catalogue.media.processing import MAX_BYTES, ImageRefused
from catalogue.web.deps import Db, DbSession, Form, Media
from catalogue.web.forms import ImageForm
from catalogue.web.guards import require_roles, signed_in_user

EDITORS = ("merchandiser",)
# The multipart envelope around a 10 MB image needs a little room; the image itself is
# checked against MAX_BYTES with a message that names the file.
UPLOAD_LIMIT = MAX_BYTES + 256 * 1024
ACTIONS = ("alt", "up", "down", "main", "delete")


def _device(session: Session, slug: str) -> Device:
    device = editing.get_device(session, slug)
    if device is None:
        raise NotFoundException(f"No device {slug!r}.")
    return device


def _lookup(slug: str) -> uploads.DeviceLookup:
    return lambda session: _device(session, slug)


def _page(
    session: Session,
    slug: str,
    *,
    error: str | None = None,
    saved: bool = False,
    alt_text: str = "",
    status_code: int = 200,
) -> Template:
    device = _device(session, slug)
    assert device.id is not None
    rows = images.images_of(session, device.id)
    return Template(
        "admin/device_images.html",
        context={
            "device": device,
            "pictures": [images.picture(i) for i in rows],
            "max_images": images.MAX_IMAGES,
            "max_mb": MAX_BYTES // 1024 // 1024,
            "alt_max": images.ALT_MAX,
            "error": error,
            "saved": saved,
            "alt_text": alt_text,
        },
        status_code=status_code,
    )


def _too_large(request: Request[Any, Any, Any], _exc: RequestEntityTooLarge) -> Template:
    slug = request.path_params.get("slug", "")
    with request.app.state.db.session() as session:
        return _page(
            session,
            slug,
            error=f"That upload is larger than {MAX_BYTES // 1024 // 1024} MB.",
            status_code=HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )


def _back(slug: str) -> Redirect:
    return Redirect(f"/admin/devices/{slug}/images?saved=1", status_code=HTTP_303_SEE_OTHER)


class AdminImagesController(Controller):
    path = "/admin/devices/{slug:str}/images"
    include_in_schema = False
    guards = [require_roles("merchandiser", "qa")]  # noqa: RUF012

    @get("/", sync_to_thread=True)
    def gallery(
        self, request: Request[Any, Any, Any], session: DbSession, slug: FromPath[str]
    ) -> Template:
        return _page(session, slug, saved=bool(request.query_params.get("saved")))

    @post(
        "/",
        sync_to_thread=True,
        guards=[require_roles(*EDITORS)],
        request_max_body_size=UPLOAD_LIMIT,
        exception_handlers={RequestEntityTooLarge: _too_large},
    )
    def upload(
        self,
        request: Request[Any, Any, Any],
        session: DbSession,
        db: Db,
        media: Media,
        slug: FromPath[str],
        data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Template | Redirect:
        upload = data.get("file")  # an UploadFile, which no text form holds
        alt_text = ImageForm.of(data).alt_text
        if not isinstance(upload, UploadFile) or not upload.filename:
            error = "Choose a JPEG, PNG or WebP file to upload."
            return _page(session, slug, error=error, alt_text=alt_text, status_code=400)
        try:
            uploads.upload(
                db,
                media,
                device=_lookup(slug),
                filename=upload.filename,
                data=upload.file.read(MAX_BYTES + 1),
                alt_text=alt_text,
                user_id=signed_in_user(request).id,
            )
        except (ImageRefused, images.ImageEditRefused) as exc:
            return _page(
                session, slug, error=str(exc), alt_text=alt_text, status_code=HTTP_400_BAD_REQUEST
            )
        return _back(slug)

    @post("/{image_id:int}", sync_to_thread=True, guards=[require_roles(*EDITORS)])
    def change(
        self,
        request: Request[Any, Any, Any],
        session: DbSession,
        db: Db,
        media: Media,
        slug: FromPath[str],
        image_id: FromPath[int],
        data: Form,
    ) -> Template | Redirect:
        """One button per change: ``action`` is alt, up, down, main or delete."""
        form = ImageForm.of(data)
        action = form.action
        user_id = signed_in_user(request).id
        try:
            if action == "delete":
                uploads.remove(db, media, device=_lookup(slug), image_id=image_id, user_id=user_id)
                return _back(slug)
            with db.writing() as s:
                device = _device(s, slug)
                if action == "alt":
                    images.set_alt(
                        s, device=device, image_id=image_id, alt_text=form.alt_text, user_id=user_id
                    )
                elif action in ("up", "down"):
                    step = -1 if action == "up" else 1
                    images.move(s, device=device, image_id=image_id, step=step, user_id=user_id)
                elif action == "main":
                    images.set_main(s, device=device, image_id=image_id, user_id=user_id)
                else:
                    raise images.ImageEditRefused(
                        f"Unknown change {action!r}; expected one of {', '.join(ACTIONS)}."
                    )
        except images.ImageEditRefused as exc:
            return _page(session, slug, error=str(exc), status_code=HTTP_400_BAD_REQUEST)
        return _back(slug)
