"""What QA does to a listing: waive a warning or withdraw the waiver, approve it, send it back.

Waiving and withdrawing are written to the device's history (``DeviceChange`` with action
``waive`` / ``unwaive``): ``changes`` holds ``{"waiver": [old, new]}`` where a side is
``{"rule": ..., "text": ...}`` or None, ``comment`` the reason. The record itself, and so its
version, does not change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlmodel import col, select

from catalogue.core import gate
from catalogue.core.inputs import MAX_DIGITS, MAX_ID, whole_number
from catalogue.data.models import Device, DeviceChange, Finding, Waiver
from catalogue.devices import workflow
from catalogue.qa.listing import QAError

MAX_REASON_CHARS = 2_000
# Waiver.text is a VARCHAR(500); longer words could not be matched back to their finding.
MAX_WAIVED_TEXT = 500


def waive_warning(
    session: Session, *, device: Device, rule_id: str, text: str, reason: str, user_id: int
) -> Waiver:
    """Store a QA waiver for one warning; ``QAError`` says why not when it cannot be waived."""
    reason = reason.strip()
    if not reason:
        raise QAError("Say why this warning is acceptable: a reason is required.", key="reason")
    if len(reason) > MAX_REASON_CHARS:
        raise QAError(f"Keep the reason under {MAX_REASON_CHARS:,} characters.", key="reason")
    finding = session.scalars(
        select(Finding).where(
            col(Finding.device_id) == device.id,
            col(Finding.rule_id) == rule_id,
            col(Finding.text) == text,
        )
    ).first()
    if finding is None:
        raise QAError("That finding is gone: the listing changed since this page was loaded.")
    if not gate.waiver_applies(finding.severity):
        raise QAError("Only warnings can be waived; an error must be fixed in the listing.")
    if len(text) > MAX_WAIVED_TEXT:
        raise QAError("These words are too long to waive; ask for the listing to be rewritten.")
    assert device.id is not None
    waiver = Waiver(device_id=device.id, rule_id=rule_id, text=text, reason=reason, user_id=user_id)
    try:
        # A savepoint, so a waiver someone saved a moment earlier leaves the transaction usable.
        with session.begin_nested():
            session.add(waiver)
    except IntegrityError:
        raise QAError("This warning is already waived.") from None
    _record(
        session,
        device=device,
        action="waive",
        rule_id=rule_id,
        text=text,
        reason=reason,
        user_id=user_id,
    )
    return waiver


@dataclass(frozen=True, slots=True)
class Withdrawn:
    """A waiver taken back; ``left_open`` when a published listing now has an open warning."""

    rule_id: str
    text: str
    left_open: bool


def unwaive_warning(
    session: Session, *, device: Device, waiver_id: str, reason: str, user_id: int
) -> Withdrawn:
    """Withdraw one of the device's waivers, with a reason; ``QAError`` says why not
    (``key="waiver"`` or ``"reason"`` for a bad form, ``key=None`` when the waiver is gone).

    A published listing keeps its status: the warning counts again at its next approval.
    """
    assert device.id is not None
    try:
        wanted = whole_number(waiver_id, high=10**MAX_DIGITS - 1)
    except ValueError:
        raise QAError("Say which waiver to withdraw.", key="waiver") from None
    reason = reason.strip()
    if not reason:
        raise QAError("Say why the waiver is withdrawn: a reason is required.", key="reason")
    if len(reason) > MAX_REASON_CHARS:
        raise QAError(f"Keep the reason under {MAX_REASON_CHARS:,} characters.", key="reason")
    # An id no INTEGER column can hold is no waiver (PostgreSQL would refuse the query).
    waiver = session.get(Waiver, wanted) if 0 < wanted <= MAX_ID else None
    if waiver is None or waiver.device_id != device.id:
        raise QAError("That waiver is gone: it was withdrawn since this page was loaded.")
    rule_id, text = waiver.rule_id, waiver.text
    # Deleted by id with the row count checked: two withdrawals at once record one change.
    deleted = cast(
        "CursorResult[Any]", session.execute(delete(Waiver).where(col(Waiver.id) == wanted))
    )
    if deleted.rowcount == 0:
        raise QAError("That waiver is gone: it was withdrawn since this page was loaded.")
    _record(
        session,
        device=device,
        action="unwaive",
        rule_id=rule_id,
        text=text,
        reason=reason,
        user_id=user_id,
    )
    still_warns = session.scalars(
        select(Finding.id).where(
            col(Finding.device_id) == device.id,
            col(Finding.rule_id) == rule_id,
            col(Finding.text) == text,
            col(Finding.severity) == gate.WAIVABLE,
        )
    ).first()
    return Withdrawn(
        rule_id=rule_id,
        text=text,
        left_open=device.status == "published" and still_warns is not None,
    )


def _record(
    session: Session,
    *,
    device: Device,
    action: str,
    rule_id: str,
    text: str,
    reason: str,
    user_id: int,
) -> None:
    """The waiver's line in the device's history (no snapshot: the record did not change)."""
    assert device.id is not None
    words = {"rule": rule_id, "text": text}
    pair = [None, words] if action == "waive" else [words, None]
    session.add(
        DeviceChange(
            device_id=device.id,
            user_id=user_id,
            action=action,
            changes={"waiver": pair},
            comment=reason,
        )
    )
    session.flush()


def review_listing(
    session: Session,
    *,
    device: Device,
    action: str,
    role: str,
    user_id: int,
    expected_version: int,
    comment: str = "",
) -> workflow.Transition:
    """Approve or send back through the workflow; approving runs the publish gate.

    Raises ``workflow.WorkflowError`` or ``crud.VersionConflict``.
    """
    if action not in ("approve", "send_back"):
        raise QAError(f"{action!r} is not a review action")
    return workflow.move_device(
        session,
        device=device,
        action=action,
        role=role,
        user_id=user_id,
        expected_version=expected_version,
        comment=comment,
    )
