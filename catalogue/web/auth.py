"""Sign-in and sign-out pages."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import (
    HTTP_303_SEE_OTHER,
    HTTP_400_BAD_REQUEST,
    HTTP_429_TOO_MANY_REQUESTS,
)

from catalogue import accounts
from catalogue.web.deps import Db, Form, Hasher
from catalogue.web.guards import SESSION_USER_KEY, current_user, safe_next
from catalogue.web.sessions import rotate_session


def client_address(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else "unknown"


class AuthController(Controller):
    include_in_schema = False

    @get("/signin", sync_to_thread=False)
    def signin_form(
        self, request: Request[Any, Any, Any], next: FromQuery[str | None] = None
    ) -> Template:
        return Template(
            "auth/signin.html",
            context={
                "next": safe_next(next),
                "email": "",
                "error": None,
                "user": current_user(request),
            },
        )

    @post("/signin", sync_to_thread=True, status_code=HTTP_303_SEE_OTHER)
    def signin(
        self, request: Request[Any, Any, Any], db: Db, hasher: Hasher, data: Form
    ) -> Redirect | Template:
        email = str(data.get("email", "")).strip()
        password = str(data.get("password", ""))
        target = safe_next(str(data.get("next") or ""))
        context: dict[str, Any] = {"next": target, "email": email, "user": None}
        try:
            user = accounts.sign_in(
                db, email=email, password=password, address=client_address(request), hasher=hasher
            )
        except accounts.SignInThrottled as exc:
            context["error"] = (
                f"Too many failed attempts. Wait {exc.retry_after} seconds, then try again."
            )
            return Template(
                "auth/signin.html",
                context=context,
                status_code=HTTP_429_TOO_MANY_REQUESTS,
                headers={"retry-after": str(exc.retry_after)},
            )
        if user is None or user.id is None:
            context["error"] = "That email and password do not match an active account."
            return Template("auth/signin.html", context=context, status_code=HTTP_400_BAD_REQUEST)
        # A fresh session id: an id someone planted before sign-in stays anonymous.
        request.set_session({SESSION_USER_KEY: user.id})
        rotate_session(request)
        return Redirect(target, status_code=HTTP_303_SEE_OTHER)

    @get("/signout", sync_to_thread=False)
    def signout_form(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        if current_user(request) is None:
            return Redirect("/signin")
        return Template("auth/signout.html", context={})

    @post("/signout", sync_to_thread=False, status_code=HTTP_303_SEE_OTHER)
    def signout(self, request: Request[Any, Any, Any]) -> Redirect:
        request.clear_session()
        return Redirect("/devices", status_code=HTTP_303_SEE_OTHER)
