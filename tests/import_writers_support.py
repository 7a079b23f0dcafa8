"""A large import next to people at work: the driver the browser test and ``make bench`` share.

While ``catalogue import`` writes a big file in a process of its own, three people press a
button in a real browser at the same moment: a merchandiser saves a device, QA waives a
warning, an admin signs in. Each is timed from the click to the page it lands on.

The import's write phase is seen from outside, without a hook in the product:

- SQLite: a probe asks for the write lock without waiting (``BEGIN IMMEDIATE`` with no busy
  timeout, given back at once); "database is locked" means a writer holds it. The reading
  phase takes no write lock, so the first refusal after the import starts is its write phase.
- PostgreSQL: the import's advisory lock shows in ``pg_locks`` exactly while its write
  transaction runs.
"""

from __future__ import annotations

import csv
import io
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from catalogue import accounts
from catalogue.data.db import Database, is_sqlite
from catalogue.imports.devicefile import COLUMNS
from catalogue.imports.importer import IMPORT_LOCK_KEY
from catalogue.settings import ROOT
from tests.factories import add_device
from tests.qa_support import add_listing

PASSWORD = "a long enough password for the import test"
EDITOR, QA, SIGNER = ("editor@example.com", "qa@example.com", "signer@example.com")
EDITED_SLUG, REVIEWED_SLUG = "kept-busy-panel", "waived-busy-panel"
REVIEWED_NAME = "Waived Busy Panel"
EDITED_NAME = "Kept Busy Panel, saved during an import"
TARGET_SECONDS = 5.0  # what the issue asks of each action; printed, never asserted
GIVE_UP_SECONDS = 120.0  # an action with no answer by then is reported as failed


def prepare_catalogue(database_url: str) -> None:
    """Three accounts, a draft to edit and a listing in review with one warning to waive."""
    db = Database(database_url)
    hasher = accounts.password_hasher()
    try:
        with db.writing() as s:
            for email, role in ((EDITOR, "merchandiser"), (QA, "qa"), (SIGNER, "admin")):
                accounts.create_user(s, email=email, password=PASSWORD, role=role, hasher=hasher)
            add_device(s, slug=EDITED_SLUG, sku="BUSY-EDIT", status="draft")
            add_listing(
                s,
                "clinically-proven",
                slug=REVIEWED_SLUG,
                sku="BUSY-WAIVE",
                name=REVIEWED_NAME,
                status="in_review",
            )
    finally:
        db.dispose()


def device_csv(rows: int, prefix: str = "bulk") -> str:
    """``rows`` new drafts cycled from the seed listings, descriptions cut to their first
    words so that 50,000 rows fit the 10 MB limit (about 180 bytes a row)."""
    seed = (ROOT / "seed" / "devices.csv").read_text(encoding="utf-8")
    templates = list(csv.DictReader(io.StringIO(seed)))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for n in range(rows):
        row = dict(templates[n % len(templates)])
        row.update(
            sku=f"{prefix.upper()}-{n:06d}",
            slug=f"{prefix}-device-{n:06d}",
            status="draft",
            name=row["name"][:30],
            description=" ".join(row["description"].split()[:6]),
        )
        writer.writerow(row)
    return out.getvalue()


