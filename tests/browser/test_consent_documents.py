"""The bilingual consent form, the Art. 13 information sheet and recording its handing out in the
browser; axe on each page (right-to-left blocks included)."""

from __future__ import annotations

import datetime as dt

import pytest

from lotse.consent import services
from lotse.consent.models import InformationNotice
from lotse.directory.models import Organisation
from tests.browser.conftest import assert_accessible, login
from tests.factories import PersonFactory

pytestmark = pytest.mark.browser

PURPOSE = "Abstimmung der Vermittlung in einen Sprachkurs und in Arbeit mit dem Jobcenter"


@pytest.fixture
def client_person(case_worker):
    traeger, organisation = case_worker.traeger, case_worker.organisation
    return PersonFactory(
        traeger=traeger,
        organisation=organisation,
        first_name="Amina",
        last_name="Haddad",
        languages=["ar"],
    )


def test_consent_form_and_information_sheet(page, live_server, case_worker, client_person):
    person = client_person
    jobcenter = Organisation.objects.create(
        traeger=case_worker.traeger, key="jobcenter", name="Jobcenter Lippe"
    )
    consent = services.consent_record(
        actor=case_worker,
        person=person,
        recipients=[jobcenter],
        categories=["identity", "education_work"],
        purpose=PURPOSE,
        form="written",
        language="ar",
        interpreter="Frau Y.",
        valid_from=dt.date(2026, 1, 5),
        text_version="EW-2026-1",
    )
    login(page, live_server, case_worker.username, case_worker.raw_password)

    page.goto(f"{live_server.url}/einwilligungen/{consent.pk}/formular/")
    assert page.locator("#document-id").inner_text() == consent.document_id
    assert page.locator("p.lotse-doc__text[dir=rtl]").count() >= 3
    assert_accessible(page)
    page.emulate_media(media="print")  # on paper: the form with its ID, without the app around it
    assert page.locator("#document-id").is_visible()
    assert page.locator("h1.lotse-doc__title").is_visible()
    assert not page.locator(".lotse-no-print").first.is_visible()
    page.emulate_media(media="screen")

    page.goto(f"{live_server.url}/personen/{person.pk}/einwilligungen/")
    assert page.locator("#notice-missing").is_visible()
    assert_accessible(page)

    with page.expect_navigation():
        page.click("a[href='/datenschutzinformation/?sprache=ar']")
    assert page.locator("p.lotse-doc__text[dir=rtl]").count() >= 5
    assert_accessible(page)
    page.select_option("#id_sprache", "ti")
    with page.expect_navigation():
        page.click("form.kern-stack button[type=submit]")
    assert page.locator("p.lotse-doc__text[lang=ti][dir=ltr]").count() >= 5
    assert_accessible(page)

    page.goto(f"{live_server.url}/personen/{person.pk}/datenschutzinformation/neu/")
    assert_accessible(page)
    page.fill("#id_handed_out_on", "2099-01-01")
    with page.expect_navigation():
        page.click("form.kern-stack button[type=submit]")
    assert_accessible(page)  # the form with its error (422)
    page.fill("#id_handed_out_on", dt.date(2026, 1, 5).isoformat())
    with page.expect_navigation():
        page.click("form.kern-stack button[type=submit]")
    assert InformationNotice.objects.filter(person=person, language="ar").count() == 1
    assert page.locator("#notice-missing").count() == 0
    assert_accessible(page)
