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
from concurrent.futures import Future
from dataclasses import replace
from typing import Any, TypeVar

from sqlalchemy.orm import Session
from sqlmodel import col, select

from catalogue.browse.filter import PER_PAGE_DEFAULT, DeviceFilter
from catalogue.browse.live_index import LiveIndex
from catalogue.data.models import CatalogueVersion

T = TypeVar("T")
MAX_ENTRIES = 2_000  # a few KB each: counts for every facet value, or one page of ids
MAX_RESULTS = 256  # whole result pages, up to a few hundred KB each with 100 devices
MAX_RENDERED = 128  # rendered shop pages for anonymous visitors, 15-140 KB each


def catalogue_version(session: Session) -> int | None:
    """The current version, or None when there is no row (a table just truncated).

    Read once per transaction: a shop request asks for it for its reference data and again
    for its results, and the first answer is the one the request's data is at least as new
    as (see above)."""
    kept = session.info.get(_VERSION_READ)
    if kept is not None and (kept[0] is _ANNOUNCED or kept[0] is session.get_transaction()):
        return kept[1]  # type: ignore[no-any-return]
    query = select(CatalogueVersion.version).where(col(CatalogueVersion.id) == 1)
    version = session.scalar(query)
    session.info[_VERSION_READ] = (session.get_transaction(), version)
    return version


_VERSION_READ = "catalogue_version_read"  # session.info: (the transaction, the version it read)
_ANNOUNCED: Any = object()  # in place of the transaction: a version announced, not read


def use_announced_version(session: Session, version: int) -> None:
    """Everything ``session`` reads is filed under ``version``, announced by the database
    after its commit (``data/version_watch.py``), instead of reading the version."""
    session.info[_VERSION_READ] = (_ANNOUNCED, version)


def counting_state(flt: DeviceFilter) -> DeviceFilter:
    """The filter as its counts see it: ``?area=knees&page=3&sort=price`` counts as
    ``?area=knees`` (sort and page choose which matching rows a page shows, not which match)."""
    return replace(flt, sort="relevance", page=1, per_page=PER_PAGE_DEFAULT)


class CountCache:
    """A thread-safe LRU of values per (catalogue version, key), at most ``max_entries``.

    One computation per key and version at a time: right after a write, every request for
    a popular filter state misses at once; the first computes, the others wait for its
    answer instead of each recounting (which, on two cores, starves everything else).
    """

    def __init__(
        self,
        max_entries: int = MAX_ENTRIES,
        *,
        with_results: bool = True,
        index: LiveIndex | None = None,
    ) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[int, Hashable], Any] = OrderedDict()
        self._pending: dict[tuple[int, Hashable], Future[Any]] = {}
        self._lock = threading.Lock()
        self._version = -1
        self.hits = self.misses = self.waits = 0
        # the facet bitmaps the counts come from; the nested stores below share their parent's
        self.index = index if index is not None else LiveIndex()
        # Whole result pages, in a smaller store of their own: they are the big entries.
        self.results: CountCache = (
            CountCache(MAX_RESULTS, with_results=False, index=self.index) if with_results else self
        )
        # Rendered shop pages (``web/page_cache.py``), in a store of their own too.
        self.pages: CountCache = (
            CountCache(MAX_RENDERED, with_results=False, index=self.index) if with_results else self
        )

    @property
    def size(self) -> int:
        return len(self._entries)

    def get(self, version: int | None, key: Hashable, compute: Callable[[], T]) -> T:
        """The value for ``key`` at ``version`` (read first: ``catalogue_version``), computed
        on a miss; never kept when there is no version."""
        if version is None:
            return compute()
        slot = (version, key)
        with self._lock:
            if version > self._version:
                # Entries of older versions can never be asked for again (versions only grow).
                self._entries.clear()
                self._version = version
            entry = self._entries.get(slot, _MISSING)
            if entry is not _MISSING:
                self._entries.move_to_end(slot)
                self.hits += 1
                return entry  # type: ignore[no-any-return]
            pending = self._pending.get(slot)
            if pending is None:
                self.misses += 1
                mine: Future[Any] = Future()
                self._pending[slot] = mine
            else:
                self.waits += 1
        if pending is not None:
            return pending.result()  # type: ignore[no-any-return]
        try:
            value = compute()  # outside the lock: other keys go on meanwhile
        except BaseException as exc:
            with self._lock:
                self._pending.pop(slot, None)
            mine.set_exception(exc)
            raise
        with self._lock:
            self._pending.pop(slot, None)
            # A request that began before a newer write answers, but files nothing.
            if version == self._version:
                self._entries[slot] = value
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
        mine.set_result(value)
        return value


_MISSING: Any = object()