def with_warranty(text: str, warranty_months: str) -> str:
    """The same devices with every warranty changed: an update of every row."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in csv.DictReader(io.StringIO(text)):
        writer.writerow({**row, "warranty_months": warranty_months})
    return out.getvalue()


def device_file(rows: int, path: Path) -> Path:
    path.write_text(device_csv(rows), encoding="utf-8")
    return path


def changed_file(source: Path, path: Path, warranty_months: str) -> Path:
    text = with_warranty(source.read_text(encoding="utf-8"), warranty_months)
    path.write_text(text, encoding="utf-8")
    return path


# --- the write lock, seen from outside ------------------------------------------------------


class WriteLockWatch:
    """Polls whether a writer holds the database, in a thread of its own, and keeps the
    intervals it was held (``perf_counter`` times)."""

    def __init__(self, database_url: str, every: float = 0.02) -> None:
        self.url, self.every = database_url, every
        self.intervals: list[tuple[float, float]] = []
        self.seen = threading.Event()  # set at the first sight of the lock
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> WriteLockWatch:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def held_now(self) -> bool:
        return bool(self.intervals) and self.intervals[-1][1] == float("inf")

    def longest(self) -> float:
        ends = [(a, b if b != float("inf") else time.perf_counter()) for a, b in self.intervals]
        return max((b - a for a, b in ends), default=0.0)

    def _watch(self) -> None:
        probe = self._sqlite_probe() if is_sqlite(self.url) else self._postgres_probe()
        start: float | None = None
        while not self._stop.is_set():
            now = time.perf_counter()
            if probe():
                if start is None:
                    start = now
                    self.intervals.append((start, float("inf")))
                    self.seen.set()
            elif start is not None:
                self.intervals[-1] = (start, now)
                start = None
            time.sleep(self.every)
        if start is not None:
            self.intervals[-1] = (start, time.perf_counter())

    def _sqlite_probe(self) -> Any:
        path = make_url(self.url).database
        assert path
        connection = sqlite3.connect(path, timeout=0, isolation_level=None)

        def held() -> bool:
            try:
                connection.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if "locked" in str(exc) or "busy" in str(exc):
                    return True
                raise
            connection.execute("ROLLBACK")
            return False

        return held

    def _postgres_probe(self) -> Any:
        engine = create_engine(self.url, isolation_level="AUTOCOMMIT")
        # A bigint advisory key shows as classid (high 32 bits) and objid (low 32 bits).
        query = text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND classid = :high AND objid = :low"
        )
        key = {"high": IMPORT_LOCK_KEY >> 32, "low": IMPORT_LOCK_KEY & 0xFFFFFFFF}

        def held() -> bool:
            with engine.connect() as conn:
                return bool(conn.execute(query, key).scalar())

        return held


# --- three people in a browser -------------------------------------------------------------


@dataclass
class Action:
    """One person's button press: what they pressed, when, what came back."""

    name: str
    page: Any
    button: Any
    landing: str  # the path the press should end on
    clicked: float = 0.0
    loaded: float = 0.0
    answers: list[tuple[str, int]] = field(default_factory=list)  # (method path, status)
    final_path: str = ""
    final_body: str = ""

    @property
    def seconds(self) -> float:
        return self.loaded - self.clicked if self.loaded else float("inf")

    def settle(self) -> None:
        """Keep where the press ended, before its browser closes."""
        self.final_path = _path(self.page.url)
        self.final_body = self.page.content()

    def problems(self) -> list[str]:
        """Why this press did not succeed ([] when it did)."""
        found = [
            f"{self.name}: {call} answered {status}"
            for call, status in self.answers
            if status >= 400
        ]
        if not self.loaded:
            found.append(f"{self.name}: no page within {GIVE_UP_SECONDS:.0f} s")
            return found
        for words in ("database is locked", "Traceback", "Busy for a moment"):
            if words in self.final_body:
                found.append(f"{self.name}: the page says {words!r}")
        if not self.final_path.startswith(self.landing):
            found.append(f"{self.name}: landed on {self.final_path}, not {self.landing}")
        return found


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[-1].split("/", 1)[-1]


def _sign_in(page: Any, url: str, email: str, target: str) -> None:
    page.goto(f"{url}/signin?next={target}")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("form.auth-form button[type=submit]")
    page.wait_for_url(f"{url}{target}")


def _watch_answers(action: Action) -> None:
    def answered(response: Any) -> None:
        request = response.request
        if request.is_navigation_request() and response.frame == action.page.main_frame:
            action.answers.append((f"{request.method} {_path(response.url)}", response.status))

    def loaded() -> None:
        if action.clicked and not action.loaded:
            action.loaded = time.perf_counter()

    action.page.on("response", answered)
    action.page.on("load", loaded)


