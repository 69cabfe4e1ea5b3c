"""Writing the Integrationsvereinbarung: start a version, edit the draft, agree it.

Invariants: only a draft changes; an agreed version is frozen (its goals are the ones the client
signed); at most one draft and one agreed version per case; agreeing a new version supersedes
the previous one. One transaction per service, audit entry inside it (never the texts).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.agreements.models import Agreement, AgreementGoal, Responsible
from lotse.agreements.texts import default_language_for, document_language
from lotse.audit.services import audit_log
from lotse.cases.models import Case, Phase
from lotse.core import dates
from lotse.core.access import Action, require
from lotse.core.locking import EditConflict, save_versioned
from lotse.directory.models import FieldOfAction, Organisation

#: A goal further out than this is not "time-bound" in a useful sense: split it into steps.
MAX_GOAL_HORIZON = dt.timedelta(days=3 * 366)
MAX_GOALS = 30


@dataclass(frozen=True)
class GoalInput:
    field_of_action: FieldOfAction | None
    what: str
    indicator: str
    responsible: str
    due_on: dt.date | None
    responsible_organisation: Organisation | None = None
    measures: str = ""
    review_on: dt.date | None = None


def goal_error_key(index: int, field: str) -> str:
    """Errors of goal rows are keyed ``goals.<index>.<field>`` (0-based)."""
    return f"goals.{index}.{field}"


def validate_goals(
    goals: Sequence[GoalInput], *, traeger_id: int, reference_date: dt.date
) -> dict[str, str]:
    """The SMART check: specific, measurable, agreed (who), realistic and time-bound.

    ``reference_date`` is the date of the agreement: every goal is due after it.
    """
    errors: dict[str, str] = {}
    if len(goals) > MAX_GOALS:
        # de: Höchstens %(max)s Ziele je Vereinbarung.
        errors["goals"] = _("At most %(max)s goals per agreement.") % {"max": MAX_GOALS}
    for index, goal in enumerate(goals):

        def err(field: str, message: str, index: int = index) -> None:
            errors.setdefault(goal_error_key(index, field), message)

        foa = goal.field_of_action
        if foa is None:
            # de: Bitte wählen Sie das Handlungsfeld.
            err("field_of_action", _("Choose the field of action."))
        elif foa.traeger_id != traeger_id:
            err("field_of_action", _("This entry does not belong to your Träger."))
        if len(goal.what.strip()) < 10:
            # de: Beschreiben Sie das Ziel konkret (spezifisch), mindestens in einem kurzen Satz.
            err("what", _("Describe the goal specifically, at least in a short sentence."))
        if not goal.indicator.strip():
            # de: Woran wird gemessen, dass das Ziel erreicht ist? (messbar)
            err("indicator", _("Say how reaching the goal will be measured."))
        if goal.responsible not in Responsible.values:
            # de: Bitte wählen Sie, wer verantwortlich ist.
            err("responsible", _("Choose who is responsible."))
        elif goal.responsible == Responsible.ORGANISATION:
            org = goal.responsible_organisation
            if org is None:
                # de: Bitte wählen Sie die verantwortliche Organisation.
                err("responsible_organisation", _("Choose the responsible organisation."))
            elif org.traeger_id != traeger_id:
                err("responsible_organisation", _("This entry does not belong to your Träger."))
        elif goal.responsible_organisation is not None:
            # de: Eine Organisation nur angeben, wenn eine Organisation verantwortlich ist.
            err(
                "responsible_organisation",
                _("Name an organisation only when an organisation is responsible."),
            )
        if goal.due_on is None:
            # de: Bis wann soll das Ziel erreicht sein? (terminiert)
            err("due_on", _("Say by when the goal is to be reached."))
        elif goal.due_on <= reference_date:
            # de: Das Zieldatum muss nach dem Datum der Vereinbarung (%(date)s) liegen.
            err(
                "due_on",
                _("The target date must lie after the date of the agreement (%(date)s).")
                % {"date": reference_date.strftime("%d.%m.%Y")},
            )
        elif goal.due_on > reference_date + MAX_GOAL_HORIZON:
            # de: Mehr als drei Jahre sind nicht realistisch planbar; teilen Sie das Ziel in Schritte.
            err(
                "due_on",
                _("More than three years ahead is not realistic; split the goal into steps."),
            )
        if goal.review_on is not None:
            if goal.review_on <= reference_date:
                # de: Die Überprüfung muss nach dem Datum der Vereinbarung liegen.
                err("review_on", _("The review must lie after the date of the agreement."))
            elif goal.due_on is not None and goal.review_on > goal.due_on:
                # de: Die Überprüfung muss spätestens am Zieldatum stattfinden.
                err("review_on", _("The review must take place on or before the target date."))
    return errors


def _refuse_closed(case: Case) -> None:
    if case.phase == Phase.CLOSED:
        raise ValidationError(_("The case is closed and can no longer be changed."))


def _refuse_frozen(agreement: Agreement) -> None:
    if agreement.status != Agreement.Status.DRAFT:
        raise ValidationError(
            # de: Eine vereinbarte Fassung ist unveränderlich. Legen Sie eine neue Fassung an.
            _("An agreed version cannot be changed. Start a new version instead.")
        )


def _audit(actor: Any, agreement: Agreement, action: str, detail: str, request: Any) -> None:
    audit_log(
        user=actor,
        action=action,
        object_type="agreement",
        object_id=agreement.pk,
        person_id=agreement.case.person_id,
        categories=["case"],
        request=request,
        detail=f"case:{agreement.case_id} v{agreement.number} {detail}".strip(),
    )


def _validate_language(code: str) -> None:
    if code and document_language(code) is None:
        # de: Für diese Sprache gibt es keine Vorlage.
        raise ValidationError({"language": _("There is no template for this language.")})


@transaction.atomic
def agreement_start(*, actor: Any, case: Case, request: Any = None) -> Agreement:
    """Open a draft: version 1, or version N+1 starting from the agreed version N."""
    require(actor, Action.CHANGE)
    _refuse_closed(case)
    # Serialise starts on the same case; the partial unique index is the final guard.
    Case.objects.select_for_update().filter(pk=case.pk).first()
    versions = Agreement.objects.filter(traeger_id=case.traeger_id, case=case)
    if versions.filter(status=Agreement.Status.DRAFT).exists():
        # de: Es gibt bereits einen Entwurf; bearbeiten Sie diesen.
        raise ValidationError(_("There is already a draft; edit that one."))
    base = (
        versions.filter(status=Agreement.Status.AGREED)
        .prefetch_related("goals")
        .order_by("-number")
        .first()
    )
    number = (versions.aggregate(top=Max("number"))["top"] or 0) + 1
    person = case.person
    draft = Agreement.objects.create(
        traeger_id=case.traeger_id,
        case=case,
        number=number,
        status=Agreement.Status.DRAFT,
        language=base.language
        if base
        else default_language_for(list(person.languages or []), person.interpreter_language),
        next_review_on=None,
        notes=base.notes if base else "",
        created_by=actor,
    )
    if base is not None:
        AgreementGoal.objects.bulk_create(
            AgreementGoal(
                traeger_id=case.traeger_id,
                agreement=draft,
                position=goal.position,
                field_of_action_id=goal.field_of_action_id,
                what=goal.what,
                indicator=goal.indicator,
                responsible=goal.responsible,
                responsible_organisation_id=goal.responsible_organisation_id,
                due_on=goal.due_on,
                measures=goal.measures,
                review_on=goal.review_on,
            )
            for goal in base.goals.all()
        )
    _audit(actor, draft, "create", f"from v{base.number}" if base else "", request)
    return draft


@transaction.atomic
def agreement_update_draft(
    *,
    actor: Any,
    agreement: Agreement,
    expected_version: int,
    goals: Sequence[GoalInput],
    language: str = "",
    next_review_on: dt.date | None = None,
    notes: str = "",
    request: Any = None,
) -> Agreement:
    """Replace the draft's goals and fields (compare-and-set on ``version``)."""
    require(actor, Action.CHANGE)
    case = agreement.case
    _refuse_closed(case)
    _refuse_frozen(agreement)
    _validate_language(language)
    today = timezone.localdate()
    errors = validate_goals(goals, traeger_id=case.traeger_id, reference_date=today)
    if next_review_on is not None and next_review_on <= today:
        # de: Das nächste Gespräch muss in der Zukunft liegen.
        errors["next_review_on"] = _("The next review must lie in the future.")
    elif too_far := dates.due_date_problem(next_review_on, on=today):
        errors["next_review_on"] = str(dates.MESSAGES[too_far])
    if errors:
        raise ValidationError(errors)
    agreement.language = language
    agreement.next_review_on = next_review_on
    agreement.notes = notes.strip()
    save_versioned(
        agreement,
        expected_version=expected_version,
        fields=["language", "next_review_on", "notes"],
    )
    AgreementGoal.objects.filter(traeger_id=case.traeger_id, agreement=agreement).delete()
    AgreementGoal.objects.bulk_create(
        AgreementGoal(
            traeger_id=case.traeger_id,
            agreement=agreement,
            position=index,
            field_of_action=goal.field_of_action,
            what=goal.what.strip(),
            indicator=goal.indicator.strip(),
            responsible=goal.responsible,
            responsible_organisation=goal.responsible_organisation,
            due_on=cast(dt.date, goal.due_on),  # validated above
            measures=goal.measures.strip(),
            review_on=goal.review_on,
        )
        for index, goal in enumerate(goals)
    )
    _audit(actor, agreement, "update", f"goals:{len(goals)}", request)
    return agreement


