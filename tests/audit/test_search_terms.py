"""A name search is logged as a search with its count, never with the name searched for."""

from __future__ import annotations

import pytest
from django.db.models import Q
from django.urls import reverse
from rest_framework.test import APIClient

from lotse.audit.models import AuditEntry
from tests.factories import CaseFactory, PersonFactory
from tests.tokens import bearer_for

pytestmark = pytest.mark.django_db

NAME = "Abdelrahman"

TEXT_FIELDS = [
    "username",
    "organisation",
    "roles",
    "action",
    "object_type",
    "object_id",
    "categories",
    "channel",
    "request_id",
    "detail",
]


def _entries_with(term: str) -> list[AuditEntry]:
    query = Q()
    for name in TEXT_FIELDS:
        query |= Q(**{f"{name}__icontains": term})
    return list(AuditEntry.objects.filter(query))


@pytest.fixture
def person(traeger, organisation, case_manager):
    person = PersonFactory(traeger=traeger, organisation=organisation, last_name=NAME)
    CaseFactory(
        traeger=traeger, organisation=organisation, person=person, case_manager=case_manager
    )
    return person


@pytest.mark.parametrize(
    ("url", "params", "kind"),
    [
        (reverse("people:list"), {"q": NAME}, "persons:1 search"),
        (reverse("cases:my_cases"), {"q": NAME, "alle": "1"}, "cases:1 search"),
        (reverse("spreadsheets:export_persons"), {"q": NAME}, "rows:1 search"),
        (reverse("spreadsheets:export_cases"), {"q": NAME, "alle": "1"}, "rows:1 search"),
    ],
    ids=["persons", "cases", "xlsx-persons", "xlsx-cases"],
)
def test_web_search_leaves_no_name_in_the_access_log(
    client, case_manager, person, url, params, kind
):
    client.force_login(case_manager)

    response = client.get(url, params)

    assert response.status_code == 200
    assert _entries_with(NAME) == []
    assert _entries_with(NAME.lower()[:6]) == []
    assert AuditEntry.objects.filter(detail=kind).count() == 1


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        (reverse("api:person-list"), "persons:1 search"),
        (reverse("api:case-list"), "cases:1 search"),
    ],
    ids=["persons", "cases"],
)
def test_api_search_leaves_no_name_in_the_access_log(case_manager, person, url, kind):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=bearer_for(case_manager))

    response = client.get(url, {"q": NAME})

    assert response.status_code == 200 and len(response.json()["results"]) == 1
    assert _entries_with(NAME) == []
    assert AuditEntry.objects.filter(detail=kind, channel="api").count() == 1


def test_list_without_a_search_is_not_marked_as_one(client, case_manager, person):
    client.force_login(case_manager)
    client.get(reverse("people:list"))
    assert AuditEntry.objects.filter(detail="persons:1").count() == 1