def ready_actions(browser: Any, url: str) -> tuple[list[Action], list[Any]]:
    """Three browsers, each one click away from its action: (actions, contexts to close)."""
    contexts = [browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(3)]
    editor, reviewer, signer = (context.new_page() for context in contexts)

    _sign_in(editor, url, EDITOR, f"/admin/devices/{EDITED_SLUG}/edit")
    editor.fill("#f-name", EDITED_NAME)
    _sign_in(reviewer, url, QA, "/qa/audit")
    listing = reviewer.locator(f"#listing-{REVIEWED_SLUG}")
    listing.get_by_label("Why this warning is acceptable").fill("The brand sent its trial.")
    signer.goto(f"{url}/signin")
    signer.fill("#email", SIGNER)
    signer.fill("#password", PASSWORD)

    actions = [
        Action(
            "editor save",
            editor,
            editor.get_by_role("button", name="Save changes"),
            f"/admin/devices/{EDITED_SLUG}?saved=1",
        ),
        Action(
            "QA waive",
            reviewer,
            listing.get_by_role("button", name="Waive warning"),
            "/qa/audit",
        ),
        Action(
            "sign-in",
            signer,
            signer.locator("form.auth-form button[type=submit]"),
            "/admin/devices",
        ),
    ]
    for action in actions:
        _watch_answers(action)
    return actions, contexts


def press(actions: list[Action]) -> None:
    """Press the three buttons one right after the other.

    The sync API runs one call at a time, so each click returns without waiting for its
    navigation; the load events, which Playwright delivers during any later call, stamp
    the end of each action."""
    for action in actions:
        action.clicked = time.perf_counter()
        action.button.click(no_wait_after=True)


def wait_for_pages(actions: list[Action]) -> None:
    """Wait (up to ``GIVE_UP_SECONDS``) until every press has loaded its page."""
    deadline = time.perf_counter() + GIVE_UP_SECONDS
    while not all(a.loaded for a in actions) and time.perf_counter() < deadline:
        actions[0].page.wait_for_timeout(25)
    for action in actions:
        action.settle()


# --- the whole scene ------------------------------------------------------------------------


@dataclass
class Outcome:
    rows: int
    import_seconds: float
    import_output: str
    import_code: int
    longest_hold: float
    pressed_during_write: bool
    actions: list[Action]

    def problems(self) -> list[str]:
        found = [p for a in self.actions for p in a.problems()]
        if self.import_code != 0:
            found.append(f"the import failed ({self.import_code}): {self.import_output[-600:]}")
        return found

    def lines(self) -> list[str]:
        lines = [
            f"import of {self.rows:,} rows: {self.import_seconds:.1f} s "
            f"({self.rows / self.import_seconds:,.0f} rows/s), longest write-lock hold "
            f"{self.longest_hold:.2f} s; buttons pressed during its write phase: "
            f"{'yes' if self.pressed_during_write else 'no'}"
        ]
        for action in self.actions:
            verdict = "ok" if not action.problems() else "FAILED"
            within = "within" if action.seconds <= TARGET_SECONDS else "OVER"
            lines.append(
                f"  {action.name:12} {action.seconds:6.2f} s ({within} the "
                f"{TARGET_SECONDS:.0f} s target) {verdict} {action.answers}"
            )
        return lines


def import_while_people_work(
    browser: Any, url: str, database_url: str, env: dict[str, str], file: Path, rows: int
) -> Outcome:
    """Run ``catalogue import file`` and, once its write phase holds the lock, press the
    three buttons."""
    actions, contexts = ready_actions(browser, url)
    try:
        with WriteLockWatch(database_url) as watch:
            started = time.perf_counter()
            process = subprocess.Popen(
                [sys.executable, "-m", "catalogue.cli", "import", str(file)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            while not watch.seen.wait(0.05) and process.poll() is None:
                pass  # an import over before its write phase was seen is reported below
            press(actions)
            pressed_during_write = watch.held_now()
            wait_for_pages(actions)
            output, _ = process.communicate(timeout=1800)
            seconds = time.perf_counter() - started
        return Outcome(
            rows=rows,
            import_seconds=seconds,
            import_output=output,
            import_code=process.returncode,
            longest_hold=watch.longest(),
            pressed_during_write=pressed_during_write,
            actions=actions,
        )
    finally:
        for context in contexts:
            context.close()
