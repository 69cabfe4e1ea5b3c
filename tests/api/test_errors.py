"""Errors under /api/ are JSON with a German message, whatever raised them."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from lotse.people import services as people_services
from lotse.people.models import Person
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

PERSONS = reverse("api:person-list")


def create(api: APIClient, **fields: object):
    return api.post(
        PERSONS, {"last_name": "Haddad", "first_name": "Samir", **fields}, format="json"
    )


class TestDuplicateExternalKey:
    def test_a_taken_key_is_a_400_on_the_field_and_stores_nothing(self, api, person):
        person.external_key = "EWO-4711"
        person.save(update_fields=["external_key"])

        response = create(api, external_key="EWO-4711")

        assert response.status_code == 400
        assert response.json() == {
            "external_key": ["Eine Person mit diesem externen Schlüssel gibt es bereits."]
        }
        assert Person.objects.filter(external_key="EWO-4711").count() == 1

    def test_the_key_is_unique_in_the_traeger_beyond_the_team(self, api, traeger):
        other = OrganisationFactory(traeger=traeger)
        PersonFactory(traeger=traeger, organisation=other, external_key="EWO-4711")

        response = create(api, external_key="EWO-4711")

        assert response.status_code == 400
        assert list(response.json()) == ["external_key"]

    def test_a_race_between_check_and_save_is_a_400_not_a_500(self, api, person, monkeypatch):
        """The other request stores the key after this one checked: the constraint answers."""
        person.external_key = "EWO-4711"
        person.save(update_fields=["external_key"])
        real = people_services._external_key_taken
        checks: list[bool] = []

        def checked_before_the_other_request_saved(candidate: Person) -> bool:
            checks.append(True)
            return False if len(checks) == 1 else real(candidate)

        monkeypatch.setattr(
            people_services, "_external_key_taken", checked_before_the_other_request_saved
        )

        response = create(api, external_key="EWO-4711")

        assert response.status_code == 400
        assert list(response.json()) == ["external_key"]
        assert len(checks) == 2
        assert Person.objects.filter(external_key="EWO-4711").count() == 1
        assert create(api, external_key="EWO-4712").status_code == 201  # transaction usable

    def test_blank_keys_never_collide(self, api):
        assert create(api, external_key="").status_code == 201
        # Another person (the same name would be offered as a likely duplicate first)
        assert create(api, external_key="", first_name="Rana").status_code == 201


class TestTooLarge:
    @pytest.fixture(autouse=True)
    def _one_megabyte(self, settings):
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

    def test_an_oversized_api_body_is_a_413_in_json(self, api):
        response = create(api, health_notes="x" * (1024 * 1024 + 1))

        assert response.status_code == 413
        assert response["Content-Type"] == "application/json"
        assert response.json() == {
            "detail": "Die Anfrage ist zu groß (höchstens 1 MB, Dateien ausgenommen).",
            "code": "too_large",
        }
        assert not Person.objects.exists()

    def test_an_oversized_form_elsewhere_is_the_413_page(self, client, case_manager):
        client.force_login(case_manager)

        response = client.post(
            reverse("people:create"),
            "notes=" + "x" * (1024 * 1024),
            content_type="application/x-www-form-urlencoded",
        )

        assert response.status_code == 413
        assert response["Content-Type"].startswith("text/html")
        assert "Die gesendeten Daten sind zu groß" in response.content.decode()

    def test_a_file_may_be_larger_than_the_form_limit(self, api, agreed_case):
        upload = SimpleUploadedFile(
            "bescheid.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1), "application/pdf"
        )

        response = api.post(
            reverse("api:case-timeline", args=[agreed_case.pk]),
            {"kind": "document", "title": "Bescheid", "attachment": upload},
            format="multipart",
        )

        assert response.status_code == 201, response.content


class TestErrorsOutsideTheViews:
    def test_an_unknown_address_is_a_json_404(self, api):
        response = api.get("/api/v1/persons/keine-zahl/")

        assert response.status_code == 404
        assert response.json() == {"detail": "Nicht gefunden.", "code": "not_found"}

    def test_an_unknown_page_is_still_html(self, client, case_manager):
        client.force_login(case_manager)

        response = client.get("/personen/keine-zahl/")

        assert response.status_code == 404
        assert response["Content-Type"].startswith("text/html")

    def test_a_method_not_offered_is_a_json_405(self, api, person):
        response = api.delete(reverse("api:person-detail", args=[person.pk]))

        assert response.status_code == 405
        assert response.json()["detail"] == 'Methode "DELETE" nicht erlaubt.'

    def test_a_server_error_is_json_with_the_request_id(self, case_manager, monkeypatch):
        def broken(*args: object, **kwargs: object) -> None:
            raise RuntimeError("database gone")

        monkeypatch.setattr("lotse.people.selectors.get_person_for_user", broken)
        api = APIClient(raise_request_exception=False)
        api.force_authenticate(case_manager)

        response = api.get(reverse("api:person-detail", args=[1]), HTTP_X_REQUEST_ID="abcdef123456")

        assert response.status_code == 500
        assert response.json() == {
            "detail": "Bei der Verarbeitung ist ein Fehler aufgetreten. "
            "Bitte versuchen Sie es später noch einmal.",
            "code": "server_error",
            "request_id": "abcdef123456",
        }
        assert "database gone" not in response.content.decode()
