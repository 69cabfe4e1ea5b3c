"""Writing tasks. One transaction per service, audit entry inside it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.accounts.models import Role, User
from lotse.assignments.models import Task, TaskComment, TaskStatus
from lotse.assignments.selectors import TaskAccess, case_team_tasks, partner_tasks
from lotse.audit.services import audit_log
from lotse.cases.models import Case, Phase
from lotse.core.access import Action, require
from lotse.core.locking import save_versioned
from lotse.directory.models import Organisation

EDITABLE_FIELDS = ["title", "due_on", "owner_user", "owner_organisation"]


def _refuse_closed(phase: str) -> None:
    if phase == Phase.CLOSED:
        # de: Der Fall ist abgeschlossen und kann nicht mehr geändert werden.
        raise ValidationError(_("The case is closed and can no longer be changed."))


def _validate(task: Task, case: Case) -> None:
    errors: dict[str, str] = {}
    if not task.title.strip():
        # de: Bitte beschreiben Sie die Aufgabe.
        errors["title"] = _("Please describe the task.")
    if bool(task.owner_user_id) == bool(task.owner_organisation_id):
        # de: Bitte wählen Sie genau eine verantwortliche Person oder Organisation.
        errors["owner_user"] = _("Please choose exactly one responsible person or organisation.")
    owner: User | None = task.owner_user
    if owner is not None:
        if owner.traeger_id != case.traeger_id or not owner.is_active:
            # de: Diese Person kann die Aufgabe nicht übernehmen.
            errors["owner_user"] = _("This person cannot take on the task.")
        elif owner.organisation_id != case.organisation_id and not owner.has_role(Role.PARTNER):
            errors["owner_user"] = _(
                # de: Aufgaben gehen an das Fallteam oder an Personen von Partnerorganisationen.
                "Tasks go to the case team or to people of partner organisations."
            )
    organisation: Organisation | None = task.owner_organisation
    if organisation is not None and organisation.traeger_id != case.traeger_id:
        # de: Dieser Eintrag gehört nicht zu Ihrem Träger.
        errors["owner_organisation"] = _("This entry does not belong to your Träger.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def task_create(
    *,
    actor: Any,
    case: Case,
    title: str,
    due_on: dt.date,
    owner_user: User | None = None,
    owner_organisation: Organisation | None = None,
    request: Any = None,
) -> Task:
    require(actor, Action.CHANGE)
    if case.traeger_id != actor.traeger_id or case.organisation_id != actor.organisation_id:
        raise PermissionDenied
    _refuse_closed(case.phase)
    task = Task(
        traeger_id=case.traeger_id,
        case=case,
        title=title.strip(),
        due_on=due_on,
        owner_user=owner_user,
        owner_organisation=owner_organisation,
        created_by=actor,
    )
    _validate(task, case)
    task.save()
    audit_log(
        user=actor,
        action="create",
        object_type="task",
        object_id=task.pk,
        person_id=case.person_id,
        categories=["case"],
        request=request,
    )
    return task


@transaction.atomic
def task_update(
    *, actor: Any, task: Task, expected_version: int, request: Any = None, **fields: Any
) -> Task:
    """Change what, when and who — case team only (a partner can only report, see below)."""
    if not case_team_tasks(actor, Action.CHANGE).filter(pk=task.pk).exists():
        raise PermissionDenied
    case = task.case
    _refuse_closed(case.phase)
    changed = []
    for name in EDITABLE_FIELDS:
        if name in fields and getattr(task, name) != fields[name]:
            setattr(task, name, fields[name])
            changed.append(name)
    if isinstance(task.title, str):
        task.title = task.title.strip()
    _validate(task, case)
    save_versioned(task, expected_version=expected_version, fields=EDITABLE_FIELDS)
    audit_log(
        user=actor,
        action="update",
        object_type="task",
        object_id=task.pk,
        person_id=case.person_id,
        categories=["case"],
        request=request,
        detail=",".join(changed),
    )
    return task


@transaction.atomic
def task_report(
    *,
    actor: Any,
    task: Task,
    access: TaskAccess,
    expected_version: int,
    status: str,
    comment: str = "",
    request: Any = None,
) -> Task:
    """Set the status and/or comment — the case team or the partner the task is assigned to."""
    if access == TaskAccess.CASE_TEAM:
        allowed = case_team_tasks(actor, Action.CHANGE).filter(pk=task.pk)
    else:
        allowed = partner_tasks(actor).filter(pk=task.pk)
    phase = allowed.values_list("case__phase", flat=True).first()
    if phase is None:
        raise PermissionDenied
    _refuse_closed(phase)
    if status not in TaskStatus.values:
        # de: Unbekannter Status.
        raise ValidationError({"status": _("Unknown status.")})
    comment = comment.strip()
    if status == task.status and not comment:
        # de: Bitte ändern Sie den Status oder schreiben Sie einen Kommentar.
        raise ValidationError({"comment": _("Please change the status or write a comment.")})
    from_status = task.status
    fields = []
    if status != from_status:
        task.status = status
        task.done_on = timezone.localdate() if status == TaskStatus.DONE else None
        fields = ["status", "done_on"]
    save_versioned(task, expected_version=expected_version, fields=fields)
    TaskComment.objects.create(
        traeger_id=task.traeger_id,
        task=task,
        text=comment,
        from_status=from_status if status != from_status else "",
        to_status=status if status != from_status else "",
        author=actor,
        author_organisation=str(actor.organisation) if actor.organisation_id else "",
    )
    person_id = (
        task.case.person_id
        if access == TaskAccess.CASE_TEAM
        else getattr(task, "audit_person_id", None)
    )
    audit_log(
        user=actor,
        action="update",
        object_type="task",
        object_id=task.pk,
        person_id=person_id,
        categories=["case"],
        request=request,
        detail=f"status:{from_status}->{status}" if status != from_status else "comment",
    )
    return task
