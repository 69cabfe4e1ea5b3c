"""A family in the browser (issue 10): from the mother's case the demo case manager refers the
7-year-old to school and the 3-year-old to a Kita, records the enrolment and the Kita offer, and
sees the children's Schule I and Kita III deadlines met with a link to the evidence. axe-clean.
"""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.utils import timezone

from lotse.accounts.models import User
from lotse.deadlines.services import deadlines_refresh_for_person
from lotse.directory.models import CaseManagementPost, FieldOfAction
from lotse.offers.models import Offer, OfferKind, Referral
from lotse.people.models import Household, Person
from tests.browser.conftest import assert_accessible
from tests.factories import CaseFactory, PersonFactory

pytestmark = pytest.mark.browser


def _born(years: int) -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - dt.timedelta(days=40)


@pytest.fixture
def family(transactional_db, settings):
    from django.core.management import call_command

    settings.DEMO = True  # demo accounts skip the second factor only in demo mode
    call_command("loaddemo", size=6, stdout=StringIO())
    manager = User.objects.get(username="casemanager")
    traeger, organisation = manager.traeger, manager.organisation
    post = CaseManagementPost.objects.filter(traeger=traeger, holder=manager).first()
    today = timezone.localdate()
    registered = today - dt.timedelta(days=today.weekday() + 7)  # Monday last week
    household = Household.objects.create(traeger=traeger, label="Nasser")

    def member(first_name: str, age: int, role: str) -> Person:
        return PersonFactory(
            traeger=traeger,
            organisation=organisation,
            post=post,
            first_name=first_name,
            last_name="Nasser",
            date_of_birth=_born(age),
            registered_on=registered,
            household=household,
            household_role=role,
        )

    mother = member("Rana", 36, Person.HouseholdRole.HEAD)
    pupil = member("Yara", 7, Person.HouseholdRole.CHILD)
    toddler = member("Sami", 3, Person.HouseholdRole.CHILD)
    case = CaseFactory(
        traeger=traeger,
        organisation=organisation,
        person=mother,
        post=post,
        case_manager=manager,
        opened_on=registered,
        reference="2026-FAM001",
    )
    field = FieldOfAction.objects.filter(traeger=traeger, key="kita-schule").first()
    Offer.objects.create(
        traeger=traeger,
        key="grundschule-test",
        kind=OfferKind.SCHOOL,
        title="Grundschule Am Teich",
        field_of_action=field,
        min_age=6,
        max_age=10,
    )
    Offer.objects.create(
        traeger=traeger,
        key="kita-test",
        kind=OfferKind.KITA,
        title="Kita Sonnenblume",
        field_of_action=field,
        max_age=6,
    )
    deadlines_refresh_for_person(mother)
    return case, pupil, toddler


def _refer(page, base: str, case, child: Person, offer_title: str) -> Referral:
    page.goto(f"{base}/faelle/{case.pk}/angebote/neu/")
    assert_accessible(page)
    page.select_option("#id_person", str(child.pk))
    page.select_option("#id_offer", label=offer_title)
    with page.expect_navigation():
        page.click(f"form[action='/faelle/{case.pk}/angebote/neu/'] button[type=submit]")
    referral = Referral.objects.filter(person=child).first()
    assert referral is not None, page.inner_text("main")
    assert page.url == f"{base}/zusteuerungen/{referral.pk}/"
    assert f"{child.first_name} {child.last_name}" in page.content()
    assert_accessible(page)
    # The provider's acceptance: the school enrols the child, the Kita offers a place.
    page.select_option("#statuswechsel select[name=to_state]", "accepted")
    with page.expect_navigation():
        page.click("#statuswechsel button[type=submit]")
    referral.refresh_from_db()
    assert referral.state == "accepted"
    return referral


def _assert_met(page, base: str, child: Person, code: str, referral: Referral) -> None:
    page.goto(f"{base}/personen/{child.pk}/fristen/")
    row = page.locator("tr", has=page.locator("th", has_text=re.compile(rf"^{code}:")))
    assert row.count() == 1
    assert "erfüllt" in row.inner_text()
    link = row.locator("a", has_text="Zusteuerung")
    assert link.get_attribute("href") == f"/zusteuerungen/{referral.pk}/"
    assert_accessible(page)


def test_children_are_referred_from_the_mothers_case_and_meet_their_deadlines(
    page, live_server, family
):
    case, pupil, toddler = family
    base = live_server.url
    # The demo data makes the first pages slow on a busy machine; no assertion on time.
    page.set_default_timeout(60_000)
    page.goto(f"{base}/anmelden/")
    page.fill("#id_username", "casemanager")
    page.fill("#id_password", "demo")
    with page.expect_navigation():
        page.press("#id_password", "Enter")

    school = _refer(page, base, case, pupil, "Grundschule Am Teich")
    kita = _refer(page, base, case, toddler, "Kita Sonnenblume")

    page.goto(f"{base}/faelle/{case.pk}/angebote/")
    content = page.content()
    assert "Yara Nasser" in content and "Sami Nasser" in content
    assert_accessible(page)

    _assert_met(page, base, pupil, "Schule I", school)
    _assert_met(page, base, toddler, "Kita III", kita)
