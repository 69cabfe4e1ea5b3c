"""Writing cases and their timeline. One transaction per service, audit entry inside it."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from lotse.accounts.models import User
from lotse.agreements.models import AgreementGoal
from lotse.audit.services import audit_log
from lotse.cases import phases
from lotse.cases.evaluation import EvaluationBasis, evaluation_basis
from lotse.cases.models import (
    AttainmentCount,
    Case,
    CaseEvaluation,
    FieldProcess,
    GoalAttainment,
    Phase,
    PhaseTransition,
    TimelineEntry,
)
from lotse.cases.selectors import household_member_of_case
from lotse.core import dates
from lotse.core.access import Action, is_case_worker, require
from lotse.core.locking import EditConflict, save_versioned
from lotse.directory.models import CaseManagementPost, FieldOfAction, Organisation, Programme
from lotse.people.events import person_changed
from lotse.people.models import Person

CASE_FIELDS = [
    "programme",
    "organisation",
    "post",
    "case_manager",
    "opened_on",
    "participation_offered_on",
    "participation_agreed_on",
    "summary",
]


def _validate_case(case: Case, *, actor: Any) -> None:
    errors: dict[str, StrOrPromise] = {}
    for name in ("programme", "organisation", "post"):
        obj = getattr(case, name, None)
        if obj is not None and obj.traeger_id != case.traeger_id:
            errors[name] = _("This entry does not belong to your Träger.")
    manager = case.case_manager
    if manager is not None:
        if manager.traeger_id != case.traeger_id or not manager.is_active:
            errors["case_manager"] = _("This user cannot be responsible for the case.")
        elif not is_case_worker(manager):
            errors["case_manager"] = _("The responsible user needs the case management role.")
        elif manager.organisation_id != case.organisation_id:
            errors["case_manager"] = _(
                "The case manager must belong to the responsible organisation."
            )
    if case.organisation_id != actor.organisation_id:
        errors["organisation"] = _("You can only keep cases of your own organisation.")
    offered, agreed = case.participation_offered_on, case.participation_agreed_on
    if agreed and offered and agreed < offered:
        errors["participation_agreed_on"] = _(
            "Participation can only be agreed after it was offered (reflection period)."
        )
    if agreed_problem := dates.past_date_problem(agreed):
        errors["participation_agreed_on"] = dates.MESSAGES[agreed_problem]
    if opened_problem := dates.past_date_problem(case.opened_on):
        errors["opened_on"] = dates.MESSAGES[opened_problem]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def case_open(
    *,
    actor: Any,
    person: Person,
    programme: Programme,
    opened_on: dt.date | None = None,
    organisation: Organisation | None = None,
    post: CaseManagementPost | None = None,
    case_manager: User | None = None,
    participation_offered_on: dt.date | None = None,
    participation_agreed_on: dt.date | None = None,
    summary: str = "",
    request: Any = None,
) -> Case:
    require(actor, Action.CREATE)
    if person.traeger_id != actor.traeger_id:
        raise ValidationError({"person": _("This entry does not belong to your Träger.")})
    from lotse.teams.scope import team_scope
    from lotse.teams.selectors import responsible_post_for

    if post is None and person.post_id in team_scope(actor).post_ids:
        post = person.post
    post = responsible_post_for(actor, post=post, municipality=person.municipality)
    case = Case(
        traeger_id=actor.traeger_id,
        person=person,
        programme=programme,
        organisation=organisation or post.organisation,
        post=post,
        case_manager=case_manager,
        opened_on=opened_on or timezone.localdate(),
        participation_offered_on=participation_offered_on,
        participation_agreed_on=participation_agreed_on,
        summary=summary,
        reference=f"tmp-{uuid.uuid4().hex}",
        phase=Phase.INTAKE,
        phase_changed_at=timezone.now(),
        created_by=actor,
    )
    _validate_case(case, actor=actor)
    case.save()
    case.reference = f"{case.opened_on.year}-{case.pk:06d}"
    Case.objects.filter(pk=case.pk).update(reference=case.reference)
    person_changed(person)
    audit_log(
        user=actor,
        action="create",
        object_type="case",
        object_id=case.pk,
        person_id=person.pk,
        categories=["case"],
        request=request,
    )
    return case


@transaction.atomic
def case_update(
    *, actor: Any, case: Case, expected_version: int, request: Any = None, **fields: Any
) -> Case:
    require(actor, Action.CHANGE)
    _refuse_closed(case)
    changed = []
    for name in CASE_FIELDS:
        if name in fields and getattr(case, name) != fields[name]:
            setattr(case, name, fields[name])
            changed.append(name)
    _validate_case(case, actor=actor)
    save_versioned(case, expected_version=expected_version, fields=CASE_FIELDS)
    audit_log(
        user=actor,
        action="update",
        object_type="case",
        object_id=case.pk,
        person_id=case.person_id,
        categories=["case"],
        request=request,
        detail=",".join(changed),
    )
    return case


def _refuse_closed(case: Case) -> None:
    if case.phase == Phase.CLOSED:
        raise ValidationError(_("The case is closed and can no longer be changed."))


@transaction.atomic
def case_change_phase(
    *,
    actor: Any,
    case: Case,
    to_phase: str,
    expected_version: int,
    reason: str = "",
    request: Any = None,
) -> Case:
    """Move the case along the DGCC phases (see ``cases.phases`` for the allowed steps)."""
    require(actor, Action.CHANGE)
    _refuse_closed(case)
    step = phases.find_step(case.phase, to_phase)
    if step is None:
        raise ValidationError({"to_phase": _("This phase change is not allowed.")})
    reason = reason.strip()
    if step.needs_reason and not reason:
        raise ValidationError({"reason": _("A step back to an earlier phase needs a reason.")})
    if case.phase == Phase.INTAKE and not case.participation_agreed_on:
        raise ValidationError(
            {
                "to_phase": _(
                    "Record the client's voluntary agreement to participate before leaving Klärung."
                )
            }
        )
    if (
        to_phase == Phase.CLOSED
        and not CaseEvaluation.objects.filter(
            traeger_id=case.traeger_id, case=case, kind=CaseEvaluation.Kind.FINAL
        ).exists()
    ):
        raise ValidationError({"to_phase": _("Record the evaluation before closing the case.")})
    from_phase = case.phase
    case.phase = to_phase
    case.phase_changed_at = timezone.now()
    fields = ["phase", "phase_changed_at"]
    if to_phase == Phase.CLOSED:
        case.closed_on = timezone.localdate()
        fields.append("closed_on")
    save_versioned(case, expected_version=expected_version, fields=fields)
    if case.closed_on is not None and to_phase == Phase.CLOSED:
        _count_attainments(case, closed_on=case.closed_on)
    _journal_phase_change(
        actor=actor,
        case=case,
        from_phase=from_phase,
        reason=reason,
        title=_("Phase changed: %(from)s → %(to)s")
        % {"from": Phase(from_phase).label, "to": Phase(to_phase).label},
        detail=f"phase:{from_phase}->{to_phase}",
        request=request,
    )
    return case


def _journal_phase_change(
    *, actor: Any, case: Case, from_phase: str, reason: str, title: str, detail: str, request: Any
) -> None:
    """Every phase change leaves the same three traces: transition, timeline entry, audit entry."""
    PhaseTransition.objects.create(
        traeger_id=case.traeger_id,
        case=case,
        from_phase=from_phase,
        to_phase=case.phase,
        reason=reason,
        changed_by=actor,
    )
    TimelineEntry.objects.create(
        traeger_id=case.traeger_id,
        case=case,
        kind=TimelineEntry.Kind.PHASE,
        occurred_at=case.phase_changed_at or timezone.now(),
        title=title,
        text=reason,
        author=actor,
    )
    audit_log(
        user=actor,
        action="update",
        object_type="case",
        object_id=case.pk,
        person_id=case.person_id,
        categories=["case"],
        request=request,
        detail=detail,
    )


@transaction.atomic
def field_process_set(
    *,
    actor: Any,
    case: Case,
    field_of_action: FieldOfAction,
    stage: str,
    person: Person | None = None,
    changed_on: dt.date | None = None,
    note: str = "",
    request: Any = None,
) -> FieldProcess:
    """Record per person and field of action whether the person is in the Einwanderungs- or
    Integrationsprozess. ``person`` is the case's person (default) or a household member."""
    require(actor, Action.CHANGE)
    _refuse_closed(case)
    if field_of_action.traeger_id != case.traeger_id:
        raise ValidationError({"field_of_action": _("This entry does not belong to your Träger.")})
    if person is None:
        person = case.person
    elif household_member_of_case(case, person.pk) is None:
        raise ValidationError(
            {"person": _("This person does not belong to the household of the case's person.")}
        )
    if stage not in FieldProcess.Stage.values:
        raise ValidationError({"stage": _("Please choose a valid entry.")})
    process, _created = FieldProcess.objects.update_or_create(
        case=case,
        person=person,
        field_of_action=field_of_action,
        defaults={
            "traeger_id": case.traeger_id,
            "stage": stage,
            "changed_on": changed_on or timezone.localdate(),
            "note": note,
        },
    )
    audit_log(
        user=actor,
        action="update",
        object_type="case",
        object_id=case.pk,
        person_id=person.pk,
        categories=["case"],
        request=request,
        detail=f"field:{field_of_action.key}:{stage}",
    )
    return process


