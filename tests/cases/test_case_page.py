"""The case list merged from one index range per post of the team (issue 14) shows exactly
the scope's cases, in the same order and pages as the scope's filter."""

from __future__ import annotations

import datetime as dt
import functools
import operator

import pytest
from django.db import connection

from lotse.cases import selectors
from lotse.cases.models import Case, Phase
from lotse.core import access
from lotse.core.pagination import keyset_page
from lotse.teams.models import CaseMembership
from tests.factories import CaseFactory, CaseManagementPostFactory

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the merged page is PostgreSQL's path"
)


@pytest.fixture
def world(traeger, organisation, team_lead):
    """Three led posts with cases opened on shared days (ties for the cursor), some closed; a
    case at another post with a membership of the team lead; a case nobody here may see."""
    led = [
        CaseManagementPostFactory(traeger=traeger, organisation=organisation, team_lead=team_lead)
        for _ in range(3)
    ]
    other = CaseManagementPostFactory(traeger=traeger, organisation=organisation)
    for i, post in enumerate(led):
        for n in range(7):
            CaseFactory(
                traeger=traeger,
                organisation=organisation,
                post=post,
                opened_on=dt.date(2026, 10, 1) + dt.timedelta(days=(n * 3 + i) % 5),
                phase=Phase.CLOSED if n % 3 == 0 else Phase.INTAKE,
            )
    member = CaseFactory(traeger=traeger, organisation=organisation, post=other)
    CaseMembership.objects.create(
        traeger=traeger, case=member, user=team_lead, reason="Teilhabemanagement"
    )
    CaseFactory(traeger=traeger, organisation=organisation, post=other)
    team_lead.__dict__.pop("_lotse_team_scope", None)
    return team_lead


def _pages(page_of, size):
    cursor, pages = None, []
    while True:
        page = page_of(cursor, size)
        pages.append([case.pk for case in page.items])
        if page.next_cursor is None:
            return pages
        cursor = page.next_cursor


def test_the_branches_select_exactly_the_scope(world, case_manager):
    for user in (world, case_manager):
        branches = access.case_scope_branches(user)
        chosen = Case.objects.filter(functools.reduce(operator.or_, branches))
        assert set(chosen.values_list("pk", flat=True)) == set(
            selectors.case_queryset_for_user(user).values_list("pk", flat=True)
        )


@postgres_only
@pytest.mark.parametrize("branch_posts", [access.BRANCH_POSTS, 1])
@pytest.mark.parametrize(
    "filters",
    [
        selectors.CaseFilter(mine=False),
        selectors.CaseFilter(mine=False, include_closed=True),
        selectors.CaseFilter(mine=False, phase=Phase.CLOSED),
    ],
    ids=["open", "all", "closed"],
)
def test_the_merged_pages_equal_the_pages_of_the_scope(world, monkeypatch, branch_posts, filters):
    monkeypatch.setattr(access, "BRANCH_POSTS", branch_posts)

    def merged(cursor, size):
        return selectors.case_page_for_user(world, filters=filters, cursor=cursor, size=size)

    def scoped(cursor, size):
        queryset = selectors.case_list_for_user(world, filters=filters)
        return keyset_page(queryset, order=selectors.CASE_LIST_ORDER, cursor=cursor, size=size)

    for size in (4, 25):
        pages = _pages(merged, size)
        assert pages == _pages(scoped, size)
        assert (
            sum(len(page) for page in pages)
            == selectors.case_list_for_user(world, filters=filters).count()
        )


@postgres_only
def test_a_case_manager_with_one_post_reads_one_range(traeger, organisation, case_manager):
    for n in range(6):
        CaseFactory(
            traeger=traeger,
            organisation=organisation,
            case_manager=case_manager,
            opened_on=dt.date(2026, 10, 1) + dt.timedelta(days=n % 3),
        )
    assert len(access.case_scope_branches(case_manager)) == 1
    filters = selectors.CaseFilter(mine=False)

    def merged(cursor, size):
        return selectors.case_page_for_user(case_manager, filters=filters, cursor=cursor, size=size)

    def scoped(cursor, size):
        queryset = selectors.case_list_for_user(case_manager, filters=filters)
        return keyset_page(queryset, order=selectors.CASE_LIST_ORDER, cursor=cursor, size=size)

    assert _pages(merged, 4) == _pages(scoped, 4) and len(_pages(merged, 4)) == 2
