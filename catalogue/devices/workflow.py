"""A device's way to the shop: draft -> in_review -> published -> archived.

Merchandisers submit; QA approves, sends back to draft (with a comment) or archives; an
admin may do all of it. The publish gate: any error finding blocks, a warning blocks until
QA waives it with a reason; record checks (a deep area on a red-only device) are findings
and count the same way.

**Editing a published device takes it back to ``in_review``**: the shop stops showing it
until QA approves the edit. One version of a device exists at a time, so the shop never
shows words QA has not seen.

The rules are pure functions; ``move_device`` applies one to the database. An import's
status column goes through the same transitions and roles (``import_moves``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from catalogue.accounts import role_allows
from catalogue.claims import audit
from catalogue.core import gate
from catalogue.core.gate import GateFinding
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
    automatic: bool = False  # made by the app itself (a re-audit), never a button or import


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
        # A rule change found an error in a published listing: off the shop, back to QA.
        Transition(
            "recheck",
            "Back to review after a rule change",
            ("published",),
            "in_review",
            ("qa",),
            needs_comment=True,
            automatic=True,
        ),
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
    return [
        t
        for t in TRANSITIONS.values()
        if status in t.sources and role_allows(role, t.roles) and not t.automatic
    ]


def check_move(
    action: str,
    *,
    status: str,
    role: str,
    comment: str = "",
    blockers: Sequence[str] = (),
    automatic: bool = False,
) -> Transition:
    """The transition when it is allowed; ``WorkflowError`` naming the reason when not.
    Only the app itself (``automatic``) makes the automatic moves."""
    transition = TRANSITIONS.get(action)
    if transition is None or (transition.automatic and not automatic):
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


def _path(start: str, target: str, usable: Callable[[Transition], bool]) -> list[Transition] | None:
    """The shortest chain of ``usable`` moves from ``start`` to ``target``; None when none."""
    paths: dict[str, list[Transition]] = {start: []}
    frontier = [start]
    while frontier:
        status = frontier.pop(0)
        for t in TRANSITIONS.values():
            if status in t.sources and t.target not in paths and usable(t):
                paths[t.target] = [*paths[status], t]
                frontier.append(t.target)
    return paths.get(target)


def import_moves(
    requested: str, *, current: str | None, changed: bool, role: str
) -> list[Transition]:
    """The workflow moves an imported row's status stands for, each one a button ``role`` has.

    A new device starts as a draft and an edit of a published device goes back to review, as
    in the editor. An import has no comment, so moves that need one stay on the device's page.
    Raises ``WorkflowError`` naming the move the role may not make.
    """
    start = "draft" if current is None else (status_after_edit(current) if changed else current)
    if requested == start:
        return []
    path = _path(start, requested, lambda t: role_allows(role, t.roles) and not t.needs_comment)
    if path is not None:
        return path
    why = (
        "an edited published device goes back to in_review, and "
        if start != current and current
        else ""
    )
    anyone = _path(start, requested, lambda t: not t.needs_comment)
    if anyone is None:
        raise WorkflowError(
            f"{why}an import cannot move a device from {start} to {requested}; "
            "use the buttons on the device's page"
        )
    lacking = next(t for t in anyone if not role_allows(role, t.roles))
    raise WorkflowError(
        f"{why}{lacking.label} needs the {' or '.join(lacking.roles)} role", forbidden=True
    )


def import_status_problem(
    requested: str,
    *,
    current: str | None,
    changed: bool,
    role: str,
    findings: Sequence[GateFinding],
    waivers: Collection[tuple[str, str]],
) -> str | None:
    """Why an imported row may not take the status it asks for, or None when it may.

    The same transitions and roles as the buttons (``import_moves``). A row that lands in
    ``published`` runs the publish gate over its own findings and the device's waivers; one
    that only passes through it (a new archived device) never reaches the shop, so it does not.
    """
    try:
        moves = import_moves(requested, current=current, changed=changed, role=role)
    except WorkflowError as exc:
        return exc.message
    if moves and moves[-1].gated:
        blockers = gate.publish_blockers(findings, waivers)
        if blockers:
            return "cannot be published: " + "; ".join(gate.describe(f) for f in blockers)
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
    automatic: bool = False,
) -> Transition:
    """Apply a workflow move and record it in the history; raises ``WorkflowError`` or
    ``crud.VersionConflict`` (someone changed the device since the page was opened).

    A gated move runs the publish gate over the device's stored findings here, whoever asks.
    ``automatic`` is for the app's own moves (a re-audit sending a listing back to review).
    """
    assert device.id is not None
    crud.lock_at_version(session, device, expected_version)
    wanted = TRANSITIONS.get(action)
    gated = wanted is not None and wanted.gated
    blockers = audit.device_blockers(session, device_id=device.id) if gated else []
    transition = check_move(
        action,
        status=device.status,
        role=role,
        comment=comment,
        blockers=blockers,
        automatic=automatic,
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
