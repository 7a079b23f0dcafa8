"""The editor's device list (``/admin/devices``) over a synthetic catalogue of 50,000 devices,
and the re-audit of 100,000 listings after a rule change.

The catalogue is ``bench_catalogue``'s, with a mix of statuses and claim findings on about a
fifth of the devices, served by the real server (``bench_web.server``) and read by a signed-in
merchandiser over one keep-alive connection. Figures are p50/p99 in ms and the page's size in KB.

The re-audit: a published catalogue is audited once (the findings a rule change starts
from), then the rule editor's code adds an error rule that about 7 % of the listings break
("travel strap"): its impact preview, then the re-audit the save starts, each in a process of
its own so its peak RSS is its own. Figures: seconds, listings/s, peak RSS in MB.

    python scripts/bench_admin.py
    python scripts/bench_admin.py --size 5000 --requests 50 --keep --reaudit-size 10000
"""

from __future__ import annotations

import argparse
import http.client
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_catalogue import BENCH_DIR, fill  # noqa: E402
from bench_web import pct, server  # noqa: E402
from sqlalchemy import insert, select, update  # noqa: E402
from sqlmodel import col  # noqa: E402

from catalogue import accounts  # noqa: E402
from catalogue.claims import audit  # noqa: E402
from catalogue.data.db import Database  # noqa: E402
from catalogue.data.models import Device, Finding  # noqa: E402
from catalogue.qa import reaudit, rule_form, rule_store  # noqa: E402

EMAIL, PASSWORD = "bench-merch@example.com", "a bench password, long enough"
# (name, path); targets: p50 well under 100 ms and every page under 300 KB.
CASES = [
    ("list, first page", "/admin/devices"),
    ("search a word", "/admin/devices?q=knee"),
    ("search a SKU", "/admin/devices?q=BENCH-012345"),
    ("status + brand + findings", "/admin/devices?status=draft&brand=Brand+07&findings=any"),
    ("with an error, by name", "/admin/devices?findings=error&sort=name"),
    ("sort by brand, page 400", "/admin/devices?sort=brand&page=400"),
    ("sort by light, descending", "/admin/devices?sort=-light"),
    ("form factor, by price", "/admin/devices?form_factor=mat&sort=price"),
]
TARGET_P50_MS, TARGET_KB = 100.0, 300.0


