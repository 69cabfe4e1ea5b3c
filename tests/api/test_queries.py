"""List queries must not grow with the number of rows (no N+1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import (
    CaseFactory,
    MunicipalityFactory,
    PersonFactory,
    TargetGroupFactory,
    TimelineEntryFactory,
)

pytestmark = pytest.mark.django_db


def count_queries(client: APIClient, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def make_persons(traeger, organisation, count: int) -> None:
    municipality = MunicipalityFactory(traeger=traeger)
    target_group = TargetGroupFactory(traeger=traeger)
    for _ in range(count):
        PersonFactory(
            traeger=traeger,
            organisation=organisation,
            municipality=municipality,
            target_group=target_group,
        )


def make_cases(traeger, organisation, case_manager, count: int) -> None:
    for _ in range(count):
        CaseFactory(traeger=traeger, organisation=organisation, case_manager=case_manager)


def make_entries(case, author, count: int) -> None:
    for index in range(count):
        TimelineEntryFactory(
            case=case,
            author=author,
            occurred_at=dt.datetime(2026, 10, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=index),
        )


@pytest.mark.parametrize("kind", ["persons", "cases", "timeline"])
def test_list_query_count_does_not_grow_with_rows(
    client_for,
    case_manager,
    traeger,
    organisation,
    agreed_case,
    kind,
    django_assert_max_num_queries,
):
    api = client_for(case_manager)
    url = {
        "persons": reverse("api:person-list"),
        "cases": reverse("api:case-list"),
        "timeline": reverse("api:case-timeline", kwargs={"pk": agreed_case.pk}),
    }[kind]
    grow = {
        "persons": lambda n: make_persons(traeger, organisation, n),
        "cases": lambda n: make_cases(traeger, organisation, case_manager, n),
        "timeline": lambda n: make_entries(agreed_case, case_manager, n),
    }[kind]

    api.get(url)  # the first access log entry of a Träger creates its hash chain
    grow(3)
    few = count_queries(api, url)
    grow(27)
    many = count_queries(api, url)

    assert many == few
    with django_assert_max_num_queries(few):
        api.get(url)


def test_detail_query_counts_are_bounded(
    client_for, case_manager, agreed_case, django_assert_max_num_queries
):
    api = client_for(case_manager)
    TimelineEntryFactory(case=agreed_case, author=case_manager)
    api.get(reverse("api:case-list"))  # creates the Träger's access log chain

    # Bounds include the access log entry (lock chain head, insert, advance head).
    with django_assert_max_num_queries(13):
        assert (
            api.get(reverse("api:person-detail", kwargs={"pk": agreed_case.person_id})).status_code
            == 200
        )
    with django_assert_max_num_queries(11):
        assert api.get(reverse("api:case-detail", kwargs={"pk": agreed_case.pk})).status_code == 200