ALLOWED_UPLOADS: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
    ".txt": (),
}


def validate_upload(upload: UploadedFile) -> None:
    name = (upload.name or "").lower()
    suffix = name[name.rfind(".") :] if "." in name else ""
    if suffix not in ALLOWED_UPLOADS:
        raise ValidationError(
            {
                "attachment": _("Files of this type are not allowed. Allowed: %(types)s.")
                % {"types": ", ".join(sorted(ALLOWED_UPLOADS))}
            }
        )
    if upload.size is not None and upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            {
                "attachment": _("The file is too large (at most %(mb)s MB).")
                % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
            }
        )
    signatures = ALLOWED_UPLOADS[suffix]
    head = upload.read(8)
    upload.seek(0)
    if signatures and not any(head.startswith(sig) for sig in signatures):
        raise ValidationError({"attachment": _("The file content does not match its type.")})


#: No case history reaches further back; earlier dates are typing errors (and before 1893 the
#: zone Europe/Berlin has no whole-minute offset, which ISO 8601 cannot write).
EARLIEST_ENTRY = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


@transaction.atomic
def timeline_entry_add(
    *,
    actor: Any,
    case: Case,
    kind: str,
    title: str,
    occurred_at: dt.datetime | None = None,
    text: str = "",
    channel: str = "",
    ends_at: dt.datetime | None = None,
    location: str = "",
    attachment: UploadedFile | None = None,
    request: Any = None,
) -> TimelineEntry:
    require(actor, Action.CHANGE)
    _refuse_closed(case)
    if kind not in {
        TimelineEntry.Kind.NOTE,
        TimelineEntry.Kind.CONTACT,
        TimelineEntry.Kind.APPOINTMENT,
        TimelineEntry.Kind.DOCUMENT,
    }:
        raise ValidationError({"kind": _("Unknown kind of entry.")})
    if kind == TimelineEntry.Kind.DOCUMENT and attachment is None:
        raise ValidationError({"attachment": _("Please choose a file for the document.")})
    if kind == TimelineEntry.Kind.CONTACT and not channel:
        raise ValidationError({"channel": _("Please state how the contact took place.")})
    occurred_at = occurred_at or timezone.now()
    for name, moment in (("occurred_at", occurred_at), ("ends_at", ends_at)):
        if moment and moment < EARLIEST_ENTRY:
            raise ValidationError({name: _("The date lies before 2000; please check it.")})
    if ends_at and ends_at < occurred_at:
        raise ValidationError({"ends_at": _("The end lies before the start.")})
    entry = TimelineEntry(
        traeger_id=case.traeger_id,
        case=case,
        kind=kind,
        title=title.strip(),
        text=text,
        channel=channel,
        occurred_at=occurred_at,
        ends_at=ends_at,
        location=location,
        author=actor,
    )
    if not entry.title:
        raise ValidationError({"title": _("Please enter a title.")})
    if attachment is not None:
        validate_upload(attachment)
        entry.attachment_name = (attachment.name or "")[:255]
        entry.attachment_type = (getattr(attachment, "content_type", "") or "")[:100]
        entry.attachment_size = attachment.size
        entry.attachment.save(
            f"{uuid.uuid4().hex}{entry.attachment_name[entry.attachment_name.rfind('.') :]}",
            attachment,
            save=False,
        )
    entry.save()
    audit_log(
        user=actor,
        action="create",
        object_type="timeline_entry",
        object_id=entry.pk,
        person_id=case.person_id,
        categories=["case"],
        request=request,
        detail=kind,
    )
    return entry


