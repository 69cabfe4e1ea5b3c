from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from lotse.audit.models import AuditEntry
from lotse.people.models import Person, ResidenceStatusRecord
from tests.factories import MunicipalityFactory, PersonFactory, TraegerFactory

pytestmark = pytest.mark.django_db

LIST = reverse("api:person-list")


def detail(pk: int) -> str:
    return reverse("api:person-detail", kwargs={"pk": pk})


def statuses(pk: int) -> str:
    return reverse("api:person-residence-statuses", kwargs={"pk": pk})


def test_list_shows_the_team_persons_sorted_by_name(api, traeger, organisation):
    PersonFactory(traeger=traeger, organisation=organisation, last_name="Yilmaz")
    PersonFactory(traeger=traeger, organisation=organisation, last_name="Abadi")

    response = api.get(LIST)

    assert response.status_code == 200
    assert [row["last_name"] for row in response.json()["results"]] == ["Abadi", "Yilmaz"]
    assert response.json()["next"] is None


def test_list_pages_with_a_cursor(api, traeger, organisation):
    for index in range(5):
        PersonFactory(traeger=traeger, organisation=organisation, last_name=f"Name{index}")

    first = api.get(LIST, {"page_size": 2}).json()
    second = api.get(first["next"]).json()
    third = api.get(second["next"]).json()

    names = [row["last_name"] for page in (first, second, third) for row in page["results"]]
    assert names == [f"Name{index}" for index in range(5)]
    assert third["next"] is None


def test_a_tampered_cursor_is_a_400_on_cursor(api, person):
    response = api.get(LIST, {"cursor": "WyJ4IiwgIngiLCAieCJd"})  # ["x", "x", "x"]

    assert response.status_code == 400
    assert "cursor" in response.json()


def test_search_finds_name_variants_and_spellings(api, traeger, organisation):
    PersonFactory(traeger=traeger, organisation=organisation, last_name="Müller")
    PersonFactory(traeger=traeger, organisation=organisation, last_name="Haddad")

    response = api.get(LIST, {"q": "mueller"})

    assert [row["last_name"] for row in response.json()["results"]] == ["Müller"]


