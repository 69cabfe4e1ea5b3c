"""Writing the Erstgespräch, assessments, the case profile and interpreter use.

One transaction per service; the audit entry (never the values) is written inside it.
A closed case is read-only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.audit.services import audit_log
from lotse.cases.models import Case, Phase, TimelineEntry
from lotse.cases.selectors import household_member_of_case
from lotse.cases.services import timeline_entry_add
from lotse.core.access import Action, require
from lotse.core.locking import EditConflict, save_versioned
from lotse.core.reference import LANGUAGES
from lotse.deadlines.engine import age_on
from lotse.deadlines.services import Milestone, deadlines_refresh_for_person, milestone_reached
from lotse.directory.models import FieldOfAction, Organisation
from lotse.intake import selectors
from lotse.intake.guide import check_answers, parse_sections
from lotse.intake.models import (
    ASSESSMENT_FIELDS,
    DISCOURAGED_INTERPRETERS,
    Assessment,
    AssessmentRevision,
    CaseProfile,
    GermanLevel,
    InitialInterview,
    InterpreterKind,
    InterpreterUse,
    RecognitionStatus,
    Track,
    WorkStatus,
)
from lotse.intake.questions import clean_answers, questions_for
from lotse.people.models import Person


def _not_yours() -> str:
    # de: Dieser Eintrag gehört nicht zu Ihrem Träger.
    return _("This entry does not belong to your Träger.")


def _check_case(actor: Any, case: Case) -> None:
    require(actor, Action.CHANGE)
    if case.traeger_id != actor.traeger_id:
        raise ValidationError({"case": _not_yours()})
    if case.phase == Phase.CLOSED:
        # de: Der Fall ist abgeschlossen und kann nicht mehr geändert werden.
        raise ValidationError(_("The case is closed and can no longer be changed."))


def _audit(
    actor: Any,
    case: Case,
    *,
    action: str,
    object_type: str,
    object_id: Any,
    request: Any,
    detail: str = "",
    person_id: int | None = None,
) -> None:
    audit_log(
        user=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        person_id=person_id or case.person_id,
        categories=["case"],
        request=request,
        detail=detail,
    )


# -- Interpreter use --------------------------------------------------------------------------


@dataclass(frozen=True)
class InterpreterInput:
    language: str
    kind: str
    organisation: Organisation | None = None
    note: str = ""


def _validate_interpreter(case: Case, data: InterpreterInput, prefix: str = "") -> None:
    errors: dict[str, str] = {}
    if data.language not in LANGUAGES:
        # de: Bitte eine Sprache wählen.
        errors[f"{prefix}language"] = _("Please choose a language.")
    if data.kind not in InterpreterKind.values:
        # de: Bitte angeben, wer gedolmetscht hat.
        errors[f"{prefix}kind"] = _("Please state who interpreted.")
    if data.organisation is not None:
        if data.organisation.traeger_id != case.traeger_id:
            errors[f"{prefix}organisation"] = _not_yours()
        elif data.kind in DISCOURAGED_INTERPRETERS:
            # de: Angehörige, Kinder und ungeschulte Personen kommen nicht über eine Organisation.
            errors[f"{prefix}organisation"] = _(
                "Relatives, children and untrained persons are not provided by an organisation."
            )
    if len(data.note) > 500:
        # de: Höchstens 500 Zeichen.
        errors[f"{prefix}note"] = _("At most 500 characters.")
    if errors:
        raise ValidationError(errors)


def _store_interpreter(
    *, actor: Any, case: Case, data: InterpreterInput, **conversation: Any
) -> InterpreterUse:
    use, _created = InterpreterUse.objects.update_or_create(
        **conversation,
        defaults={
            "traeger_id": case.traeger_id,
            "case": case,
            "language": data.language,
            "kind": data.kind,
            "organisation": data.organisation,
            "note": data.note.strip(),
            "recorded_by": actor,
        },
    )
    return use


@transaction.atomic
def interpreter_use_set(
    *,
    actor: Any,
    case: Case,
    timeline_entry: TimelineEntry,
    data: InterpreterInput,
    request: Any = None,
) -> InterpreterUse:
    """Record who interpreted in a contact or appointment (replaces an earlier record)."""
    _check_case(actor, case)
    if (
        timeline_entry.case_id != case.pk
        or timeline_entry.traeger_id != case.traeger_id
        or timeline_entry.kind not in selectors.CONVERSATION_KINDS
    ):
        # de: Bitte einen Kontakt oder Termin dieses Falls wählen.
        raise ValidationError(
            {"timeline_entry": _("Please choose a contact or appointment of this case.")}
        )
    _validate_interpreter(case, data)
    use = _store_interpreter(actor=actor, case=case, data=data, timeline_entry=timeline_entry)
    _audit(
        actor,
        case,
        action="update",
        object_type="interpreter_use",
        object_id=use.pk,
        request=request,
        detail=data.kind,
    )
    return use


# -- Erstgespräch -----------------------------------------------------------------------------


@transaction.atomic
def interview_save(
    *,
    actor: Any,
    case: Case,
    expected_version: int | None,
    held_at: dt.datetime,
    answers: Any,
    complete: bool = False,
    location: str = "",
    participants: str = "",
    interpreter: InterpreterInput | None = None,
    request: Any = None,
) -> InitialInterview:
    """Save the Erstgespräch as a draft or complete it.

    A new interview copies the Träger's current guide (key, version, questions); later saves
    check the answers against that copy. Completing needs every required question answered and
    a date that is not in the future; it adds an appointment to the case timeline, and the
    interview cannot be changed afterwards. ``expected_version`` is 0 (or None) for a new one.
    """
    _check_case(actor, case)
    interview = (
        InitialInterview.objects.select_for_update().filter(traeger_id=case.traeger_id, case=case)
    ).first()
    if interview is None:
        if expected_version:
            raise EditConflict(InitialInterview(case=case))
        guide = selectors.current_guide(case.traeger_id)
        if guide is None:
            # de: Für Ihren Träger ist kein Gesprächsleitfaden eingerichtet.
            raise ValidationError(_("No interview guide is configured for your Träger."))
        interview = InitialInterview(
            traeger_id=case.traeger_id,
            case=case,
            guide=guide,
            guide_key=guide.key,
            guide_name=guide.name,
            guide_version=guide.guide_version,
            guide_sections=guide.sections,
            created_by=actor,
        )
    elif interview.is_completed:
        # de: Das Erstgespräch ist abgeschlossen und kann nicht mehr geändert werden.
        raise ValidationError(_("The initial interview is completed and can no longer be changed."))
    elif expected_version is None or expected_version != interview.version:
        raise EditConflict(interview)

    cleaned, errors = check_answers(
        parse_sections(interview.guide_sections), answers, complete=complete
    )
    if held_at is None:
        # de: Bitte Datum und Uhrzeit angeben.
        errors["held_at"] = _("Please enter the date and time.")
    elif complete and held_at > timezone.now():
        # de: Ein abgeschlossenes Gespräch kann nicht in der Zukunft liegen.
        errors["held_at"] = _("A completed interview cannot lie in the future.")
    if len(location) > 300:
        errors["location"] = _("At most 300 characters.")  # de: Höchstens 300 Zeichen.
    if interpreter is not None:
        try:
            _validate_interpreter(case, interpreter, prefix="interpreter_")
        except ValidationError as error:
            errors.update({k: v[0] for k, v in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)

    interview.answers = cleaned
    interview.held_at = held_at
    interview.location = location.strip()
    interview.participants = participants.strip()
    if complete:
        interview.status = InitialInterview.Status.COMPLETED
        interview.completed_at = timezone.now()
        interview.completed_by = actor
    fields = [
        "answers",
        "held_at",
        "location",
        "participants",
        "status",
        "completed_at",
        "completed_by",
    ]
    if interview.pk is None:
        try:
            with transaction.atomic():
                interview.save()
        except IntegrityError:  # someone else started the interview at the same moment
            raise EditConflict(interview) from None
        action = "create"
    else:
        save_versioned(interview, expected_version=interview.version, fields=fields)
        action = "update"

    if interpreter is not None:
        _store_interpreter(actor=actor, case=case, data=interpreter, interview=interview)
    else:
        InterpreterUse.objects.filter(traeger_id=case.traeger_id, interview=interview).delete()

    if complete:
        entry = timeline_entry_add(
            actor=actor,
            case=case,
            kind=TimelineEntry.Kind.APPOINTMENT,
            # de: Erstgespräch
            title=_("Initial interview"),
            occurred_at=held_at,
            location=interview.location,
            # de: Gesprächsleitfaden „%(guide)s“, Version %(version)s
            text=_("Interview guide “%(guide)s”, version %(version)s")
            % {"guide": interview.guide_name, "version": interview.guide_version},
            request=request,
        )
        InitialInterview.objects.filter(pk=interview.pk).update(timeline_entry=entry)
        interview.timeline_entry = entry
        # The Erstgespräch is the arrival conversation for everyone in the household it covered.
        day = timezone.localtime(held_at).date() if timezone.is_aware(held_at) else held_at.date()
        milestone_reached(
            actor=actor,
            person=case.person,
            milestone=Milestone.ARRIVAL_CONVERSATION,
            on=day,
            evidence=_("Initial interview on %(date)s (case %(case)s)")
            % {"date": day.strftime("%d.%m.%Y"), "case": case.reference},
            request=request,
        )
    _audit(
        actor,
        case,
        action=action,
        object_type="initial_interview",
        object_id=interview.pk,
        request=request,
        detail=interview.status,
    )
    return interview


# -- Assessment -------------------------------------------------------------------------------

CEFR_LEVELS = frozenset(level for level in GermanLevel.values if level != GermanLevel.NOT_TESTED)
A2_OR_HIGHER = CEFR_LEVELS - {GermanLevel.A1}


def _validate_assessment(
    case: Case, values: dict[str, Any], authorities: list[Organisation]
) -> None:
    errors: dict[str, str] = {}
    status = values.get("recognition_status", "")
    if status and status not in RecognitionStatus.values:
        errors["recognition_status"] = _(
            "Please choose a valid entry."
        )  # de: Bitte einen gültigen Eintrag wählen.
    if status and status != RecognitionStatus.NOT_STARTED and not values.get("recognition_body"):
        # de: Bitte die anerkennende Stelle angeben.
        errors["recognition_body"] = _("Please name the recognising body.")
    if not status and values.get("recognition_body"):
        # de: Eine anerkennende Stelle nur mit einem Anerkennungsstand angeben.
        errors["recognition_body"] = _("Name a recognising body only with a recognition status.")
    work_status = values.get("work_status", "")
    if work_status and work_status not in WorkStatus.values:
        errors["work_status"] = _(
            "Please choose a valid entry."
        )  # de: Bitte einen gültigen Eintrag wählen.
    level = values.get("german_level", "")
    test_date = values.get("german_test_date")
    provider = values.get("german_test_provider", "")
    if level and level not in GermanLevel.values:
        # de: Bitte eine Stufe von A1 bis C2 oder „nicht getestet“ wählen.
        errors["german_level"] = _("Please choose a level from A1 to C2 or “not tested”.")
    elif level in CEFR_LEVELS:
        if test_date is None:
            # de: Bitte das Datum des Sprachtests angeben.
            errors["german_test_date"] = _("Please enter the date of the language test.")
        elif test_date > timezone.localdate():
            errors["german_test_date"] = _(
                "The date lies in the future."
            )  # de: Das Datum liegt in der Zukunft.
        if not provider:
            # de: Bitte den Anbieter des Sprachtests angeben.
            errors["german_test_provider"] = _("Please name the provider of the language test.")
    else:
        if test_date is not None:
            # de: Ein Testdatum nur mit einer getesteten Stufe angeben.
            errors["german_test_date"] = _("Enter a test date only with a tested level.")
        if provider:
            errors["german_test_provider"] = _("Name a test provider only with a tested level.")
            # de: Einen Testanbieter nur mit einer getesteten Stufe angeben.
    if any(org.traeger_id != case.traeger_id for org in authorities):
        errors["authorities"] = _not_yours()
    if errors:
        raise ValidationError(errors)


def _revision_data(assessment: Assessment, authorities: list[Organisation]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in ASSESSMENT_FIELDS:
        value = getattr(assessment, name)
        data[name] = value.isoformat() if isinstance(value, dt.date) else value
    data["authorities"] = [{"id": org.pk, "name": org.name} for org in authorities]
    data["answers"] = dict(assessment.answers or {})
    return data


def _assessed_person(case: Case, person: Person | None) -> Person:
    if person is None or person.pk == case.person_id:
        return case.person
    if household_member_of_case(case, person.pk) is None:
        raise ValidationError(
            # de: Diese Person gehört nicht zum Haushalt der Person des Falls.
            {"person": _("This person does not belong to the household of the case's person.")}
        )
    return person


def assessment_questions(field_of_action: FieldOfAction, person: Person) -> list[Any]:
    """The configured questions of the field that fit the person's age today."""
    age = age_on(person.date_of_birth, timezone.localdate()) if person.date_of_birth else None
    return questions_for(field_of_action.assessment_questions, age)


