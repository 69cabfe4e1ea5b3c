"""The Integrationsvereinbarung in the browser: draft, goals, agreeing, PDF, history; axe on every page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lotse.agreements.models import Agreement
from tests.browser.conftest import assert_accessible, login
from tests.factories import CaseFactory, FieldOfActionFactory, PersonFactory, ProgrammeFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def agreement_case(case_worker):
    traeger, organisation = case_worker.traeger, case_worker.organisation
    FieldOfActionFactory(traeger=traeger, key="sprache", name="Deutschsprachförderung")
    person = PersonFactory(
        traeger=traeger,
        organisation=organisation,
        first_name="Amina",
        last_name="Haddad",
        languages=["ar"],
    )
    today = timezone.localdate()
    return CaseFactory(
        traeger=traeger,
        organisation=organisation,
        person=person,
        programme=ProgrammeFactory(traeger=traeger),
        case_manager=case_worker,
        opened_on=today - dt.timedelta(days=20),
        participation_offered_on=today - dt.timedelta(days=15),
        participation_agreed_on=today - dt.timedelta(days=10),
    )


def test_agreement_from_draft_to_pdf(page, live_server, case_worker, agreement_case):
    case = agreement_case
    login(page, live_server, case_worker.username, case_worker.raw_password)
    page.goto(f"{live_server.url}/faelle/{case.pk}/")
    with page.expect_navigation():
        page.click(f"a[href='/faelle/{case.pk}/vereinbarung/']")
    assert_accessible(page)

    with page.expect_navigation():
        page.click(f"form[action='/faelle/{case.pk}/vereinbarung/neu/'] button")
    assert_accessible(page)  # the empty draft editor

    # An incomplete goal comes back with errors at the row (422), accessibly.
    page.select_option("#id_goals-0-field_of_action", label="Deutschsprachförderung")
    page.fill("#id_goals-0-what", "Deutschkenntnisse auf Niveau A2 erreichen")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("#id_goals-0-indicator[aria-invalid=true]").count() == 1
    assert_accessible(page)

    page.fill("#id_goals-0-indicator", "Zertifikat Deutsch-Test für Zuwanderer A2")
    page.select_option("#id_goals-0-responsible", "client")
    due = timezone.localdate() + dt.timedelta(days=200)
    page.fill("#id_goals-0-due_on", due.isoformat())
    page.fill("#id_goals-0-measures", "Integrationskurs besuchen")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url.endswith(f"/faelle/{case.pk}/vereinbarung/")
    assert "Deutschkenntnisse auf Niveau A2 erreichen" in page.content()
    assert_accessible(page)

    page.check("#vereinbaren #id_signed_by_client")
    with page.expect_navigation():
        page.click("#vereinbaren button[type=submit]")
    agreement = Agreement.objects.get(case=case)
    assert agreement.status == Agreement.Status.AGREED
    assert agreement.signed_by_client
    assert_accessible(page)  # with the PDF buttons

    link = page.locator("a.kern-btn[href*='agreement.pdf'][href*='language=ar']")
    assert link.count() == 1
    response = page.request.get(f"{live_server.url}{link.get_attribute('href')}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"

    page.goto(f"{live_server.url}/faelle/{case.pk}/vereinbarung/fassungen/")
    assert_accessible(page)
    with page.expect_navigation():
        page.click(f"a[href='/faelle/{case.pk}/vereinbarung/fassungen/1/']")
    assert "Deutschkenntnisse auf Niveau A2 erreichen" in page.content()
    assert_accessible(page)
