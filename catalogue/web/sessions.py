"""Server-side sessions kept in the database (``store_entry``) or in Redis, never in memory.

Sessions survive a restart and are shared by every app process behind one address. The
cookie holds only a random id. Three things Litestar's stock backend does not do:

- a new id on sign-in (``rotate_session``), so an id planted before sign-in is worthless;
- no row and no cookie for a visitor who never signs in (shopper pages write nothing);
- ``Secure`` on the cookie whenever the request came over https.

Idle timeout: each stored session expires ``session_idle_minutes`` after its last use.
"""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import timedelta
from hmac import compare_digest
from typing import Any, cast

import anyio.to_thread
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.middleware.csrf import generate_csrf_token
from litestar.middleware.session.server_side import (
    ServerSideSessionBackend,
    ServerSideSessionConfig,
)
from litestar.stores.base import Store
from litestar.types import Empty, Message, ScopeSession
from litestar.utils.dataclass import extract_dataclass_items
from sqlalchemy import delete
from sqlalchemy.exc import OperationalError
from sqlmodel import col

from catalogue.data.db import Database
from catalogue.data.models import StoreEntry, as_utc, utcnow
from catalogue.settings import Settings

log = logging.getLogger("catalogue")

SESSION_COOKIE = "lumen_session"
# What ``generate_session_id`` makes (hex of 32 random bytes). Any other cookie value names
# no session and never reaches the store: ``%00`` would be an error in a PostgreSQL query.
SESSION_ID_RE = re.compile(r"[0-9a-f]{64}")
_ROTATE = "catalogue.rotate_session"
_NEW_ID = "catalogue.new_session_id"
_LOADED = "catalogue.loaded_session"
# Renew a session's expiry at most this often, so reading a page is not a write each time.
RENEW_GRANULARITY = timedelta(seconds=60)


def _seconds(value: int | timedelta | None) -> timedelta | None:
    if value is None:
        return None
    return value if isinstance(value, timedelta) else timedelta(seconds=value)


class DatabaseStore(Store):
    """Litestar's ``Store`` on the ``store_entry`` table, keys prefixed by a namespace."""

    __slots__ = ("db", "namespace")

    def __init__(self, db: Database, namespace: str = "session") -> None:
        self.db = db
        self.namespace = namespace

    def _key(self, key: str) -> str:
        return f"{self.namespace}:{key}"

    # The database calls are synchronous; run them off the event loop.
    async def set(
        self, key: str, value: str | bytes, expires_in: int | timedelta | None = None
    ) -> None:
        data = value.encode() if isinstance(value, str) else value
        await anyio.to_thread.run_sync(self._set, self._key(key), data, _seconds(expires_in))

    def _set(self, key: str, data: bytes, expires_in: timedelta | None) -> None:
        expires_at = utcnow() + expires_in if expires_in else None
        with self.db.writing() as session:
            entry = session.get(StoreEntry, key)
            if entry is None:
                session.add(StoreEntry(key=key, value=data, expires_at=expires_at))
            else:
                entry.value, entry.expires_at = data, expires_at

    async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None:
        return await anyio.to_thread.run_sync(self._get, self._key(key), _seconds(renew_for))

    def _get(self, key: str, renew_for: timedelta | None) -> bytes | None:
        with self.db.session() as session:
            entry = session.get(StoreEntry, key)
            if entry is None:
                return None
            value = entry.value
            expires_at = as_utc(entry.expires_at) if entry.expires_at else None
        now = utcnow()
        if expires_at is not None and expires_at <= now:
            self._delete(key)
            return None
        if (
            renew_for
            and expires_at is not None
            and now + renew_for - expires_at > RENEW_GRANULARITY
        ):
            self._renew(key, now + renew_for)
        return bytes(value)

    def _renew(self, key: str, expires_at: Any) -> None:
        """Push the expiry on; when another writer holds the database (a long import), skip it:
        the session has most of its idle time left, and a reader must not get an error."""
        try:
            with self.db.writing() as session:
                entry = session.get(StoreEntry, key)
                if entry is not None:
                    entry.expires_at = expires_at
        except OperationalError:
            log.warning("session renewal skipped: the database is busy")

    async def delete(self, key: str) -> None:
        await anyio.to_thread.run_sync(self._delete, self._key(key))

    def _delete(self, key: str) -> None:
        with self.db.writing() as session:
            session.execute(delete(StoreEntry).where(col(StoreEntry.key) == key))

    async def delete_all(self) -> None:
        await anyio.to_thread.run_sync(self._delete_all)

    def _delete_all(self) -> None:
        with self.db.writing() as session:
            session.execute(
                delete(StoreEntry).where(col(StoreEntry.key).startswith(f"{self.namespace}:"))
            )

    async def exists(self, key: str) -> bool:
        return await self.get(key) is not None

    async def expires_in(self, key: str) -> int | None:
        def read() -> int | None:
            with self.db.session() as session:
                entry = session.get(StoreEntry, self._key(key))
                expires_at = as_utc(entry.expires_at) if entry and entry.expires_at else None
            if expires_at is None:
                return None
            return int((expires_at - utcnow()).total_seconds())

        return await anyio.to_thread.run_sync(read)


