"""Approve or send back one listing from a QA page (the audit or the queue): the form's
fields in, the workflow move, and what the page shows when the move is refused."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from litestar.status_codes import HTTP_400_BAD_REQUEST, HTTP_409_CONFLICT

from catalogue import qa
from catalogue.data.db import Database
from catalogue.devices import crud, workflow
from catalogue.devices.fields import status_label
from catalogue.web.deps import device_or_404
from catalogue.web.forms import MoveForm
from catalogue.web.guards import SignedInUser


@dataclass
class Review:
    """What became of one approve or send-back: ``done`` names it for the notice, else
    ``problem`` (with ``status``) is what the page shows above the listing."""

    name: str = ""
    done: str = ""
    problem: dict[str, Any] = field(default_factory=dict)
    status: int = 200


def review(
    db: Database,
    user: SignedInUser,
    slug: str,
    data: Mapping[str, Any],
    action: str,
    *,
    shown_below: str,
) -> Review:
    """``shown_below`` says where the page shows the listing as it is now ("The queue below")."""
    form = MoveForm.of(data)  # its action is the route's, not the form's
    comment, version = form.comment, form.version
    problem: dict[str, Any] = {"slug": slug, "action": action, "comment": comment}
    try:
        with db.writing() as s:
            device = device_or_404(s, slug)
            problem["name"] = device.name
            transition = qa.review_listing(
                s,
                device=device,
                action=action,
                role=user.role,
                user_id=user.id,
                expected_version=version,
                comment=comment,
            )
    except workflow.WorkflowError as exc:
        problem |= {"message": exc.message, "blockers": exc.blockers}
        return Review(problem["name"], problem=problem, status=HTTP_400_BAD_REQUEST)
    except crud.VersionConflict as exc:
        problem["message"] = f"{exc}. {shown_below} shows the listing as it is now; check it again."
        return Review(problem["name"], problem=problem, status=HTTP_409_CONFLICT)
    name = problem["name"]
    done = (
        f"Approved {name}: it is now published."
        if action == "approve"
        else f"Sent {name} back to {status_label(transition.target).lower()} with your note."
    )
    return Review(name, done=done)