def build(path: Path, size: int) -> None:
    """The shop's bench catalogue, then what an editor sees besides published devices."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    fill(f"sqlite:///{path}", size)
    rng = random.Random(size)
    db = Database(f"sqlite:///{path}")
    try:
        with db.writing() as session:
            ids = list(session.scalars(select(Device.id)))
            for status, share in (("draft", 0.07), ("in_review", 0.05), ("archived", 0.03)):
                chosen = rng.sample(ids, int(len(ids) * share))
                session.execute(
                    update(Device).where(col(Device.id).in_(chosen)).values(status=status)
                )
            rows = [
                {
                    "device_id": i,
                    "rule_id": rng.choice(["cure-claim", "deep-reach", "burn-safe"]),
                    "severity": rng.choice(["error", "warning", "suggestion", "suggestion"]),
                    "start": 0,
                    "end": 5,
                    "text": "words",
                    "message": "a bench finding",
                    "suggestion": "",
                }
                for i in rng.sample(ids, len(ids) // 5)
            ]
            session.execute(insert(Finding), rows)
            accounts.create_user(
                session,
                email=EMAIL,
                password=PASSWORD,
                role="merchandiser",
                hasher=accounts.password_hasher(),
            )
    finally:
        db.dispose()


def sign_in(conn: http.client.HTTPConnection) -> str:
    conn.request("GET", "/signin")
    response = conn.getresponse()
    response.read()
    cookies = dict(
        c.split(";")[0].split("=", 1) for c in response.headers.get_all("set-cookie") or []
    )
    body = urlencode({"email": EMAIL, "password": PASSWORD, "_csrf_token": cookies["csrftoken"]})
    header = "; ".join(f"{k}={v}" for k, v in cookies.items())
    conn.request(
        "POST",
        "/signin",
        body=body,
        headers={"content-type": "application/x-www-form-urlencoded", "cookie": header},
    )
    response = conn.getresponse()
    response.read()
    for c in response.headers.get_all("set-cookie") or []:
        name, value = c.split(";")[0].split("=", 1)
        cookies[name] = value
    if response.status != 303:
        raise SystemExit(f"sign-in answered {response.status}")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def timed(
    conn: http.client.HTTPConnection, path: str, cookie: str, n: int
) -> tuple[list[float], int]:
    size = 0
    for _ in range(5):
        conn.request("GET", path, headers={"cookie": cookie})
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise SystemExit(f"{path} answered {response.status}")
        size = len(body)
    spent = []
    for _ in range(n):
        started = time.perf_counter()
        conn.request("GET", path, headers={"cookie": cookie})
        conn.getresponse().read()
        spent.append((time.perf_counter() - started) * 1000)
    return spent, size


# The rule change the re-audit follows: an error on two words next to each other.
TRAVEL_RULE = {
    "rule_id": "travel-strap-claim",
    "kind": "phrase",
    "title": "Bench: travel strap",
    "severity": "error",
    "rationale": "A bench rule that a minority of the synthetic listings break.",
    "message": "“{text}” is the bench's forbidden phrase.",
    "suggestion": "Say something else.",
    "lexicon": "",
    "frames": "claim: travel strap",
    "patterns": "",
    "unless": "",
    "must_fire": "A travel strap for the knee.",
    "must_not": "A strap for travel.",
    "wavelengths": "660, 850",
    "areas": "knees",
}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reaudit_child(step: str, url: str) -> None:
    """One step of the re-audit figure, in this process: prints seconds and peak RSS."""
    db = Database(url)
    started = time.perf_counter()
    with db.session() as session:
        context = audit.load_context(session)
        draft = rule_form.build_draft(
            TRAVEL_RULE, enabled=True, stored=None, areas=context.areas, bands=context.bands
        )
        assert draft.ok and draft.rule is not None, draft.errors
        if step == "preview":
            found = rule_store.impact(session, rule_id=draft.rule.id, candidate=draft.rule)
            detail = f"{found.gain} would gain a finding"
    if step == "reaudit":
        with db.writing() as session:
            version = rule_store.save_rule(session, draft=draft, user_id=None, base_number=0)
            run_id = reaudit.begin(
                session, rule_id=draft.rule.id, rule_version=version.number, user_id=None
            ).id
        assert run_id is not None
        reaudit.run(db, run_id)
        with db.session() as session:
            run = reaudit.progress(session, run_id)
        assert run is not None and run.state == "done", run
        detail = f"{run.sent_back} published listings sent back to review"
    print(f"{time.perf_counter() - started:.1f} {peak_rss_mb():.0f} {detail}")
    db.dispose()


def reaudit_figure(size: int, keep: bool) -> None:
    path = BENCH_DIR / f"reaudit-{size}.db"
    url = f"sqlite:///{path}"
    if not (keep and path.exists()):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        started = time.perf_counter()
        fill(url, size)
        db = Database(url)
        try:
            with db.writing() as session:
                audit.refresh_all(session)  # the findings a rule change starts from
        finally:
            db.dispose()
        print(f"built and audited {size:,} listings in {time.perf_counter() - started:.0f} s")
    print(f"{'listings':>8}  {'step':<34} {'seconds':>8} {'per s':>8} {'peak MB':>8}")
    for step, label in (
        ("preview", "impact preview of a new rule"),
        ("reaudit", "re-audit after saving it"),
    ):
        answer = subprocess.run(
            [sys.executable, __file__, "--reaudit-child", step, url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split(maxsplit=2)
        seconds, peak, detail = float(answer[0]), float(answer[1]), answer[2].strip()
        print(
            f"{size:>8}  {label:<34} {seconds:8.1f} {size / seconds:8.0f} {peak:8.0f}  ({detail})"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--keep", action="store_true", help="reuse a catalogue already built")
    parser.add_argument("--reaudit-size", type=int, default=100_000, help="0: skip the re-audit")
    parser.add_argument("--reaudit-only", action="store_true", help="skip the list figures")
    parser.add_argument("--reaudit-child", nargs=2, metavar=("STEP", "URL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reaudit_child:
        reaudit_child(*args.reaudit_child)
        return 0
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if args.reaudit_only:
        reaudit_figure(args.reaudit_size, args.keep)
        return 0
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    path = BENCH_DIR / f"admin-{args.size}.db"
    if not (args.keep and path.exists()):
        build(path, args.size)
    missed = 0
    with server(f"sqlite:///{path}", workers=1) as (port, _pid):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        cookie = sign_in(conn)
        print(f"{'devices':>8}  {'case':<32} {'p50 ms':>8} {'p99 ms':>8} {'KB':>6}")
        for name, target in CASES:
            spent, size = timed(conn, target, cookie, args.requests)
            p50, p99, kb = pct(spent, 50), pct(spent, 99), size / 1024
            ok = p50 <= TARGET_P50_MS and kb <= TARGET_KB
            missed += not ok
            flag = "" if ok else "  MISSED"
            print(f"{args.size:>8}  {name:<32} {p50:8.1f} {p99:8.1f} {kb:6.0f}{flag}")
        conn.close()
    print(f"targets: p50 <= {TARGET_P50_MS:g} ms, page <= {TARGET_KB:g} KB; {missed} missed")
    if args.reaudit_size:
        reaudit_figure(args.reaudit_size, args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
