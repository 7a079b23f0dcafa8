"""Loading ``seed/`` into a database: reference data always, devices only into an empty catalogue.

Running it twice is safe: bands, areas and rules are inserted when missing (an edit made
in the app is kept), devices are loaded only when there are none.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func
from sqlalchemy.orm import Session
from sqlmodel import select

from catalogue.claims import audit
from catalogue.data.db import after_bulk_write
from catalogue.data.models import Band, BodyArea, ClaimRule, Device, Finding, Waiver
from catalogue.data.rule_tables import ClaimRuleVersion
from catalogue.devices import crud
from catalogue.devices.schemas import parse_device
from catalogue.imports.devicefile import read_csv, row_to_input
from catalogue.media.seeding import seed_images
from catalogue.media.storage import MediaStore
from catalogue.prices import seed_rates


class SeedError(ValueError):
    pass


@dataclass
class SeedReport:
    bands: int = 0
    areas: int = 0
    rules: int = 0
    rates: int = 0
    devices: int = 0
    images: int = 0
    skipped_devices: bool = False
    notes: list[str] = field(default_factory=list)


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def seed_reference(session: Session, seed_dir: Path, report: SeedReport) -> None:
    for row in _csv_rows(seed_dir / "bands.csv"):
        if session.get(Band, row["slug"]) is None:
            session.add(
                Band(
                    slug=row["slug"],
                    name=row["name"],
                    min_nm=float(row["min_nm"]),
                    max_nm=float(row["max_nm"]),
                    depth=row["depth"],
                )
            )
            report.bands += 1
    for position, row in enumerate(_csv_rows(seed_dir / "areas.csv")):
        if session.get(BodyArea, row["slug"]) is None:
            session.add(BodyArea(position=position, **row))
            report.areas += 1
    rules_path = seed_dir / "rules.json"
    if rules_path.exists():
        for spec in json.loads(rules_path.read_text(encoding="utf-8")):
            if session.get(ClaimRule, spec["id"]) is None:
                session.add(
                    ClaimRule(
                        id=spec["id"], severity=spec["severity"], title=spec["title"], spec=spec
                    )
                )
                session.flush()
                # Version 1 of the rule, where the editor's history starts.
                session.add(
                    ClaimRuleVersion(rule_id=spec["id"], number=1, action="seed", spec=spec)
                )
                report.rules += 1
    session.flush()
    report.rates += seed_rates(session, seed_dir / "exchange_rates.csv")


def seed_devices(session: Session, seed_dir: Path, report: SeedReport) -> None:
    if session.scalar(select(func.count()).select_from(Device)):
        report.skipped_devices = True
        return
    context = audit.load_context(session)
    waivers = _seed_waivers(seed_dir)
    _header, rows = read_csv((seed_dir / "devices.csv").read_text(encoding="utf-8"))
    for line, row in enumerate(rows, start=2):
        data, errors = parse_device(row_to_input(row), known_areas=context.areas)
        if data is None:
            problems = "; ".join(f"{k}: {v}" for k, v in errors.items())
            raise SeedError(f"seed/devices.csv line {line}: {problems}")
        device = crud.create_device(
            session, data=data, bands=context.bands, action="seed", audit_context=context
        )
        assert device.id is not None
        _waive(session, device.id, waivers.pop(data.sku, []))
        if data.status == "published":
            # Seeded listings skip the review buttons, not the publish gate.
            blockers = audit.device_blockers(session, device_id=device.id)
            if blockers:
                raise SeedError(f"seed/devices.csv line {line}: {'; '.join(blockers)}")
        report.devices += 1
    if waivers:
        raise SeedError(f"seed/waivers.csv: no seed device has the SKU {', '.join(waivers)}")


def _seed_waivers(seed_dir: Path) -> dict[str, list[tuple[str, str]]]:
    """QA's waivers for the seed's honest warnings, by SKU: [(rule, reason)]. They cover the
    red-only devices sold for joints, which the shop shows as misses for those areas."""
    path = seed_dir / "waivers.csv"
    waivers: dict[str, list[tuple[str, str]]] = {}
    for row in _csv_rows(path) if path.exists() else []:
        waivers.setdefault(row["sku"], []).append((row["rule"], row["reason"]))
    return waivers


def _waive(session: Session, device_id: int, waivers: list[tuple[str, str]]) -> None:
    for rule, reason in waivers:
        findings = session.scalars(
            select(Finding).where(Finding.device_id == device_id, Finding.rule_id == rule)
        ).all()
        if not findings:
            raise SeedError(f"seed/waivers.csv: nothing to waive for {rule} on device {device_id}")
        session.add_all(
            Waiver(device_id=device_id, rule_id=rule, text=f.text, reason=reason) for f in findings
        )
    session.flush()


def seed_database(
    session: Session, seed_dir: Path, *, devices: bool = True, media: MediaStore | None = None
) -> SeedReport:
    """With ``media``, the seed devices also get their pictures from ``seed/images/``."""
    report = SeedReport()
    seed_reference(session, seed_dir, report)
    if devices:
        seed_devices(session, seed_dir, report)
        if media is not None and not report.skipped_devices:
            report.images = seed_images(session, media, seed_dir / "images")
        if report.devices:
            after_bulk_write(session)
    return report