@transaction.atomic
def agreement_agree(
    *,
    actor: Any,
    agreement: Agreement,
    expected_version: int,
    agreed_on: dt.date | None = None,
    signed_by_client: bool = False,
    request: Any = None,
) -> Agreement:
    """Freeze the draft as agreed; the previously agreed version becomes superseded."""
    require(actor, Action.CHANGE)
    case = agreement.case
    _refuse_closed(case)
    _refuse_frozen(agreement)
    agreed_on = agreed_on or timezone.localdate()
    errors: dict[str, str] = {}
    if agreed_on > timezone.localdate():
        errors["agreed_on"] = _("The date lies in the future.")
    elif agreed_on < case.opened_on:
        # de: Die Vereinbarung kann nicht vor der Eröffnung des Falls geschlossen sein.
        errors["agreed_on"] = _("The agreement cannot predate the opening of the case.")
    if not case.participation_agreed_on:
        # de: Halten Sie zuerst die freiwillige Zustimmung zur Teilnahme am Fall fest.
        errors["agreed_on"] = _(
            "Record the client's voluntary agreement to participate in the case first."
        )
    goals = list(
        AgreementGoal.objects.filter(traeger_id=case.traeger_id, agreement=agreement).order_by(
            "position", "id"
        )
    )
    if not goals:
        # de: Eine Vereinbarung braucht mindestens ein Ziel.
        errors["goals"] = _("An agreement needs at least one goal.")
    if "agreed_on" not in errors:
        errors.update(
            validate_goals(
                [
                    GoalInput(
                        field_of_action=goal.field_of_action,
                        what=goal.what,
                        indicator=goal.indicator,
                        responsible=goal.responsible,
                        due_on=goal.due_on,
                        responsible_organisation=goal.responsible_organisation,
                        review_on=goal.review_on,
                    )
                    for goal in goals
                ],
                traeger_id=case.traeger_id,
                reference_date=agreed_on,
            )
        )
    if errors:
        raise ValidationError(errors)
    previous = list(
        Agreement.objects.select_for_update().filter(
            traeger_id=case.traeger_id, case=case, status=Agreement.Status.AGREED
        )
    )
    Agreement.objects.filter(pk__in=[p.pk for p in previous]).update(
        status=Agreement.Status.SUPERSEDED, superseded_on=agreed_on
    )
    agreement.status = Agreement.Status.AGREED
    agreement.agreed_on = agreed_on
    agreement.signed_by_client = signed_by_client
    agreement.agreed_by = actor
    save_versioned(
        agreement,
        expected_version=expected_version,
        fields=["status", "agreed_on", "signed_by_client", "agreed_by"],
    )
    for old in previous:
        _audit(actor, old, "update", "superseded", request)
    _audit(actor, agreement, "update", "agreed", request)
    return agreement


@transaction.atomic
def agreement_discard_draft(
    *, actor: Any, agreement: Agreement, expected_version: int, request: Any = None
) -> None:
    """Throw away an open draft (agreed versions are never deleted)."""
    require(actor, Action.CHANGE)
    _refuse_closed(agreement.case)
    _refuse_frozen(agreement)
    deleted, _rows = Agreement.objects.filter(
        pk=agreement.pk, version=expected_version, status=Agreement.Status.DRAFT
    ).delete()
    if not deleted:
        raise EditConflict(agreement)
    _audit(actor, agreement, "delete", "draft", request)


def agreement_printed(
    *, actor: Any, agreement: Agreement, language: str, request: Any = None
) -> None:
    """Every print-out is logged (action "print"), with the language, never the content."""
    _audit(
        actor, agreement, "print", f"pdf:de+{language}" if language != "de" else "pdf:de", request
    )
