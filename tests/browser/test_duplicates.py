"""Duplicates in the browser (issue 11): the demo case manager enters an existing demo person
again under another spelling, is offered the existing record, records a different person with a
reason, then merges that record into the demo person; the old address leads there. axe-clean.
"""

from __future__ import annotations

from io import StringIO

import pytest

from lotse.accounts.models import User
from lotse.people.models import Person, PersonNameVariant
from lotse.people.selectors import person_queryset_for_user
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

VARIANTS = {"Haddad": "Hadad", "Mohammed": "Muhammad", "Yılmaz": "Yilmaz", "Youssef": "Yusuf"}


@pytest.fixture
def manager(transactional_db, settings):
    from django.core.management import call_command

    settings.DEMO = True  # demo accounts skip the second factor only in demo mode
    call_command("loaddemo", size=6, stdout=StringIO())
    return User.objects.get(username="casemanager")


def _existing(manager: User) -> tuple[Person, str, str]:
    """A demo person of the manager's team and how to spell them differently."""
    persons = list(person_queryset_for_user(manager).exclude(date_of_birth=None).order_by("id"))
    for person in persons:
        if person.last_name in VARIANTS:
            return person, person.first_name, VARIANTS[person.last_name]
    person = persons[0]
    return person, person.last_name, person.first_name  # first and last name swapped


def test_an_existing_demo_person_is_offered_and_a_duplicate_merged(page, live_server, manager):
    existing, first_name, last_name = _existing(manager)
    # The demo data makes the first pages slow on a busy machine; no assertion on time.
    page.set_default_timeout(60_000)
    page.goto(f"{live_server.url}/anmelden/")
    page.fill("#id_username", "casemanager")
    page.fill("#id_password", "demo")
    with page.expect_navigation():
        page.press("#id_password", "Enter")

    page.goto(f"{live_server.url}/personen/neu/")
    page.fill("#id_first_name", first_name)
    page.fill("#id_last_name", last_name)
    page.fill("#id_date_of_birth", existing.date_of_birth.isoformat())
    with page.expect_navigation():
        page.click("form.kern-stack button[type=submit]")
    offered = page.locator("[data-testid=duplicate-candidates] a").first
    assert offered.get_attribute("href") == f"/personen/{existing.pk}/"
    assert_accessible(page)

    page.fill("#id_distinct_reason", "Andere Person laut Pass")
    with page.expect_navigation():
        page.click("form.kern-stack button[type=submit]")
    duplicate = Person.objects.exclude(pk=existing.pk).get(
        first_name=first_name, last_name=last_name, date_of_birth=existing.date_of_birth
    )
    assert page.url.endswith(f"/personen/{duplicate.pk}/")

    page.goto(f"{live_server.url}/personen/{existing.pk}/zusammenfuehren/")
    assert_accessible(page)
    with page.expect_navigation():
        page.click(f"a[href$='?duplicate={duplicate.pk}']")
    assert page.locator("table caption").count() == 1
    assert_accessible(page)
    with page.expect_navigation():
        page.click("form.kern-stack button[type=submit]")
    assert page.url.endswith(f"/personen/{existing.pk}/")
    assert_accessible(page)

    page.goto(f"{live_server.url}/personen/{duplicate.pk}/")
    assert page.url.endswith(f"/personen/{existing.pk}/")
    assert Person.objects.get(pk=duplicate.pk).merged_into_id == existing.pk
    assert PersonNameVariant.objects.filter(person=existing, last_name=last_name).exists() or (
        existing.search_name == Person.objects.get(pk=duplicate.pk).search_name
    )
