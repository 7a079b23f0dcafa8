"""Sign-in and sign-out pages."""

from __future__ import annotations

from collections.abc import Sequence
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
from catalogue.settings import Settings
from catalogue.web.deps import Db, Form, Hasher
from catalogue.web.forms import SignInForm
from catalogue.web.guards import SESSION_USER_KEY, current_user, landing_for, safe_next
from catalogue.web.sessions import bind_csrf_token, rotate_session


def client_address(request: Request[Any, Any, Any], trusted_proxies: Sequence[str]) -> str:
    """The address a request came from. ``X-Forwarded-For`` is read only when the peer is a
    proxy named in ``TRUSTED_PROXIES``: then the last hop that is not one of them."""
    peer = request.client.host if request.client else "unknown"
    if peer not in trusted_proxies:
        return peer
    hops = [
        hop.strip()
        for header in request.headers.getall("x-forwarded-for", [])
        for hop in header.split(",")
        if hop.strip()
    ]
    for hop in reversed(hops):
        if hop not in trusted_proxies:
            return hop[:64]
    return peer


class AuthController(Controller):
    include_in_schema = False

    @get("/signin", sync_to_thread=False)
    def signin_form(
        self, request: Request[Any, Any, Any], next: FromQuery[str | None] = None
    ) -> Template:
        user = current_user(request)
        return Template(
            "auth/signin.html",
            context={
                "next": safe_next(next),
                "email": "",
                "error": None,
                "user": user,
                "landing": landing_for(user.role) if user else None,
            },
        )

    @post("/signin", sync_to_thread=True, status_code=HTTP_303_SEE_OTHER)
    def signin(
        self,
        request: Request[Any, Any, Any],
        db: Db,
        hasher: Hasher,
        data: Form,
    ) -> Redirect | Template:
        settings: Settings = request.app.state.settings
        form = SignInForm.of(data)
        email, password, target = form.email.strip(), form.password, safe_next(form.next)
        context: dict[str, Any] = {"next": target, "email": email, "user": None}
        try:
            user = accounts.sign_in(
                db,
                email=email,
                password=password,
                address=client_address(request, settings.trusted_proxies),
                hasher=hasher,
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
        # A fresh session id and CSRF token: an id or token someone planted before sign-in
        # is worth nothing after it.
        session: dict[str, Any] = {SESSION_USER_KEY: user.id}
        csrf_cookie = bind_csrf_token(request, session, secret=settings.secret_key)
        request.set_session(session)
        rotate_session(request)
        # An explicit safe ``next`` wins; otherwise each role lands where it works.
        landing = target or landing_for(user.role)
        return Redirect(landing, status_code=HTTP_303_SEE_OTHER, cookies=[csrf_cookie])

    @get("/signout", sync_to_thread=False)
    def signout_form(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        if current_user(request) is None:
            return Redirect("/signin")
        return Template("auth/signout.html", context={})

    @post("/signout", sync_to_thread=False, status_code=HTTP_303_SEE_OTHER)
    def signout(self, request: Request[Any, Any, Any]) -> Redirect:
        request.clear_session()
        return Redirect("/devices", status_code=HTTP_303_SEE_OTHER)
