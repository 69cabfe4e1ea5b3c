from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from lotse.audit.models import AuditEntry
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_person_deadlines(case_manager, lippe_goals, family):
    mother, *_ = family
    response = api(case_manager).get(reverse("api:person-deadlines", args=[mother.pk]))

    assert response.status_code == 200
    rows = {row["goal_key"]: row for row in response.json()["results"]}
    assert rows["leitziel-iii"]["goal_title"] == lippe_goals["leitziel-iii"].title
    assert rows["leitziel-iii"]["due_on"] == "2025-09-15"
    assert rows["leitziel-iii"]["status"] == "missed"
    assert rows["leitziel-iii"]["met_on"] is None
    assert rows["schule-i"]["status"] == "not_applicable"
    assert rows["schule-i"]["not_applicable_reason"]
    assert AuditEntry.objects.filter(
        action="list", object_type="deadline", person_id=mother.pk, channel="api"
    ).exists()


def test_other_team_gets_404(traeger, lippe_goals, family):
    stranger = UserFactory(traeger=traeger, organisation=OrganisationFactory(traeger=traeger))
    mother, *_ = family
    response = api(stranger).get(reverse("api:person-deadlines", args=[mother.pk]))
    assert response.status_code == 404


def test_anonymous_gets_401(family):
    mother, *_ = family
    assert APIClient().get(reverse("api:person-deadlines", args=[mother.pk])).status_code == 401


def test_query_count_does_not_grow_with_goals(
    case_manager, lippe_goals, family, django_assert_max_num_queries
):
    from lotse.directory.models import Goal

    mother, *_ = family
    client = api(case_manager)
    url = reverse("api:person-deadlines", args=[mother.pk])
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    baseline = len(few.captured_queries)
    for key in ["y1", "y2", "y3"]:
        Goal.objects.create(
            traeger=mother.traeger,
            key=key,
            title=key,
            deadline_rule={"from": "registration", "within": 3, "unit": "days"},
        )
    client.get(url)
    with django_assert_max_num_queries(baseline):
        response = client.get(url)
    assert len(response.json()["results"]) == len(lippe_goals) - 1 + 3
