"""Image renditions from MEDIA_DIR. A name is a content hash, so a URL never changes meaning
and may be cached for a year without asking again."""

from __future__ import annotations

from litestar import get
from litestar.datastructures import State
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import File

from catalogue.media.processing import CONTENT_TYPES
from catalogue.media.storage import MediaStore

IMMUTABLE = "public, max-age=31536000, immutable"


def provide_media(state: State) -> MediaStore:
    store: MediaStore = state.media
    return store


@get("/media/{name:str}", sync_to_thread=False, include_in_schema=False)
def media_file(state: State, name: FromPath[str]) -> File:
    store: MediaStore = state.media
    path = store.path_for(name)
    if path is None or not path.is_file():
        raise NotFoundException("No such image.")
    return File(
        path,
        media_type=CONTENT_TYPES[path.suffix.lstrip(".")],
        content_disposition_type="inline",
        headers={"cache-control": IMMUTABLE, "x-content-type-options": "nosniff"},
    )
