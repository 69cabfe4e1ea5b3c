"""Migration of existing ABH referrals: free-text consent references become consent links."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from lotse.programmes.models import AbhReferral
from tests.factories import CaseFactory, OrganisationFactory
from tests.sharing.conftest import build_shared

BEFORE = ("programmes", "0001_initial")


def _migrate(target: tuple[str, str]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return MigrationExecutor(connection)


@pytest.mark.slow
@pytest.mark.migration_history
@pytest.mark.django_db(transaction=True)
def test_references_that_name_a_consent_become_links_the_rest_is_kept():
    shared = build_shared()
    consent = shared.consent(["identity", "residence_status"])
    other_case = CaseFactory(traeger=shared.traeger, organisation=shared.team)
    abh = OrganisationFactory(traeger=shared.traeger, key="abh", kind="authority")
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old_apps = _migrate(BEFORE).loader.project_state([BEFORE]).apps
        Referral = old_apps.get_model("programmes", "AbhReferral")
        common = {"traeger_id": shared.traeger.pk, "purpose": "25b", "authority_id": abh.pk}
        case_id = shared.person.cases.get().pk
        by_record = Referral.objects.create(
            case_id=case_id, consent_reference=consent.document_id, **common
        )
        by_form = Referral.objects.create(
            case_id=case_id, consent_form_reference=consent.document_id, **common
        )
        # The document ID of a consent of *another* person links nothing.
        foreign = Referral.objects.create(
            case_id=other_case.pk, consent_reference=consent.document_id, **common
        )
        unknown = Referral.objects.create(
            case_id=case_id,
            consent_reference="Akte 17/3",
            consent_form_reference="EW-2025-0042",
            consent_scope="Identität",
            consent_given_on=dt.date(2025, 3, 1),
            **common,
        )
        untouched = Referral.objects.create(case_id=case_id, **common)
    finally:
        MigrationExecutor(connection).migrate(latest)

    rows = AbhReferral.objects.in_bulk(
        [by_record.pk, by_form.pk, foreign.pk, unknown.pk, untouched.pk]
    )
    assert rows[by_record.pk].consent_id == consent.pk
    assert rows[by_form.pk].consent_id == consent.pk
    assert rows[foreign.pk].consent_id is None
    assert rows[foreign.pk].consent_form_reference == consent.document_id  # kept, not lost
    assert rows[unknown.pk].consent_id is None
    assert rows[unknown.pk].consent_form_reference == "EW-2025-0042"
    assert rows[unknown.pk].consent_scope == "Identität (Einwilligungsdatensatz: Akte 17/3)"
    assert rows[untouched.pk].consent_id is None and rows[untouched.pk].transfer_id is None
