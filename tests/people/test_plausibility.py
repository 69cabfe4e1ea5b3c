"""Issue 11: implausible dates and oversized texts are refused at the field, in the form, the
API and the import alike, with the German message of core.dates / core.forms."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from lotse.people.models import Person

pytestmark = pytest.mark.django_db

TOMORROW = timezone.localdate() + dt.timedelta(days=1)


@pytest.fixture
def api(case_manager):
    client = APIClient()
    client.force_login(case_manager)
    return client


def test_the_person_form_refuses_birth_year_1_and_a_registration_next_year(client, case_manager):
    client.force_login(case_manager)
    response = client.post(
        reverse("people:create"),
        {
            "first_name": "Amina",
            "last_name": "Haddad",
            "sex": "female",
            "date_of_birth": "0001-05-17",
            "registered_on": TOMORROW.isoformat(),
        },
    )

    assert response.status_code == 422
    errors = response.context["form"].errors
    assert errors["date_of_birth"] == [
        "Das Geburtsdatum liegt vor 1900. Bitte das Jahr vierstellig prüfen."
    ]
    assert errors["registered_on"] == ["Das Datum liegt in der Zukunft."]
    assert not Person.objects.exists()


def test_the_person_form_takes_german_dates(client, case_manager):
    client.force_login(case_manager)
    response = client.post(
        reverse("people:create"),
        {
            "first_name": "Amina",
            "last_name": "Haddad",
            "sex": "female",
            "date_of_birth": "17.05.1990",
            "registered_on": "01.10.2025",
        },
    )

    assert response.status_code == 302
    person = Person.objects.get()
    assert (person.date_of_birth, person.registered_on) == (
        dt.date(1990, 5, 17),
        dt.date(2025, 10, 1),
    )


def test_the_api_refuses_the_same_dates_at_the_same_fields(api):
    response = api.post(
        reverse("api:person-list"),
        {
            "last_name": "Haddad",
            "first_name": "Amina",
            "date_of_birth": "1899-12-31",
            "registered_on": TOMORROW.isoformat(),
        },
        format="json",
    )

    assert response.status_code == 400
    body = response.json()
    assert body["date_of_birth"] == [
        "Das Geburtsdatum liegt vor 1900. Bitte das Jahr vierstellig prüfen."
    ]
    assert body["registered_on"] == ["Das Datum liegt in der Zukunft."]
    assert not Person.objects.exists()


def test_the_api_refuses_an_oversized_health_note_with_limit_and_count(api):
    response = api.post(
        reverse("api:person-list"),
        {"last_name": "Haddad", "first_name": "Amina", "health_notes": "x" * 5_001},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["health_notes"] == ["Höchstens 5.000 Zeichen (eingegeben: 5.001)."]
    assert not Person.objects.exists()
