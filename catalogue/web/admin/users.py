"""People: an admin lists accounts, adds one, disables or re-enables one."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER, HTTP_400_BAD_REQUEST
from sqlalchemy.orm import Session

from catalogue import accounts
from catalogue.data.models import ROLES
from catalogue.web.deps import Db, DbSession, Form, Hasher
from catalogue.web.guards import current_user, require_roles


def _page(
    session: Session,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
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
        },
        status_code=status_code,
    )


class AdminUsersController(Controller):
    path = "/admin/users"
    include_in_schema = False
    guards = [require_roles("admin")]  # noqa: RUF012

    @get("/", sync_to_thread=True)
    def index(self, session: DbSession, created: FromQuery[str | None] = None) -> Template:
        return _page(session, notice=f"Account {created} created." if created else None)

    @post("/", sync_to_thread=True)
    def create(self, session: DbSession, db: Db, hasher: Hasher, data: Form) -> Template | Redirect:
        values = {"email": str(data.get("email", "")).strip(), "role": str(data.get("role", ""))}
        try:
            with db.writing() as s:
                user = accounts.create_user(
                    s,
                    email=values["email"],
                    password=str(data.get("password", "")),
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
