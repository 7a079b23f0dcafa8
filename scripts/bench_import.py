"""Bulk import speed and memory: 10,000 new devices from CSV, claim checks included.

Prints the wall time and the peak of Python memory (tracemalloc) and the process's peak RSS;
the target is under 10 s with memory flat (a 2,000-row import peaks about as high).

    .venv/bin/python scripts/bench_import.py [ROWS]
"""

from __future__ import annotations

import csv
import io
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalogue.cli import run_migrations  # noqa: E402
from catalogue.data.db import Database  # noqa: E402
from catalogue.imports import importer  # noqa: E402
from catalogue.imports.devicefile import COLUMNS, read_csv  # noqa: E402
from catalogue.imports.seed import seed_database  # noqa: E402

TARGET_SECONDS = 10.0


def make_file(rows: int) -> bytes:
    """``rows`` devices cycled from the seed listings, each with its own SKU and slug."""
    text = (ROOT / "seed" / "devices.csv").read_text(encoding="utf-8")
    _, seed_rows = read_csv(text)
    templates = list(seed_rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for n in range(rows):
        row = dict(templates[n % len(templates)])
        row["sku"] = f"BENCH-{n:06d}"
        row["slug"] = f"bench-device-{n:06d}"
        row["status"] = "draft"
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


def run(rows: int, *, trace: bool) -> tuple[float, float, importer.ImportReport]:
    """Seconds and peak traced memory (MB) of one import into a fresh database.

    Timing and memory are measured in separate runs: tracemalloc slows Python down ~2x."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        run_migrations(url)
        db = Database(url)
        with db.writing() as session:
            seed_database(session, ROOT / "seed", devices=False)
        raw = make_file(rows)
        if trace:
            tracemalloc.start()
        started = time.perf_counter()
        report = importer.import_devices(db, raw, fmt="csv")
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] if trace else 0
        tracemalloc.stop()
        db.dispose()
    assert report.ok, report.problems[:5]
    return seconds, peak / 1024 / 1024, report


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    # The first run pays the one-time compile of the claim rules' patterns, as a real
    # import in a fresh process does.
    seconds, _, report = run(rows, trace=False)
    warm_seconds, _, _ = run(rows, trace=False)
    file_mb = len(make_file(rows)) / 1024 / 1024
    _, small_peak, _ = run(rows // 5, trace=True)
    _, peak, _ = run(rows, trace=True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    verdict = "ok" if seconds < TARGET_SECONDS else "SLOWER THAN TARGET"
    print(
        f"import {rows:,} rows (claim checks included): {seconds:.2f} s "
        f"cold, {warm_seconds:.2f} s warm ({rows / warm_seconds:,.0f} rows/s); "
        f"target < {TARGET_SECONDS:g} s: {verdict}"
    )
    print(
        f"  python memory peak: {peak:.1f} MB for {rows:,} rows, {small_peak:.1f} MB for "
        f"{rows // 5:,} rows; the file itself is {file_mb:.1f} MB (held as bytes and text); "
        f"process peak RSS {rss:.0f} MB"
    )
    print(f"  {report.summary()}")


if __name__ == "__main__":
    main()
