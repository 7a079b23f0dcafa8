"""Exchange rates: an admin sees the rates and their history and sets one; the shop reprices."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.params import FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER, HTTP_400_BAD_REQUEST
from sqlalchemy.orm import Session

from catalogue import prices
from catalogue.web.deps import Db, DbSession, Form
from catalogue.web.forms import RateForm
from catalogue.web.guards import current_user, require_roles


def _page(
    session: Session,
    display: str,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Template:
    return Template(
        "rates/index.html",
        context={
            "rates": prices.rates_table(session),
            "history": prices.rate_history(session),
            "base": prices.BASE_CURRENCY,
            "display": display,
            "values": values or {"set_on": date.today().isoformat()},
            "errors": errors or {},
            "notice": notice,
        },
        status_code=status_code,
    )


class RatesController(Controller):
    path = "/admin/rates"
    include_in_schema = False
    guards = [require_roles("admin")]  # noqa: RUF012

    @get("/", sync_to_thread=True)
    def index(
        self, session: DbSession, state: State, saved: FromQuery[str | None] = None
    ) -> Template:
        notice = f"{saved} saved; prices in it are converted again." if saved else None
        return _page(session, state.display_currency, notice=notice)

    @post("/", sync_to_thread=True)
    def save(
        self,
        request: Request[Any, Any, Any],
        session: DbSession,
        db: Db,
        state: State,
        data: Form,
    ) -> Template | Redirect:
        form = RateForm.of(data)
        # Cut long, so a pasted essay is refused as a bad value, not echoed whole.
        values = {k: getattr(form, k)[:40] for k in ("currency", "usd_value", "set_on")}
        user = current_user(request)
        try:
            with db.writing() as s:
                change = prices.set_rate(s, **values, user_id=user.id if user else None)
                code = change.currency
        except prices.RateError as exc:
            return _page(
                session,
                state.display_currency,
                values=values,
                errors=exc.errors,
                status_code=HTTP_400_BAD_REQUEST,
            )
        return Redirect(f"/admin/rates?saved={code}", status_code=HTTP_303_SEE_OTHER)
