"""People at work during a 50,000-row import: an editor save, a QA waive and a sign-in in a
real browser (Debian's chromium), pressed while the import's write phase runs.

The same scene as tests/test_import_writers_browser.py at full size, twice: an import of ROWS
new devices, then of the same file with every row changed (an update of every device). For
each it prints the import's rows/s and longest write-lock hold and each action's time against
the 5 s target. Figures only, no assertions: the machines are shared.

    .venv/bin/python scripts/bench_import_writers.py [ROWS] [--postgres URL]

With ``--postgres`` the scene runs in a database of its own on that server, dropped after.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from tests.conftest import prepare, start_server, stop_server  # noqa: E402
from tests.import_writers_support import (  # noqa: E402
    changed_file,
    device_file,
    import_while_people_work,
    prepare_catalogue,
)

BENCH_DATABASE = "catalogue_bench_import_writers"


@contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        sys.exit("Debian's chromium is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"],
        )
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def fresh_database(folder: Path, postgres: str | None) -> Iterator[str]:
    """A migrated database with the reference data and no devices."""
    if postgres is None:
        url = f"sqlite:///{folder}/bench.db"
        prepare(url)
        yield url
        return
    admin = create_engine(postgres, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{BENCH_DATABASE}"'))
    url = make_url(postgres).set(database=BENCH_DATABASE).render_as_string(hide_password=False)
    try:
        prepare(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)'))
        admin.dispose()


def scene(browser: Any, rows: int, postgres: str | None, *, changed: bool) -> None:
    label = "every device changed" if changed else "new devices"
    with tempfile.TemporaryDirectory() as name, fresh_database(Path(name), postgres) as url:
        folder = Path(name)
        prepare_catalogue(url)
        file = device_file(rows, folder / "devices.csv")
        process, server = start_server(url, folder / "server.log", MEDIA_DIR=str(folder / "media"))
        try:
            if changed:  # the devices first, with nobody at work
                server.cli("import", str(file))
                file = changed_file(file, folder / "changed.csv", "24")
            outcome = import_while_people_work(browser, server.url, url, server.env, file, rows)
        finally:
            stop_server(process)
    backend = "SQLite" if postgres is None else "PostgreSQL"
    print(f"{backend}, {label}:")
    for line in outcome.lines():
        print(f"  {line}")
    for problem in outcome.problems():
        print(f"  problem: {problem}"[:300])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", nargs="?", type=int, default=50_000)
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL"))
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f}", flush=True)
    with chromium() as browser:
        for changed in (False, True):
            scene(browser, args.rows, args.postgres, changed=changed)
    subprocess.run(["uptime"], check=False)


if __name__ == "__main__":
    main()
