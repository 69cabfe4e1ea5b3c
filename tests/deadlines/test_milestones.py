"""Deadlines follow the work (issue 10): the completed Erstgespräch meets the arrival
conversation (Leitziel III, ``milestone: ankommensgespraech``) for the whole household."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lotse.audit.models import AuditEntry
from lotse.deadlines.models import DeadlineStatus, PersonGoalDeadline
from lotse.deadlines.services import deadlines_refresh_for_person
from lotse.intake import services as intake_services
from lotse.intake.models import InitialInterview
from lotse.people.models import Household, Person
from tests.factories import CaseFactory, PersonFactory
from tests.intake.conftest import GUIDE_SECTIONS, complete_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def guide(traeger):
    from lotse.directory.models import InterviewGuide

    return InterviewGuide.objects.create(
        traeger=traeger,
        key="erstgespraech",
        name="Leitfaden Erstgespräch",
        guide_version="1.0",
        sections=GUIDE_SECTIONS,
    )


def test_the_erstgespraech_meets_the_arrival_conversation_for_the_household(
    traeger, organisation, case_manager, lippe_goals, guide
):
    registered = timezone.localdate() - dt.timedelta(days=6)
    household = Household.objects.create(traeger=traeger, label="Haddad")
    mother = PersonFactory(
        traeger=traeger,
        organisation=organisation,
        date_of_birth=dt.date(1990, 5, 17),
        registered_on=registered,
        household=household,
        household_role=Person.HouseholdRole.HEAD,
    )
    children = [
        PersonFactory(
            traeger=traeger,
            organisation=organisation,
            date_of_birth=born,
            registered_on=registered,
            household=household,
            household_role=Person.HouseholdRole.CHILD,
        )
        for born in (
            timezone.localdate() - dt.timedelta(days=7 * 366),
            timezone.localdate() - dt.timedelta(days=3 * 366),
        )
    ]
    case = CaseFactory(
        traeger=traeger,
        organisation=organisation,
        person=mother,
        case_manager=case_manager,
        opened_on=registered,
    )
    deadlines_refresh_for_person(mother)
    arrival = PersonGoalDeadline.objects.filter(goal__key="leitziel-iii")
    assert set(arrival.values_list("status", flat=True)) == {DeadlineStatus.OPEN}

    held = timezone.now() - dt.timedelta(days=1)
    intake_services.interview_save(
        actor=case_manager,
        case=case,
        expected_version=0,
        held_at=held,
        answers=complete_answers(),
        location="Regionalbüro",
        participants="Klientin",
        complete=True,
    )

    assert InitialInterview.objects.get(case=case).is_completed
    met = {row.person_id: row for row in arrival}
    assert set(met) == {mother.pk, *(child.pk for child in children)}
    for row in met.values():
        assert row.status == DeadlineStatus.MET
        assert row.met_on == timezone.localtime(held).date()
        assert case.reference in row.evidence and not row.automatic
    assert (
        AuditEntry.objects.filter(
            object_type="deadline", detail__contains="ankommensgespraech"
        ).count()
        == 3
    )
    # Other goals are not touched by the Erstgespräch, and a refresh keeps the decision.
    assert (
        PersonGoalDeadline.objects.filter(person=mother, goal__key="sprache-iii").get().status
        == DeadlineStatus.OPEN
    )
    deadlines_refresh_for_person(mother)
    assert set(arrival.values_list("status", flat=True)) == {DeadlineStatus.MET}
