"""``catalogue check-claims`` and ``catalogue audit``: the claim checker from a shell or CI.

check-claims reads JSON lines and answers each with one line, as it goes::

    $ echo '{"id": 1, "description": "Cures arthritis.", "wavelengths_nm": [850], "areas": []}' \\
        | catalogue check-claims --jsonl
    {"id": 1, "findings": [{"rule": "cure-claim", "severity": "error", "start": 0, ...}]}

audit reports the stored findings of the catalogue like a linter::

    $ catalogue audit --status all --rule clinically-proven
    emberlyn-duo-bulb-24:95-112: warning [clinically-proven] “Clinically proven” ...

Both exit 0 when nothing fails, 1 when a finding does (an error, or with ``audit --fail-on
warning`` an unwaived warning too); check-claims exits 2 when an input line was invalid,
which wins over 1, since the caller's own data needs fixing first.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import click
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from catalogue import qa
from catalogue.claims import audit
from catalogue.claims.audit import AuditContext
from catalogue.claims.claim_check import (
    MAX_BODY_BYTES,
    CheckInputError,
    check,
    context_from_seed,
    parse_check_request,
    parse_json,
)
from catalogue.cli.base import load_settings, open_database
from catalogue.data.db import Database, is_sqlite
from catalogue.data.models import STATUSES, ClaimRule, Device
from catalogue.devices.fields import status_label
from catalogue.settings import Settings

# A line longer than an API body could be is refused without being held in memory.
MAX_LINE_BYTES = MAX_BODY_BYTES
EXIT_FAILED, EXIT_BAD_INPUT = 1, 2


@contextmanager
def _quiet_broken_pipe() -> Iterator[None]:
    """``catalogue audit | head``: stop quietly when the reader goes, as shell tools do."""
    try:
        yield
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(EXIT_FAILED) from None


# --- check-claims --------------------------------------------------------------------------


class NoRulesInDatabase(Exception):
    pass


def _database_context(url: str) -> AuditContext:
    if is_sqlite(url):
        path = make_url(url).database
        if not path or (path != ":memory:" and not Path(path).exists()):
            raise NoRulesInDatabase(f"there is no database file at {path}")
    with open_database(url) as db, db.session() as session:
        try:
            rules = session.scalar(select(func.count()).select_from(ClaimRule))
        except SQLAlchemyError as exc:
            raise NoRulesInDatabase(f"it cannot be read ({type(exc).__name__})") from exc
        if not rules:
            raise NoRulesInDatabase("it holds no rules (run catalogue seed)")
        return audit.load_context(session)


def load_check_context(source: str, settings: Settings) -> tuple[AuditContext, str]:
    """Rules, bands and areas, and where they came from."""
    if source != "seed":
        try:
            return _database_context(settings.database_url), "the database"
        except NoRulesInDatabase as exc:
            if source == "database":
                raise click.UsageError(f"cannot use the database: {exc}") from None
            click.echo(f"check-claims: using seed/ files, not the database: {exc}", err=True)
    return context_from_seed(settings.seed_dir), "seed/"


def _lines(stream: IO[bytes]) -> Iterator[bytes | None]:
    """Lines as they arrive; ``None`` for one too long to hold (the rest of it is skipped)."""
    while line := stream.readline(MAX_LINE_BYTES + 1):
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while (rest := stream.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                pass
            yield None
        else:
            yield line


def _line_id(data: Any) -> str | int | float | None:
    value = data.get("id") if isinstance(data, dict) else None
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return value
    return None


def check_line(
    raw: bytes | None, number: int, context: AuditContext
) -> tuple[dict[str, Any], bool]:
    """The output object for one input line, and whether it holds an error-severity finding."""
    if raw is None:
        return {"id": None, "error": f"line {number}: longer than {MAX_LINE_BYTES} bytes"}, False
    data: Any = None
    try:
        data = parse_json(raw)
        line_id = _line_id(data)
        problems = []
        if isinstance(data, dict) and "id" not in data:
            problems.append({"key": "id", "message": "is required"})
        elif isinstance(data, dict) and line_id is None:
            problems.append({"key": "id", "message": "must be a string or a number"})
        try:
            request = parse_check_request(data, known_areas=list(context.areas))
        except CheckInputError as exc:
            problems.extend(exc.problems)
        if problems:
            raise CheckInputError(problems)
    except CheckInputError as exc:
        # "line 2 is not valid JSON: ..." / "line 3: areas holds an unknown body area: kneez"
        detail = "; ".join(
            f" {p['message']}" if p["key"] == "body" else f": {p['key']} {p['message']}"
            for p in exc.problems
        )
        return {"id": _line_id(data), "error": f"line {number}{detail}"}, False
    findings = check(request, context)
    return (
        {"id": line_id, "findings": [f.to_dict() for f in findings]},
        any(f.severity == "error" for f in findings),
    )


@click.command("check-claims")
@click.option(
    "--jsonl",
    is_flag=True,
    required=True,
    help='Read JSON lines {"id", "description", "wavelengths_nm", "areas"} on stdin.',
)
@click.option(
    "--source",
    type=click.Choice(["auto", "database", "seed"]),
    default="auto",
    show_default=True,
    help="Where rules and bands come from; auto reads a seeded database, else seed/.",
)
@click.pass_context
def check_claims(ctx: click.Context, jsonl: bool, source: str) -> None:
    """Check listings read as JSON lines; write one JSON line per listing, in order.

    Exit 0: no error finding; 1: an error finding; 2: an input line was invalid.
    """
    context, _origin = load_check_context(source, load_settings())
    stdin = sys.stdin.buffer
    stdout = sys.stdout
    failed = bad_input = False
    with _quiet_broken_pipe():
        for number, raw in enumerate(_lines(stdin), start=1):
            if raw is not None and not raw.strip():
                continue  # blank lines (a trailing newline, spacing) are not listings
            result, has_error = check_line(raw, number, context)
            bad_input |= "error" in result
            failed |= has_error
            stdout.write(json.dumps(result) + "\n")
            stdout.flush()  # the caller may be waiting on this answer before sending more
    ctx.exit(EXIT_BAD_INPUT if bad_input else EXIT_FAILED if failed else 0)


# --- audit ---------------------------------------------------------------------------------


@dataclass
class Tally:
    listings: int = 0
    with_findings: int = 0
    open: dict[str, int] = field(default_factory=lambda: dict.fromkeys(qa.SEVERITIES, 0))
    waived: int = 0

    def add(self, listing: qa.AuditListing) -> None:
        self.listings += 1
        self.with_findings += bool(listing.findings)
        for f in listing.findings:
            if f.waived:
                self.waived += 1
            else:
                self.open[f.severity] = self.open.get(f.severity, 0) + 1

    def fails(self, fail_on: str) -> bool:
        if fail_on == "never":
            return False
        return bool(self.open["error"] or (fail_on == "warning" and self.open["warning"]))

    def as_dict(self) -> dict[str, Any]:
        return {
            "listings": self.listings,
            "listings_with_findings": self.with_findings,
            **self.open,
            "waived": self.waived,
        }

    def sentence(self, status: str, rule: str | None) -> str:
        """``3 errors, 1 warning, 0 suggestions in 4 of 50 published listings``."""

        def n(count: int, word: str) -> str:
            return f"{count} {word}{'s' if count != 1 else ''}"

        found = ", ".join(n(self.open[s], s) for s in qa.SEVERITIES)
        if self.waived:
            found += f" ({n(self.waived, 'warning')} waived)"
        listings = n(self.listings, f"{status} listing".strip())
        if rule:  # every listing shown hits the rule
            return f"{found} in {listings} hitting {rule}"
        return f"{found} in {self.with_findings} of {listings}"


class _NoBar:
    def update(self, _: int) -> None:
        pass

    def clear(self) -> None:
        pass


class _Bar:
    """click's progress bar on a terminal's stderr, cleared before a report line is printed."""

    def __init__(self, bar: Any) -> None:
        self.bar = bar

    def update(self, n: int) -> None:
        self.bar.update(n)

    def clear(self) -> None:
        if sys.stdout.isatty():
            sys.stderr.write("\r\033[K")


@contextmanager
def _progress(length: int, label: str) -> Iterator[_Bar | _NoBar]:
    if not sys.stderr.isatty() or not length:
        yield _NoBar()
        return
    with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
        yield _Bar(bar)


SEVERITY_COLOURS = {"error": "red", "warning": "yellow", "suggestion": "blue"}


def _text_line(listing: qa.AuditListing, f: qa.AuditFinding) -> str:
    where = "record" if f.is_record_check else f"{f.start}-{f.end}"
    severity = click.style(f.severity, fg=SEVERITY_COLOURS.get(f.severity), bold=not f.waived)
    waived = f" (waived by {f.waiver.by}: {f.waiver.reason})" if f.waiver else ""
    return f"{listing.slug}:{where}: {severity} [{f.rule}] {f.message}{waived}"


def _tracked(
    listings: Iterator[qa.AuditListing], tally: Tally, bar: _Bar | _NoBar
) -> Iterator[qa.AuditListing]:
    for listing in listings:
        tally.add(listing)
        bar.update(1)
        if listing.findings:
            bar.clear()
        yield listing


def _write_report(
    fmt: str, listings: Iterator[qa.AuditListing], tally: Tally, summary: Any
) -> None:
    out = sys.stdout
    if fmt == "text":
        for listing in listings:
            for f in listing.findings:
                click.echo(_text_line(listing, f))
        click.echo(summary())
    elif fmt == "json":
        # One JSON document, written as it goes: listings first, the summary last.
        out.write('{"listings": [')
        first = True
        for listing in listings:
            if listing.findings:
                out.write(("\n  " if first else ",\n  ") + json.dumps(qa.listing_json(listing)))
                first = False
        out.write(f'\n], "summary": {json.dumps(tally.as_dict())}}}\n')
        click.echo(summary(), err=True)
    else:
        writer = csv.writer(out, lineterminator="\n")
        for row in qa.csv_rows(listings):
            writer.writerow(row)
        click.echo(summary(), err=True)
    out.flush()


@click.command("audit")
@click.option(
    "--status",
    type=click.Choice(["all", *STATUSES]),
    default="published",
    show_default=True,
    help="Which listings to audit.",
)
@click.option("--rule", "rule_id", metavar="ID", help="Only this rule's findings.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "never"]),
    default="error",
    show_default=True,
    help="Exit 1 on an error (or also an unwaived warning); never: always exit 0.",
)
@click.option(
    "--recompute",
    is_flag=True,
    help="Recompute every listing's findings first (after a rule or band change).",
)
@click.pass_context
def audit_command(
    ctx: click.Context, status: str, rule_id: str | None, fmt: str, fail_on: str, recompute: bool
) -> None:
    """Audit the catalogue's listings against the claim rules, from the stored findings."""
    tally = Tally()
    try:
        with open_database() as db:
            _audit(db, status, rule_id, fmt, recompute, tally)
    except SQLAlchemyError as exc:
        raise click.ClickException(
            f"cannot read the database ({type(exc).__name__}); run catalogue migrate and seed"
        ) from exc
    ctx.exit(EXIT_FAILED if tally.fails(fail_on) else 0)


def _audit(
    db: Database, status: str, rule_id: str | None, fmt: str, recompute: bool, tally: Tally
) -> None:
    if recompute:
        with db.writing() as session:
            devices = session.scalar(select(func.count()).select_from(Device)) or 0
            with _progress(devices, "recomputing findings") as bar:
                stored = audit.refresh_all(session, progress=bar.update)
        click.echo(f"recomputed the findings of {devices} listings: {stored} found", err=True)
    with db.session() as session:
        rules = qa.rule_titles(session)
        if rule_id is not None and rule_id not in rules:
            raise click.BadParameter(
                f"no rule {rule_id!r}; the rules are {', '.join(rules)}", param_hint="--rule"
            )
        filters = qa.AuditFilters(rule=rule_id, status=None if status == "all" else status)
        scope = "" if status == "all" else status_label(status).lower()
        with (
            _progress(qa.count_listings(session, filters), "auditing") as bar,
            _quiet_broken_pipe(),
        ):
            listings = _tracked(qa.iter_listings(session, filters), tally, bar)
            _write_report(fmt, listings, tally, lambda: tally.sentence(scope, rule_id))


COMMANDS = (check_claims, audit_command)
