"""Writing tasks. One transaction per service, audit entry inside it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from lotse.accounts.models import User
from lotse.assignments.models import Task, TaskComment, TaskStatus
from lotse.assignments.selectors import TaskAccess, case_team_tasks, partner_tasks
from lotse.audit.services import audit_log
from lotse.cases.models import Case, Phase
from lotse.consent.gate import attach_subject, pass_transfer
from lotse.consent.models import Category, Flow, Purpose, Transfer
from lotse.core import dates
from lotse.core.access import Action, is_partner, require
from lotse.core.locking import save_versioned
from lotse.directory.models import Organisation

EDITABLE_FIELDS = [
    "title",
    "due_on",
    "owner_user",
    "owner_organisation",
    "shared_categories",
    "purpose",
]


def _refuse_closed(phase: str) -> None:
    if phase == Phase.CLOSED:
        # de: Der Fall ist abgeschlossen und kann nicht mehr geändert werden.
        raise ValidationError(_("The case is closed and can no longer be changed."))


def _validate(task: Task, case: Case) -> None:
    errors: dict[str, StrOrPromise] = {}
    if not task.title.strip():
        # de: Bitte beschreiben Sie die Aufgabe.
        errors["title"] = _("Please describe the task.")
    if due_problem := dates.due_date_problem(task.due_on):
        errors["due_on"] = dates.MESSAGES[due_problem]
    if bool(task.owner_user_id) == bool(task.owner_organisation_id):
        # de: Bitte wählen Sie genau eine verantwortliche Person oder Organisation.
        errors["owner_user"] = _("Please choose exactly one responsible person or organisation.")
    owner: User | None = task.owner_user
    if owner is not None:
        if owner.traeger_id != case.traeger_id or not owner.is_active:
            # de: Diese Person kann die Aufgabe nicht übernehmen.
            errors["owner_user"] = _("This person cannot take on the task.")
        elif owner.organisation_id != case.organisation_id and not is_partner(owner):
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


def outside_recipient(task: Task, case: Case) -> Organisation | None:
    """The organisation outside the case team that a task passes data to, if any."""
    if task.owner_organisation_id:
        organisation = task.owner_organisation
    elif task.owner_user_id:
        organisation = task.owner_user.organisation  # type: ignore[union-attr]
    else:
        return None
    if organisation is None or organisation.pk == case.organisation_id:
        return None
    return organisation


def _normalised_categories(values: Any) -> list[str]:
    chosen = set(values or [])
    if not chosen <= set(Category.values):
        # de: Unbekannte Datenkategorie.
        raise ValidationError({"shared_categories": _("Unknown data category.")})
    return [value for value in Category.values if value in chosen]


def _share(*, actor: Any, task: Task, case: Case, request: Any) -> Transfer | None:
    """A task for an outside organisation is a transfer: through the gate (``consent.gate``).

    § 67b SGB X / Art. 6, 7, 9 GDPR: a consent in force must name the recipient, cover every
    category the task passes on and the task's purpose, and be signed where written form is
    required. A statute named for a single transfer opens no standing channel to a partner, so
    tasks rest on consent only (as the partner pages do).
    """
    recipient = outside_recipient(task, case)
    if recipient is None:
        task.shared_categories = []
        task.purpose = None
        return None
    categories = _normalised_categories(task.shared_categories)
    task.shared_categories = categories
    if not categories:
        raise ValidationError(
            {
                "shared_categories": _(
                    # de: Wählen Sie, welche Daten die Aufgabe an %(recipient)s weitergibt.
                    "Choose which data the task passes on to %(recipient)s."
                )
                % {"recipient": recipient}
            }
        )
    if task.purpose is None:
        raise ValidationError(
            {
                "purpose": _(
                    # de: Wählen Sie, wozu die Aufgabe Daten an %(recipient)s weitergibt.
                    "Choose what the task passes data on to %(recipient)s for."
                )
                % {"recipient": recipient}
            }
        )
    if task.purpose.traeger_id != case.traeger_id:
        raise ValidationError({"purpose": _("This entry does not belong to your Träger.")})
    return pass_transfer(
        actor=actor,
        person=case.person,
        recipient=recipient,
        categories=categories,
        purpose=task.purpose.key,
        flow=Flow.TASK,
        subject=task if task.pk else None,
        # de: Aufgabe „%(title)s“
        description=_("Task “%(title)s”") % {"title": task.title},
        field_name="shared_categories",
        request=request,
    )


@transaction.atomic
def task_create(
    *,
    actor: Any,
    case: Case,
    title: str,
    due_on: dt.date,
    owner_user: User | None = None,
    owner_organisation: Organisation | None = None,
    shared_categories: list[str] | None = None,
    purpose: Purpose | None = None,
    request: Any = None,
) -> Task:
    """Create a task; for an organisation outside the case team only with consent (``_share``)."""
    require(actor, Action.CHANGE)
    if case.traeger_id != actor.traeger_id or case.organisation_id != actor.organisation_id:
        raise PermissionDenied
    return _create(
        actor=actor,
        case=case,
        title=title,
        due_on=due_on,
        owner_user=owner_user,
        owner_organisation=owner_organisation,
        shared_categories=shared_categories,
        purpose=purpose,
        request=request,
    )


@transaction.atomic
def task_create_for_agreement(
    *,
    actor: Any,
    case: Case,
    title: str,
    due_on: dt.date,
    owner_user: User | None = None,
    owner_organisation: Organisation | None = None,
    shared_categories: list[str] | None = None,
    purpose: Purpose | None = None,
    request: Any = None,
) -> Task:
    """A binding agreement of a case conference becomes a task (``conferences.services``).

    The moderator records it, who is by design not in the case team; the caller has checked
    that the actor runs the conference of this case. Everything else is as in
    :func:`task_create`, the gate included.
    """
    if case.traeger_id != actor.traeger_id:
        raise PermissionDenied
    return _create(
        actor=actor,
        case=case,
        title=title,
        due_on=due_on,
        owner_user=owner_user,
        owner_organisation=owner_organisation,
        shared_categories=shared_categories,
        purpose=purpose,
        request=request,
    )


def _create(
    *,
    actor: Any,
    case: Case,
    title: str,
    due_on: dt.date,
    owner_user: User | None,
    owner_organisation: Organisation | None,
    shared_categories: list[str] | None,
    purpose: Purpose | None,
    request: Any,
) -> Task:
    _refuse_closed(case.phase)
    task = Task(
        traeger_id=case.traeger_id,
        case=case,
        title=title.strip(),
        due_on=due_on,
        owner_user=owner_user,
        owner_organisation=owner_organisation,
        shared_categories=list(shared_categories or []),
        purpose=purpose,
        created_by=actor,
    )
    _validate(task, case)
    task.transfer = _share(actor=actor, task=task, case=case, request=request)
    task.save()
    if task.transfer is not None:
        attach_subject(task.transfer, task)
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
    """Change what, when and who — case team only (a partner can only report, see below).

    A task for an outside organisation passes the changed task on again: the consent is checked
    anew and the transfer journaled (also when only the title or the date changes).
    """
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
    if changed:
        transfer = _share(actor=actor, task=task, case=case, request=request)
        if transfer is not None:
            task.transfer = transfer
    save_versioned(task, expected_version=expected_version, fields=[*EDITABLE_FIELDS, "transfer"])
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
