"""Deadlines that were over before the person came to us are "vor Fallbeginn abgelaufen"
(issue 10): counted apart, never flooding worklists, digests or start pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from lotse.deadlines.models import DeadlineStatus, DisplayStatus, PersonGoalDeadline
from lotse.deadlines.selectors import WorklistFilter, worklist_for_user
from lotse.deadlines.services import deadlines_refresh_for_person
from lotse.people.models import Household, Person
from tests.factories import CaseFactory, PersonFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 7)


def _deadline(person, key):
    return PersonGoalDeadline.objects.get(person=person, goal__key=key)


def test_a_deadline_over_before_the_first_case_is_before_case(
    traeger, organisation, case_manager, lippe_goals
):
    long_ago = PersonFactory(
        traeger=traeger, organisation=organisation, registered_on=dt.date(2023, 3, 1)
    )
    CaseFactory(
        traeger=traeger,
        organisation=organisation,
        person=long_ago,
        case_manager=case_manager,
        opened_on=dt.date(2026, 11, 30),
    )
    recent = PersonFactory(
        traeger=traeger, organisation=organisation, registered_on=dt.date(2026, 11, 30)
    )
    CaseFactory(
        traeger=traeger,
        organisation=organisation,
        person=recent,
        case_manager=case_manager,
        opened_on=dt.date(2026, 12, 1),
    )
    deadlines_refresh_for_person(long_ago, today=TODAY)
    deadlines_refresh_for_person(recent, today=TODAY)

    old = _deadline(long_ago, "leitziel-iii")
    assert old.status == DeadlineStatus.BEFORE_CASE and old.automatic
    assert old.display_status(TODAY) == DisplayStatus.BEFORE_CASE
    assert _deadline(recent, "leitziel-iii").status == DeadlineStatus.OPEN

    pending, _order = worklist_for_user(
        case_manager, filters=WorklistFilter(mine=False), today=TODAY
    )
    assert long_ago.pk not in set(pending.values_list("person_id", flat=True))
    assert recent.pk in set(pending.values_list("person_id", flat=True))
    apart, _order = worklist_for_user(
        case_manager,
        filters=WorklistFilter(mine=False, status=DisplayStatus.BEFORE_CASE),
        today=TODAY,
    )
    assert old.pk in set(apart.values_list("pk", flat=True))


def test_a_person_without_a_case_keeps_missed_deadlines(traeger, organisation, lippe_goals):
    waiting = PersonFactory(
        traeger=traeger, organisation=organisation, registered_on=dt.date(2026, 10, 1)
    )
    deadlines_refresh_for_person(waiting, today=TODAY)
    deadline = _deadline(waiting, "leitziel-iii")
    assert deadline.status == DeadlineStatus.OPEN
    assert deadline.display_status(TODAY) == DisplayStatus.MISSED


def test_the_parents_case_counts_for_the_children(traeger, organisation, case_manager, lippe_goals):
    household = Household.objects.create(traeger=traeger, label="Haddad")
    mother = PersonFactory(
        traeger=traeger,
        organisation=organisation,
        registered_on=dt.date(2024, 1, 8),
        household=household,
        household_role=Person.HouseholdRole.HEAD,
    )
    child = PersonFactory(
        traeger=traeger,
        organisation=organisation,
        date_of_birth=dt.date(2018, 5, 1),
        registered_on=dt.date(2024, 1, 8),
        household=household,
        household_role=Person.HouseholdRole.CHILD,
    )
    CaseFactory(
        traeger=traeger,
        organisation=organisation,
        person=mother,
        case_manager=case_manager,
        opened_on=dt.date(2026, 11, 2),
    )
    deadlines_refresh_for_person(mother, today=TODAY)
    assert _deadline(child, "leitziel-iii").status == DeadlineStatus.BEFORE_CASE


def test_the_worklist_filter_offers_the_status(client, case_manager, lippe_goals):
    client.force_login(case_manager)
    response = client.get(reverse("deadlines:worklist"), {"status": "before_case"})
    assert response.status_code == 200
    assert "vor Fallbeginn abgelaufen" in response.content.decode()
