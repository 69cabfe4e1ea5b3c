"""Writes of the erasure, restriction and legal-hold workflows (one transaction each, audited).

Who may do what:
- the case team (case management, team lead) requests an erasure and restricts processing;
- a team lead approves or rejects a request — never their own (four-eyes principle) — and
  executes an approved one; a team lead lifts a restriction and sets or lifts legal holds;
- the administration sets the retention periods of its Träger.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.accounts.models import Role
from lotse.audit.services import audit_log
from lotse.cases.models import Case
from lotse.core.access import CASE_TEAM_ROLES, has_role
from lotse.people.models import Person
from lotse.retention import erasure
from lotse.retention.models import (
    Basis,
    DeletionLog,
    ErasureRequest,
    LegalHold,
    RecordType,
    Restriction,
    RetentionRule,
)

MIN_REASON = 20


def _require_role(actor: Any, *roles: str) -> None:
    if not has_role(actor, *roles):
        raise PermissionDenied


def _same_traeger(actor: Any, obj: Any) -> None:
    if obj.traeger_id != actor.traeger_id:
        raise PermissionDenied


def _reason(value: str, field: str = "reason") -> str:
    value = (value or "").strip()
    if len(value) < MIN_REASON:
        raise ValidationError(
            {
                field: _(
                    "Please give a reason of at least %(n)s characters."
                )  # de: Bitte geben Sie eine Begründung mit mindestens %(n)s Zeichen an.
                % {"n": MIN_REASON}
            }
        )
    return value


def _audit(
    actor: Any, action: str, object_type: str, obj: Any, person_id: Any, request: Any
) -> None:
    audit_log(
        user=actor,
        action=action,
        object_type=object_type,
        object_id=obj.pk,
        person_id=person_id,
        request=request,
    )


# Erasure requests ---------------------------------------------------------------------------


@transaction.atomic
def erasure_request_create(
    *, actor: Any, person: Person, reason: str, request: Any = None
) -> ErasureRequest:
    _require_role(actor, *CASE_TEAM_ROLES)
    _same_traeger(actor, person)
    reason = _reason(reason)
    if ErasureRequest.objects.filter(
        traeger_id=person.traeger_id,
        person=person,
        state__in=[ErasureRequest.State.REQUESTED, ErasureRequest.State.APPROVED],
    ).exists():
        raise ValidationError(
            # de: Für diese Person gibt es schon einen offenen Löschantrag.
            {"reason": _("There is already an open erasure request for this person.")}
        )
    erasure_request = ErasureRequest.objects.create(
        traeger_id=person.traeger_id,
        person=person,
        person_ref=person.pk,
        reason=reason,
        requested_by=actor,
    )
    _audit(actor, "create", "erasure_request", erasure_request, person.pk, request)
    return erasure_request


def _locked(erasure_request: ErasureRequest) -> ErasureRequest:
    return ErasureRequest.objects.select_for_update().get(pk=erasure_request.pk)


@transaction.atomic
def erasure_request_decide(
    *,
    actor: Any,
    erasure_request: ErasureRequest,
    approve: bool,
    note: str = "",
    request: Any = None,
) -> ErasureRequest:
    _require_role(actor, Role.TEAM_LEAD)
    _same_traeger(actor, erasure_request)
    current = _locked(erasure_request)
    if current.state != ErasureRequest.State.REQUESTED:
        # de: Über diesen Antrag wurde schon entschieden.
        raise ValidationError(_("This request has already been decided."))
    if current.requested_by_id == actor.pk:
        raise ValidationError(
            # de: Vier-Augen-Prinzip: Über einen eigenen Antrag entscheidet eine andere Teamleitung.
            _("Four-eyes principle: another team lead decides on a request you made yourself.")
        )
    if not approve:
        note = _reason(note, "note")
    current.state = ErasureRequest.State.APPROVED if approve else ErasureRequest.State.REJECTED
    current.decided_at = timezone.now()
    current.decided_by = actor
    current.decision_note = note.strip()
    current.save(update_fields=["state", "decided_at", "decided_by", "decision_note"])
    _audit(actor, "update", "erasure_request", current, current.person_ref, request)
    return current


@transaction.atomic
def erasure_request_execute(
    *, actor: Any, erasure_request: ErasureRequest, request: Any = None
) -> erasure.ErasureResult:
    """Erase the person of an approved request (team lead); the request stays as the proof."""
    _require_role(actor, Role.TEAM_LEAD)
    _same_traeger(actor, erasure_request)
    current = _locked(erasure_request)
    if current.state != ErasureRequest.State.APPROVED or current.person_id is None:
        # de: Nur ein freigegebener Antrag kann ausgeführt werden.
        raise ValidationError(_("Only an approved request can be executed."))
    person = Person.objects.select_for_update().get(pk=current.person_id)
    result = erasure.erase_person(person=person, basis=Basis.REQUEST, actor=actor, request=current)
    current.refresh_from_db()
    current.state = ErasureRequest.State.EXECUTED
    current.executed_at = timezone.now()
    current.executed_by = actor
    current.tombstone = result.tombstone
    current.save(update_fields=["state", "executed_at", "executed_by", "tombstone"])
    DeletionLog.objects.create(
        traeger_id=current.traeger_id,
        run_id=f"request-{current.pk}",
        ran_at=current.executed_at,
        run_date=timezone.localdate(),
        trigger=DeletionLog.Trigger.REQUEST,
        record_type=RecordType.PERSON,
        deleted=1,
        details=result.counts,
        files_deleted=result.files,
    )
    return result


# Restriction of processing ------------------------------------------------------------------


@transaction.atomic
def restriction_set(*, actor: Any, person: Person, reason: str, request: Any = None) -> Restriction:
    _require_role(actor, *CASE_TEAM_ROLES)
    _same_traeger(actor, person)
    reason = _reason(reason)
    Person.objects.select_for_update().filter(pk=person.pk).first()
    if Restriction.objects.filter(person=person, lifted_at__isnull=True).exists():
        # de: Die Verarbeitung ist bereits eingeschränkt.
        raise ValidationError({"reason": _("Processing is already restricted.")})
    restriction = Restriction.objects.create(
        traeger_id=person.traeger_id, person=person, reason=reason, set_by=actor
    )
    _audit(actor, "create", "restriction", restriction, person.pk, request)
    return restriction


@transaction.atomic
def restriction_lift(*, actor: Any, restriction: Restriction, request: Any = None) -> Restriction:
    _require_role(actor, Role.TEAM_LEAD)
    _same_traeger(actor, restriction)
    current = Restriction.objects.select_for_update().get(pk=restriction.pk)
    if current.lifted_at is not None:
        # de: Die Einschränkung ist bereits aufgehoben.
        raise ValidationError(_("The restriction has already been lifted."))
    current.lifted_at = timezone.now()
    current.lifted_by = actor
    current.save(update_fields=["lifted_at", "lifted_by"])
    _audit(actor, "update", "restriction", current, current.person_id, request)
    return current


# Legal holds --------------------------------------------------------------------------------


@transaction.atomic
def legal_hold_set(
    *,
    actor: Any,
    person: Person,
    case: Case | None = None,
    reason: str,
    until: dt.date | None = None,
    request: Any = None,
) -> LegalHold:
    """A hold on the person (all their data) or on one of their cases."""
    _require_role(actor, Role.TEAM_LEAD)
    _same_traeger(actor, person)
    if case is not None and (case.person_id != person.pk or case.traeger_id != person.traeger_id):
        # de: Dieser Fall gehört nicht zu der Person.
        raise ValidationError({"case": _("This case does not belong to the person.")})
    reason = _reason(reason)
    if until is not None and until < timezone.localdate():
        # de: Das Datum liegt in der Vergangenheit.
        raise ValidationError({"until": _("The date lies in the past.")})
    hold = LegalHold.objects.create(
        traeger_id=person.traeger_id,
        person=None if case is not None else person,
        case=case,
        reason=reason,
        until=until,
        set_by=actor,
    )
    _audit(actor, "create", "legal_hold", hold, person.pk, request)
    return hold


@transaction.atomic
def legal_hold_lift(*, actor: Any, hold: LegalHold, request: Any = None) -> LegalHold:
    _require_role(actor, Role.TEAM_LEAD)
    _same_traeger(actor, hold)
    current = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if current.lifted_at is not None:
        # de: Die Löschsperre ist bereits aufgehoben.
        raise ValidationError(_("The legal hold has already been lifted."))
    current.lifted_at = timezone.now()
    current.lifted_by = actor
    current.save(update_fields=["lifted_at", "lifted_by"])
    person_id = current.person_id
    if person_id is None and current.case_id is not None:
        person_id = (
            Case.objects.filter(pk=current.case_id).values_list("person_id", flat=True).first()
        )
    _audit(actor, "update", "legal_hold", current, person_id, request)
    return current


# Retention rules ----------------------------------------------------------------------------


@transaction.atomic
def retention_rules_save(
    *, actor: Any, periods: dict[str, tuple[int, bool]], request: Any = None
) -> list[RetentionRule]:
    """Save the Träger's period (months) and active flag per record type (administration)."""
    _require_role(actor, Role.ADMINISTRATION)
    errors = {}
    for record_type, (months, _active) in periods.items():
        if record_type not in RecordType.values:
            raise ValidationError(f"unknown record type {record_type}")
        if not 1 <= int(months) <= 600:
            # de: Bitte eine Frist zwischen 1 und 600 Monaten angeben.
            errors[f"{record_type}_months"] = _("Please give a period between 1 and 600 months.")
    if errors:
        raise ValidationError(errors)
    saved = []
    for record_type, (months, active) in periods.items():
        rule, _created = RetentionRule.objects.update_or_create(
            traeger_id=actor.traeger_id,
            record_type=record_type,
            defaults={"period_months": int(months), "active": bool(active), "updated_by": actor},
        )
        saved.append(rule)
    audit_log(user=actor, action="update", object_type="retention_rule", request=request)
    return saved
