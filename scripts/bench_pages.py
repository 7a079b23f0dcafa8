"""A filter page's ids and an area page after a write: the filter's own query against tiers.

After each write the pages whose filter keeps a changed device are read again. This prints,
per page, the median time of the filter's own query (every match found, sorted, then cut)
and of the tiered read from the process's bitmaps (``catalogue/browse/ordered.py``), with
the page's ids compared; then the area page from the index. Over a catalogue from
``bench_catalogue`` (SQLite, and PostgreSQL when TEST_POSTGRES_URL is set), or ``--url``.

Figures to read, never a gate: the machine may be shared, so the load average is printed too.

    python scripts/bench_pages.py --keep --backend sqlite   # reuse the SQLite catalogue
    python scripts/bench_pages.py --url postgresql+psycopg://...   # an existing catalogue
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import parse_qs

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_catalogue import postgres_catalogue, sqlite_catalogue

from catalogue.browse import Catalogue, DeviceFilter, area_page
from catalogue.browse.cache import CountCache, catalogue_version
from catalogue.browse.pages import filter_page_ids, kept_matching, tiered_page_ids
from catalogue.data.db import Database
from catalogue.data.reference import load_areas, load_bands
from catalogue.prices import load_money

PAGES = [
    "area=knees",
    "area=knees&page=3",
    "area=knees&area=face",
    "area=knees&brand=Lumara",
    "q=knee",
    "q=knee&page=40",
    "q=gentle+wrap",
    "area=knees&q=knee",
    "light_type=nir&light_type=combined&form_factor=panel&form_factor=wrap&max_price=1500",
    "sort=price&page=50",
    "area=knees&page=200",
]
AREAS = ["knees", "face"]


def median_ms(work: Callable[[], object], times: int = 7) -> float:
    work()
    spent = []
    for _ in range(times):
        began = time.perf_counter()
        work()
        spent.append((time.perf_counter() - began) * 1000)
    return statistics.median(spent)


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def bench(backend: str, url: str) -> None:
    db = Database(url)
    try:
        with db.session() as s:
            cat = Catalogue(bands=load_bands(s), areas=load_areas(s), money=load_money(s, "USD"))
            version = catalogue_version(s)
            assert version is not None
            cache = CountCache()
            index = cache.index.at(s, version)
            print(
                f"\n{backend}: {index.published.bit_count():,} published devices; {load_average()}"
            )
            print(f"  {'page':<58} {'query ms':>9} {'tiers ms':>9}  same")
            for query in PAGES:
                flt, errors = DeviceFilter.from_query(parse_qs(query), area_slugs=cat.area_slugs)
                assert not errors, errors
                plain = filter_page_ids(s, flt=flt, cat=cat)

                def tiered(flt: DeviceFilter = flt) -> list[int]:
                    # As after a write: the bitmaps are kept, the page is read again.
                    matching = kept_matching(s, flt=flt, cat=cat, cache=cache, index=index)
                    found = tiered_page_ids(
                        s, flt=flt, cat=cat, cache=cache, index=index, matching=matching
                    )
                    return filter_page_ids(s, flt=flt, cat=cat) if found is None else found

                def own(flt: DeviceFilter = flt) -> list[int]:
                    return filter_page_ids(s, flt=flt, cat=cat)

                same = "yes" if tiered() == plain else "NO"
                print(f"  {query[:58]:<58} {median_ms(own):9.1f} {median_ms(tiered):9.1f}  {same}")
            for slug in AREAS:
                with_index = area_page(s, slug=slug, cat=cat, index=index)
                same = "yes" if with_index == area_page(s, slug=slug, cat=cat) else "NO"
                spent = median_ms(lambda slug=slug: area_page(s, slug=slug, cat=cat, index=index))
                print(f"  area page {slug:<48} {'':>9} {spent:9.1f}  {same}")
            print(f"  {load_average()}")
    finally:
        db.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=100_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--keep", action="store_true", help="reuse the SQLite catalogue")
    parser.add_argument("--url", help="an existing catalogue instead of a new one")
    args = parser.parse_args()
    if args.url:
        bench(args.url.split(":")[0].split("+")[0], args.url)
        return 0
    pg_server = os.environ.get("TEST_POSTGRES_URL")
    with ExitStack() as stack:
        if args.backend in ("sqlite", "both"):
            bench("sqlite", sqlite_catalogue(args.devices, keep=args.keep))
        if args.backend in ("postgresql", "both"):
            if not pg_server:
                print("\npostgresql: skipped (TEST_POSTGRES_URL is not set)")
            else:
                bench(
                    "postgresql", stack.enter_context(postgres_catalogue(pg_server, args.devices))
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
