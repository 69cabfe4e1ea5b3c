"""Which texts are encrypted at rest: the case narrative, wherever it is written (policy test),
and a raw look at the database shows ciphertext only."""

from __future__ import annotations

import pytest
from django.db import connection

from lotse.core import fieldcrypto
from tests.factories import CaseFactory

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
