"""Families (issue 10): the stage Einwanderungs-/Integrationsprozess is per person and field."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lotse.cases import services
from lotse.cases.models import FieldProcess
from lotse.people.models import Household, Person
from tests.factories import CaseFactory, FieldOfActionFactory, PersonFactory

pytestmark = pytest.mark.django_db
STAGE = FieldProcess.Stage


@pytest.fixture
def household_case(traeger, organisation, case_manager):
    household = Household.objects.create(traeger=traeger, label="Haddad")
    mother, child = (
        PersonFactory(
            traeger=traeger,
            organisation=organisation,
            first_name=name,
            last_name="Haddad",
            date_of_birth=born,
            household=household,
            household_role=role,
        )
        for name, born, role in (
            ("Amina", dt.date(1990, 5, 17), Person.HouseholdRole.HEAD),
            ("Lina", dt.date(2019, 3, 1), Person.HouseholdRole.CHILD),
        )
    )
    case = CaseFactory(
        traeger=traeger, organisation=organisation, person=mother, case_manager=case_manager
    )
    return case, mother, child


@pytest.fixture
def kita_schule(traeger):
    return FieldOfActionFactory(traeger=traeger, key="kita-schule", name="Kita/Schule")


def test_mother_and_child_have_their_own_stage_in_a_field(
    case_manager, household_case, kita_schule
):
    case, mother, child = household_case
    services.field_process_set(
        actor=case_manager, case=case, field_of_action=kita_schule, stage=STAGE.IMMIGRATION
    )
    services.field_process_set(
        actor=case_manager,
        case=case,
        field_of_action=kita_schule,
        stage=STAGE.INTEGRATION,
        person=child,
    )
    stages = dict(FieldProcess.objects.filter(case=case).values_list("person_id", "stage"))
    assert stages == {mother.pk: STAGE.IMMIGRATION, child.pk: STAGE.INTEGRATION}


def test_a_person_outside_the_household_gets_no_stage(
    traeger, organisation, case_manager, household_case, kita_schule
):
    case, *_ = household_case
    stranger = PersonFactory(traeger=traeger, organisation=organisation)
    with pytest.raises(ValidationError) as error:
        services.field_process_set(
            actor=case_manager,
            case=case,
            field_of_action=kita_schule,
            stage=STAGE.INTEGRATION,
            person=stranger,
        )
    assert "person" in error.value.message_dict
    assert not FieldProcess.objects.exists()


def test_the_case_page_shows_the_stage_per_person(
    client, case_manager, household_case, kita_schule
):
    case, _mother, child = household_case
    client.force_login(case_manager)
    response = client.post(
        reverse("cases:field_process", args=[case.pk]),
        {"person": child.pk, "field_of_action": kita_schule.pk, "stage": STAGE.INTEGRATION},
    )
    assert response.status_code == 302
    assert FieldProcess.objects.get().person == child
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Lina Haddad – Kita/Schule" in page


def test_a_foreign_person_on_the_form_is_422(
    client, traeger, organisation, case_manager, household_case, kita_schule
):
    case, *_ = household_case
    stranger = PersonFactory(traeger=traeger, organisation=organisation)
    client.force_login(case_manager)
    response = client.post(
        reverse("cases:field_process", args=[case.pk]),
        {"person": stranger.pk, "field_of_action": kita_schule.pk, "stage": STAGE.INTEGRATION},
    )
    assert response.status_code == 422
    assert not FieldProcess.objects.exists()
