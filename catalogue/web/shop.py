"""Shopper pages. Only published devices are visible here."""

from __future__ import annotations

from litestar import Controller, get
from litestar.response import Redirect, Template
from sqlmodel import select

from catalogue.models import Device
from catalogue.web.deps import DbSession


class ShopController(Controller):
    @get("/", sync_to_thread=False, include_in_schema=False)
    def home(self) -> Redirect:
        return Redirect("/devices")

    @get("/devices", sync_to_thread=True)
    def devices(self, session: DbSession) -> Template:
        query = select(Device).where(Device.status == "published").order_by(Device.name)
        devices = session.scalars(query).all()
        return Template("devices/list.html", context={"devices": devices, "total": len(devices)})
