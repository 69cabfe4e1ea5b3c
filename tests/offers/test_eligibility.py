"""Eligibility rules as data, including the main-countries rule of § 44 AufenthG."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lotse.offers import eligibility
from lotse.offers.models import AccessPath, Offer
from lotse.offers.services import check_eligibility
from tests.factories import CaseFactory, MunicipalityFactory, PersonFactory, TargetGroupFactory
from tests.offers.conftest import give_status, years_ago

pytestmark = pytest.mark.django_db


def client_case(traeger, organisation, **person):
    person.setdefault("date_of_birth", years_ago(30))
    who = PersonFactory(traeger=traeger, organisation=organisation, **person)
    return CaseFactory(traeger=traeger, organisation=organisation, person=who)


def codes(result: eligibility.Eligibility) -> set[str]:
    return {f.code for f in result.failures}


@pytest.mark.parametrize("country", ["SY", "IQ", "IR", "ER", "SO"])
def test_asylum_seeker_from_a_main_country_may_join_the_integration_course(
    traeger, organisation, integration_course, gestattung, country
):
    case = client_case(traeger, organisation, nationalities=[country])
    give_status(case.person, gestattung)

    result = check_eligibility(case=case, offer=integration_course)

    assert result.eligible
    assert result.matched_path == "Hauptherkunftsland"


def test_asylum_seeker_from_another_country_may_not(
    traeger, organisation, integration_course, gestattung
):
    case = client_case(traeger, organisation, nationalities=["AF"])
    give_status(case.person, gestattung)

    result = check_eligibility(case=case, offer=integration_course)

    assert not result.eligible
    # Both paths fail, each names why: the first on status, the second on nationality.
    assert {(f.path, f.code) for f in result.failures} == {
        ("Titel", "status"),
        ("Hauptherkunftsland", "nationality"),
    }


def test_recognised_refugee_qualifies_whatever_the_nationality(
    traeger, organisation, integration_course, refugee_status
):
    case = client_case(traeger, organisation, nationalities=["AF"])
    give_status(case.person, refugee_status)

    assert check_eligibility(case=case, offer=integration_course).eligible


def test_main_country_without_gestattung_does_not_qualify_on_that_path(
    traeger, organisation, integration_course
):
    case = client_case(traeger, organisation, nationalities=["SY"])

    result = check_eligibility(case=case, offer=integration_course)

    assert not result.eligible
    assert ("Hauptherkunftsland", "status") in {(f.path, f.code) for f in result.failures}


def test_a_second_nationality_from_a_main_country_counts(
    traeger, organisation, integration_course, gestattung
):
    case = client_case(traeger, organisation, nationalities=["TR", "sy"])
    give_status(case.person, gestattung)

    assert check_eligibility(case=case, offer=integration_course).eligible


def test_expired_and_future_statuses_do_not_count(
    traeger, organisation, integration_course, gestattung, refugee_status
):
    today = timezone.localdate()
    case = client_case(traeger, organisation, nationalities=["AF"])
    give_status(
        case.person,
        refugee_status,
        since=today - dt.timedelta(days=400),
        until=today - dt.timedelta(days=1),
    )
    give_status(case.person, refugee_status, since=today + dt.timedelta(days=10))

    assert not check_eligibility(case=case, offer=integration_course).eligible


def test_minimum_age_applies_to_every_path(
    traeger, organisation, integration_course, refugee_status
):
    case = client_case(traeger, organisation, nationalities=["SY"], date_of_birth=years_ago(15))
    give_status(case.person, refugee_status)

    result = check_eligibility(case=case, offer=integration_course)

    assert not result.eligible
    assert codes(result) == {"min_age"}


@pytest.mark.parametrize(
    ("age_years", "days", "eligible"),
    [(27, 0, True), (27, 364, True), (28, 0, False), (17, 364, False), (18, 0, True)],
)
def test_age_limits_are_inclusive_and_counted_on_the_day(
    traeger, organisation, age_years, days, eligible
):
    offer = Offer.objects.create(
        traeger=traeger,
        key="jik",
        kind="youth_integration_course",
        title="JIK",
        min_age=18,
        max_age=27,
    )
    case = client_case(traeger, organisation, date_of_birth=years_ago(age_years, days))

    assert check_eligibility(case=case, offer=offer).eligible is eligible


def test_unknown_date_of_birth_fails_an_age_rule(traeger, organisation):
    offer = Offer.objects.create(traeger=traeger, key="a", kind="other", title="A", max_age=27)
    case = client_case(traeger, organisation, date_of_birth=None)

    assert codes(check_eligibility(case=case, offer=offer)) == {"max_age"}


def test_municipalities_served(traeger, organisation, detmold):
    barntrup = MunicipalityFactory(traeger=traeger, key="barntrup", name="Barntrup")
    offer = Offer.objects.create(traeger=traeger, key="k", kind="kita", title="Kita")
    offer.municipalities.set([detmold])

    inside = client_case(traeger, organisation, municipality=detmold)
    outside = client_case(traeger, organisation, municipality=barntrup)

    assert check_eligibility(case=inside, offer=offer).eligible
    assert codes(check_eligibility(case=outside, offer=offer)) == {"municipality"}


def test_target_groups_match_their_sub_groups(traeger, organisation):
    refugees = TargetGroupFactory(traeger=traeger, key="gefluechtete")
    asylum = TargetGroupFactory(traeger=traeger, key="asylbewerber", parent=refugees)
    eu = TargetGroupFactory(traeger=traeger, key="eu")
    offer = Offer.objects.create(traeger=traeger, key="o", kind="counselling", title="Beratung")
    path = AccessPath.objects.create(traeger=traeger, offer=offer, label="Geflüchtete")
    path.target_groups.set([refugees])

    member = client_case(traeger, organisation, target_group=asylum)
    other = client_case(traeger, organisation, target_group=eu)

    assert check_eligibility(case=member, offer=offer).eligible
    assert codes(check_eligibility(case=other, offer=offer)) == {"target_group"}


def test_an_offer_without_conditions_is_open_to_everyone(traeger, organisation, open_offer):
    case = client_case(traeger, organisation, date_of_birth=None, nationalities=[])

    result = check_eligibility(case=case, offer=open_offer)

    assert result.eligible and result.failures == []


def test_checking_many_offers_costs_a_fixed_number_of_queries(
    traeger, organisation, integration_course, gestattung, django_assert_max_num_queries
):
    from lotse.offers.selectors import with_conditions

    for number in range(5):
        extra = Offer.objects.create(traeger=traeger, key=f"x{number}", kind="other", title="X")
        AccessPath.objects.create(traeger=traeger, offer=extra, label="p").statuses.set(
            [gestattung]
        )
    case = client_case(traeger, organisation, nationalities=["SY"])
    facts = eligibility.client_facts(case.person, timezone.localdate())

    with django_assert_max_num_queries(5):
        offers = list(with_conditions(Offer.objects.filter(traeger=traeger)))
        results = [eligibility.check(offer, facts) for offer in offers]

    assert len(results) == 6
