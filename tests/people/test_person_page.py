"""The person list merged from the branches of the user's scope (issue 14) shows exactly the
scope's persons, in the same order and pages as the scope's UNION."""

from __future__ import annotations

import functools
import operator

import pytest
from django.db import connection

from lotse.core import access
from lotse.core.pagination import keyset_page
from lotse.people import selectors
from lotse.people.models import Person
from lotse.teams.models import CaseMembership
from tests.factories import CaseFactory, CaseManagementPostFactory, PersonFactory

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the merged page is PostgreSQL's path"
)


@pytest.fixture
def world(traeger, organisation, team_lead):
    """Three led posts with persons of shared surnames (ties for the cursor), a person kept
    at another post with a case at a led post, a case membership, a merged record and a person
    of a post nobody here leads."""
    led = [
        CaseManagementPostFactory(traeger=traeger, organisation=organisation, team_lead=team_lead)
        for _ in range(3)
    ]
    other = CaseManagementPostFactory(traeger=traeger, organisation=organisation)
    for i, post in enumerate(led):
        for n in range(7):
            PersonFactory(
                traeger=traeger,
                organisation=organisation,
                post=post,
                last_name=f"Name{(n * 3 + i) % 5}",
                first_name=f"Vorname{n % 2}",
            )
    elsewhere = PersonFactory(
        traeger=traeger, organisation=organisation, post=other, last_name="Aaron"
    )
    CaseFactory(traeger=traeger, organisation=organisation, person=elsewhere, post=led[0])
    member = PersonFactory(
        traeger=traeger, organisation=organisation, post=other, last_name="Zander"
    )
    membership_case = CaseFactory(
        traeger=traeger, organisation=organisation, person=member, post=other
    )
    CaseMembership.objects.create(
        traeger=traeger, case=membership_case, user=team_lead, reason="Teilhabemanagement"
    )
    PersonFactory(traeger=traeger, organisation=organisation, post=other, last_name="Unsichtbar")
    target = Person.objects.filter(post=led[1]).first()
    PersonFactory(
        traeger=traeger,
        organisation=organisation,
        post=led[1],
        last_name="Dublette",
        merged_into=target,
    )
    team_lead.__dict__.pop("_lotse_team_scope", None)
    return team_lead


def _pages(page_of, size):
    cursor, pages = None, []
    while True:
        page = page_of(cursor, size)
        pages.append([person.pk for person in page.items])
        if page.next_cursor is None:
            return pages
        cursor = page.next_cursor


def test_the_branches_select_exactly_the_scope(world, case_manager):
    for user in (world, case_manager):
        branches = access.person_scope_branches(user)
        chosen = Person.objects.filter(functools.reduce(operator.or_, branches), merged_into=None)
        assert set(chosen.values_list("pk", flat=True)) == set(
            selectors.person_queryset_for_user(user).values_list("pk", flat=True)
        )
    names = set(selectors.person_queryset_for_user(world).values_list("last_name", flat=True))
    assert {"Aaron", "Zander"} <= names and not {"Unsichtbar", "Dublette"} & names


@postgres_only
@pytest.mark.parametrize("branch_posts", [access.BRANCH_POSTS, 1])
def test_the_merged_pages_equal_the_pages_of_the_union(world, monkeypatch, branch_posts):
    monkeypatch.setattr(access, "BRANCH_POSTS", branch_posts)
    filters = selectors.PersonFilter()

    def merged(cursor, size):
        return selectors.person_page_for_user(world, filters=filters, cursor=cursor, size=size)

    def union(cursor, size):
        queryset = selectors.person_list_filtered(world, filters=filters)
        return keyset_page(queryset, order=selectors.PERSON_ORDER, cursor=cursor, size=size)

    for size in (4, 25):
        pages = _pages(merged, size)
        assert pages == _pages(union, size)
        assert sum(len(page) for page in pages) == 3 * 7 + 2


@postgres_only
def test_the_merged_page_is_one_query(world, django_assert_num_queries):
    selectors.person_page_for_user(world, filters=selectors.PersonFilter(), cursor=None)  # scope
    with django_assert_num_queries(1):
        page = selectors.person_page_for_user(world, filters=selectors.PersonFilter(), cursor=None)
    assert [p.last_name for p in page.items][:1] == ["Aaron"]
