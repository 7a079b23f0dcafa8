"""The device editor: list, create, edit, live claim preview, history, restore, workflow."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import (
    HTTP_303_SEE_OTHER,
    HTTP_400_BAD_REQUEST,
    HTTP_403_FORBIDDEN,
    HTTP_409_CONFLICT,
)
from sqlalchemy.orm import Session

from catalogue.claims import audit
from catalogue.claims.highlight import claim_spans, segments, stored_spans
from catalogue.core.inputs import whole_number_or
from catalogue.data.models import FORM_FACTORS, Device
from catalogue.devices import crud, editing, workflow
from catalogue.devices.schemas import CURRENCIES
from catalogue.media import images
from catalogue.web.admin.device_form import (
    DeviceForm,
    display_value,
    form_from_post,
    form_from_snapshot,
)
from catalogue.web.deps import CurrentUser, Db, DbSession, DeviceBySlug, Form, device_or_404
from catalogue.web.forms import MoveForm
from catalogue.web.guards import SignedInUser, require_roles
from catalogue.web.notices import give_notice, take_notice

EDITORS = ("merchandiser",)
READERS = ("merchandiser", "qa")


# What the page says after a step, naming the device: the step is done, and what comes next.
MOVED = {
    "submit": "{name} is submitted for review. QA approves it or sends it back with a "
    "comment; the shop shows it once it is approved.",
    "approve": "{name} is approved and published: the shop shows it now.",
    "send_back": "{name} is back in draft with your comment for the merchandiser.",
    "archive": "{name} is archived: the shop no longer shows it.",
    "reopen": "{name} is a draft again.",
}


def _saved(slug: str) -> Redirect:
    return Redirect(f"/admin/devices/{slug}?saved=1", status_code=HTTP_303_SEE_OTHER)


def _claim_check(session: Session, form: DeviceForm) -> dict[str, Any]:
    """The form's description with each finding marked, and the findings (the live preview)."""
    description = form.values.get("description", "")
    findings = audit.preview(
        session,
        description=description,
        wavelengths_nm=form.wavelengths(),
        areas=form.areas,
    )
    return {"segments": segments(description, claim_spans(findings)), "findings": findings}


def _form_page(
    session: Session,
    form: DeviceForm,
    *,
    device: Device | None,
    version: int | None = None,
    seen_change_id: int = 0,
    conflict: dict[str, Any] | None = None,
    source: Device | None = None,
    status_code: int = 200,
) -> Template:
    return Template(
        "admin/device_form.html",
        context={
            "form": form,
            "device": device,
            "source": source,  # the device a new one is a duplicate of
            "version": version,
            "seen_change_id": seen_change_id,
            "conflict": conflict,
            "area_groups": editing.area_groups(session),
            "form_factors": FORM_FACTORS,
            "currencies": sorted(CURRENCIES),
            **_claim_check(session, form),
        },
        status_code=status_code,
    )


def _detail_page(
    session: Session,
    device: Device,
    user: SignedInUser,
    *,
    saved: str | None = None,
    notice: str | None = None,
    error: str | None = None,
    blockers: list[str] | None = None,
    status_code: int = 200,
) -> Template:
    assert device.id is not None
    stored = audit.open_findings(session, device_id=device.id)
    changes = editing.history(session, device.id)
    return Template(
        "admin/device_detail.html",
        context={
            "device": device,
            "snapshot": crud.device_snapshot(session, device),
            "findings": stored,
            "segments": segments(device.description, stored_spans(stored)),
            "history": changes,
            "emails": editing.user_emails(session, (c.user_id for c in changes)),
            "actions": workflow.available(device.status, user.role),
            "can_edit": user.has_role(*EDITORS),
            "blockers": audit.device_blockers(session, device_id=device.id)
            if blockers is None
            else blockers,
            "error": error,
            "saved": saved,
            "notice": notice,
            "display_value": display_value,
            "pictures": images.gallery(session, device.id),
        },
        status_code=status_code,
    )


def _refused(
    session: Session,
    user: SignedInUser,
    slug: str,
    error: str,
    status_code: int,
    blockers: list[str] | None = None,
) -> Template:
    """The device's page as it is stored now, saying why the step was not taken."""
    device = device_or_404(session, slug)
    return _detail_page(
        session, device, user, error=error, blockers=blockers, status_code=status_code
    )


def _conflict_page(session: Session, slug: str, form: DeviceForm, seen: int) -> Template:
    """Someone saved first: show who changed what; keep this editor's input; write nothing."""
    current = device_or_404(session, slug)
    assert current.id is not None
    since = crud.changes_since(session, device_id=current.id, after_change_id=seen)
    conflict = {
        "changes": since,
        "emails": editing.user_emails(session, (c.user_id for c in since)),
        "current": crud.device_snapshot(session, current),
        "display_value": display_value,
    }
    return _form_page(
        session,
        form,
        device=current,
        # The next save is checked against the version now stored: the editor has seen it.
        version=current.version,
        seen_change_id=crud.last_change_id(session, device_id=current.id),
        conflict=conflict,
        status_code=HTTP_409_CONFLICT,
    )


