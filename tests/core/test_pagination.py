"""Keyset pagination: walking all pages yields every row once, in order, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from lotse.core.pagination import _decode, _encode, keyset_page
from lotse.people.models import Person
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def persons() -> list[Person]:
    organisation = OrganisationFactory()
    names = ["Berg", "Adler", "Berg", "Cramer", "Adler", "Berg", "Dahl"]
    births = [dt.date(1990, 1, 1), None, dt.date(1985, 3, 1), None, dt.date(1990, 1, 1)]
    rows = []
    for index, name in enumerate(names * 3):
        rows.append(
            PersonFactory(
                traeger=organisation.traeger,
                organisation=organisation,
                last_name=name,
                first_name=["Ali", "Mona", "Sara"][index % 3],
                date_of_birth=births[index % len(births)],
            )
        )
    return rows


def _walk(order: list[str], size: int) -> list[int]:
    seen: list[int] = []
    cursor = None
    for _ in range(100):
        page = keyset_page(Person.objects.all(), order=order, cursor=cursor, size=size)
        seen.extend(p.pk for p in page.items)
        cursor = page.next_cursor
        if cursor is None:
            return seen
    raise AssertionError("pagination does not end")


def _sorted(rows: list[Person], order: list[str]) -> list[Person]:
    """The expected order: stable sorts from the last key to the first, NULL largest."""
    for name in reversed(order):
        field = name.lstrip("-")
        present = [p for p in rows if getattr(p, field) is not None]
        missing = [p for p in rows if getattr(p, field) is None]
        desc = name.startswith("-")
        rows = sorted(present, key=lambda p: getattr(p, field), reverse=desc)
        rows = missing + rows if desc else rows + missing  # NULL is the largest value
    return rows


@pytest.mark.parametrize(
    "order",
    [
        ["last_name", "first_name", "id"],  # one direction: the row comparison on PostgreSQL
        ["-last_name", "-first_name", "-id"],
        ["last_name", "-id"],  # mixed: the OR chain
        ["date_of_birth", "id"],  # nullable key: NULL is the largest value
        ["-date_of_birth", "-id"],
        ["-date_of_birth", "last_name", "id"],
    ],
)
@pytest.mark.parametrize("size", [1, 2, 5])
def test_pages_cover_every_row_once_in_order(persons, order, size):
    expected = [p.pk for p in _sorted(persons, order)]
    walked = _walk(order, size)
    assert len(walked) == len(set(walked))  # no duplicates
    assert walked == expected  # no gaps, same order as the whole list


def test_same_direction_uses_a_row_comparison_on_postgresql(persons, django_assert_num_queries):
    cursor = _encode(["Berg", "Mona", persons[0].pk])
    page = keyset_page(Person.objects.all(), order=["last_name", "first_name", "id"], cursor=cursor)
    assert page.has_previous
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        keyset_page(Person.objects.all(), order=["last_name", "first_name", "id"], cursor=cursor)
    sql = captured.captured_queries[-1]["sql"]
    assert '"last_name" >= ' in sql  # the leading bound, on every database
    if connection.vendor == "postgresql":
        assert '"id") > (' in sql
        assert " OR " not in sql
    else:
        assert " OR " in sql


def test_tampered_cursor_is_a_value_error(persons):
    assert _decode("not-a-cursor!!", 3) is None
    cursor = _encode(["Berg", "Mona", "x"])  # an id that is no number
    with pytest.raises(ValueError):
        keyset_page(Person.objects.all(), order=["last_name", "first_name", "id"], cursor=cursor)