def rotate_session(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    """Give this session a new id when the response is sent (call it on sign-in)."""
    connection.scope.setdefault("state", {})[_ROTATE] = True


class RotatingSessionBackend(ServerSideSessionBackend):
    def get_session_id(self, connection: ASGIConnection[Any, Any, Any, Any]) -> str:
        state = _state(connection)
        if not state.get(_NEW_ID) and _cookie_id(connection, self.config.key) is None:
            state[_NEW_ID] = self.generate_session_id()  # no cookie, or a forged one
        return (
            cast(str, state[_NEW_ID]) if state.get(_NEW_ID) else super().get_session_id(connection)
        )

    async def load_from_connection(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> dict[str, Any]:
        if session_id := _cookie_id(connection, self.config.key):
            store = self.config.get_store_from_app(connection.scope["app"])
            data = await self.get(session_id, store=store)
            if data is not None:
                _state(connection)[_LOADED] = data
                return self.deserialize_data(data)
        return {}

    async def store_in_message(
        self,
        scope_session: ScopeSession,
        message: Message,
        connection: ASGIConnection[Any, Any, Any, Any],
    ) -> None:
        state = _state(connection)
        sent_cookie = bool(connection.cookies.get(self.config.key))
        had_cookie = _cookie_id(connection, self.config.key) is not None
        empty = scope_session is Empty or not scope_session
        if empty and not sent_cookie:
            return  # an anonymous visitor: no row, no cookie
        store = self.config.get_store_from_app(connection.scope["app"])
        if state.get(_ROTATE) and not state.get(_NEW_ID):
            if had_cookie:
                await self.delete(connection.cookies[self.config.key], store=store)
            state[_NEW_ID] = self.generate_session_id()
        params = dict(
            extract_dataclass_items(self.config, exclude_none=True, include=Cookie.__dict__.keys())
        )
        params["secure"] = self.config.secure or connection.url.scheme == "https"
        if empty:
            # An emptied session (sign-out, an expired or a forged one): delete the row if
            # there was one, and tell the browser to drop the cookie now (Max-Age=0).
            if _LOADED in state:
                await self.delete(self.get_session_id(connection), store=store)
            params["max_age"] = 0
            cookie = Cookie(value="", key=self.config.key, expires=0, **params)
        else:
            session_id = self.get_session_id(connection)
            data = self.serialize_data(scope_session, connection.scope)
            # Unchanged data is not written again: reading it already renewed its expiry.
            if state.get(_NEW_ID) or data != state.get(_LOADED):
                await self.set(session_id, data, store=store)
            cookie = Cookie(value=session_id, key=self.config.key, **params)
        MutableScopeHeaders.from_message(message).add("Set-Cookie", cookie.to_header(header=""))


# --- CSRF tokens bound to the session --------------------------------------------------------
#
# Litestar's CSRF check is double-submit: the form's token must equal the csrftoken cookie,
# and both carry an HMAC. On its own that accepts any pair made by this server, so a cookie
# planted from another browser (a sibling subdomain can set one) would pass. Signing in
# therefore issues a fresh token and keeps its hash in the server-side session; every unsafe
# request of that session must then carry that very token.

CSRF_COOKIE = "csrftoken"
CSRF_EXEMPT = ("/api/claims/check",)  # stateless, open to anyone
_CSRF_BINDING = "csrf"


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def bind_csrf_token(
    connection: ASGIConnection[Any, Any, Any, Any], session: dict[str, Any], *, secret: str
) -> Cookie:
    """A new CSRF token for a new sign-in: its hash goes into ``session``, the token into the
    returned cookie (which replaces whatever csrftoken the browser had)."""
    token = generate_csrf_token(secret=secret)
    session[_CSRF_BINDING] = _token_hash(token)
    return Cookie(
        key=CSRF_COOKIE,
        value=token,
        path="/",
        samesite="lax",
        secure=connection.url.scheme == "https",
    )


def csrf_token_bound(connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
    """Whether this request's csrftoken is the one its session was given at sign-in (true for
    a request without a session or a binding: Litestar's own check still applies)."""
    session = connection.scope.get("session")
    expected = session.get(_CSRF_BINDING) if isinstance(session, dict) else None
    if not expected:
        return True
    return compare_digest(str(expected), _token_hash(connection.cookies.get(CSRF_COOKIE, "")))


def _cookie_id(connection: ASGIConnection[Any, Any, Any, Any], key: str) -> str | None:
    """The session id in the cookie when it has the shape of one we issue, else None."""
    value = connection.cookies.get(key)
    return value if value and SESSION_ID_RE.fullmatch(value) else None


def _state(connection: ASGIConnection[Any, Any, Any, Any]) -> dict[str, Any]:
    return connection.scope.setdefault("state", {})


class CatalogueSessionConfig(ServerSideSessionConfig):
    _backend_class = RotatingSessionBackend


def session_config(settings: Settings) -> CatalogueSessionConfig:
    idle = settings.session_idle_minutes * 60
    return CatalogueSessionConfig(
        key=SESSION_COOKIE,
        max_age=idle,
        renew_on_access=True,
        httponly=True,
        samesite="lax",
        secure=settings.environment == "production",
        store="sessions",
        exclude=["^/static/", "^/healthz"],
    )


def session_store(settings: Settings, db: Database) -> Store:
    if settings.redis_url:
        from litestar.stores.redis import RedisStore

        return RedisStore.with_client(url=settings.redis_url, namespace="lumen-sessions")
    return DatabaseStore(db)