class AdminDevicesController(Controller):
    path = "/admin"
    include_in_schema = False
    guards = [require_roles(*READERS)]  # noqa: RUF012

    @get("/", sync_to_thread=False)
    def home(self) -> Redirect:
        return Redirect("/admin/devices")

    @get("/devices/new", sync_to_thread=True, guards=[require_roles(*EDITORS)])
    def new_form(self, session: DbSession) -> Template:
        form = DeviceForm(values={"currency": "USD", "form_factor": "panel"})
        return _form_page(session, form, device=None)

    @post("/devices/new", sync_to_thread=True, guards=[require_roles(*EDITORS)])
    def create(
        self, session: DbSession, db: Db, user: CurrentUser, data: Form
    ) -> Template | Redirect:
        form = form_from_post(data)
        try:
            with db.writing() as s:
                device = editing.create(s, raw=form.to_input(), user_id=user.id)
                slug = device.slug
        except (editing.SaveRefused, crud.DuplicateKeys) as exc:
            form.errors = exc.errors
            return _form_page(session, form, device=None, status_code=HTTP_400_BAD_REQUEST)
        return _saved(slug)

    @post("/devices/preview", sync_to_thread=True)
    def preview(self, session: DbSession, data: Form) -> Template:
        """The live claim preview (htmx): the description with each finding marked."""
        form = form_from_post(data)
        return Template("partials/_claim_preview.html", context=_claim_check(session, form))

    @get("/devices/{slug:str}", sync_to_thread=True)
    def detail(
        self,
        request: Request[Any, Any, Any],
        session: DbSession,
        device: DeviceBySlug,
        user: CurrentUser,
        saved: FromQuery[str | None] = None,
    ) -> Template:
        notice = take_notice(request)
        return _detail_page(session, device, user, saved=saved, notice=notice)

    @get("/devices/{slug:str}/duplicate", sync_to_thread=True, guards=[require_roles(*EDITORS)])
    def duplicate(self, session: DbSession, device: DeviceBySlug) -> Template:
        """The new-device form filled from this device: nothing is written until it is saved,
        and the SKU and slug are left empty because the copy needs its own."""
        form = form_from_snapshot(crud.device_snapshot(session, device))
        form.values.update(name=f"{form.values['name']} (copy)"[:200], sku="", slug="")
        return _form_page(session, form, device=None, source=device)

    @get("/devices/{slug:str}/edit", sync_to_thread=True, guards=[require_roles(*EDITORS)])
    def edit_form(self, session: DbSession, device: DeviceBySlug) -> Template:
        assert device.id is not None
        form = form_from_snapshot(crud.device_snapshot(session, device))
        return _form_page(
            session,
            form,
            device=device,
            version=device.version,
            seen_change_id=crud.last_change_id(session, device_id=device.id),
        )

    @post("/devices/{slug:str}/edit", sync_to_thread=True, guards=[require_roles(*EDITORS)])
    def save(
        self,
        user: CurrentUser,
        session: DbSession,
        db: Db,
        slug: FromPath[str],
        data: Form,
    ) -> Template | Redirect:
        form = form_from_post(data)
        version = whole_number_or(data.get("version"), 0)
        seen = whole_number_or(data.get("seen_change_id"), 0)
        try:
            with db.writing() as s:
                device = device_or_404(s, slug)
                editing.save(
                    s,
                    device=device,
                    raw=form.to_input(),
                    expected_version=version,
                    user_id=user.id,
                )
                new_slug = device.slug
        except (editing.SaveRefused, crud.DuplicateKeys) as exc:
            form.errors = exc.errors
            current = device_or_404(session, slug)
            return _form_page(
                session,
                form,
                device=current,
                version=version,
                seen_change_id=seen,
                status_code=HTTP_400_BAD_REQUEST,
            )
        except crud.VersionConflict:
            return _conflict_page(session, slug, form, seen)
        return _saved(new_slug)

    @post("/devices/{slug:str}/restore", sync_to_thread=True, guards=[require_roles(*EDITORS)])
    def restore(
        self,
        user: CurrentUser,
        session: DbSession,
        db: Db,
        slug: FromPath[str],
        data: Form,
    ) -> Template | Redirect:
        try:
            with db.writing() as s:
                device = device_or_404(s, slug)
                editing.restore(
                    s,
                    device=device,
                    change_id=whole_number_or(data.get("change_id"), 0),
                    expected_version=whole_number_or(data.get("version"), 0),
                    user_id=user.id,
                )
                new_slug = device.slug
        except (editing.SaveRefused, crud.DuplicateKeys) as exc:
            error = f"That version cannot be restored: {exc}"
            return _refused(session, user, slug, error, HTTP_400_BAD_REQUEST)
        except crud.VersionConflict as exc:
            error = f"{exc}. Look at the history again before restoring."
            return _refused(session, user, slug, error, HTTP_409_CONFLICT)
        return _saved(new_slug)

    @post("/devices/{slug:str}/move", sync_to_thread=True)
    def move(
        self,
        request: Request[Any, Any, Any],
        user: CurrentUser,
        session: DbSession,
        db: Db,
        slug: FromPath[str],
        data: Form,
    ) -> Template | Redirect:
        """submit, approve, send back, archive, reopen: the rules are in ``workflow``."""
        form = MoveForm.of(data)
        action = form.action
        try:
            with db.writing() as s:
                device = device_or_404(s, slug)
                name = device.name
                workflow.move_device(
                    s,
                    device=device,
                    action=action,
                    role=user.role,
                    user_id=user.id,
                    expected_version=form.version,
                    comment=form.comment,
                )
        except workflow.WorkflowError as exc:
            status = HTTP_403_FORBIDDEN if exc.forbidden else HTTP_400_BAD_REQUEST
            return _refused(session, user, slug, exc.message, status, exc.blockers or None)
        except crud.VersionConflict as exc:
            error = f"{exc}. Nothing was changed; look again and retry."
            return _refused(session, user, slug, error, HTTP_409_CONFLICT)
        give_notice(request, MOVED.get(action, "Done: {name}.").format(name=f"“{name}”"))
        return Redirect(f"/admin/devices/{slug}", status_code=HTTP_303_SEE_OTHER)
