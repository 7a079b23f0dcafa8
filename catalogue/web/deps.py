"""What handlers declare besides path and query parameters: named dependencies, e.g.
``def page(self, session: DbSession, user: CurrentUser)``, and the body of a plain HTML form
(``data: Form``). The providers are registered on the app in ``create_app``.

``device: DeviceBySlug`` is the device at the route's ``{slug}`` read in the request's
session (a 404 when there is none). A handler that writes reads it again with
``device_or_404`` inside its ``db.writing()`` session, where it is locked and changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from argon2 import PasswordHasher
from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, FromPath
from sqlalchemy.orm import Session

from catalogue.browse.cache import CountCache, use_announced_version
from catalogue.data.db import Database
from catalogue.data.models import Device
from catalogue.data.version_watch import VersionWatch
from catalogue.devices.editing import get_device
from catalogue.media.storage import MediaStore
from catalogue.web.guards import SignedInUser, SignInRequired, current_user, shares_cached_reads

DbSession = NamedDependency[Session]
Db = NamedDependency[Database]
Hasher = NamedDependency[PasswordHasher]
CurrentUser = NamedDependency[SignedInUser]
DeviceBySlug = NamedDependency[Device]
Media = NamedDependency[MediaStore]
Counts = NamedDependency[CountCache]  # the process's facet count cache: ``counts: Counts``
Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


def device_or_404(session: Session, slug: str) -> Device:
    device = get_device(session, slug)
    if device is None:
        raise NotFoundException(f"No device {slug!r}.")
    return device


def provide_db(state: State) -> Database:
    db: Database = state.db
    return db


def provide_session(request: Request[Any, Any, Any], state: State) -> Iterator[Session]:
    """A read session for one request; writes go through ``Database.writing()``. For someone
    not signed in it takes the catalogue version PostgreSQL last announced, when there is
    one (``data/version_watch.py``), so a page the caches hold needs no query at all."""
    session = state.db.session()
    watch: VersionWatch | None = state.version_watch
    if watch is not None and shares_cached_reads(request):
        announced = watch.announced()
        if announced is not None:
            use_announced_version(session, announced)
    try:
        yield session
    finally:
        session.close()


def provide_hasher(state: State) -> PasswordHasher:
    hasher: PasswordHasher = state.hasher
    return hasher


def provide_user(request: Request[Any, Any, Any]) -> SignedInUser:
    """The signed-in user; on a route without a role guard, anonymous is told to sign in."""
    user = current_user(request)
    if user is None:
        raise SignInRequired("Sign in to see this page.")
    return user


def provide_device(session: Session, slug: FromPath[str]) -> Device:
    return device_or_404(session, slug)


DEPENDENCIES = {
    "db": Provide(provide_db, sync_to_thread=False),
    "session": Provide(provide_session),
    "hasher": Provide(provide_hasher, sync_to_thread=False),
    "user": Provide(provide_user, sync_to_thread=False),
    "device": Provide(provide_device, sync_to_thread=True),
}
