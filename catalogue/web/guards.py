"""Who is signed in, and route guards by role.

Use on a controller or a single handler::

    from catalogue.web.guards import require_roles, signed_in_user

    class QAController(Controller):
        path = "/qa"
        guards = [require_roles("qa")]  # admins pass every role check

        @get("/")
        def home(self, request: Request) -> Template:
            user = signed_in_user(request)  # a SignedInUser: the guard let nobody else in
            ...

``current_user(request)`` is the same on pages anyone may see, where it can be None.

- Anonymous: HTML pages redirect to ``/signin?next=<the page>``; ``/api/...`` and requests
  that want JSON get ``401`` JSON.
- Signed in with another role: ``403``.
- ``admin`` passes every ``require_roles`` check.

Templates get ``current_user()`` (a ``SignedInUser`` or None), ``csrf_field()`` (the hidden
``_csrf_token`` input for a form) and Litestar's ``csrf_token()``. htmx sends the token in
the ``x-csrftoken`` header, set once on ``<body>`` in ``base.html``.

The user is loaded once per request by ``UserMiddleware`` from the session's ``user_id``; a
disabled or deleted account ends its sessions on the next request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import anyio.to_thread
from jinja2 import pass_context
from litestar import Request, Response
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import ASGIMiddleware
from litestar.response import Redirect
from litestar.types import ASGIApp, Empty, Receive, Scope, Send
from markupsafe import Markup, escape

from catalogue.accounts import role_allows
from catalogue.data.db import Database
from catalogue.data.models import User
from catalogue.web.errors import handle_exception, wants_json

SESSION_USER_KEY = "user_id"


@dataclass(frozen=True, slots=True)
class SignedInUser:
    """The signed-in person as pages need them: no password hash travels with the request."""

    id: int
    email: str
    role: str

    def has_role(self, *roles: str) -> bool:
        return role_allows(self.role, roles)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def current_user(connection: ASGIConnection[Any, Any, Any, Any]) -> SignedInUser | None:
    user = connection.scope.get("user")
    return user if isinstance(user, SignedInUser) else None


def shares_cached_reads(connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
    """Whether this request may be answered from what every visitor shares: a rendered shop
    page (``web/page_cache.py``) and the catalogue version PostgreSQL announced
    (``provide_session``). Only requests with nobody signed in may; a signed-in person always
    gets a page of their own, read at the current version, so they see their own writes."""
    return current_user(connection) is None


def signed_in_user(connection: ASGIConnection[Any, Any, Any, Any]) -> SignedInUser:
    """The user behind a ``require_roles`` guard, where there always is one."""
    user = current_user(connection)
    assert user is not None  # the guard let nobody else in
    return user


class SignInRequired(NotAuthorizedException):
    """Raised for an anonymous request to a guarded route."""


def require_roles(
    *roles: str,
) -> Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], None]:
    """A guard letting through signed-in users with one of ``roles`` (or admin)."""
    if not roles:
        raise ValueError("require_roles needs at least one role")

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        user = current_user(connection)
        if user is None:
            raise SignInRequired("Sign in to see this page.")
        if not user.has_role(*roles):
            raise PermissionDeniedException(
                f"This needs the {' or '.join(roles)} role; you are signed in as {user.role}."
            )

    guard.__name__ = f"require_roles_{'_'.join(roles)}"
    return guard


# Where each role works: where signing in lands when no page was asked for.
LANDING = {"qa": "/qa/queue", "merchandiser": "/admin/devices", "admin": "/admin/devices"}


def safe_next(target: str | None) -> str:
    """Only a path on this site, so ``?next=`` cannot send anyone elsewhere; "" when the
    target is missing or not one (sign-in then lands where the role works)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return ""
    return target


def landing_for(role: str) -> str:
    """Where signing in takes someone of this role when no safe ``next`` was given."""
    return LANDING.get(role, "/devices")


def handle_sign_in_required(request: Request[Any, Any, Any], exc: SignInRequired) -> Response[Any]:
    if wants_json(request) or request.method not in ("GET", "HEAD"):
        return handle_exception(request, exc)
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return Redirect(f"/signin?next={quote(target, safe='/')}")


class UserMiddleware(ASGIMiddleware):
    """Puts the session's user (or None) on ``scope["user"]`` so ``request.user`` works."""

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        scope["user"] = None
        session = scope.get("session")
        user_id = session.get(SESSION_USER_KEY) if isinstance(session, dict) else None
        if user_id is not None:
            db: Database = scope["litestar_app"].state.db
            user = await anyio.to_thread.run_sync(_load_user, db, int(user_id))
            if user is None:
                scope["session"] = Empty  # the account is gone or disabled: end the session
            scope["user"] = user
        await next_app(scope, receive, send)


def _load_user(db: Database, user_id: int) -> SignedInUser | None:
    with db.session() as session:
        row = session.get(User, user_id)
        if row is None or not row.is_active or row.id is None:
            return None
        return SignedInUser(id=row.id, email=row.email, role=row.role)


@pass_context
def _template_user(context: Any) -> SignedInUser | None:
    request = context.get("request")
    return current_user(request) if request is not None else None


@pass_context
def _csrf_field(context: Any) -> Markup:
    from litestar.template.base import csrf_token

    token = csrf_token(context)
    return Markup('<input type="hidden" name="_csrf_token" value="{}">').format(escape(token))


def register_template_globals(env: Any) -> None:
    env.globals.update(current_user=_template_user, csrf_field=_csrf_field)
