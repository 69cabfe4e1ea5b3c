"""The data migrations of issue 10 ("Families"): existing referrals, assessments and stages
are about the case's person."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from lotse.cases.models import FieldProcess
from lotse.intake.models import Assessment
from lotse.offers.models import Referral
from tests.factories import CaseFactory, FieldOfActionFactory, TraegerFactory

BEFORE = [
    ("offers", "0003_referral_transfer"),
    ("intake", "0004_encrypt_case_texts"),
    ("cases", "0005_encrypt_case_texts"),
]


@pytest.mark.slow
@pytest.mark.migration_history
@pytest.mark.django_db(transaction=True)
def test_existing_rows_are_about_the_case_person():
    traeger = TraegerFactory()
    case = CaseFactory(traeger=traeger)
    field = FieldOfActionFactory(traeger=traeger)
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
        offer = old.get_model("offers", "Offer").objects.create(
            traeger_id=traeger.pk, key="k", kind="school", title="Schule"
        )
        referral = old.get_model("offers", "Referral").objects.create(
            traeger_id=traeger.pk,
            case_id=case.pk,
            offer_id=offer.pk,
            requested_on=dt.date(2026, 11, 2),
        )
        assessment = old.get_model("intake", "Assessment").objects.create(
            traeger_id=traeger.pk, case_id=case.pk, field_of_action_id=field.pk
        )
        process = old.get_model("cases", "FieldProcess").objects.create(
            traeger_id=traeger.pk, case_id=case.pk, field_of_action_id=field.pk
        )
    finally:
        MigrationExecutor(connection).migrate(latest)
    assert Referral.objects.get(pk=referral.pk).person_id == case.person_id
    assert Assessment.objects.get(pk=assessment.pk).person_id == case.person_id
    assert FieldProcess.objects.get(pk=process.pk).person_id == case.person_id
