"""How long a large import holds the SQLite write lock, and how long other writers wait.

Imports ROWS new devices (default 50,000), then the same file again with every row changed
(an update of each device), into a fresh SQLite database. For each run it prints:

- rows/s over the whole import (reading, validating, claim checks, writing);
- the longest write transaction the import held (``BEGIN IMMEDIATE`` to commit: other
  writers wait this long at most), and the longest the write lock was seen held from outside
  (``WriteLockWatch``, a probe every 20 ms); the staging transactions, begun as readers, take
  no write lock and are not counted;
- the longest wait of a small writer that commits a one-row write every 50 ms meanwhile.

    .venv/bin/python scripts/bench_import_lock.py [ROWS]
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from sqlalchemy import event, text  # noqa: E402

from catalogue.cli import run_migrations  # noqa: E402
from catalogue.data.db import READER_BEGIN, Database  # noqa: E402
from catalogue.imports import importer  # noqa: E402
from catalogue.imports.seed import seed_database  # noqa: E402
from tests.import_writers_support import (  # noqa: E402
    WriteLockWatch,
    device_csv,
    with_warranty,
)


class HoldTimes:
    """Write transactions on the import's engine: when each began and how long it lasted."""

    def __init__(self, db: Database) -> None:
        self.started: dict[int, float] = {}
        self.durations: list[float] = []
        engine = db.write_engine
        event.listen(engine, "begin", self._begin)
        event.listen(engine, "commit", self._end)
        event.listen(engine, "rollback", self._end)

    def _begin(self, connection: Any) -> None:
        if not connection.get_execution_options().get(READER_BEGIN):
            self.started[id(connection)] = time.perf_counter()

    def _end(self, connection: Any) -> None:
        began = self.started.pop(id(connection), None)
        if began is not None:
            self.durations.append(time.perf_counter() - began)


def small_writer(url: str, stop: threading.Event, waits: list[float]) -> None:
    other = Database(url)
    try:
        while not stop.is_set():
            started = time.perf_counter()
            try:
                with other.writing() as session:
                    session.execute(
                        text(
                            "INSERT INTO store_entry (key, value) VALUES ('bench:probe', x'00') "
                            "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
                        )
                    )
            except Exception as exc:
                waits.append(float("inf"))
                print(f"  small writer failed: {type(exc).__name__}: {exc}"[:160])
            else:
                waits.append(time.perf_counter() - started)
            time.sleep(0.05)
    finally:
        other.dispose()


def measure(url: str, raw: bytes, label: str, rows: int) -> None:
    db = Database(url)
    holds = HoldTimes(db)
    stop, waits = threading.Event(), []
    writer = threading.Thread(target=small_writer, args=(url, stop, waits))
    writer.start()
    with WriteLockWatch(url) as watch:
        started = time.perf_counter()
        report = importer.import_devices(db, raw, fmt="csv")
        seconds = time.perf_counter() - started
    stop.set()
    writer.join()
    db.dispose()
    assert report.ok, report.problems[:5]
    print(
        f"{label}: {rows:,} rows in {seconds:.1f} s ({rows / seconds:,.0f} rows/s); "
        f"longest write transaction {max(holds.durations, default=0):.2f} s "
        f"({len(holds.durations)} transactions), seen held {watch.longest():.2f} s; "
        f"small writer: {len(waits)} writes, "
        f"longest wait {max(waits, default=0):.2f} s"
    )


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        run_migrations(url)
        db = Database(url)
        with db.writing() as session:
            seed_database(session, ROOT / "seed", devices=False)
        db.dispose()
        text = device_csv(rows, prefix="lock")
        measure(url, text.encode("utf-8"), "new devices", rows)
        changed = with_warranty(text, "24")
        measure(url, changed.encode("utf-8"), "every device changed", rows)


if __name__ == "__main__":
    main()