__all__ = [
    "AttainmentInput",
    "EditConflict",
    "case_evaluate",
    "case_reopen",
    "case_change_phase",
    "case_open",
    "case_update",
    "field_process_set",
    "timeline_entry_add",
]


@dataclass(frozen=True, kw_only=True)
class AttainmentInput:
    """One rating: a SMART goal of the agreement in force, or a field of action as a whole."""

    level: str
    agreement_goal: AgreementGoal | None = None
    field_of_action: FieldOfAction | None = None
    note: str = ""


def _validated_attainments(
    case: Case, basis: EvaluationBasis, attainments: list[AttainmentInput]
) -> list[GoalAttainment]:
    """Check every rating against the agreement in force and the Träger; build the rows.

    Errors are keyed like the form's fields (``goal_<pk>_level``, ``field_<pk>_level``).
    """
    errors: dict[str, str] = {}
    rows: list[GoalAttainment] = []
    rated_goals: set[int] = set()
    rated_fields: set[int] = set()
    for item in attainments:
        goal, field = item.agreement_goal, item.field_of_action
        if goal is not None:
            key = f"goal_{goal.pk}_level"
            if basis.goal(goal.pk) is None:
                errors[key] = _("This goal is not part of the agreement in force.")
                continue
            if goal.pk in rated_goals:
                errors[key] = _("Each goal is rated once.")
                continue
            rated_goals.add(goal.pk)
            field = goal.field_of_action
        elif field is not None:
            key = f"field_{field.pk}_level"
            if field.traeger_id != case.traeger_id:
                errors[key] = _("This entry does not belong to your Träger.")
                continue
            if field.pk in rated_fields:
                errors[key] = _("Each field of action is rated once.")
                continue
            rated_fields.add(field.pk)
        else:
            raise ValidationError(_("A rating needs a goal or a field of action."))
        if item.level not in GoalAttainment.Level.values:
            errors[key] = _("Please choose how far it was reached.")
            continue
        rows.append(
            GoalAttainment(
                traeger_id=case.traeger_id,
                agreement_goal=goal,
                field_of_action=field,
                level=item.level,
                note=item.note.strip()[:500],
            )
        )
    for goal in basis.goals:
        if goal.pk not in rated_goals:
            errors.setdefault(
                f"goal_{goal.pk}_level", _("Please rate every goal of the agreement.")
            )
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError(_("Please rate at least one goal or field of action."))
    return rows


