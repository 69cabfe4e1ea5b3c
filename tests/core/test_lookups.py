"""``__any_of``: the same rows as ``__in``, one array parameter on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lotse.people.models import Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_any_of_selects_what_in_selects(traeger, organisation):
    persons = [PersonFactory(traeger=traeger, organisation=organisation) for _ in range(4)]
    wanted = [persons[0].pk, persons[2].pk, 10**9]

    by_field = set(Person.objects.filter(pk__any_of=wanted).values_list("pk", flat=True))
    assert by_field == set(Person.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    assert by_field == {persons[0].pk, persons[2].pk}
    # On a relation too (the foreign key's column), and negated.
    assert set(
        Person.objects.filter(organisation__any_of=[organisation.pk]).values_list("pk", flat=True)
    ) == {p.pk for p in persons}
    assert set(Person.objects.exclude(pk__any_of=wanted).values_list("pk", flat=True)) == {
        persons[1].pk,
        persons[3].pk,
    }
    assert not Person.objects.filter(pk__any_of=[]).exists()
    assert Person.objects.exclude(pk__any_of=[]).count() == 4


def test_any_of_is_one_parameter_on_postgresql(traeger, organisation):
    PersonFactory(traeger=traeger, organisation=organisation)
    with CaptureQueriesContext(connection) as queries:
        list(Person.objects.filter(pk__any_of=range(1, 501)))
    (query,) = queries.captured_queries
    if connection.vendor == "postgresql":
        assert "= ANY(" in query["sql"] and query["sql"].count("500") == 1
    else:
        assert " IN (" in query["sql"]
