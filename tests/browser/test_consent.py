"""Consents and transfers in the browser: record, view, print, withdraw, transfer; axe on each."""

from __future__ import annotations

import pytest
from django.utils import timezone

from lotse.consent.models import Consent, ConsentStatus, Transfer
from lotse.directory.models import Organisation
from tests.browser.conftest import assert_accessible, login
from tests.factories import PersonFactory, purpose

pytestmark = pytest.mark.browser

PURPOSE = "Abstimmung der Vermittlung in einen Sprachkurs und in Arbeit mit dem Jobcenter"


@pytest.fixture
def client_person(case_worker):
    traeger, organisation = case_worker.traeger, case_worker.organisation
    Organisation.objects.create(traeger=traeger, key="jobcenter", name="Jobcenter Lippe")
    purpose(traeger, "arbeitsmarktintegration", "Arbeitsmarktintegration / Jobcenter")
    return PersonFactory(
        traeger=traeger, organisation=organisation, first_name="Amina", last_name="Haddad"
    )


def test_consent_journey(page, live_server, case_worker, client_person):
    person = client_person
    login(page, live_server, case_worker.username, case_worker.raw_password)

    page.goto(f"{live_server.url}/personen/{person.pk}/")
    with page.expect_navigation():
        page.click(f"a[href='/personen/{person.pk}/einwilligungen/']")
    assert_accessible(page)

    with page.expect_navigation():
        page.click(f"a[href='/personen/{person.pk}/einwilligungen/neu/']")
    assert_accessible(page)
    page.get_by_label("Jobcenter Lippe").check()
    page.locator("input[name=categories][value=identity]").check()
    page.locator("input[name=categories][value=education_work]").check()
    page.fill("#id_purpose", "zu kurz")
    with page.expect_navigation():
        page.click("form.kern-stack button[type=submit]")
    assert_accessible(page)  # the form with its errors (422)
    page.fill("#id_purpose", PURPOSE)
    page.get_by_label("Arbeitsmarktintegration / Jobcenter").check()
    page.get_by_label("Ich bestätige, dass das unterschriebene Papier in der Akte liegt").check()
    page.fill("#id_valid_from", timezone.localdate().isoformat())
    with page.expect_navigation():
        page.click("form.kern-stack button[type=submit]")
    consent = Consent.objects.get(person=person)
    assert consent.document_id in page.content()
    assert_accessible(page)

    page.goto(f"{live_server.url}/einwilligungen/{consent.pk}/formular/")
    assert consent.document_id in page.content() and PURPOSE in page.content()
    assert_accessible(page)

    page.goto(f"{live_server.url}/personen/{person.pk}/uebermittlungen/neu/")
    assert_accessible(page)
    page.select_option("#id_recipient", label="Jobcenter Lippe")
    page.locator("input[name=categories][value=identity]").check()
    page.select_option("#id_purpose_key", "arbeitsmarktintegration")
    page.fill("#id_purpose", "Anmeldung zum Sprachkurs")
    with page.expect_navigation():
        page.click("form.kern-stack button[type=submit]")
    assert Transfer.objects.filter(person=person, consent=consent).count() == 1
    assert_accessible(page)  # the transfers list

    page.goto(f"{live_server.url}/einwilligungen/{consent.pk}/")
    with page.expect_navigation():
        page.click(f"form[action='/einwilligungen/{consent.pk}/widerrufen/'] button")
    consent.refresh_from_db()
    assert consent.status() == ConsentStatus.WITHDRAWN
    assert_accessible(page)
