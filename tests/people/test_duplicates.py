"""Likely duplicates at entry: form, API and import (issue 11)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from lotse.accounts.models import Role
from lotse.audit.models import AuditEntry
from lotse.people import services
from lotse.people.duplicates import LikelyDuplicate, likely_duplicates
from lotse.people.models import DistinctPersonConfirmation, Person
from tests.factories import (
    CaseManagementPostFactory,
    OrganisationFactory,
    PersonFactory,
    TraegerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

BORN = dt.date(1990, 5, 17)


@pytest.fixture
def haddad(traeger, organisation):
    return PersonFactory(
        traeger=traeger,
        organisation=organisation,
        first_name="Mohammed",
        last_name="Haddad",
        date_of_birth=BORN,
    )


def check(user, first, last, born=BORN):
    return likely_duplicates(user, first_name=first, last_name=last, date_of_birth=born)


@pytest.mark.parametrize(
    ("first", "last", "born"),
    [
        ("Mohammed", "Haddad", BORN),  # the same
        ("Muhammad", "Hadad", BORN),  # transliteration
        ("Haddad", "Mohamad", BORN),  # first and last name swapped
        ("Mohamed", "Haddad", dt.date(1990, 1, 1)),  # same year (placeholder date)
        ("Mohamed", "Haddad", dt.date(1990, 5, 17).replace(month=5)),
        ("Mohamed", "Haddad", None),  # no date entered
    ],
)
def test_likely_duplicates_by_name_key_and_birth_date(case_manager, haddad, first, last, born):
    assert check(case_manager, first, last, born).visible == [haddad]


def test_day_and_month_swapped_is_a_candidate(case_manager, traeger, organisation):
    person = PersonFactory(
        traeger=traeger,
        organisation=organisation,
        first_name="Leyla",
        last_name="Nouri",
        date_of_birth=dt.date(1985, 3, 4),
    )
    assert check(case_manager, "Leila", "Nuri", dt.date(1986, 4, 3)).visible == []
    assert check(case_manager, "Leila", "Nuri", dt.date(1985, 4, 3)).visible == [person]


@pytest.mark.parametrize(
    ("first", "last", "born"),
    [
        ("Mohammed", "Haddad", dt.date(1991, 5, 17)),  # another year
        ("Amina", "Haddad", BORN),  # another first name
        ("Mohammed", "Haddadi", BORN),  # another surname
    ],
)
def test_no_candidate_for_another_person(case_manager, haddad, first, last, born):
    assert not check(case_manager, first, last, born).any


def test_outside_the_team_only_a_bare_hint_and_never_across_traeger(
    client, case_manager, traeger, haddad
):
    other_org = OrganisationFactory(traeger=traeger)
    other_post = CaseManagementPostFactory(traeger=traeger, organisation=other_org)
    Person.objects.filter(pk=haddad.pk).update(organisation=other_org, post=other_post)
    other_traeger = TraegerFactory()
    PersonFactory(traeger=other_traeger, first_name="Amina", last_name="Yilmaz", date_of_birth=BORN)
    result = check(case_manager, "Mohamad", "Hadad")
    assert result.visible == [] and result.elsewhere
    assert not check(case_manager, "Amina", "Yılmaz").any

    client.force_login(case_manager)
    response = client.post(
        reverse("people:create"),
        {
            "first_name": "Mohamad",
            "last_name": "Hadad",
            "date_of_birth": "1990-05-17",
            "sex": "male",
        },
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "bereits erfasst – bitte wenden Sie sich an die Servicestelle" in page
    assert reverse("people:detail", args=[haddad.pk]) not in page
    assert "Wahrscheinliche Dubletten" not in page and "Mohammed" not in page


def test_form_offers_the_existing_person_then_creates_with_a_reason(client, case_manager, haddad):
    client.force_login(case_manager)
    data = {
        "first_name": "Muhammad",
        "last_name": "Hadad",
        "date_of_birth": "1990-05-17",
        "sex": "male",
    }
    response = client.post(reverse("people:create"), data)
    assert response.status_code == 409
    page = response.content.decode()
    assert reverse("people:detail", args=[haddad.pk]) in page
    assert "Haddad, Mohammed" in page and "17.05.1990" in page
    assert 'name="distinct_reason"' in page
    assert Person.objects.count() == 1

    # Saving again without a reason offers the duplicates again; nothing is stored.
    response = client.post(reverse("people:create"), {**data, "distinct_reason": " "})
    assert response.status_code == 409 and Person.objects.count() == 1

    response = client.post(
        reverse("people:create"), {**data, "distinct_reason": "Anderer Vater laut Pass"}
    )
    assert response.status_code == 302
    new = Person.objects.exclude(pk=haddad.pk).get()
    confirmation = DistinctPersonConfirmation.objects.get(person=new)
    assert confirmation.reason == "Anderer Vater laut Pass"
    assert confirmation.candidate_ids == [haddad.pk] and confirmation.confirmed_by == case_manager
    assert AuditEntry.objects.filter(person_id=new.pk, detail=f"distinct_from:{haddad.pk}").exists()


def test_a_family_member_that_exists_is_offered_too(client, case_manager, traeger, organisation):
    mother = PersonFactory(traeger=traeger, organisation=organisation, last_name="Rahimi")
    child = PersonFactory(
        traeger=traeger,
        organisation=organisation,
        first_name="Omid",
        last_name="Rahimi",
        date_of_birth=dt.date(2016, 2, 1),
    )
    client.force_login(case_manager)
    response = client.post(
        reverse("people:family_member_add", args=[mother.pk]),
        {
            "member_role": "child",
            "first_name": "Omid",
            "last_name": "Rahimi",
            "date_of_birth": "2016-02-01",
            "sex": "male",
        },
    )
    assert response.status_code == 409
    assert reverse("people:detail", args=[child.pk]) in response.content.decode()


def test_service_raises_for_every_entry_path(case_manager, haddad):
    with pytest.raises(LikelyDuplicate) as raised:
        services.person_create(
            actor=case_manager, first_name="Mohamed", last_name="Hadad", date_of_birth=BORN
        )
    assert raised.value.check.visible == [haddad]


def test_api_answers_409_with_visible_ids_unless_confirmed(client, case_manager, haddad):
    client.force_login(case_manager)
    body = {"first_name": "Muhammad", "last_name": "Hadad", "date_of_birth": "1990-05-17"}
    response = client.post("/api/v1/persons/", body, content_type="application/json")
    assert response.status_code == 409
    assert response.json()["candidates"] == [haddad.pk]
    assert response.json()["code"] == "likely_duplicate"

    response = client.post(
        "/api/v1/persons/", {**body, "confirm_distinct": True}, content_type="application/json"
    )
    assert response.status_code == 400 and "distinct_reason" in response.json()

    response = client.post(
        "/api/v1/persons/",
        {**body, "confirm_distinct": True, "distinct_reason": "Zwillingsbruder"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert DistinctPersonConfirmation.objects.get().reason == "Zwillingsbruder"


def test_api_hides_candidates_outside_the_team(client, traeger, haddad):
    stranger = UserFactory(
        traeger=traeger,
        organisation=OrganisationFactory(traeger=traeger),
        roles=[Role.CASE_MANAGEMENT],
    )
    client.force_login(stranger)
    response = client.post(
        "/api/v1/persons/",
        {"first_name": "Mohammed", "last_name": "Haddad", "date_of_birth": "1990-05-17"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["candidates"] == [] and response.json()["elsewhere_in_traeger"] is True
