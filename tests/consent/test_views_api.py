from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from lotse.accounts.models import Role
from lotse.audit.models import AuditEntry
from lotse.consent.models import Consent, ConsentStatus, Transfer
from tests.consent.conftest import PURPOSE, legal_basis_for
from tests.factories import OrganisationFactory, PersonFactory, UserFactory, purpose


@pytest.fixture
def web(client, case_manager):
    client.force_login(case_manager)
    return client


@pytest.fixture
def api(case_manager):
    client = APIClient()
    client.force_authenticate(case_manager)
    return client


def _form(jobcenter, **fields):
    return {
        "recipients": [jobcenter.pk],
        "categories": ["identity", "benefits"],
        "purpose": PURPOSE,
        "form": "written",
        "language": "ar",
        "interpreter": "Frau Y. (Arabisch)",
        "valid_from": timezone.localdate().isoformat(),
        "text_version": "EW-2026-1",
        "purposes": [purpose(jobcenter.traeger).pk],
        "attest_signed_paper": "on",
        **fields,
    }


def test_record_change_print_and_withdraw_through_the_pages(web, person, jobcenter, abh):
    assert web.get(reverse("consent:create", args=[person.pk])).status_code == 200
    response = web.post(reverse("consent:create", args=[person.pk]), _form(jobcenter))
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert web.get(reverse("consent:person", args=[person.pk])).status_code == 200
    page = web.get(reverse("consent:print", args=[consent.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert consent.document_id in text and jobcenter.name in text and PURPOSE in text
    assert AuditEntry.objects.filter(object_type="consent", action="print").exists()

    response = web.post(
        reverse("consent:change", args=[consent.pk]), _form(jobcenter, recipients=[abh.pk])
    )
    assert response.status_code == 302
    new = Consent.objects.get(supersedes=consent)
    assert list(new.recipients.all()) == [abh]
    assert web.get(reverse("consent:detail", args=[consent.pk])).status_code == 200

    response = web.post(reverse("consent:withdraw", args=[new.pk]), {"note": ""})
    assert response.status_code == 302
    new.refresh_from_db()
    assert new.status() == ConsentStatus.WITHDRAWN
    again = web.post(reverse("consent:withdraw", args=[new.pk]), {"note": ""})
    assert again.status_code == 422


def test_vague_purpose_and_electronic_health_come_back_422(web, person, jobcenter):
    url = reverse("consent:create", args=[person.pk])
    assert web.post(url, _form(jobcenter, purpose="Beratung")).status_code == 422
    health = _form(jobcenter, categories=["health"], form="electronic")
    assert web.post(url, health).status_code == 422
    assert not Consent.objects.exists()


def test_transfer_page_refuses_without_basis_and_records_with_one(
    web, person, jobcenter, make_consent
):
    url = reverse("consent:transfer_create", args=[person.pk])
    data = {
        "recipient": jobcenter.pk,
        "categories": ["identity"],
        "purpose": "Anmeldung",
        "purpose_key": "arbeitsmarktintegration",
        "basis": "consent",
    }
    assert web.post(url, data).status_code == 422
    make_consent()
    assert web.post(url, data).status_code == 302
    assert Transfer.objects.count() == 1
    page = web.get(reverse("consent:transfers", args=[person.pk]))
    assert jobcenter.name in page.content.decode()


def test_other_team_and_other_traeger_get_404(client, traeger, person, make_consent):
    consent = make_consent()
    other_org = UserFactory(
        traeger=traeger,
        organisation=OrganisationFactory(traeger=traeger),
        roles=[Role.CASE_MANAGEMENT],
    )
    other_traeger = UserFactory(roles=[Role.CASE_MANAGEMENT])
    for user in (other_org, other_traeger):
        client.force_login(user)
        assert client.get(reverse("consent:detail", args=[consent.pk])).status_code == 404
        assert client.get(reverse("consent:person", args=[person.pk])).status_code == 404
        assert client.post(reverse("consent:withdraw", args=[consent.pk])).status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_api_create_list_detail_withdraw(api, person, jobcenter):
    data = {**_form(jobcenter), "person": person.pk}
    response = api.post(reverse("api:consent-list"), data, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "valid" and body["document_id"].startswith("EW-")
    assert body["recipients"][0]["id"] == jobcenter.pk

    assert api.get(reverse("api:consent-list")).status_code == 400
    listed = api.get(reverse("api:consent-list"), {"person": person.pk}).json()
    assert [c["id"] for c in listed] == [body["id"]]
    detail = api.get(reverse("api:consent-detail", args=[body["id"]])).json()
    assert detail["purpose"] == PURPOSE

    response = api.post(reverse("api:consent-withdraw", args=[body["id"]]), {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    assert legal_basis_for(person=person, recipient=jobcenter, categories=["identity"]) is None
    again = api.post(reverse("api:consent-withdraw", args=[body["id"]]), {}, format="json")
    assert again.status_code == 400


def test_api_vague_purpose_is_400(api, person, jobcenter):
    data = {**_form(jobcenter, purpose="kurz"), "person": person.pk}
    response = api.post(reverse("api:consent-list"), data, format="json")
    assert response.status_code == 400
    assert "purpose" in response.json()


def test_api_transfers_of_a_person(api, person, jobcenter, make_consent, case_manager):
    from lotse.consent import services

    consent = make_consent()
    services.transfer_record(
        actor=case_manager,
        person=person,
        recipient=jobcenter,
        categories=["identity"],
        purpose="Anmeldung",
        purpose_key="arbeitsmarktintegration",
        basis="consent",
        transferred_at=timezone.now() - dt.timedelta(hours=1),
    )
    rows = api.get(reverse("api:person-transfers", args=[person.pk])).json()
    assert len(rows) == 1
    assert rows[0]["consent"] == consent.pk and rows[0]["consent_version"] == 1
    assert rows[0]["basis"] == "consent" and rows[0]["recipient"]["id"] == jobcenter.pk


def test_api_scoping_404_for_another_traeger(make_consent, person):
    consent = make_consent()
    client = APIClient()
    client.force_authenticate(UserFactory(roles=[Role.CASE_MANAGEMENT]))
    assert client.get(reverse("api:consent-detail", args=[consent.pk])).status_code == 404
    assert client.get(reverse("api:consent-list"), {"person": person.pk}).status_code == 404
    assert client.get(reverse("api:person-transfers", args=[person.pk])).status_code == 404
    other = PersonFactory()
    assert client.get(reverse("api:consent-list"), {"person": other.pk}).status_code == 404