@transaction.atomic
def case_evaluate(
    *,
    actor: Any,
    case: Case,
    attainments: list[AttainmentInput],
    ending_reason: str = "",
    ending_note: str = "",
    effort_hours: Decimal | None = None,
    assessment: str = "",
    request: Any = None,
) -> CaseEvaluation:
    """Rate the SMART goals of the agreement in force, then the fields of action.

    In the phase Evaluation this is the final evaluation (with effort and reason for ending;
    recording it again replaces it), the precondition for closing. Before that it is an
    interim evaluation of the agreement in force (e.g. at its review date), kept as history.
    """
    require(actor, Action.CHANGE)
    _refuse_closed(case)
    basis = evaluation_basis(case)
    final = case.phase == Phase.EVALUATION
    if final:
        if ending_reason not in CaseEvaluation.EndingReason.values:
            raise ValidationError({"ending_reason": _("Please choose the reason for ending.")})
        if ending_reason == CaseEvaluation.EndingReason.OTHER and not ending_note.strip():
            raise ValidationError({"ending_note": _("Please describe the reason for ending.")})
        if effort_hours is not None and effort_hours < 0:
            raise ValidationError({"effort_hours": _("The effort cannot be negative.")})
    elif basis.agreement is None:
        raise ValidationError(
            _(
                "An interim evaluation reviews the Integrationsvereinbarung in force; "
                "this case has none yet."
            )
        )
    rows = _validated_attainments(case, basis, attainments)
    values: dict[str, Any] = {
        "traeger_id": case.traeger_id,
        "agreement": basis.agreement,
        "assessment": assessment,
        "evaluated_by": actor,
    }
    if final:
        contacts = TimelineEntry.objects.filter(
            traeger_id=case.traeger_id,
            case=case,
            kind__in=[TimelineEntry.Kind.CONTACT, TimelineEntry.Kind.APPOINTMENT],
        ).count()
        values |= {
            "ending_reason": ending_reason,
            "ending_note": ending_note,
            "effort_hours": effort_hours,
            "contacts_count": contacts,
        }
        evaluation, _created = CaseEvaluation.objects.update_or_create(
            case=case, kind=CaseEvaluation.Kind.FINAL, defaults=values
        )
        evaluation.attainments.all().delete()
    else:
        evaluation = CaseEvaluation.objects.create(
            case=case, kind=CaseEvaluation.Kind.INTERIM, **values
        )
    for row in rows:
        row.evaluation = evaluation
    GoalAttainment.objects.bulk_create(rows)
    audit_log(
        user=actor,
        action="update",
        object_type="case",
        object_id=case.pk,
        person_id=case.person_id,
        categories=["case"],
        request=request,
        detail="evaluation" if final else "evaluation:interim",
    )
    return evaluation


