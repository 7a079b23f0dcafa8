"""The catalogue version as PostgreSQL announces it, so an anonymous shop request that its
caches can answer asks the database nothing.

Every bump of ``catalogue_version`` sends ``NOTIFY catalogue_version, '<version>'`` (migration
0200), delivered when the writing transaction commits. Each app process keeps one connection
listening in a thread of its own (``VersionWatch``); on (re)connecting it reads the version
once, then follows the announcements. A shop request for someone not signed in takes that
version instead of reading it (``web/deps.provide_session``), and everything it shows is
filed under it, as before (``browse/cache.py``): the data a request reads is always at least
as new as the version it is filed under, because the announcement leaves only after the
commit.

The announcement reaches a process a moment after the commit. So that nobody sees their own
write missing, for ``LOCAL_GRACE`` seconds after any commit in this process (an editor's
save, QA's approval, an import, a test's write) its requests read the version from the
database again; signed-in people always do. While the connection is down, every request
reads it from the database, and the watch reconnects every ``RETRY_SECONDS``.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import psycopg
from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)

CHANNEL = "catalogue_version"
LOCAL_GRACE = 1.0  # seconds after a commit in this process when requests read the version
RETRY_SECONDS = 1.0
WAIT_SECONDS = 0.2  # how often the listening thread looks up from the socket to check for stop

_last_local_commit = 0.0


@event.listens_for(Engine, "commit")
def _note_local_commit(_connection: Any) -> None:
    """Any commit through SQLAlchemy in this process (every engine: class-level listener)."""
    global _last_local_commit
    _last_local_commit = time.monotonic()


def conninfo(url: str) -> str:
    """A libpq connection string for a SQLAlchemy ``postgresql+psycopg://`` URL."""
    parsed = make_url(url).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


class VersionWatch:
    """One process's listener; ``announced()`` is the version to use, or None to read it."""

    def __init__(self, url: str) -> None:
        self._conninfo = conninfo(url)
        self._version: int | None = None
        self._live = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.announcements = 0

    def start(self) -> VersionWatch:
        self._thread = threading.Thread(target=self._run, name="version-watch", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Ask the thread to close its connection; it does within ``WAIT_SECONDS``."""
        self._stop.set()
        self._live = False

    @property
    def live(self) -> bool:
        return self._live

    def announced(self) -> int | None:
        if not self._live or time.monotonic() - _last_local_commit < LOCAL_GRACE:
            return None
        return self._version

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._listen()
            except Exception as exc:  # a lost connection: read the version meanwhile
                log.warning("catalogue version watch lost its connection: %s", exc)
            self._live = False
            self._stop.wait(RETRY_SECONDS)

    def _listen(self) -> None:
        with psycopg.connect(self._conninfo, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f"LISTEN {CHANNEL}")
            # Listening first, then reading: no bump falls between the two.
            row = conn.execute("SELECT version FROM catalogue_version WHERE id = 1").fetchone()
            self._version = None if row is None else int(row[0])
            self._live = self._version is not None
            while not self._stop.is_set():
                for note in conn.notifies(timeout=WAIT_SECONDS):
                    # Bumps hold the row's lock until they commit, so they arrive in order;
                    # the latest wins (a table emptied and filled again starts from 1).
                    self._version = int(note.payload)
                    self._live = True
                    self.announcements += 1
