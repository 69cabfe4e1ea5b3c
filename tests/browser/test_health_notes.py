"""Health notes in the browser: edit them in the person form, read them in their own section."""

from __future__ import annotations

import pytest

from lotse.people.models import Person
from tests.browser.conftest import assert_accessible, login
from tests.factories import PersonFactory

pytestmark = pytest.mark.browser

NOTE = "Schwangerschaft, Entbindung voraussichtlich im März"


def test_health_notes_are_edited_and_shown_in_their_own_section(page, live_server, case_worker):
    person = PersonFactory(
        traeger=case_worker.traeger,
        organisation=case_worker.organisation,
        first_name="Amina",
        last_name="Haddad",
    )
    login(page, live_server, case_worker.username, case_worker.raw_password)

    page.goto(f"{live_server.url}/personen/{person.pk}/")
    section = page.locator("section[aria-labelledby=h-gesundheit]")
    assert section.count() == 1
    assert_accessible(page)

    with page.expect_navigation():
        section.locator("a").click()
    field = page.locator("#id_health_notes")
    assert field.count() == 1
    assert_accessible(page)
    field.fill(NOTE)
    with page.expect_navigation():
        page.click("form.kern-stack button[type=submit]")

    assert NOTE in page.locator("section[aria-labelledby=h-gesundheit]").inner_text()
    assert Person.objects.get(pk=person.pk).health_notes == NOTE
    assert_accessible(page)