def _count_attainments(case: Case, closed_on: dt.date) -> None:
    """At closing: the final evaluation's ratings as counts per field and level (monitoring)."""
    counts: Counter[tuple[int | None, str, str]] = Counter(
        (
            attainment.field_of_action_id,
            AttainmentCount.Rated.GOAL if attainment.rates_goal else AttainmentCount.Rated.FIELD,
            attainment.level,
        )
        for attainment in GoalAttainment.objects.filter(
            traeger_id=case.traeger_id,
            evaluation__case=case,
            evaluation__kind=CaseEvaluation.Kind.FINAL,
        )
    )
    AttainmentCount.objects.filter(traeger_id=case.traeger_id, case=case).delete()
    AttainmentCount.objects.bulk_create(
        AttainmentCount(
            traeger_id=case.traeger_id,
            case=case,
            field_of_action_id=field_id,
            rated=rated,
            level=level,
            count=count,
            closed_on=closed_on,
        )
        for (field_id, rated, level), count in sorted(counts.items(), key=str)
    )


@transaction.atomic
def case_reopen(
    *,
    actor: Any,
    case: Case,
    expected_version: int,
    to_phase: str,
    reason: str,
    request: Any = None,
) -> Case:
    """Reopen a closed case: only the team lead, always with a reason, journaled like a phase step."""
    require(actor, Action.REOPEN)
    if case.phase != Phase.CLOSED:
        raise ValidationError(_("Only a closed case can be reopened."))
    if to_phase in (Phase.CLOSED, Phase.INTAKE) or to_phase not in Phase.values:
        raise ValidationError({"to_phase": _("This phase change is not allowed.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Reopening a case needs a reason.")})
    case.phase = to_phase
    case.phase_changed_at = timezone.now()
    case.closed_on = None
    save_versioned(
        case, expected_version=expected_version, fields=["phase", "phase_changed_at", "closed_on"]
    )
    # Counted again when the case is closed again.
    AttainmentCount.objects.filter(traeger_id=case.traeger_id, case=case).delete()
    _journal_phase_change(
        actor=actor,
        case=case,
        from_phase=Phase.CLOSED,
        reason=reason.strip(),
        title=_("Case reopened: %(to)s") % {"to": Phase(to_phase).label},
        detail=f"reopen:{to_phase}",
        request=request,
    )
    return case
