"""An import's reading phase: every row parsed, validated and claim-checked on a read session,
and what to write collected in memory. Nothing here takes a write lock (``importer`` writes).

A row with problems is never written. All or nothing (the default) keeps checking the rest of
the file once a row has failed, only to report it; ``valid_only`` keeps the good rows for the
write phase and the report lists the others as skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session
from sqlmodel import col, select

from catalogue.claims import audit
from catalogue.core.claims.check import ClaimFinding
from catalogue.data.children import areas_by_device, emissions_by_device
from catalogue.data.models import Device, DeviceImage
from catalogue.devices import batch, crud, workflow
from catalogue.devices.schemas import DeviceInput, parse_device
from catalogue.imports.devicefile import COLUMNS
from catalogue.imports.pictures import COLUMN as IMAGES
from catalogue.imports.pictures import ImportPictures
from catalogue.imports.reading import MAX_CELL_CHARS
from catalogue.imports.report import ImportReport, Problem, RowFinding
from catalogue.media.images import Wanted, effective_gallery, images_of
from catalogue.prices.rates import usd_rates

ABSENT = object()  # the file has no images column


@dataclass
class _Stored:
    """What the check of a row naming a stored device reads of it."""

    snapshot: dict[str, Any]  # ``crud.snapshot``
    images: list[DeviceImage]
    waived: set[tuple[str, str]]


def _comparable(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    data = dict(snapshot)
    data["emissions"] = sorted(
        (float(e["wavelength_nm"]), e.get("share_pct")) for e in data.get("emissions", [])
    )
    return data


def _numbers(emissions: Any) -> list[float]:
    """The wavelengths of a row's raw emissions that read as numbers (for the claim check of
    a row that failed validation: its findings are reported in the same pass)."""
    found = []
    for emission in emissions if isinstance(emissions, list) else []:
        value = emission.get("wavelength_nm") if isinstance(emission, Mapping) else emission
        try:
            found.append(float(str(value)))
        except (TypeError, ValueError):
            continue
    return found


class ImportCheck:
    """One import's reading phase over one read session."""

    def __init__(
        self,
        session: Session,
        report: ImportReport,
        *,
        user_id: int | None,
        role: str,
        valid_only: bool = False,
        pictures: ImportPictures | None = None,
    ) -> None:
        self.session, self.report = session, report
        self.pictures = pictures or ImportPictures(files=None, store=None, dry_run=True)
        # sku -> the gallery its row asks for, where that differs from the stored one
        self.galleries: dict[str, list[Wanted]] = {}
        self.user_id, self.role = user_id, role
        self.valid_only = valid_only
        self.context = audit.load_context(session)
        self.areas = set(self.context.areas)
        # sku -> device id and slug -> sku of every stored device: uniqueness in memory.
        self.id_of_sku: dict[str, int] = {}
        self.sku_of_slug: dict[str, str] = {}
        for device_id, sku, slug in session.execute(select(Device.id, Device.sku, Device.slug)):
            self.id_of_sku[sku] = device_id
            self.sku_of_slug[slug] = sku
        self.rows_of_sku: dict[str, int] = {}
        self.rows_of_slug: dict[str, int] = {}
        self.creates: list[tuple[DeviceInput, list[ClaimFinding]]] = []
        self.updates: list[batch.Update] = []
        # The version of every stored device the file names, as read: the write phase
        # checks that none moved on meanwhile.
        self.versions: dict[int, int] = {}
        self._ahead: dict[int, _Stored] = {}  # read ahead for the next rows (``read_ahead``)
        # What prices are converted at; the write phase checks that they still hold.
        self.rates = usd_rates(session)

    @property
    def keeping(self) -> bool:
        """Whether a good row is still worth keeping for the write phase: all or nothing
        writes nothing once any row has failed."""
        return self.valid_only or not self.report.problems

    def read_ahead(self, raws: Iterable[Mapping[str, Any]]) -> None:
        """Read the stored devices the next rows name (by their SKU as written) a few queries
        for all of them, not five a row; a row whose SKU is spelt otherwise reads its own."""
        skus = {str(raw.get("sku") or "").strip() for raw in raws}
        ids = sorted(i for sku in skus if (i := self.id_of_sku.get(sku)) is not None)
        self._ahead = {}
        if not ids:
            return
        devices = self.session.scalars(select(Device).where(col(Device.id).in_(ids)))
        emissions, areas = (
            emissions_by_device(self.session, ids),
            areas_by_device(self.session, ids),
        )
        images: dict[int, list[DeviceImage]] = {i: [] for i in ids}
        query = (
            select(DeviceImage)
            .where(col(DeviceImage.device_id).in_(ids))
            .order_by(col(DeviceImage.device_id), col(DeviceImage.position), col(DeviceImage.id))
        )
        for image in self.session.scalars(query):
            images[image.device_id].append(image)
        waived: dict[int, set[tuple[str, str]]] = {i: set() for i in ids}
        for device_id, rule, words in audit.waived_keys(self.session, ids):
            waived[device_id].add((rule, words))
        for device in devices:
            assert device.id is not None
            self._ahead[device.id] = _Stored(
                crud.snapshot(device, emissions[device.id], areas[device.id]),
                images[device.id],
                waived[device.id],
            )

    def _stored(self, device_id: int) -> _Stored:
        found = self._ahead.get(device_id)
        if found is not None:
            return found
        device = self.session.get(Device, device_id)
        assert device is not None
        return _Stored(
            crud.device_snapshot(self.session, device),
            images_of(self.session, device_id),
            audit.waivers_of(self.session, device_id),
        )

    def problem(self, row: int, column: str, message: str) -> None:
        self.report.problems.append(Problem(row, column, message))

    def _shape_problems(self, number: int, raw: Mapping[str, Any]) -> bool:
        if long := raw.get("__long__"):
            for column in long:
                self.problem(
                    number, column[:40], f"a cell holds at most {MAX_CELL_CHARS:,} characters"
                )
            return True
        if raw.get("__not_object__"):
            self.problem(number, "row", "each item must be a JSON object")
            return True
        if raw.get("__unknown__"):
            unknown = ", ".join(repr(str(k)[:40]) for k in raw["__unknown__"])
            self.problem(
                number, "row", f"unknown field(s) {unknown}; expected: {', '.join(COLUMNS)}"
            )
            return True
        if raw.get("__extra__"):
            self.problem(number, "row", "the row has more cells than the header has columns")
            return True
        return False

    def _duplicates(self, number: int, data: DeviceInput) -> bool:
        found = False
        first = self.rows_of_sku.setdefault(data.sku, number)
        if first != number:
            self.problem(number, "sku", f"{data.sku!r} appears again (first in row {first})")
            found = True
        first = self.rows_of_slug.setdefault(data.slug, number)
        if first != number:
            self.problem(number, "slug", f"{data.slug!r} appears again (first in row {first})")
            found = True
        owner = self.sku_of_slug.get(data.slug)
        if owner is not None and owner != data.sku:
            self.problem(number, "slug", f"{data.slug!r} already belongs to the device {owner}")
            found = True
        return found

    def _claims(
        self, number: int, sku: str, description: str, nms: Sequence[float], areas: Sequence[str]
    ) -> list[ClaimFinding]:
        findings = audit.preview(
            self.session,
            description=description,
            wavelengths_nm=nms,
            areas=[a for a in areas if a in self.areas],
            context=self.context,
        )
        self.report.findings.extend(RowFinding(number, sku, f) for f in findings)
        return findings

    def _claims_of_a_bad_row(self, number: int, raw: Mapping[str, Any]) -> None:
        """A row that failed validation still has its words checked, so one round of fixes
        covers both its values and its claims."""
        description = raw.get("description")
        if not isinstance(description, str) or not description.strip():
            return
        areas = raw.get("areas")
        self._claims(
            number,
            str(raw.get("sku") or ""),
            description,
            _numbers(raw.get("emissions")),
            [a for a in areas if isinstance(a, str)] if isinstance(areas, list) else [],
        )

    def _gallery(self, number: int, cell: object) -> tuple[bool, list[Wanted] | None]:
        """Whether the row's pictures are all right, and the gallery it asks for. None (the
        pictures stay as they are) when the file has no images column or the cell is empty:
        a file filled in for prices must not wipe galleries; the editor removes pictures."""
        if cell is ABSENT or not cell:
            return True, None
        gallery = self.pictures.read(
            self.session, cell, lambda message: self.problem(number, IMAGES, message)
        )
        return gallery is not None, gallery

    def row(self, number: int, raw: dict[str, Any]) -> None:
        if self._shape_problems(number, raw):
            return
        cell = raw.pop(IMAGES, ABSENT)
        data, errors = parse_device(raw, known_areas=self.areas)
        if data is None:
            for column, message in errors.items():
                self.problem(number, "row" if column == "__all__" else column, message)
            self._claims_of_a_bad_row(number, raw)
            return
        nms = [e.wavelength_nm for e in data.emissions]
        if self._duplicates(number, data):
            self._claims(number, data.sku, data.description, nms, data.areas)  # one round
            return
        pictures_ok, gallery = self._gallery(number, cell)
        device_id = self.id_of_sku.get(data.sku)
        stored = self._stored(device_id).images if device_id is not None else []
        # Alt text is listing copy: the claim check reads it after the description.
        alts = (
            [w.alt_text for w in gallery] if gallery is not None else [i.alt_text for i in stored]
        )
        findings = self._claims(
            number,
            data.sku,
            audit.listing_text(data.description, alts),
            nms,
            data.areas,
        )
        if not pictures_ok:
            return
        if device_id is None:
            self._create(number, data, findings, gallery)
        else:
            # A SKU seen earlier in this file was refused above as a duplicate, so a known
            # SKU here is a stored device.
            self._update(number, data, findings, device_id, (stored, gallery))

    def _status_ok(
        self,
        number: int,
        data: DeviceInput,
        findings: Sequence[ClaimFinding],
        *,
        current: str | None,
        changed: bool,
        waived: set[tuple[str, str]],
    ) -> bool:
        problem = workflow.import_status_problem(
            data.status,
            current=current,
            changed=changed,
            role=self.role,
            findings=findings,
            waivers=waived,
        )
        if problem:
            self.problem(number, "status", problem)
        return problem is None

    def _create(
        self,
        number: int,
        data: DeviceInput,
        findings: list[ClaimFinding],
        gallery: list[Wanted] | None,
    ) -> None:
        if not self._status_ok(number, data, findings, current=None, changed=True, waived=set()):
            return
        self.sku_of_slug[data.slug] = data.sku
        self.report.created += 1
        if self.keeping:
            self.creates.append((data, findings))
            if gallery:
                self.galleries[data.sku] = gallery

    def _update(
        self,
        number: int,
        data: DeviceInput,
        findings: Sequence[ClaimFinding],
        device_id: int,
        pictures: tuple[list[DeviceImage], list[Wanted] | None],
    ) -> None:
        device = self.session.get(Device, device_id)
        assert device is not None
        self.versions[device_id] = device.version
        read = self._stored(device_id)
        stored = read.snapshot
        old, new = _comparable(stored), _comparable(crud.input_snapshot(data))
        # The workflow asks whether the listing was edited; a status change alone is a move.
        stored_images, gallery = pictures
        gallery_changed = gallery is not None and effective_gallery(stored_images) != [
            (w.content_hash, w.alt_text, w.main) for w in gallery
        ]
        # New pictures or new alt text are new words, an edit; a new order or main is not.
        new_words = gallery is not None and bool(
            {(w.content_hash, w.alt_text) for w in gallery}
            - {(i.content_hash, i.alt_text) for i in stored_images}
        )
        edited = {**old, "status": None} != {**new, "status": None} or new_words
        waived = read.waived
        if not self._status_ok(
            number, data, findings, current=device.status, changed=edited, waived=waived
        ):
            return
        if old == new and not gallery_changed:
            self.report.unchanged += 1
            return
        self.sku_of_slug.pop(device.slug, None)
        self.sku_of_slug[data.slug] = data.sku
        self.report.updated += 1
        if self.keeping:
            if old != new:
                self.updates.append(
                    batch.Update(
                        device_id=device_id,
                        data=data,
                        before=stored,
                        stored={name: getattr(device, name) for name in batch.STORED},
                        findings=list(findings),
                    )
                )
            if gallery is not None and gallery_changed:
                self.galleries[data.sku] = gallery
