"""Shop page latency over synthetic catalogues of 1k, 10k and 100k devices (``make bench``).

For each size: a SQLite database under var/bench/ made by the migrations, filled with bulk
inserts (light type and coverage from the pure core), then the real server
(``python -m catalogue.cli serve``) in a subprocess, timed over one keep-alive connection.

    python scripts/bench_web.py                 # 1k, 10k, 100k
    python scripts/bench_web.py --sizes 1000 --requests 50
    python scripts/bench_web.py --keep          # reuse catalogues already built
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402

from catalogue.cli import run_migrations  # noqa: E402
from catalogue.core.bands import coverage, light_type  # noqa: E402
from catalogue.data.db import Database  # noqa: E402
from catalogue.data.models import BodyArea, Device, DeviceArea, Emission  # noqa: E402
from catalogue.data.reference import load_bands  # noqa: E402
from catalogue.imports.seed import seed_database  # noqa: E402

BENCH_DIR = ROOT / "var" / "bench"
TIME_BUDGET_S = 240  # stop measuring (and say so) rather than run for ever

# (name, path, target p50 ms, target p99 ms); targets are for SQLite at 100k devices.
FILTER = "area=knees&form_factor=panel&form_factor=wrap&max_price=1500"
CASES = [
    ("api filter, 3 filters + facets", f"/api/devices?{FILTER}", 20.0, 60.0),
    ("page filter, 3 filters + facets", f"/devices?{FILTER}", 20.0, 60.0),
    ("compare, 4 devices", "/compare?ids={ids}", None, 30.0),
    # Full-text words (FTS5) with a facet; most bench descriptions hold both words.
    ("api, words + light type", "/api/devices?q=knee+wrap&light_type=nir", None, None),
]
# Reported without a target, to see what else costs.
EXTRA = [
    ("page, no filter", "/devices", None, None),
    (
        "api, light type + coverage + brand",
        "/api/devices?light_type=nir&coverage=deep&brand=Brand 07",
        None,
        None,
    ),
    ("api, words + wavelength range", "/api/devices?q=knee+wrap&min_nm=800&max_nm=860", None, None),
    ("api, sort by price, page 50", "/api/devices?sort=price&page=50", None, None),
    ("device page", "/devices/{one}", None, None),
    ("area page", "/areas/knees", None, None),
]

FORMS = ["panel", "handheld", "wrap", "pad", "mask", "cap", "mat", "bulb"]
BRANDS = [f"Brand {n:02d}" for n in range(60)]
EMISSIONS = {
    "red": [[630], [660], [630, 660]],
    "nir": [[850], [810, 850], [830, 850], [850, 880]],
    "combined": [[660, 850], [630, 660, 850], [660, 810, 850], [630, 830], [660, 850, 940]],
    "other": [[590], [415], [940], [1064]],
}
WORDS = (
    "gentle warmth knee wrap panel recovery routine skin face shoulders back evening session "
    "portable travel flexible strap timer stand door hanging quiet fan-free diodes"
).split()


def build(path: Path, size: int, rng: random.Random) -> None:
    """A migrated database holding ``size`` devices, about 85 % of them published."""
    if path.exists():
        path.unlink()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    run_migrations(url)
    db = Database(url)
    try:
        with db.writing() as session:
            seed_database(session, ROOT / "seed", devices=False)
            bands = load_bands(session)
            areas = list(session.scalars(select(BodyArea.slug)).all())
        start = datetime(2026, 1, 1, tzinfo=UTC)
        devices, emissions, listed = [], [], []
        kinds = rng.choices(["red", "nir", "combined", "other"], weights=[25, 25, 40, 10], k=size)
        for n, kind in enumerate(kinds, start=1):
            nm = rng.choice(EMISSIONS[kind])
            irradiance = rng.choice([None, *range(10, 160, 5)])
            devices.append(
                {
                    "id": n,
                    "slug": f"bench-device-{n}",
                    "sku": f"BENCH-{n:06d}",
                    "name": f"{rng.choice(WORDS).capitalize()} {kind.upper()} {n}",
                    "brand": rng.choice(BRANDS),
                    "form_factor": rng.choice(FORMS),
                    "price": Decimal(rng.randrange(2_000, 800_000)) / 100,
                    "currency": "USD",
                    "irradiance_mw_cm2": irradiance,
                    "irradiance_distance_cm": 15 if irradiance else None,
                    "treatment_area_cm2": rng.choice([None, 20, 300, 900, 1800, 5400]),
                    "led_count": rng.randrange(1, 1200),
                    "session_minutes": rng.choice([5, 10, 12, 15, 20]),
                    "recommended_distance_cm": rng.choice([None, 0, 15, 20]),
                    "power_w": rng.randrange(5, 1200),
                    "weight_kg": rng.randrange(1, 400) / 10,
                    "warranty_months": rng.choice([None, 12, 24, 36, 60]),
                    "description": " ".join(rng.choices(WORDS, k=40)),
                    "status": rng.choices(
                        ["published", "draft", "in_review", "archived"], [85, 7, 5, 3]
                    )[0],
                    "light_type": light_type(nm, bands),
                    "coverage": coverage(nm, bands),
                    "created_at": start + timedelta(minutes=n),
                    "updated_at": start + timedelta(minutes=n),
                    "version": 1,
                }
            )
            emissions += [{"device_id": n, "wavelength_nm": w} for w in nm]
            listed += [
                {"device_id": n, "area_slug": a} for a in rng.sample(areas, rng.randint(1, 4))
            ]
        with db.write_engine.begin() as conn:
            for table, rows in ((Device, devices), (Emission, emissions), (DeviceArea, listed)):
                for chunk in range(0, len(rows), 20_000):
                    conn.execute(insert(table), rows[chunk : chunk + 20_000])
        with db.session() as session:
            assert session.scalar(select(func.count()).select_from(Device)) == size
    finally:
        db.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(path: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{path}",
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "CATALOGUE_ENV": "development",
    }
    env.pop("REDIS_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "catalogue.cli", "serve"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start")


def timings(port: int, path: str, requests: int) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    path = path.replace(" ", "+")
    for _ in range(10):  # warm the caches and the connection
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"{path} answered {response.status}")
    spent = []
    for _ in range(requests):
        started = time.perf_counter()
        conn.request("GET", path)
        conn.getresponse().read()
        spent.append((time.perf_counter() - started) * 1000)
    conn.close()
    return spent


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="reuse catalogues already built")
    parser.add_argument("--extra", action="store_true", help="also time pages without targets")
    args = parser.parse_args()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    began = time.monotonic()
    missed = 0
    print(f"{'devices':>8}  {'case':<36} {'p50 ms':>8} {'p99 ms':>8}  target")
    for size in args.sizes:
        path = BENCH_DIR / f"web-{size}.db"
        if not (args.keep and path.exists()):
            built = time.monotonic()
            build(path, size, random.Random(size))
            print(
                f"{size:>8}  built in {time.monotonic() - built:.1f} s ({path.relative_to(ROOT)})"
            )
        db = Database(f"sqlite:///{path}")
        with db.session() as session:
            published = session.scalars(
                select(Device.slug).where(Device.status == "published").order_by(Device.id).limit(4)
            ).all()
        db.dispose()
        process, port = serve(path)
        try:
            for name, template, p50_target, p99_target in CASES + (EXTRA if args.extra else []):
                if time.monotonic() - began > TIME_BUDGET_S:
                    print(f"{size:>8}  {name:<36} skipped: over the {TIME_BUDGET_S} s budget")
                    continue
                path_q = template.format(ids=",".join(published), one=published[0])
                spent = timings(port, path_q, args.requests)
                p50, p99 = p(spent, 50), p(spent, 99)
                target = ""
                if size >= 100_000 and (p50_target or p99_target):
                    ok = (p50_target is None or p50 <= p50_target) and (
                        p99_target is None or p99 <= p99_target
                    )
                    missed += not ok
                    wanted = " ".join(
                        f"{label}<={t:g}"
                        for label, t in (("p50", p50_target), ("p99", p99_target))
                        if t is not None
                    )
                    target = f"{wanted} {'ok' if ok else 'MISSED'}"
                print(f"{size:>8}  {name:<36} {p50:8.1f} {p99:8.1f}  {target}")
        finally:
            process.terminate()
            process.wait(timeout=10)
    verdict = f"{missed} target(s) MISSED" if missed else "every target met"
    print(f"total {time.monotonic() - began:.0f} s; {verdict}")
    # Figures to read, not a gate: make bench goes on to the other benchmarks either way.
    return 0


if __name__ == "__main__":
    sys.exit(main())