def _assessment_milestones(
    actor: Any, assessment: Assessment, field_of_action: FieldOfAction, request: Any
) -> None:
    """A recorded German test meets Sprache III, a level of A2 or higher Sprache I (for the
    assessed person only); the evidence links the assessment."""
    test_date = assessment.german_test_date
    if test_date is None:
        return
    url = (
        reverse(
            "intake:assessment_edit",
            kwargs={"pk": assessment.case_id, "field_pk": field_of_action.pk},
        )
        + f"?person={assessment.person_id}"
    )
    context = {
        "level": assessment.german_level,
        "date": test_date.strftime("%d.%m.%Y"),
        "field": field_of_action.name,
    }
    # de: Sprachtest am %(date)s (Stufe %(level)s), Assessment %(field)s
    evidence = _("Language test on %(date)s (level %(level)s), assessment %(field)s") % context
    common = {
        "actor": actor,
        "person": assessment.person,
        "on": test_date,
        "evidence": evidence,
        "evidence_url": url,
        "household": False,
        "request": request,
    }
    milestone_reached(milestone=Milestone.LANGUAGE_TEST, **common)
    if assessment.german_level in A2_OR_HIGHER:
        milestone_reached(milestone=Milestone.LANGUAGE_A2, **common)


@transaction.atomic
def assessment_save(
    *,
    actor: Any,
    case: Case,
    field_of_action: FieldOfAction,
    expected_version: int | None,
    values: dict[str, Any],
    authorities: list[Organisation],
    person: Person | None = None,
    answers: dict[str, Any] | None = None,
    request: Any = None,
) -> Assessment:
    """Create or update the assessment of one field of action for one person of the case's
    household (default the case's person); every save adds a revision.

    ``values`` holds the fields of ``models.ASSESSMENT_FIELDS`` (missing ones stay as they are).
    ``answers`` (``{question_key: value}``) answers the field's configured questions that fit
    the person's age; ``None`` keeps the stored answers. ``expected_version`` is 0 (or None)
    for the first assessment of the field.

    Deadlines follow: a German test recorded meets Sprache III (and A2 or higher Sprache I);
    a changed work status recomputes the person's deadlines ("nicht verfügbar" makes Arbeit I
    not applicable, and back).
    """
    _check_case(actor, case)
    if field_of_action.traeger_id != case.traeger_id:
        raise ValidationError({"field_of_action": _not_yours()})
    unknown = set(values) - set(ASSESSMENT_FIELDS)
    if unknown:
        raise ValueError(f"unknown assessment fields: {sorted(unknown)}")
    person = _assessed_person(case, person)
    assessment = (
        Assessment.objects.select_for_update()
        .filter(
            traeger_id=case.traeger_id, case=case, person=person, field_of_action=field_of_action
        )
        .first()
    )
    if assessment is None:
        if expected_version:
            raise EditConflict(
                Assessment(case=case, person=person, field_of_action=field_of_action)
            )
        assessment = Assessment(
            traeger_id=case.traeger_id, case=case, person=person, field_of_action=field_of_action
        )
    elif expected_version is None or expected_version != assessment.version:
        raise EditConflict(assessment)
    work_status_before = assessment.work_status
    for name, value in values.items():
        setattr(assessment, name, value.strip() if isinstance(value, str) else value)
    state = {name: getattr(assessment, name) for name in ASSESSMENT_FIELDS}
    _validate_assessment(case, state, authorities)
    if answers is not None:
        cleaned, answer_errors = clean_answers(
            assessment_questions(field_of_action, person), answers
        )
        if answer_errors:
            raise ValidationError(answer_errors)
        assessment.answers = cleaned
    assessment.updated_by = actor
    if assessment.pk is None:
        try:
            with transaction.atomic():
                assessment.save()
        except IntegrityError:
            raise EditConflict(assessment) from None
        action = "create"
    else:
        save_versioned(
            assessment,
            expected_version=assessment.version,
            fields=[*ASSESSMENT_FIELDS, "answers", "updated_by"],
        )
        action = "update"
    assessment.authorities.set(authorities)
    AssessmentRevision.objects.create(
        traeger_id=case.traeger_id,
        assessment=assessment,
        version=assessment.version,
        data=_revision_data(assessment, authorities),
        changed_by=actor,
    )
    _audit(
        actor,
        case,
        action=action,
        object_type="assessment",
        object_id=assessment.pk,
        request=request,
        detail=f"field:{field_of_action.key}",
        person_id=person.pk,
    )
    _assessment_milestones(actor, assessment, field_of_action, request)
    if assessment.work_status != work_status_before:
        deadlines_refresh_for_person(person)
    return assessment


