"""The page an invitation or reset link opens: the person sets their password there.

Anyone holding the link may use it (that is what the admin handed over), once, within 48
hours, while the account is active. The page is never cached and sends no referrer, so the
token stays in the address bar of the one browser that opened it.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, post
from litestar.params import FromPath
from litestar.response import Template
from litestar.status_codes import HTTP_400_BAD_REQUEST, HTTP_404_NOT_FOUND

from catalogue import accounts, password_links
from catalogue.web.deps import Db, DbSession, Form, Hasher
from catalogue.web.forms import NewPasswordForm

# Stored nowhere along the way, and the token never leaves in a Referer header.
PRIVATE = {"cache-control": "no-store", "referrer-policy": "no-referrer"}


def _page(context: dict[str, Any], status_code: int = 200) -> Template:
    return Template(
        "auth/set_password.html",
        context={"errors": {}, "done": None, "refused": None, **context},
        status_code=status_code,
        headers=PRIVATE,
    )


def _refused() -> Template:
    return _page({"refused": password_links.REFUSED}, HTTP_404_NOT_FOUND)


class PasswordLinkController(Controller):
    path = "/set-password"
    include_in_schema = False

    @get("/{token:str}", sync_to_thread=True)
    def form(self, session: DbSession, token: FromPath[str]) -> Template:
        try:
            link = password_links.open_link(session, token)
        except password_links.LinkRefused:
            return _refused()
        return _page({"link": link, "token": token})

    @post("/{token:str}", sync_to_thread=True)
    def save(
        self, session: DbSession, db: Db, hasher: Hasher, token: FromPath[str], data: Form
    ) -> Template:
        form = NewPasswordForm.of(data)
        try:
            email = password_links.set_password(
                db,
                token=token,
                password=form.password,
                confirm=form.confirm,
                hasher=hasher,
            )
        except password_links.LinkRefused:
            return _refused()
        except accounts.AccountError as exc:
            try:
                link = password_links.open_link(session, token)
            except password_links.LinkRefused:  # expired while the form was open
                return _refused()
            return _page({"link": link, "token": token, "errors": exc.errors}, HTTP_400_BAD_REQUEST)
        return _page({"done": email})
