"""A device's way to the shop: draft -> in_review -> published -> archived.

Merchandisers submit; QA approves, sends back to draft (with a comment) or archives; an
admin may do all of it. The publish gate: any error finding blocks, a warning blocks until
QA waives it with a reason; record checks (a deep area on a red-only device) are findings
and count the same way.

**Editing a published device takes it back to ``in_review``**: the shop stops showing it
until QA approves the edit. One version of a device exists at a time, so the shop never
shows words QA has not seen.

The rules are pure functions; ``move_device`` applies one to the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from catalogue.accounts import role_allows
from catalogue.data.models import Device, DeviceChange, utcnow
from catalogue.devices import crud


@dataclass(frozen=True, slots=True)
class Transition:
    action: str  # stable: used in URLs and in the history
    label: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    needs_comment: bool = False
    gated: bool = False  # runs the publish gate


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("submit", "Submit for review", ("draft",), "in_review", ("merchandiser",)),
        Transition(
            "approve", "Approve and publish", ("in_review",), "published", ("qa",), gated=True
        ),
        Transition(
            "send_back",
            "Send back to draft",
            ("in_review", "published"),
            "draft",
            ("qa",),
            needs_comment=True,
        ),
        Transition("archive", "Archive", ("published",), "archived", ("qa",)),
        Transition("reopen", "Reopen as draft", ("archived",), "draft", ("merchandiser",)),
    )
}


class WorkflowError(Exception):
    """A move the device's status, the user's role or the publish gate does not allow."""

    def __init__(
        self, message: str, *, blockers: Sequence[str] = (), forbidden: bool = False
    ) -> None:
        super().__init__(message)
        self.message = message
        self.blockers = list(blockers)
        self.forbidden = forbidden  # the role may not do this at all (HTTP 403)


def available(status: str, role: str) -> list[Transition]:
    """The moves this role can make from this status, for the buttons on a device's page."""
    return [t for t in TRANSITIONS.values() if status in t.sources and role_allows(role, t.roles)]


def check_move(
    action: str, *, status: str, role: str, comment: str = "", blockers: Sequence[str] = ()
) -> Transition:
    """The transition when it is allowed; ``WorkflowError`` naming the reason when not."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise WorkflowError(f"{action!r} is not a workflow action")
    if not role_allows(role, transition.roles):
        raise WorkflowError(
            f"{transition.label} needs the {' or '.join(transition.roles)} role", forbidden=True
        )
    if status not in transition.sources:
        raise WorkflowError(
            f"{transition.label} works on a device in {' or '.join(transition.sources)}, "
            f"and this one is {status}"
        )
    if transition.needs_comment and not comment.strip():
        raise WorkflowError("Say what needs to change: a comment is required")
    if transition.gated and blockers:
        raise WorkflowError("This device cannot be published yet", blockers=blockers)
    return transition


def status_after_edit(status: str) -> str:
    """An edit of a published device goes back to review; other statuses stay."""
    return "in_review" if status == "published" else status


def import_status_problem(
    requested: str,
    *,
    current: str | None,
    changed: bool,
    can_publish: bool,
    blockers: Sequence[str],
) -> str | None:
    """Why an imported row may not take the status it asks for, or None when it may.

    A row that changes nothing keeps its status. Publishing (a new device, a changed one, or
    a status change to published) needs the right to publish and a clean publish gate.
    """
    if not changed and requested == current:
        return None
    if requested != "published":
        return None
    if not can_publish:
        return "publishing needs the QA role; import it as draft or in_review"
    if blockers:
        return "cannot be published: " + "; ".join(blockers)
    return None


def move_device(
    session: Session,
    *,
    device: Device,
    action: str,
    role: str,
    user_id: int | None,
    expected_version: int,
    comment: str = "",
    blockers: Sequence[str] = (),
) -> Transition:
    """Apply a workflow move and record it in the history; raises ``WorkflowError`` or
    ``crud.VersionConflict`` (someone changed the device since the page was opened)."""
    assert device.id is not None
    crud.lock_at_version(session, device, expected_version)
    transition = check_move(
        action, status=device.status, role=role, comment=comment, blockers=blockers
    )
    old_status = device.status
    device.status = transition.target
    device.updated_at = utcnow()
    device.updated_by_id = user_id
    crud.flush_at_version(session, device, expected_version)
    snapshot = crud.device_snapshot(session, device)
    session.add(
        DeviceChange(
            device_id=device.id,
            user_id=user_id,
            action=action,
            changes={"status": [old_status, transition.target]},
            snapshot=snapshot,
            comment=comment.strip() or None,
        )
    )
    session.flush()
    return transition
