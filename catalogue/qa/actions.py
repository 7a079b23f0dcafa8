"""What QA does to a listing: waive a warning, approve it, send it back."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlmodel import col, select

from catalogue import audit, workflow
from catalogue.models import Device, Finding, Waiver
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
    if finding.severity != "warning":
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
    return waiver


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
    assert device.id is not None
    blockers = audit.publish_blockers(session, device_id=device.id) if action == "approve" else []
    return workflow.move_device(
        session,
        device=device,
        action=action,
        role=role,
        user_id=user_id,
        expected_version=expected_version,
        comment=comment,
        blockers=blockers,
    )
