"""Workflow moves on many ticked devices at once, each decided on its own.

Every device is moved in a transaction of its own through ``workflow.move_device`` (which
runs the publish gate for an approval), so one refusal (the wrong status, the publish gate,
someone else's edit since the list was loaded) leaves the others done, and the outcome names
each refused device with its reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from catalogue.accounts import role_allows
from catalogue.data.db import Database
from catalogue.data.models import Device
from catalogue.devices import crud, workflow

MAX_TICKED = 500


@dataclass
class BulkOutcome:
    transition: workflow.Transition
    done: list[str] = field(default_factory=list)  # device names
    refused: list[tuple[str, str]] = field(default_factory=list)  # (device name, why)

    def summary(self, shown: int = 8) -> str:
        """``Submitted for review: 3 devices. Not moved: Glow Mask (is in review already).``"""
        n = len(self.done)
        parts = [f"{self.transition.label}: {n} device{'' if n == 1 else 's'}."]
        if self.refused:
            named = "; ".join(f"{name} ({why})" for name, why in self.refused[:shown])
            more = len(self.refused) - shown
            tail = f"; and {more} more." if more > 0 else "."
            parts.append(f"Not done for {len(self.refused)}: {named}{tail}")
        return " ".join(parts)


def allowed_for(role: str) -> list[workflow.Transition]:
    """The bulk moves this role may make at all (the buttons above the list)."""
    return [
        t
        for t in workflow.TRANSITIONS.values()
        if not t.needs_comment and role_allows(role, t.roles)
    ]


def _reason(exc: workflow.WorkflowError) -> str:
    why = exc.message[0].lower() + exc.message[1:]
    return f"{why}: {'; '.join(exc.blockers)}" if exc.blockers else why


def bulk_move(
    db: Database,
    *,
    ticked: Sequence[tuple[int, int]],
    action: str,
    role: str,
    user_id: int | None,
) -> BulkOutcome:
    """Move each ``(device id, version seen)``; raises ``WorkflowError`` (forbidden) before
    touching anything when the role may not make this move at all."""
    transition = workflow.TRANSITIONS.get(action)
    if transition is None or transition.needs_comment:
        raise workflow.WorkflowError(f"{action!r} is not a move that works on many devices")
    if not role_allows(role, transition.roles):
        raise workflow.WorkflowError(
            f"{transition.label} needs the {' or '.join(transition.roles)} role", forbidden=True
        )
    outcome = BulkOutcome(transition)
    for device_id, version in ticked[:MAX_TICKED]:
        name = f"device {device_id}"
        try:
            with db.writing() as session:
                device = session.get(Device, device_id)
                if device is None:
                    outcome.refused.append((name, "it no longer exists"))
                    continue
                name = device.name
                workflow.move_device(
                    session,
                    device=device,
                    action=action,
                    role=role,
                    user_id=user_id,
                    expected_version=version,
                )
        except workflow.WorkflowError as exc:
            outcome.refused.append((name, _reason(exc)))
        except crud.VersionConflict:
            outcome.refused.append((name, "someone changed it after the list was loaded"))
        else:
            outcome.done.append(name)
    return outcome
