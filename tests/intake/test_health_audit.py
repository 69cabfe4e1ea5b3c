"""A health assessment (field of action with the data category "health") is logged as such."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from lotse.audit.models import AuditEntry
from lotse.intake import services
from tests.factories import FieldOfActionFactory

pytestmark = pytest.mark.django_db

CANARY = "Kanarien-Diagnose F43.1"


@pytest.fixture
def health(traeger):
    return FieldOfActionFactory(
        traeger=traeger, key="gesundheit", name="Gesundheit", data_category="health"
    )


@pytest.fixture
def work(traeger):
    return FieldOfActionFactory(traeger=traeger, key="arbeit", name="Arbeit")


def last_categories() -> list[str]:
    return AuditEntry.objects.filter(action="view").latest("id").categories.split(",")


def test_health_assessment_reads_are_audited_as_health(client, case_manager, case, health, work):
    assessment = services.assessment_save(
        actor=case_manager,
        case=case,
        field_of_action=health,
        expected_version=0,
        values={"needs": f"Therapieplatz wegen {CANARY}"},
        authorities=[],
    )
    with connection.cursor() as cursor:
        for table, column, pk in [
            ("intake_assessment", "needs", assessment.pk),
            ("intake_assessmentrevision", "data", assessment.revisions.get().pk),
        ]:
            cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
            assert CANARY not in cursor.fetchone()[0]

    client.force_login(case_manager)
    api = APIClient()
    api.force_authenticate(case_manager)
    for get, url in [
        (client.get, reverse("intake:assessment", args=[case.pk])),
        (client.get, reverse("intake:assessment_edit", args=[case.pk, health.pk])),
        (client.get, reverse("intake:assessment_history", args=[case.pk, health.pk])),
        (api.get, reverse("api:case-assessments", args=[case.pk])),
        (api.get, reverse("api:case-assessment", args=[case.pk, health.pk])),
        (api.get, reverse("api:case-assessment-history", args=[case.pk, health.pk])),
    ]:
        response = get(url)
        assert response.status_code == 200, url
        assert CANARY in response.content.decode(), url
        assert "health" in last_categories(), url

    # The work field has no assessment and no health category: no "health" in the log.
    for get, url in [
        (client.get, reverse("intake:assessment_edit", args=[case.pk, work.pk])),
        (api.get, reverse("api:case-assessment", args=[case.pk, work.pk])),
    ]:
        assert get(url).status_code == 200
        assert last_categories() == ["case"], url


def test_an_empty_health_field_discloses_nothing(client, case_manager, case, health):
    client.force_login(case_manager)
    assert client.get(reverse("intake:assessment", args=[case.pk])).status_code == 200
    assert last_categories() == ["case"]
