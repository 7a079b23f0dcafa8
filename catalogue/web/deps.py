"""What handlers declare besides path and query parameters: named dependencies, e.g.
``def page(self, session: DbSession)``, and the body of a plain HTML form (``data: Form``)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body
from sqlalchemy.orm import Session

from catalogue.browse.cache import CountCache
from catalogue.data.db import Database
from catalogue.media.storage import MediaStore
from catalogue.settings import Settings

DbSession = NamedDependency[Session]
Db = NamedDependency[Database]
AppSettings = NamedDependency[Settings]
Media = NamedDependency[MediaStore]
Counts = NamedDependency[CountCache]  # the process's facet count cache: ``counts: Counts``
Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
