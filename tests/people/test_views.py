from __future__ import annotations

import pytest
from django.urls import reverse

from lotse.audit.models import AuditEntry
from lotse.people.models import Person, ResidenceStatusRecord
from tests.factories import MunicipalityFactory, PersonFactory, ResidenceStatusTypeFactory

pytestmark = pytest.mark.django_db


def test_create_person_with_errors_at_the_field_then_success(client, case_manager, traeger):
    municipality = MunicipalityFactory(traeger=traeger, name="Lage")
    client.force_login(case_manager)
    url = reverse("people:create")
    response = client.post(
        url,
        {
            "first_name": "Oksana",
            "last_name": "",
            "sex": "female",
            "date_of_birth": "2090-01-01",
            "interpreter_needed": "on",
        },
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert "last_name" in errors and "interpreter_language" in errors
    assert not Person.objects.exists()

    response = client.post(
        url,
        {
            "first_name": "Oksana",
            "last_name": "Kovalenko",
            "sex": "female",
            "date_of_birth": "1988-03-02",
            "municipality": municipality.pk,
            "registered_on": "2026-11-01",
            "nationalities": ["UA"],
            "languages": ["uk", "ru"],
        },
    )
    person = Person.objects.get()
    assert response.status_code == 302
    assert person.traeger == traeger and person.organisation == case_manager.organisation
    assert person.nationalities == ["UA"]
    assert person.search_name == "oksana kovalenko"
    assert AuditEntry.objects.filter(
        action="create", object_type="person", person_id=person.pk
    ).exists()


def test_future_birth_date_is_refused_by_the_service(client, case_manager):
    client.force_login(case_manager)
    response = client.post(
        reverse("people:create"),
        {"first_name": "A", "last_name": "B", "sex": "male", "date_of_birth": "2090-01-01"},
    )
    assert response.status_code == 422
    assert "date_of_birth" in response.context["form"].errors


def test_residence_status_history_keeps_every_entry(client, case_manager, traeger, organisation):
    person = PersonFactory(traeger=traeger, organisation=organisation)
    gestattung = ResidenceStatusTypeFactory(traeger=traeger, name="Aufenthaltsgestattung")
    anerkennung = ResidenceStatusTypeFactory(
        traeger=traeger, name="Aufenthaltserlaubnis § 25 Abs. 2"
    )
    client.force_login(case_manager)
    url = reverse("people:residence_status_add", args=[person.pk])
    client.post(
        url, {"status": gestattung.pk, "valid_from": "2025-01-10", "valid_until": "2025-07-10"}
    )
    client.post(
        url, {"status": anerkennung.pk, "valid_from": "2025-09-01", "valid_until": "2028-08-31"}
    )
    bad = client.post(
        url, {"status": anerkennung.pk, "valid_from": "2026-09-01", "valid_until": "2026-01-01"}
    )
    assert bad.status_code == 422 and "valid_until" in bad.context["form"].errors
    assert ResidenceStatusRecord.objects.filter(person=person).count() == 2
    detail = client.get(reverse("people:detail", args=[person.pk]))
    assert detail.context["current_status"].status == anerkennung


def test_family_member_joins_household(client, case_manager, traeger, organisation):
    parent = PersonFactory(traeger=traeger, organisation=organisation, last_name="Haidari")
    client.force_login(case_manager)
    response = client.post(
        reverse("people:family_member_add", args=[parent.pk]),
        {
            "member_role": "child",
            "first_name": "Sahar",
            "last_name": "Haidari",
            "sex": "female",
            "date_of_birth": "2018-04-03",
        },
    )
    assert response.status_code == 302
    child = Person.objects.get(first_name="Sahar")
    parent.refresh_from_db()
    assert child.household_id == parent.household_id is not None
    assert child.household_role == "child" and parent.household_role == "head"
    detail = client.get(reverse("people:detail", args=[parent.pk]))
    assert detail.context["household"] == [child]


def test_person_edit_conflict(client, case_manager, team_lead, traeger, organisation):
    person = PersonFactory(
        traeger=traeger, organisation=organisation, first_name="Amina", last_name="Haddad"
    )
    url = reverse("people:edit", args=[person.pk])
    form = {
        "first_name": "Amina",
        "last_name": "Haddad",
        "sex": "female",
        "version": person.version,
    }
    client.force_login(case_manager)
    assert client.post(url, {**form, "last_name": "Haddad-Saleh"}).status_code == 302
    client.force_login(team_lead)
    response = client.post(url, {**form, "first_name": "Aminah"})
    assert response.status_code == 409
    person.refresh_from_db()
    assert (person.first_name, person.last_name) == ("Amina", "Haddad-Saleh")
