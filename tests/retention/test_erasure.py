"""Erasure of a person: every row and every file goes, the access log stays intact."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import transaction

from lotse.assignments.models import Task
from lotse.audit.models import AuditEntry
from lotse.cases.models import Case, TimelineEntry
from lotse.consent.models import Consent, Transfer
from lotse.people.models import Household, Person, PersonNameVariant
from lotse.retention import erasure, graph, services
from lotse.retention.models import Basis, DeletionLog, ErasureRequest, Tombstone
from tests.retention.conftest import REASON

pytestmark = pytest.mark.django_db


def _stored(person: Person) -> list[Path]:
    return [
        Path(settings.MEDIA_ROOT) / name
        for _, name in graph.file_names(graph.collect(Person, [person.pk]))
    ]


def _approved(person, requester, approver) -> ErasureRequest:
    request = services.erasure_request_create(actor=requester, person=person, reason=REASON)
    return services.erasure_request_decide(actor=approver, erasure_request=request, approve=True)


def test_erasure_removes_every_row_and_file_and_keeps_the_access_log(
    rich_person, bystander, case_manager, team_lead, second_lead, django_capture_on_commit_callbacks
):
    person = rich_person
    collected = graph.collect(Person, [person.pk])
    # The fixture reaches far: cases and below, consents (two versions), transfers, tasks.
    labels = {model._meta.label for model in collected}
    assert {
        "people.Person",
        "people.PersonNameVariant",
        "people.ResidenceStatusRecord",
        "cases.Case",
        "cases.TimelineEntry",
        "assignments.Task",
        "assignments.TaskComment",
        "consent.Consent",
        "consent.Transfer",
    } <= labels
    files = _stored(person)
    assert len(files) == 3 and all(path.exists() for path in files)
    bystander_files = _stored(bystander)
    bystander_rows = {m: set(ids) for m, ids in graph.collect(Person, [bystander.pk]).items()}
    audit_before = set(AuditEntry.objects.values_list("pk", flat=True))
    household_id = person.household_id

    request = _approved(person, case_manager, team_lead)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.erasure_request_execute(actor=second_lead, erasure_request=request)

    for model, ids in collected.items():
        assert not model._base_manager.filter(pk__in=ids).exists(), model._meta.label
    assert not Person.objects.filter(pk=person.pk).exists()
    assert not Household.objects.filter(pk=household_id).exists()
    assert not any(path.exists() for path in files)
    # The neighbour's rows and files are untouched.
    for model, ids in bystander_rows.items():
        assert model._base_manager.filter(pk__in=ids).count() == len(ids)
    assert all(path.exists() for path in bystander_files)
    # The access log: nothing deleted, one entry for the erasure (no values).
    assert audit_before <= set(AuditEntry.objects.values_list("pk", flat=True))
    entry = AuditEntry.objects.get(action="delete", object_type="person", person_id=person.pk)
    assert "Zebrowski" not in entry.detail
    call_command("verifyaudit")

    tombstone = result.tombstone
    assert tombstone is not None
    assert re.fullmatch(r"GELÖSCHT-[0-9A-F]{6}", tombstone.pseudonym)
    assert tombstone.former_person_id == person.pk
    assert tombstone.basis == Basis.REQUEST
    assert tombstone.counts["consent.Consent"] == 2
    assert tombstone.counts["consent.Transfer"] == 1
    assert tombstone.files_deleted == 3
    assert "Zebrowski" not in str(Tombstone.objects.filter(pk=tombstone.pk).values().get())
    request.refresh_from_db()
    assert request.state == ErasureRequest.State.EXECUTED
    assert request.person_id is None and request.person_ref == person.pk
    assert request.tombstone_id == tombstone.pk
    log = DeletionLog.objects.get(trigger=DeletionLog.Trigger.REQUEST)
    assert log.deleted == 1 and log.details["cases.Case"] == 1


def test_rollback_keeps_rows_and_files(rich_person, django_capture_on_commit_callbacks):
    files = _stored(rich_person)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            erasure.erase_person(person=rich_person, basis=Basis.REQUEST)
            assert not Person.objects.filter(pk=rich_person.pk).exists()
            raise RuntimeError("something later in the transaction failed")
    assert Person.objects.filter(pk=rich_person.pk).exists()
    assert Consent.objects.filter(person=rich_person).count() == 2
    assert Transfer.objects.filter(person=rich_person).count() == 1
    assert TimelineEntry.objects.filter(case__person=rich_person).count() == 1
    assert all(path.exists() for path in files)
    assert not Tombstone.objects.exists()


def test_four_eyes_principle(rich_person, case_manager, team_lead, second_lead):
    own = services.erasure_request_create(actor=team_lead, person=rich_person, reason=REASON)
    with pytest.raises(ValidationError, match="Vier-Augen-Prinzip"):
        services.erasure_request_decide(actor=team_lead, erasure_request=own, approve=True)
    with pytest.raises(PermissionDenied):
        services.erasure_request_decide(actor=case_manager, erasure_request=own, approve=True)
    with pytest.raises(ValidationError):  # not approved yet
        services.erasure_request_execute(actor=second_lead, erasure_request=own)
    with pytest.raises(ValidationError) as error:  # a rejection needs a reason
        services.erasure_request_decide(actor=second_lead, erasure_request=own, approve=False)
    assert "note" in error.value.message_dict
    rejected = services.erasure_request_decide(
        actor=second_lead, erasure_request=own, approve=False, note=REASON
    )
    assert rejected.state == ErasureRequest.State.REJECTED
    with pytest.raises(ValidationError):
        services.erasure_request_execute(actor=second_lead, erasure_request=rejected)
    assert Person.objects.filter(pk=rich_person.pk).exists()


def test_request_needs_a_reason_and_only_one_is_open(rich_person, case_manager):
    with pytest.raises(ValidationError) as error:
        services.erasure_request_create(actor=case_manager, person=rich_person, reason="kurz")
    assert "reason" in error.value.message_dict
    services.erasure_request_create(actor=case_manager, person=rich_person, reason=REASON)
    with pytest.raises(ValidationError):
        services.erasure_request_create(actor=case_manager, person=rich_person, reason=REASON)


def test_legal_hold_blocks_the_erasure_until_lifted(
    rich_person, case_manager, team_lead, second_lead, django_capture_on_commit_callbacks
):
    case = Case.objects.get(person=rich_person)
    hold = services.legal_hold_set(
        actor=team_lead,
        person=rich_person,
        case=case,
        reason="Klageverfahren beim Sozialgericht anhängig",
    )
    request = _approved(rich_person, case_manager, team_lead)
    with pytest.raises(ValidationError, match="Löschsperre"):
        services.erasure_request_execute(actor=second_lead, erasure_request=request)
    assert Task.objects.filter(case=case).exists()
    with pytest.raises(PermissionDenied):
        services.legal_hold_lift(actor=case_manager, hold=hold)
    services.legal_hold_lift(actor=second_lead, hold=hold)
    with django_capture_on_commit_callbacks(execute=True):
        services.erasure_request_execute(actor=second_lead, erasure_request=request)
    assert not Person.objects.filter(pk=rich_person.pk).exists()


def test_hold_needs_a_long_reason_and_the_persons_own_case(rich_person, bystander, team_lead):
    with pytest.raises(ValidationError) as error:
        services.legal_hold_set(actor=team_lead, person=rich_person, reason="zu kurz")
    assert "reason" in error.value.message_dict
    other_case = Case.objects.get(person=bystander)
    with pytest.raises(ValidationError) as error:
        services.legal_hold_set(
            actor=team_lead,
            person=rich_person,
            case=other_case,
            reason="Klageverfahren anhängig seit Mai",
        )
    assert "case" in error.value.message_dict


def test_erasing_a_household_member_keeps_the_household_of_the_others(
    rich_person, traeger, organisation, django_capture_on_commit_callbacks
):
    from tests.factories import PersonFactory

    child = PersonFactory(
        traeger=traeger, organisation=organisation, household=rich_person.household
    )
    with django_capture_on_commit_callbacks(execute=True):
        erasure.erase_person(person=rich_person, basis=Basis.REQUEST)
    child.refresh_from_db()
    assert child.household_id is not None
    assert PersonNameVariant.objects.filter(person=child).count() == 0  # never had one


def test_erasure_leaves_nothing_the_art_15_export_would_find(
    rich_person, case_manager, team_lead, second_lead, django_capture_on_commit_callbacks
):
    """Cross-check with the privacy app's generic graph (what an Art. 15 export covers)."""
    from lotse.privacy.graph import person_related_querysets

    owned = {
        related.label: set(related.queryset.values_list("pk", flat=True))
        for related in person_related_querysets(rich_person)
        if related.kind in ("person", "owned")
    }
    assert owned["consent.Transfer"] and owned["cases.TimelineEntry"]
    request = _approved(rich_person, case_manager, team_lead)
    with django_capture_on_commit_callbacks(execute=True):
        services.erasure_request_execute(actor=second_lead, erasure_request=request)
    from django.apps import apps

    left = {}
    for label, pks in owned.items():
        model = apps.get_model(label)
        rows = model._base_manager.filter(pk__in=pks)
        if label == "retention.ErasureRequest":  # the proof stays, without the person
            assert not rows.filter(person__isnull=False).exists()
            continue
        if rows.exists():
            left[label] = rows.count()
    assert not left, f"rows survived the erasure: {left}"
