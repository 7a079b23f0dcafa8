"""People: an admin lists accounts, adds one, disables or re-enables one, and makes the
invitation and reset links people set their own password with (``password_links``)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER, HTTP_400_BAD_REQUEST
from sqlalchemy.orm import Session

from catalogue import accounts, password_links
from catalogue.data.models import ROLES
from catalogue.web.deps import CurrentUser, Db, DbSession, Form, Hasher
from catalogue.web.forms import AccountForm
from catalogue.web.guards import current_user, require_roles

# The page that shows a new link is the only place it is ever shown: keep it out of caches.
NO_STORE = {"cache-control": "no-store"}


def _page(
    session: Session,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
    link: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    return Template(
        "admin/users.html",
        context={
            "users": accounts.list_users(session),
            "roles": ROLES,
            "values": values or {"role": "merchandiser"},
            "errors": errors or {},
            "notice": notice,
            "link": link,
            "no_password": password_links.NO_PASSWORD,
        },
        status_code=status_code,
        headers=NO_STORE if link else None,
    )


def _link(request: Request[Any, Any, Any], email: str, kind: str, token: str) -> dict[str, str]:
    address = f"{str(request.base_url).rstrip('/')}/set-password/{token}"
    return {"email": email, "kind": kind, "url": address}


class AdminUsersController(Controller):
    path = "/admin/users"
    include_in_schema = False
    guards = [require_roles("admin")]  # noqa: RUF012

    @get("/", sync_to_thread=True)
    def index(self, session: DbSession, created: FromQuery[str | None] = None) -> Template:
        return _page(session, notice=f"Account {created} created." if created else None)

    @post("/", sync_to_thread=True)
    def create(self, session: DbSession, db: Db, hasher: Hasher, data: Form) -> Template | Redirect:
        form = AccountForm.of(data)
        values = {"email": form.email.strip(), "role": form.role}
        try:
            with db.writing() as s:
                user = accounts.create_user(
                    s,
                    email=values["email"],
                    password=form.password,
                    role=values["role"],
                    hasher=hasher,
                )
                email = user.email
        except accounts.AccountError as exc:
            return _page(
                session, values=values, errors=exc.errors, status_code=HTTP_400_BAD_REQUEST
            )
        return Redirect(f"/admin/users?created={email}", status_code=HTTP_303_SEE_OTHER)

    @post("/active", sync_to_thread=True)
    def set_active(
        self, request: Request[Any, Any, Any], session: DbSession, db: Db, data: Form
    ) -> Template | Redirect:
        email = str(data.get("email", ""))
        active = data.get("active") == "1"
        me = current_user(request)
        if me is not None and not active and accounts.normalise_email(email) == me.email:
            return _page(
                session,
                errors={"active": "You cannot disable your own account."},
                status_code=HTTP_400_BAD_REQUEST,
            )
        try:
            with db.writing() as s:
                accounts.set_active(s, email=email, active=active)
        except accounts.AccountError as exc:
            return _page(session, errors=exc.errors, status_code=HTTP_400_BAD_REQUEST)
        return Redirect("/admin/users", status_code=HTTP_303_SEE_OTHER)

    @post("/invite", sync_to_thread=True)
    def invite(
        self,
        request: Request[Any, Any, Any],
        session: DbSession,
        db: Db,
        user: CurrentUser,
        data: Form,
    ) -> Template:
        """A new account without a password, and the link its person sets one with."""
        form = AccountForm.of(data)
        values = {"email": form.email.strip(), "role": form.role}
        try:
            with db.writing() as s:
                invited, token = password_links.invite(
                    s, email=values["email"], role=values["role"], created_by_id=user.id
                )
                email = invited.email
        except accounts.AccountError as exc:
            errors = {f"invite_{k}": v for k, v in exc.errors.items()}
            return _page(session, values=values, errors=errors, status_code=HTTP_400_BAD_REQUEST)
        return _page(session, link=_link(request, email, "invitation", token))

    @post("/reset-link", sync_to_thread=True)
    def reset_link(
        self,
        request: Request[Any, Any, Any],
        session: DbSession,
        db: Db,
        user: CurrentUser,
        data: Form,
    ) -> Template:
        """A link that sets a new password for an active account; older links stop working."""
        try:
            with db.writing() as s:
                person, token = password_links.reset(
                    s, email=AccountForm.of(data).email, created_by_id=user.id
                )
                email, kind = person.email, "reset"
        except accounts.AccountError as exc:
            errors = {"active": exc.errors.get("email", str(exc))}
            return _page(session, errors=errors, status_code=HTTP_400_BAD_REQUEST)
        return _page(session, link=_link(request, email, kind, token))
