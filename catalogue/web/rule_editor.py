"""The rule editor: add a claim rule or edit one, see its impact, save it as a new version.

A form is saved in two steps: "Check" validates the rule, runs its own examples and shows
how many listings would gain or lose a finding of it; "Save" is offered for exactly the rule
that was checked (a fingerprint of it travels in the form). Saving writes the version and a
re-audit row in one transaction, then re-audits the catalogue in a thread of this process;
the edit page shows the progress (htmx polls it; without JavaScript, a reload does).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER, HTTP_400_BAD_REQUEST, HTTP_409_CONFLICT
from sqlalchemy.orm import Session
from sqlmodel import select

from catalogue.claims import audit
from catalogue.core.claims.rules import KIND_GROUPS, SEVERITIES
from catalogue.core.inputs import whole_number_or
from catalogue.data.db import Database
from catalogue.data.models import ClaimRule
from catalogue.qa import reaudit, rule_form, rule_store
from catalogue.web.deps import Db, DbSession, Form
from catalogue.web.guards import SignedInUser, require_roles, signed_in_user
from catalogue.web.notices import give_notice, take_notice

NEW_RULE = {
    "kind": "phrase",
    "severity": "warning",
    "wavelengths": "660, 850",
    "areas": "knees",
}


def _fingerprint(draft: rule_form.RuleDraft) -> str:
    """Which rule was checked: saving is offered for exactly this one."""
    state = rule_store.editable(draft.spec, draft.enabled, draft.examples)
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()


def _stored(session: Session, rule_id: str) -> ClaimRule:
    row = session.get(ClaimRule, rule_id)
    if row is None:
        raise NotFoundException(f"No claim rule {rule_id!r}.")
    return row


def _page(
    request: Request[Any, Any, Any],
    session: Session,
    *,
    rule_id: str | None,
    values: Mapping[str, str],
    enabled: bool,
    base: int,
    comment: str = "",
    errors: Mapping[str, str] | None = None,
    impact: rule_store.Impact | None = None,
    fingerprint: str = "",
    problem: str | None = None,
    status_code: int = 200,
) -> Template:
    return Template(
        "qa/rule_form.html",
        context={
            "rule_id": rule_id,
            "values": values,
            "enabled": enabled,
            "base": base,
            "comment": comment,
            "errors": errors or {},
            "labels": rule_form.LABELS,
            "severities": SEVERITIES,
            "kinds": list(KIND_GROUPS),
            "impact": impact,
            "fingerprint": fingerprint,
            "problem": problem,
            "versions": rule_store.versions(session, rule_id) if rule_id else [],
            "run": reaudit.latest(session, rule_id) if rule_id else None,
            "notice": take_notice(request),
            "user": signed_in_user(request),
        },
        status_code=status_code,
    )


class RuleEditorController(Controller):
    path = "/qa/rules"
    guards = [require_roles("qa")]  # noqa: RUF012 (Litestar reads it as a class attribute)
    include_in_schema = False

    @get("/new", sync_to_thread=True)
    def new_form(self, request: Request[Any, Any, Any], session: DbSession) -> Template:
        values = {key: "" for key in rule_form.FIELDS} | NEW_RULE
        return _page(request, session, rule_id=None, values=values, enabled=True, base=0)

    @get("/{rule_id:str}/edit", sync_to_thread=True)
    def edit_form(
        self, request: Request[Any, Any, Any], session: DbSession, rule_id: FromPath[str]
    ) -> Template:
        row = _stored(session, rule_id)
        return _page(
            request,
            session,
            rule_id=rule_id,
            values=rule_form.form_values(row.spec, row.examples),
            enabled=row.enabled,
            base=rule_store.current_number(session, rule_id),
        )

    @post("/new", sync_to_thread=True, status_code=HTTP_303_SEE_OTHER)
    def create(
        self, request: Request[Any, Any, Any], session: DbSession, db: Db, data: Form
    ) -> Redirect | Template:
        return self._submit(request, session, db, data, rule_id=None)

    @post("/{rule_id:str}/edit", sync_to_thread=True, status_code=HTTP_303_SEE_OTHER)
    def edit(
        self,
        request: Request[Any, Any, Any],
        session: DbSession,
        db: Db,
        rule_id: FromPath[str],
        data: Form,
    ) -> Redirect | Template:
        _stored(session, rule_id)
        return self._submit(request, session, db, data, rule_id=rule_id)

    @get("/reaudits/{run_id:int}", sync_to_thread=True)
    def reaudit_progress(self, session: DbSession, run_id: FromPath[int]) -> Template:
        """The progress panel alone (what htmx polls)."""
        run = reaudit.progress(session, run_id)
        if run is None:
            raise NotFoundException(f"No re-audit {run_id}.")
        return Template("partials/_reaudit.html", context={"run": run})

    @get("/reaudits/{run_id:int}/json", sync_to_thread=True)
    def reaudit_json(self, session: DbSession, run_id: FromPath[int]) -> dict[str, Any]:
        run = reaudit.progress(session, run_id)
        if run is None:
            raise NotFoundException(f"No re-audit {run_id}.")
        return run.as_json()

    def _submit(
        self,
        request: Request[Any, Any, Any],
        session: Session,
        db: Database,
        data: Mapping[str, Any],
        *,
        rule_id: str | None,
    ) -> Redirect | Template:
        user: SignedInUser = signed_in_user(request)
        values = rule_form.posted_values(data)
        enabled = str(data.get("enabled") or "") == "on"
        # The version the form was opened at (a new rule has none); missing or forged: stale.
        base = whole_number_or(data.get("base", ""), -1) if rule_id else 0
        comment = str(data.get("comment") or "")[:2000]
        stored = session.get(ClaimRule, rule_id) if rule_id else None
        context = audit.load_context(session)
        draft = rule_form.build_draft(
            values,
            enabled=enabled,
            stored=stored.spec if stored else None,
            areas=context.areas,
            bands=context.bands,
            taken_ids=list(session.scalars(select(ClaimRule.id))),
        )
        page: dict[str, Any] = {
            "rule_id": rule_id,
            "values": values,
            "enabled": enabled,
            "base": base,
            "comment": comment,
        }
        if not draft.ok:
            return _page(
                request, session, **page, errors=draft.errors, status_code=HTTP_400_BAD_REQUEST
            )
        assert draft.rule is not None
        fingerprint = _fingerprint(draft)
        if data.get("action") == "save" and data.get("checked") == fingerprint:
            try:
                with db.writing() as s:
                    version = rule_store.save_rule(
                        s, draft=draft, user_id=user.id, base_number=base, comment=comment
                    )
                    run = reaudit.begin(
                        s, rule_id=draft.rule.id, rule_version=version.number, user_id=user.id
                    )
                    run_id = run.id
            except rule_store.RuleConflict:
                problem = (
                    "Someone saved this rule since you opened it (or a rule with this id now "
                    "exists). Reload the page to see their version; your changes are below."
                )
                return _page(
                    request, session, **page, problem=problem, status_code=HTTP_409_CONFLICT
                )
            assert run_id is not None
            reaudit.launch(db, run_id)
            give_notice(
                request,
                f"Saved '{draft.rule.title}' as version {version.number}; "
                "the catalogue is being re-audited against it.",
            )
            return Redirect(f"/qa/rules/{draft.rule.id}/edit", status_code=HTTP_303_SEE_OTHER)
        impact = rule_store.impact(
            session, rule_id=draft.rule.id, candidate=draft.rule if enabled else None
        )
        stale = (
            "The rule changed since its impact was shown: check the impact below, then save."
            if data.get("action") == "save"
            else None
        )
        return _page(
            request, session, **page, impact=impact, fingerprint=fingerprint, problem=stale
        )
