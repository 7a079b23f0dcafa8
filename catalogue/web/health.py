from __future__ import annotations

from litestar import get
from sqlalchemy import text

from catalogue.web.deps import DbSession


@get("/healthz", sync_to_thread=True, include_in_schema=False)
def health(session: DbSession) -> dict[str, str]:
    """Liveness and database reachability, for a load balancer or a deploy check."""
    session.execute(text("SELECT 1"))
    return {"status": "ok", "database": "ok"}
