"""One process's facet index kept up to date from the change log, with the base bitmaps and
pages of ids it carries across catalogue versions.

After a write, the change log (``catalogue_change``, migration 0175) names the devices each
version touched; the index (``facet_index.FacetIndex``) and every kept bitmap read only those
again. ``tests/test_count_cache.py`` holds the results equal to plain SQL after random writes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session
from sqlmodel import col, select

from catalogue.browse.conditions import base_conditions, dialect_of
from catalogue.browse.facet_index import STREAM, FacetIndex, bitmap
from catalogue.browse.filter import DeviceFilter
from catalogue.browse.fit import Catalogue
from catalogue.data.models import CatalogueChange, Device

MAX_BASES = 256  # base bitmaps kept per process, each at most one bit per device
MAX_PAGES = 512  # pages of ids kept per process across versions
MAX_ORDERED = 64  # sets of ids kept in name order per process
REBUILD_AFTER = 5_000  # changed devices beyond which reading everything again is cheaper


def everything(changed: Sequence[int]) -> bool:
    """Whether to read everything again: a TRUNCATE or a pruned log (device 0 is noted), or
    so many changes that reading them one by one costs more."""
    return bool(changed) and (changed[0] == 0 or len(changed) > REBUILD_AFTER)


def changed_since(session: Session, version: int) -> set[int]:
    """The devices the change log names after ``version``."""
    query = select(CatalogueChange.device_id).where(col(CatalogueChange.version) > version)
    return set(session.scalars(query))


class LiveIndex:
    """One process's index and base bitmaps, kept up to date from the change log.

    At most one build or refresh of the index at a time: the other requests wait for it
    rather than each reading the catalogue. Base bitmaps (the ids passing a filter's price,
    wavelength, session, warranty and ``q`` conditions) are kept for the most recent
    ``MAX_BASES`` filters and brought up to date the same way when next asked for.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._index: FacetIndex | None = None
        self._base_lock = threading.Lock()
        self._bases: OrderedDict[Hashable, tuple[int, int]] = OrderedDict()  # version, bits
        # A page's ids, the version they were read at and the devices its filter kept then.
        self._pages: OrderedDict[Hashable, tuple[int, list[int], int]] = OrderedDict()
        # Ids in (name, id) order with their bitmap and the version they were read at.
        self._ordered: OrderedDict[Hashable, tuple[int, int, list[int]]] = OrderedDict()
        self.builds = self.refreshes = self.pages_carried = 0

    def at(self, session: Session, version: int) -> FacetIndex:
        with self._lock:
            index = self._index
            if index is not None and index.version >= version:
                return index  # as new as asked, or newer: data newer than its version is fine
            changed = [] if index is None else sorted(changed_since(session, index.version))
            if index is None or index.brand is None or everything(changed):
                self.builds += 1
                index = FacetIndex.build(session, version)
            else:
                self.refreshes += 1
                index = index.updated(session, version, changed)
            self._index = index
            return index

    def base(
        self, session: Session, flt: DeviceFilter, cat: Catalogue, version: int, key: Hashable
    ) -> int:
        return self.kept(session, base_conditions(flt, cat, dialect_of(session)), version, key)

    def kept(
        self, session: Session, where: Sequence[ColumnElement[bool]], version: int, key: Hashable
    ) -> int:
        """The devices meeting ``where`` as a bitmap at ``version``, kept under ``key`` and
        brought up to date from the change log."""
        with self._base_lock:
            kept = self._bases.get(key)
            if kept is not None:
                self._bases.move_to_end(key)
                if kept[0] >= version:
                    return kept[1]
        bits = bitmap_where(session, where, since=kept)
        with self._base_lock:
            self._bases[key] = (version, bits)
            while len(self._bases) > MAX_BASES:
                self._bases.popitem(last=False)
        return bits

    def in_name_order(
        self, session: Session, where: Sequence[ColumnElement[bool]], version: int, key: Hashable
    ) -> tuple[int, list[int]]:
        """The devices meeting ``where`` as a bitmap and in (name, id) order at ``version``,
        kept under ``key``. Read again only when a device the change log names since met
        ``where`` then or does now: no other write moves them or their names."""
        with self._base_lock:
            kept = self._ordered.get(key)
            if kept is not None:
                self._ordered.move_to_end(key)
                if kept[0] >= version:
                    return kept[1], kept[2]
        found: tuple[int, list[int]] | None = None
        if kept is not None:
            changed = sorted(changed_since(session, kept[0]))
            if not everything(changed):
                now = select(Device.id).where(*where, col(Device.id).in_(changed))
                if not changed or not (
                    bitmap(changed) & kept[1] or session.scalars(now.limit(1)).first()
                ):
                    found = kept[1], kept[2]
        if found is None:
            query = select(Device.id).where(*where).order_by(col(Device.name), col(Device.id))
            ids = [i for i in session.scalars(query) if i is not None]
            found = bitmap(ids), ids
        with self._base_lock:
            self._ordered[key] = (version, *found)
            self._ordered.move_to_end(key)
            while len(self._ordered) > MAX_ORDERED:
                self._ordered.popitem(last=False)
        return found

    def page(
        self,
        session: Session,
        key: Hashable,
        version: int,
        matching: int,
        read: Callable[[], list[int]],
    ) -> list[int]:
        """A page's device ids at ``version``: the ids kept from an older version when no
        device changed since is kept by the filter, then or now (``matching``): neither the
        set of rows nor any of their sort keys moved, so neither did the page. Else ``read``.
        """
        with self._base_lock:
            kept = self._pages.get(key)
        ids: list[int] | None = None
        if kept is not None and kept[0] <= version:
            changed = sorted(changed_since(session, kept[0]))
            if not everything(changed) and not bitmap(changed) & (kept[2] | matching):
                ids = kept[1]
                self.pages_carried += 1
        if ids is None:
            ids = read()
        with self._base_lock:
            self._pages[key] = (version, ids, matching)
            self._pages.move_to_end(key)
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        return ids


def base_bitmap(
    session: Session, flt: DeviceFilter, cat: Catalogue, *, since: tuple[int, int] | None = None
) -> int:
    """The published devices that pass the filter's price, wavelength, session, warranty and
    ``q`` conditions, as one bitmap: one query, over every device or, given the bitmap
    ``since`` a version, over the devices changed after it."""
    return bitmap_where(session, base_conditions(flt, cat, dialect_of(session)), since=since)


def bitmap_where(
    session: Session,
    where: Sequence[ColumnElement[bool]],
    *,
    since: tuple[int, int] | None = None,
) -> int:
    """The devices meeting ``where`` as a bitmap (see ``base_bitmap``)."""
    query = select(Device.id).where(*where)
    every = query.execution_options(yield_per=STREAM)  # up to every device: in batches
    if since is None:
        return bitmap(session.scalars(every))
    version, bits = since
    changed = sorted(changed_since(session, version))
    if everything(changed):
        return bitmap(session.scalars(every))
    if not changed:
        return bits
    now = bitmap(session.scalars(query.where(col(Device.id).in_(changed))))
    return (bits & ~bitmap(changed)) | now
