"""Every shopper question at 100,000 published devices, one client and under load (``make bench``).

For SQLite, and for PostgreSQL when TEST_POSTGRES_URL is set (a fresh database of the bench's
own, dropped after, measured right after loading without analyzing by hand): the real server
(``catalogue serve``, WORKERS processes) over a catalogue from ``bench_catalogue``, then

1. one client over one keep-alive connection, each question as JSON and as the HTML page:
   the first request (nothing cached for it yet), p50 and p99;
2. CLIENTS clients for DURATION seconds over a mix of the questions, with one writer saving a
   device every second (it unpublishes or republishes one, as an edit and a QA approval do):
   requests/s, p50/p99, errors, the server's memory over all its processes (PSS, and RSS
   summed), and how long each write took to show in the counts (write-to-visible).

Figures to read, never a gate: the machine may be shared, so the load average is printed too.

    python scripts/bench_web.py                       # SQLite (+ PostgreSQL), 100k devices
    python scripts/bench_web.py --devices 10000 --requests 30 --duration 5
    python scripts/bench_web.py --keep --backend sqlite   # reuse the SQLite catalogue
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
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_catalogue import ROOT, postgres_catalogue, sqlite_catalogue
from sqlalchemy import func, select

from catalogue.data.db import Database
from catalogue.data.models import Device

TARGETS = {"sqlite": (15.0, 40.0), "postgresql": (20.0, 50.0)}  # p50, p99 ms, one client
LOAD_TARGET = (400.0, 150.0, 300.0)  # requests/s at least, p99 ms at most, PSS MB at most
BROAD = "light_type=nir&light_type=combined&form_factor=panel&form_factor=wrap&max_price=1500"
SELECTIVE = "light_type=nir&form_factor=wrap&brand=Brand+07&max_price=900"
# (name, JSON path, HTML path); {ids} and {one} are published slugs.
QUESTIONS = [
    ("no filter", "/api/devices", "/devices"),
    ("broad filter", f"/api/devices?{BROAD}", f"/devices?{BROAD}"),
    ("selective filter", f"/api/devices?{SELECTIVE}", f"/devices?{SELECTIVE}"),
    ("area", "/api/devices?area=knees", "/devices?area=knees"),
    ("q common word", "/api/devices?q=knee", "/devices?q=knee"),
    ("sort price, page 50", "/api/devices?sort=price&page=50", "/devices?sort=price&page=50"),
    ("compare 4", "/api/compare?ids={ids}", "/compare?ids={ids}"),
    ("device page", "/api/devices/{one}", "/devices/{one}"),
    ("area page", "/api/areas/knees", "/areas/knees"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(url: str, workers: int) -> Iterator[tuple[int, int]]:
    """``catalogue serve`` over ``url``: (port, pid); stopped on exit."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "PORT": str(port), "HOST": "127.0.0.1"}
    env.update(CATALOGUE_ENV="development", WORKERS=str(workers))
    env.pop("REDIS_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "catalogue.cli", "serve"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.2)
        yield port, process.pid
    finally:
        process.terminate()
        process.wait(timeout=20)


def memory_mb(pid: int) -> tuple[float, float]:
    """Memory of a process and all its descendants (workers), in MB: summed RSS, and summed
    PSS. RSS counts a page once per process that maps it, so forked workers that share what
    their parent imported are counted several times over; PSS splits each shared page among
    the processes sharing it, so the sum is what the server as a whole holds."""
    rss = pss = 0
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return rss / 1024, pss / 1024


def get(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, response.read()


def pct(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def one_client(port: int, path: str, requests: int) -> tuple[float, list[float]]:
    """The first request's time and ``requests`` more, over one keep-alive connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    spent = []
    for _ in range(requests + 1):
        started = time.perf_counter()
        status, _ = get(conn, path)
        spent.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
    conn.close()
    return spent[0], spent[1:]


@dataclass
class LoadRun:
    times: list[float] = field(default_factory=list)
    errors: int = 0
    rss: list[float] = field(default_factory=list)
    pss: list[float] = field(default_factory=list)
    visible_ms: list[float] = field(default_factory=list)
    writes: int = 0


def load(url: str, port: int, pid: int, paths: list[str], clients: int, seconds: float) -> LoadRun:
    run = LoadRun()
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(n: int) -> None:
        rng = random.Random(n)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        errors = 0
        while time.monotonic() < stop:
            path = rng.choice(paths)
            started = time.perf_counter()
            try:
                status, _ = get(conn, path)
                errors += status != 200
            except (OSError, http.client.HTTPException):
                errors += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append((time.perf_counter() - started) * 1000)
        conn.close()
        with lock:
            run.times += mine
            run.errors += errors

    def writer() -> None:
        """Every second, unpublish or republish one device, then wait until the count shows it."""
        db = Database(url)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        rng = random.Random(0)
        hidden: list[int] = []
        try:
            while time.monotonic() < stop - 1:
                tick = time.monotonic()
                with db.writing() as session:
                    if hidden and rng.random() < 0.5:
                        device = session.get(Device, hidden.pop())
                        assert device is not None
                        device.status = "published"  # what a QA approval does to the row
                    else:
                        device = session.get(Device, rng.randrange(1, 1000))
                        assert device is not None
                        if device.status != "published":
                            continue
                        device.status = "in_review"  # what saving a published device does
                        hidden.append(device.id or 0)
                    device.price = device.price + 1
                    expected = session.scalar(
                        select(func.count()).where(Device.status == "published")
                    )
                written = time.perf_counter()
                run.writes += 1
                while time.monotonic() < stop:
                    _, body = get(conn, "/api/devices?per_page=1")
                    if f'"total":{expected},'.encode() in body:
                        run.visible_ms.append((time.perf_counter() - written) * 1000)
                        break
                    time.sleep(0.01)
                time.sleep(max(0.0, 1 - (time.monotonic() - tick)))
        finally:
            conn.close()
            db.dispose()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    threads.append(threading.Thread(target=writer))
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads):
        rss, pss = memory_mb(pid)
        run.rss.append(rss)
        run.pss.append(pss)
        time.sleep(0.5)
    for thread in threads:
        thread.join()
    return run


def bench(backend: str, url: str, args: argparse.Namespace) -> None:
    db = Database(url)
    with db.session() as session:
        slugs = list(
            session.scalars(
                select(Device.slug).where(Device.status == "published").order_by(Device.id).limit(4)
            )
        )
    db.dispose()
    fill = {"ids": ",".join(slugs), "one": slugs[0]}
    p50_target, p99_target = TARGETS[backend]
    with server(url, args.workers) as (port, pid):
        print(f"\n{backend}: {args.devices:,} devices, {args.workers} worker(s); {load_average()}")
        print(f"  {'question':<22} {'kind':<5} {'first ms':>9} {'p50 ms':>8} {'p99 ms':>8}  target")
        missed = 0
        for name, api, page in QUESTIONS:
            for kind, template in (("json", api), ("html", page)):
                first, spent = one_client(port, template.format(**fill), args.requests)
                p50, p99 = pct(spent, 50), pct(spent, 99)
                ok = p50 <= p50_target and p99 <= p99_target
                missed += not ok
                print(
                    f"  {name:<22} {kind:<5} {first:9.1f} {p50:8.1f} {p99:8.1f}  "
                    f"{'ok' if ok else 'MISSED'}"
                )
        print(
            f"  one client: {missed} of {2 * len(QUESTIONS)} over "
            f"p50<={p50_target:g}/p99<={p99_target:g} ms"
        )
        paths = [t.format(**fill) for _, api, page in QUESTIONS for t in (api, page)]
        # Listing pages vary: a shopper pages through results (the counts stay the same).
        paths += [f"/api/devices?{BROAD}&page={n}" for n in range(2, 6)]
        paths += [f"/devices?area=knees&page={n}" for n in range(2, 6)]
        print(f"  under load: {args.clients} clients for {args.duration:g} s + one writer/s ...")
        run = load(url, port, pid, paths, args.clients, args.duration)
        rate = len(run.times) / args.duration
        p99 = pct(run.times, 99)
        pss_start, pss_max, pss_end = run.pss[0], max(run.pss), run.pss[-1]
        visible = max(run.visible_ms) if run.visible_ms else float("nan")
        want_rate, want_p99, want_memory = LOAD_TARGET
        ok = rate >= want_rate and p99 <= want_p99 and not run.errors and pss_max <= want_memory
        print(
            f"  {len(run.times):,} requests: {rate:.0f} req/s, p50 {pct(run.times, 50):.1f} ms, "
            f"p99 {p99:.1f} ms, {run.errors} errors; memory (PSS) {pss_start:.0f} -> max "
            f"{pss_max:.0f} -> {pss_end:.0f} MB (RSS summed {run.rss[0]:.0f} -> max "
            f"{max(run.rss):.0f} MB); {run.writes} writes, write-to-visible max {visible:.0f} ms "
            f"(targets >= {want_rate:g} req/s, p99 <= {want_p99:g} ms, 0 errors, "
            f"memory <= {want_memory:g} MB: {'ok' if ok else 'MISSED'}); {load_average()}"
        )


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=100, help="per question, one client")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds under load")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--keep", action="store_true", help="reuse the SQLite catalogue")
    args = parser.parse_args()
    began = time.monotonic()
    pg_server = os.environ.get("TEST_POSTGRES_URL")
    with ExitStack() as stack:
        if args.backend in ("sqlite", "both"):
            built = time.monotonic()
            url = sqlite_catalogue(args.devices, keep=args.keep)
            print(f"sqlite catalogue ready in {time.monotonic() - built:.1f} s")
            bench("sqlite", url, args)
        if args.backend in ("postgresql", "both"):
            if not pg_server:
                print("\npostgresql: skipped (TEST_POSTGRES_URL is not set)")
            else:
                built = time.monotonic()
                url = stack.enter_context(postgres_catalogue(pg_server, args.devices))
                print(f"\npostgresql catalogue loaded in {time.monotonic() - built:.1f} s")
                bench("postgresql", url, args)
    print(f"\nbench_web: {time.monotonic() - began:.0f} s in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
