"""Which texts are encrypted at rest: the case narrative, wherever it is written (policy test),
and a raw look at the database shows ciphertext only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from lotse.core import fieldcrypto
from tests.factories import CaseFactory, TimelineEntryFactory

#: Free texts about the client and the case: reasons, notes, goals, feedback, comments.
MUST_BE_ENCRYPTED = {
    "people.Person.health_notes",
    "cases.Case.summary",
    "cases.PhaseTransition.reason",
    "cases.FieldProcess.note",
    "cases.TimelineEntry.text",
    "cases.CaseEvaluation.assessment",
    "cases.CaseEvaluation.ending_note",
    "cases.GoalAttainment.note",
    "intake.CaseProfile.reason",
    "agreements.Agreement.notes",
    "agreements.AgreementGoal.what",
    "agreements.AgreementGoal.indicator",
    "agreements.AgreementGoal.measures",
    "assignments.TaskComment.text",
    "offers.Referral.note",
    "offers.Referral.feedback",
    "offers.Referral.override_reason",
    "offers.ReferralEvent.note",
    "programmes.AbhReferral.note",
    "programmes.AbhReferral.next_steps",
    "programmes.AbhReferral.statute_reason",
    # issue 11: the texts that were still plaintext
    "cases.TimelineEntry.title",
    "assignments.Task.title",
    "consent.Consent.purpose",
    "consent.Consent.withdrawal_note",
    "consent.Transfer.purpose",
    "consent.Transfer.reason",
    "retention.LegalHold.reason",
    "retention.Restriction.reason",
    "retention.ErasureRequest.reason",
    "retention.ErasureRequest.decision_note",
    "deadlines.PersonGoalDeadline.evidence",
    "deadlines.PersonGoalDeadline.not_applicable_reason",
    "intake.InitialInterview.participants",
    "intake.InitialInterview.location",
    "intake.InterpreterUse.note",
    "cases.TimelineEntry.location",
    "people.ResidenceStatusRecord.note",
    "programmes.ModuleAssignment.note",
    "programmes.ReferralCheckItem.note",
    "programmes.BudgetEntry.override_reason",
    "programmes.BudgetEntry.purpose",
}


def test_the_case_narrative_is_encrypted_at_rest():
    encrypted = {f"{model._meta.label}.{name}" for model, name in fieldcrypto.encrypted_columns()}
    assert MUST_BE_ENCRYPTED - encrypted == set()


@pytest.mark.django_db
def test_the_database_holds_only_ciphertext_of_the_reason_for_contact(traeger, organisation):
    case = CaseFactory(
        traeger=traeger, organisation=organisation, summary="Kanarien-Anliegen: Traumatherapie"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT summary FROM {case._meta.db_table} WHERE id = %s", [case.pk])  # noqa: S608
        (raw,) = cursor.fetchone()
    assert raw.startswith(fieldcrypto.PREFIX) and "Kanarien" not in raw
    case.refresh_from_db()
    assert case.summary == "Kanarien-Anliegen: Traumatherapie"


def _stored(model: type, field: str, pk: int) -> str:
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(model._meta.db_table)
        cursor.execute(f"SELECT {field} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


@pytest.mark.slow
@pytest.mark.migration_history
@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_existing_titles_and_purposes(traeger, organisation):
    """Back to plaintext (the reverse migration decrypts) and forward again: the rows written
    before the change are ciphertext afterwards and read as before."""
    from lotse.assignments.models import Task
    from lotse.cases.models import TimelineEntry

    case = CaseFactory(traeger=traeger, organisation=organisation)
    entry = TimelineEntryFactory(case=case, title="Termin beim Kanarien-Jobcenter")
    task = Task.objects.create(
        traeger=traeger,
        case=case,
        title="Kanarien-Unterlagen besorgen",
        owner_organisation=organisation,
        due_on=dt.date(2026, 12, 1),
    )
    before = [("cases", "0010_case_list_sort_indexes"), ("assignments", "0004_task_purpose")]
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        MigrationExecutor(connection).migrate(before)
        assert _stored(TimelineEntry, "title", entry.pk) == "Termin beim Kanarien-Jobcenter"
        assert _stored(Task, "title", task.pk) == "Kanarien-Unterlagen besorgen"
    finally:
        MigrationExecutor(connection).migrate(latest)
    for model, pk in ((TimelineEntry, entry.pk), (Task, task.pk)):
        raw = _stored(model, "title", pk)
        assert raw.startswith(fieldcrypto.PREFIX) and "Kanarien" not in raw
    assert TimelineEntry.objects.get(pk=entry.pk).title == "Termin beim Kanarien-Jobcenter"
    assert Task.objects.get(pk=task.pk).title == "Kanarien-Unterlagen besorgen"