def test_create_person(api, municipality):
    response = api.post(
        LIST,
        {
            "last_name": "Haddad",
            "first_name": "Amina",
            "date_of_birth": "1990-05-17",
            "nationalities": ["SY"],
            "languages": ["ar"],
            "interpreter_needed": True,
            "interpreter_language": "ar",
            "municipality": municipality.pk,
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    person = Person.objects.get(pk=body["id"])
    assert (person.last_name, person.municipality, person.version) == ("Haddad", municipality, 1)
    assert body["municipality_name"] == "Detmold"
    assert AuditEntry.objects.filter(
        action="create", object_type="person", person_id=person.pk
    ).exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"first_name": "Amina"}, "last_name"),
        ({"last_name": "H", "first_name": "A", "date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"last_name": "H", "first_name": "A", "nationalities": ["ZZ"]}, "nationalities"),
        ({"last_name": "H", "first_name": "A", "interpreter_needed": True}, "interpreter_language"),
        (
            {"last_name": "H", "first_name": "A", "residence_obligation": True},
            "residence_obligation_place",
        ),
        (
            {
                "last_name": "H",
                "first_name": "A",
                "date_of_birth": "2000-01-01",
                "registered_on": "1999-01-01",
            },
            "registered_on",
        ),
    ],
)
def test_create_validation_errors_name_the_field(api, payload, field):
    response = api.post(LIST, payload, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Person.objects.exists()


def test_a_municipality_of_another_traeger_reads_as_unknown(api):
    foreign = MunicipalityFactory(traeger=TraegerFactory())
    payload = {"last_name": "H", "first_name": "A"}

    foreign_answer = api.post(LIST, {**payload, "municipality": foreign.pk}, format="json")
    unknown_answer = api.post(LIST, {**payload, "municipality": foreign.pk + 1000}, format="json")

    assert foreign_answer.status_code == 400
    assert "municipality" in foreign_answer.json()
    assert foreign_answer.json()["municipality"][0].replace(
        str(foreign.pk), "ID"
    ) == unknown_answer.json()["municipality"][0].replace(str(foreign.pk + 1000), "ID")


def test_retrieve_person_with_history_and_audit(api, person, status_type):
    ResidenceStatusRecord.objects.create(
        traeger=person.traeger, person=person, status=status_type, valid_from=dt.date(2026, 1, 1)
    )

    response = api.get(detail(person.pk))

    assert response.status_code == 200
    body = response.json()
    assert body["last_name"] == "Haddad"
    assert body["residence_statuses"][0]["status_name"] == "Aufenthaltserlaubnis"
    entry = AuditEntry.objects.get(action="view", object_type="person")
    assert (entry.channel, entry.person_id, entry.object_id) == ("api", person.pk, str(person.pk))


def test_patch_changes_only_given_fields_and_bumps_the_version(api, person):
    response = api.patch(detail(person.pk), {"first_name": "Aminah", "version": 1}, format="json")

    assert response.status_code == 200, response.json()
    person.refresh_from_db()
    assert (person.first_name, person.last_name, person.version) == ("Aminah", "Haddad", 2)
    assert response.json()["version"] == 2


def test_patch_requires_the_version(api, person):
    response = api.patch(detail(person.pk), {"first_name": "Aminah"}, format="json")

    assert response.status_code == 400
    assert "version" in response.json()
    person.refresh_from_db()
    assert person.first_name == "Amina"


def test_patch_with_a_stale_version_is_a_conflict_and_changes_nothing(api, person):
    api.patch(detail(person.pk), {"first_name": "Aminah", "version": 1}, format="json")
    audit_before = AuditEntry.objects.filter(action="update").count()

    response = api.patch(detail(person.pk), {"last_name": "Other", "version": 1}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    person.refresh_from_db()
    assert (person.first_name, person.last_name, person.version) == ("Aminah", "Haddad", 2)
    assert AuditEntry.objects.filter(action="update").count() == audit_before


def test_patch_validation_error_names_the_field(api, person):
    response = api.patch(
        detail(person.pk), {"date_of_birth": "2999-01-01", "version": 1}, format="json"
    )

    assert response.status_code == 400
    assert "date_of_birth" in response.json()
    person.refresh_from_db()
    assert person.version == 1


def test_put_and_delete_are_not_offered(api, person):
    assert api.put(detail(person.pk), {}, format="json").status_code == 405
    assert api.delete(detail(person.pk)).status_code == 405


def test_residence_status_history_list_and_add(api, person, status_type):
    created = api.post(
        statuses(person.pk),
        {"status": status_type.pk, "valid_from": "2026-02-01", "valid_until": "2027-01-31"},
        format="json",
    )
    listed = api.get(statuses(person.pk))

    assert created.status_code == 201, created.json()
    assert created.json()["status_name"] == "Aufenthaltserlaubnis"
    assert [row["id"] for row in listed.json()] == [created.json()["id"]]
    assert AuditEntry.objects.filter(action="list", person_id=person.pk, channel="api").exists()


def test_residence_status_end_before_start_names_the_field(api, person, status_type):
    response = api.post(
        statuses(person.pk),
        {"status": status_type.pk, "valid_from": "2026-02-01", "valid_until": "2026-01-01"},
        format="json",
    )

    assert response.status_code == 400
    assert "valid_until" in response.json()
    assert not ResidenceStatusRecord.objects.exists()


def test_persons_of_another_team_are_not_found(client_for, other_team_manager, person):
    api = client_for(other_team_manager)

    assert api.get(detail(person.pk)).status_code == 404
    assert api.get(statuses(person.pk)).status_code == 404
    assert (
        api.patch(detail(person.pk), {"first_name": "X", "version": 1}, format="json").status_code
        == 404
    )
    assert api.get(LIST).json()["results"] == []
