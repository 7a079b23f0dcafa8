"""Facet counts and result pages remembered per catalogue version, in bounded memory.

Counting 100,000 devices five ways costs tens to hundreds of milliseconds per request; the
catalogue changes far less often than shoppers ask. Every write to what shoppers see bumps
``catalogue_version`` (database triggers, migration 0160), and every entry is keyed by the
version it was computed at, so a request after a write never sees counts from before it,
and every app process agrees because the version lives in the database.

A request reads the version first, then the data: on SQLite both come from one read
transaction; on PostgreSQL (read committed) the data is at least as new as the version it
is filed under, never older, and the next request after a write reads the new version.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import replace
from typing import Any, TypeVar

from sqlalchemy.orm import Session
from sqlmodel import col, select

from catalogue.browse.filter import PER_PAGE_DEFAULT, DeviceFilter
from catalogue.data.models import CatalogueVersion

T = TypeVar("T")
MAX_ENTRIES = 2_000  # a few KB each: counts for every facet value, or one page of ids


def catalogue_version(session: Session) -> int | None:
    """The current version, or None when there is no row (a table just truncated)."""
    query = select(CatalogueVersion.version).where(col(CatalogueVersion.id) == 1)
    return session.scalar(query)


def counting_state(flt: DeviceFilter) -> DeviceFilter:
    """The filter as its counts see it: ``?area=knees&page=3&sort=price`` counts as
    ``?area=knees`` (sort and page choose which matching rows a page shows, not which match)."""
    return replace(flt, sort="relevance", page=1, per_page=PER_PAGE_DEFAULT)


class CountCache:
    """A thread-safe LRU of values per (catalogue version, key), at most ``max_entries``."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[int, Hashable], Any] = OrderedDict()
        self._lock = threading.Lock()
        self._version = -1
        self.hits = self.misses = 0

    @property
    def size(self) -> int:
        return len(self._entries)

    def get(self, version: int | None, key: Hashable, compute: Callable[[], T]) -> T:
        """The value for ``key`` at ``version`` (read first: ``catalogue_version``), computed
        on a miss; never kept when there is no version."""
        if version is None:
            return compute()
        with self._lock:
            if version > self._version:
                # Entries of older versions can never be asked for again (versions only grow).
                self._entries.clear()
                self._version = version
            entry = self._entries.get((version, key), _MISSING)
            if entry is not _MISSING:
                self._entries.move_to_end((version, key))
                self.hits += 1
                return entry  # type: ignore[no-any-return]
            self.misses += 1
        value = compute()  # outside the lock: other requests go on meanwhile
        with self._lock:
            # A request that began before a newer write answers, but files nothing.
            if version == self._version:
                self._entries[(version, key)] = value
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
        return value


_MISSING: Any = object()
