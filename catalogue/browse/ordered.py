"""A page in name order from the bitmaps of the devices it shows: no sort of the whole set.

A filtered page in the default order (fit rank for the chosen areas, then devices with a
searched word in their name, then name and id) cost 40 to 100 ms at 100,000 devices: SQL
found every matching device (10,000 for an area, 85,000 for a common word), then sorted them
all for 24. Yet the process already holds the devices a filter keeps as a bitmap
(``facet_index.py``), and each rank level (a fit level, "a word in the name") as bitmaps too.

So a page is read tier by tier (a tier is one rank level, its size a popcount): the tiers
before the page are skipped by their counts, and within a tier the devices come in name
order, either from the name index of the published devices, kept when their bit is set (a
large tier: a few hundred index rows for a page), or, for a small tier, by id and sorted.
The rows and their order are those of the SQL ORDER BY; ``tests/test_browse_ordered.py`` holds
them equal, tier sizes and both reading paths included.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session
from sqlmodel import col, select

from catalogue.data.models import Device

SMALL_TIER = 1_000  # a tier this small is read by id and sorted in SQL
MAX_WALK = 12_000  # index rows a page may walk; beyond that, the filter's own query
FIRST_BATCH = 96  # fewest index rows asked for at once
# (status, name, light type, form factor, brand, price): the walk's conditions are checked in
# the index. SQLite otherwise takes the name-only index and reads each row from the table.
NAME_INDEX = "ix_device_browse_name"


@dataclass(frozen=True, slots=True)
class Tier:
    """One rank level of a page's order: the devices in it (``bits``, already narrowed to
    those the filter keeps) and conditions on the name index's columns that every one of
    them meets (``where``), so the walk reads only rows that may belong."""

    bits: int
    where: tuple[ColumnElement[bool], ...]
    among: int  # how many rows meet ``where``, about (at least the tier's own)
    # Ids in (name, id) order holding every device of the tier, when the process keeps them.
    order: Sequence[int] | None = None


def members(bits: int) -> list[int]:
    """``0b1010`` -> ``[1, 3]``: the ids a bitmap holds, in order."""
    found: list[int] = []
    for at, byte in enumerate(bits.to_bytes((bits.bit_length() + 7) // 8, "little")):
        if byte:
            base = at << 3
            found.extend(base + bit for bit in range(8) if byte >> bit & 1)
    return found


def page_in_tiers(
    session: Session, tiers: Sequence[Tier], *, offset: int, limit: int
) -> list[int] | None:
    """Ids ``offset`` to ``offset + limit`` of the devices in ``tiers`` (disjoint, in rank
    order), each tier in (name, id) order.

    None when a tier's rows are so thinly spread in name order that the walk to the page
    passes ``MAX_WALK`` index rows: the filter's own query is then the cheaper way.
    """
    found: list[int] = []
    skip, wanted = offset, limit
    for tier in tiers:
        count = tier.bits.bit_count()
        if skip >= count:
            skip -= count
            continue
        take = min(wanted, count - skip)
        part: list[int] | None
        if tier.order is not None:
            part = _kept(tier, skip, take)
        elif count <= SMALL_TIER:
            part = _by_id(session, tier, skip, take)
        elif (skip + take) * tier.among > MAX_WALK * count:
            return None  # thinly spread: the walk would pass MAX_WALK rows
        else:
            part = _walk(session, tier, skip, take)
        if part is None:
            return None
        found += part
        skip, wanted = 0, wanted - len(part)
        if wanted <= 0:
            break
    return found


def _kept(tier: Tier, skip: int, take: int) -> list[int]:
    assert tier.order is not None
    held = tier.bits.to_bytes((tier.bits.bit_length() + 7) // 8, "little")
    size = len(held)
    found: list[int] = []
    for device_id in tier.order:
        if device_id >> 3 < size and held[device_id >> 3] >> (device_id & 7) & 1:
            if skip:
                skip -= 1
                continue
            found.append(device_id)
            if len(found) == take:
                break
    return found


def _by_id(session: Session, tier: Tier, skip: int, take: int) -> list[int]:
    query = (
        select(Device.id)
        .where(*tier.where, col(Device.id).in_(members(tier.bits)))
        .order_by(col(Device.name), col(Device.id))
        .limit(take)
        .offset(skip)
    )
    return [i for i in session.scalars(query) if i is not None]


def _walk(session: Session, tier: Tier, skip: int, take: int) -> list[int] | None:
    """The rows meeting ``tier.where`` in name order, kept when their bit is set, in
    batches that double; None past ``MAX_WALK`` rows."""
    held = tier.bits.to_bytes((tier.bits.bit_length() + 7) // 8, "little")
    size = len(held)
    names = (
        select(Device.id)
        .with_hint(Device, f"INDEXED BY {NAME_INDEX}", "sqlite")
        .where(*tier.where)
        .order_by(col(Device.name), col(Device.id))
    )
    # ``among`` leaves the price bounds out, so the density may be much higher than this.
    density = tier.bits.bit_count() / max(tier.among, 1)
    batch = max(FIRST_BATCH, min(int((skip + take) / density * 1.2), 4 * (skip + take)))
    walked = 0
    found: list[int] = []
    while walked < MAX_WALK:
        batch = min(batch, MAX_WALK - walked)
        ids = list(session.scalars(names.limit(batch).offset(walked)))
        for device_id in ids:
            if device_id is None or device_id >> 3 >= size:
                continue
            if held[device_id >> 3] >> (device_id & 7) & 1:
                if skip:
                    skip -= 1
                    continue
                found.append(device_id)
                if len(found) == take:
                    return found
        if len(ids) < batch:
            return found  # the tier's count was newer than the rows: what there is
        walked += batch
        batch *= 2
    return None