# -- Profile ----------------------------------------------------------------------------------


@transaction.atomic
def profile_set(
    *,
    actor: Any,
    case: Case,
    track: str,
    reason: str,
    expected_version: int | None,
    request: Any = None,
) -> CaseProfile:
    """Record the case's track (acceleration or removing barriers) with its reason."""
    _check_case(actor, case)
    errors: dict[str, str] = {}
    if track not in Track.values:
        errors["track"] = _(
            "Please choose a valid entry."
        )  # de: Bitte einen gültigen Eintrag wählen.
    reason = reason.strip()
    if not reason:
        errors["reason"] = _("Please give a reason.")  # de: Bitte eine Begründung angeben.
    if errors:
        raise ValidationError(errors)
    profile = (
        CaseProfile.objects.select_for_update()
        .filter(traeger_id=case.traeger_id, case=case)
        .first()
    )
    if profile is None:
        if expected_version:
            raise EditConflict(CaseProfile(case=case))
        profile = CaseProfile(
            traeger_id=case.traeger_id,
            case=case,
            track=track,
            reason=reason,
            decided_on=timezone.localdate(),
            decided_by=actor,
        )
        try:
            with transaction.atomic():
                profile.save()
        except IntegrityError:
            raise EditConflict(profile) from None
        action = "create"
    else:
        if expected_version is None or expected_version != profile.version:
            raise EditConflict(profile)
        profile.track, profile.reason = track, reason
        profile.decided_on, profile.decided_by = timezone.localdate(), actor
        save_versioned(
            profile,
            expected_version=profile.version,
            fields=["track", "reason", "decided_on", "decided_by"],
        )
        action = "update"
    _audit(
        actor,
        case,
        action=action,
        object_type="case_profile",
        object_id=profile.pk,
        request=request,
        detail=track,
    )
    return profile


__all__ = [
    "EditConflict",
    "InterpreterInput",
    "assessment_save",
    "interpreter_use_set",
    "interview_save",
    "profile_set",
]
