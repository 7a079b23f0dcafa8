"""Named dependencies handlers declare, e.g. ``def page(self, session: DbSession)``."""

from __future__ import annotations

from litestar.di import NamedDependency
from sqlalchemy.orm import Session

from catalogue.db import Database
from catalogue.settings import Settings

DbSession = NamedDependency[Session]
Db = NamedDependency[Database]
AppSettings = NamedDependency[Settings]
