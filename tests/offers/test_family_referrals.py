"""Families (issue 10): referrals from a parent's case for household members, checked by the
child's age, and the deadlines they meet (Schule I, Kita III, Arbeit I) with their evidence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from lotse.deadlines.models import DeadlineStatus, PersonGoalDeadline
from lotse.deadlines.services import deadlines_refresh_for_person
from lotse.directory.models import Goal
from lotse.offers import services
from lotse.offers.models import Offer, OfferKind, Referral, ReferralState
from lotse.people.models import Household, Person
from tests.deadlines.conftest import lippe_goals  # noqa: F401  (fixture)
from tests.factories import (
    CaseFactory,
    FieldOfActionFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db
S = ReferralState
TODAY = timezone.localdate


def born_years_ago(years: int) -> dt.date:
    today = TODAY()
    return today.replace(year=today.year - years) - dt.timedelta(days=30)


@pytest.fixture
def household_case(traeger, organisation, case_manager):
    """A mother of 36 with children of 7 and 3, registered a week ago, with an open case."""
    registered = TODAY() - dt.timedelta(days=7)
    household = Household.objects.create(traeger=traeger, label="Haddad")

    def member(first_name: str, age: int, role: str) -> Person:
        return PersonFactory(
            traeger=traeger,
            organisation=organisation,
            first_name=first_name,
            last_name="Haddad",
            date_of_birth=born_years_ago(age),
            registered_on=registered,
            household=household,
            household_role=role,
        )

    mother = member("Amina", 36, Person.HouseholdRole.HEAD)
    pupil = member("Lina", 7, Person.HouseholdRole.CHILD)
    toddler = member("Omar", 3, Person.HouseholdRole.CHILD)
    case = CaseFactory(
        traeger=traeger,
        organisation=organisation,
        person=mother,
        case_manager=case_manager,
        opened_on=registered,
    )
    return case, mother, pupil, toddler


def offer(traeger, kind: str, title: str, **extra) -> Offer:
    return Offer.objects.create(
        traeger=traeger, key=title.lower().replace(" ", "-"), kind=kind, title=title, **extra
    )


@pytest.fixture
def school(traeger):
    return offer(traeger, OfferKind.SCHOOL, "Grundschule am Wall", min_age=6, max_age=10)


@pytest.fixture
def kita(traeger):
    return offer(traeger, OfferKind.KITA, "Kita Regenbogen", max_age=6)


def deadline(person: Person, key: str) -> PersonGoalDeadline:
    return PersonGoalDeadline.objects.get(person=person, goal__key=key)


def move(actor, referral: Referral, to_state: str) -> Referral:
    referral.refresh_from_db()
    return services.referral_transition(
        actor=actor, referral=referral, to_state=to_state, expected_version=referral.version
    )


def test_a_child_is_referred_from_the_parents_case_and_checked_by_its_own_age(
    case_manager, household_case, school
):
    case, mother, pupil, _toddler = household_case
    assert not services.check_eligibility(case=case, offer=school).eligible  # the mother is 36

    referral = services.referral_create(actor=case_manager, case=case, offer=school, person=pupil)

    assert referral.person == pupil and referral.case == case
    assert referral.eligibility_failures == [] and referral.override_reason == ""


def test_without_a_person_the_referral_is_for_the_case_person(case_manager, household_case, kita):
    case, mother, _pupil, _toddler = household_case
    with pytest.raises(ValidationError) as error:
        services.referral_create(actor=case_manager, case=case, offer=kita)
    assert "override_reason" in error.value.message_dict  # Höchstalter 6 (Alter: 36)
    referral = services.referral_create(
        actor=case_manager, case=case, offer=kita, override_reason="Elternkurs mit Kind"
    )
    assert referral.person == mother


def test_a_person_outside_the_household_cannot_be_referred(
    traeger, organisation, case_manager, household_case, school
):
    case, *_ = household_case
    stranger = PersonFactory(
        traeger=traeger, organisation=organisation, date_of_birth=born_years_ago(7)
    )
    with pytest.raises(ValidationError) as error:
        services.referral_create(actor=case_manager, case=case, offer=school, person=stranger)
    assert "person" in error.value.message_dict
    assert not Referral.objects.exists()


def test_the_same_offer_may_be_open_once_per_person(case_manager, household_case, kita):
    case, _mother, pupil, toddler = household_case
    services.referral_create(actor=case_manager, case=case, offer=kita, person=toddler)
    services.referral_create(
        actor=case_manager, case=case, offer=kita, person=pupil, override_reason="Hort"
    )
    with pytest.raises(ValidationError):
        services.referral_create(actor=case_manager, case=case, offer=kita, person=toddler)


def test_school_enrolment_meets_schule_i_for_that_child_only(
    case_manager,
    household_case,
    school,
    lippe_goals,  # noqa: F811
):
    case, mother, pupil, toddler = household_case
    deadlines_refresh_for_person(mother)
    assert deadline(pupil, "schule-i").status == DeadlineStatus.OPEN

    referral = services.referral_create(actor=case_manager, case=case, offer=school, person=pupil)
    assert deadline(pupil, "schule-i").status == DeadlineStatus.OPEN  # requested is not enrolled

    move(case_manager, referral, S.ACCEPTED)

    met = deadline(pupil, "schule-i")
    assert met.status == DeadlineStatus.MET and met.met_on == TODAY()
    assert "Grundschule am Wall" in met.evidence
    assert met.evidence_url == reverse("offers:referral", args=[referral.pk])
    assert met.evidence_link == met.evidence_url
    assert deadline(toddler, "kita-iii").status == DeadlineStatus.OPEN


def test_a_kita_offer_meets_kita_iii(case_manager, household_case, kita, lippe_goals):  # noqa: F811
    case, mother, _pupil, toddler = household_case
    deadlines_refresh_for_person(mother)
    referral = services.referral_create(actor=case_manager, case=case, offer=kita, person=toddler)
    move(case_manager, referral, S.ACCEPTED)

    met = deadline(toddler, "kita-iii")
    assert met.status == DeadlineStatus.MET
    assert met.evidence_url == reverse("offers:referral", args=[referral.pk])


def test_a_declined_kita_referral_meets_nothing(case_manager, household_case, kita, lippe_goals):  # noqa: F811
    case, mother, _pupil, toddler = household_case
    deadlines_refresh_for_person(mother)
    referral = services.referral_create(actor=case_manager, case=case, offer=kita, person=toddler)
    move(case_manager, referral, S.DECLINED)
    assert deadline(toddler, "kita-iii").status == DeadlineStatus.OPEN


def test_job_counselling_referred_meets_arbeit_i_but_language_counselling_does_not(
    traeger,
    case_manager,
    household_case,
    lippe_goals,  # noqa: F811
):
    case, mother, _pupil, _toddler = household_case
    arbeit = FieldOfActionFactory(traeger=traeger, key="arbeit", name="Arbeit")
    sprache = FieldOfActionFactory(traeger=traeger, key="sprache", name="Sprache")
    Goal.objects.filter(pk=lippe_goals["arbeit-i"].pk).update(field_of_action=arbeit)
    deadlines_refresh_for_person(mother)
    assert deadline(mother, "arbeit-i").status == DeadlineStatus.OPEN

    language = offer(traeger, OfferKind.COUNSELLING, "Sprachberatung", field_of_action=sprache)
    services.referral_create(actor=case_manager, case=case, offer=language)
    assert deadline(mother, "arbeit-i").status == DeadlineStatus.OPEN

    jobs = offer(traeger, OfferKind.RECOGNITION, "Anerkennungsberatung", field_of_action=arbeit)
    referral = services.referral_create(actor=case_manager, case=case, offer=jobs)
    met = deadline(mother, "arbeit-i")
    assert met.status == DeadlineStatus.MET and met.met_on == referral.requested_on
    assert met.evidence_url == reverse("offers:referral", args=[referral.pk])


def test_the_referral_form_offers_the_household_and_checks_the_chosen_child(
    client, case_manager, household_case, school
):
    case, mother, pupil, toddler = household_case
    client.force_login(case_manager)
    url = reverse("offers:referral_create", args=[case.pk])

    page = client.get(url, {"angebot": school.pk, "person": pupil.pk})
    assert page.status_code == 200
    html = page.content.decode()
    for person in (mother, pupil, toddler):
        assert f'value="{person.pk}"' in html
    assert "Höchstalter" not in html and "Mindestalter" not in html

    page = client.get(url, {"angebot": school.pk})
    assert "Höchstalter 10 Jahre (Alter: 36)" in page.content.decode()

    response = client.post(url, {"offer": school.pk, "person": pupil.pk})
    referral = Referral.objects.get()
    assert response.status_code == 302 and referral.person == pupil
    listing = client.get(reverse("offers:case_referrals", args=[case.pk])).content.decode()
    assert "Lina Haddad" in listing


def test_the_referral_form_refuses_a_person_outside_the_household_with_422(
    client, traeger, organisation, case_manager, household_case, school
):
    case, *_ = household_case
    stranger = PersonFactory(traeger=traeger, organisation=organisation)
    client.force_login(case_manager)
    response = client.post(
        reverse("offers:referral_create", args=[case.pk]),
        {"offer": school.pk, "person": stranger.pk},
    )
    assert response.status_code == 422
    assert not Referral.objects.exists()


def test_the_api_refers_a_household_member_and_validates_the_person(
    client_for, traeger, organisation, case_manager, household_case, school
):
    case, _mother, pupil, _toddler = household_case
    api = client_for(case_manager)
    url = f"/api/v1/cases/{case.pk}/referrals/"

    response = api.post(url, {"offer": school.pk, "person": pupil.pk}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["person"] == pupil.pk

    stranger = PersonFactory(traeger=traeger, organisation=organisation)
    response = api.post(url, {"offer": school.pk, "person": stranger.pk}, format="json")
    assert response.status_code == 400 and "person" in response.json()
    assert Referral.objects.count() == 1
