"""Rendition files under ``MEDIA_DIR``: written atomically, named by content, safe to share.

A file is written to a temporary name in its final folder and renamed into place, so a
reader (this process, another app process, another machine on the same network share)
sees the whole file or none. Names come from the content hash, so a name never changes
meaning and two processes writing the same upload write the same bytes.

Layout: ``MEDIA_DIR/3f/3f2a…-480.webp`` (the first two hex digits as a folder keep any one
folder small).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

from catalogue.media.processing import ProcessedImage

NAME_RE = re.compile(r"^(?P<hash>[0-9a-f]{32})-(?P<width>[0-9]{2,4})\.(?P<ext>webp|jpg)$")


class MediaStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, name: str) -> Path | None:
        """Where the file ``name`` lives, or None when ``name`` is not a rendition name (which
        also keeps ``..`` and slashes out)."""
        if not NAME_RE.match(name):
            return None
        return self.root / name[:2] / name

    def exists(self, name: str) -> bool:
        path = self.path_for(name)
        return path is not None and path.is_file()

    def write(self, name: str, data: bytes) -> None:
        path = self.path_for(name)
        if path is None:
            raise ValueError(f"{name!r} is not a rendition name")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(temp, 0o644)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def save(self, processed: ProcessedImage) -> None:
        for rendition in processed.renditions:
            self.write(rendition.name, rendition.data)

    def remove(self, names: Iterable[str]) -> None:
        for name in names:
            path = self.path_for(name)
            if path is not None:
                path.unlink(missing_ok=True)
