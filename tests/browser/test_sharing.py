"""Partner pages in the browser (shared persons, one person) and forwarding to the ABH on a
consent record; axe on every page."""

from __future__ import annotations

import pytest
from django.utils import timezone

from lotse.accounts.models import Role, RoleAssignment, User
from lotse.consent import services as consent_services
from lotse.consent.models import Category, Transfer
from lotse.directory.models import Organisation
from lotse.programmes import services as programme_services
from lotse.sharing.selectors import pseudonym_for
from tests.browser.conftest import assert_accessible, login
from tests.factories import CaseFactory, PersonFactory, purpose
from tests.sharing.conftest import build_shared

pytestmark = pytest.mark.browser

PASSWORD = "Sehr-geheimes-Passwort-1"


@pytest.fixture
def partner_world(transactional_db):
    shared = build_shared()
    partner = User.objects.create_user(
        username="jobcenter.partner",
        password=PASSWORD,
        first_name="Paula",
        last_name="Partner",
        traeger=shared.traeger,
        organisation=shared.partner_org,
    )
    RoleAssignment.objects.create(user=partner, role=Role.PARTNER)
    shared.consent(list(Category.values))
    # A second person released without identity: listed under the pseudonymous reference.
    anonymous = PersonFactory(
        traeger=shared.traeger, organisation=shared.team, last_name="Unsichtbarnachname"
    )
    shared.consent([Category.HEALTH], person=anonymous)
    return shared, partner, anonymous


def test_partner_pages(page, live_server, partner_world):
    shared, partner, anonymous = partner_world
    login(page, live_server, partner.username, PASSWORD)

    # The navigation leads a partner to the shared persons.
    with page.expect_navigation():
        page.click("nav.lotse-nav a[href='/partner/personen/']")
    assert "Kanariennachname, Kanarienvorname" in page.content()
    assert "Unsichtbarnachname" not in page.content()
    assert pseudonym_for(partner, anonymous) in page.content()
    assert_accessible(page)

    with page.expect_navigation():
        page.click(f"a[href='/partner/personen/{shared.person.pk}/']")
    content = page.content()
    assert "CANARY-HEALTH-NOTE" in content and "CANARY-EDU-GOALS" in content
    assert "CANARY-TIMELINE-TITLE" not in content and "Kanarienkind" not in content
    assert_accessible(page)


def test_forwarding_to_the_abh_picks_a_consent_record(page, live_server, case_worker):
    traeger, organisation = case_worker.traeger, case_worker.organisation
    abh = Organisation.objects.create(
        traeger=traeger, key="abh", name="Ausländerbehörde Lippe", kind="immigration_office"
    )
    case = CaseFactory(traeger=traeger, organisation=organisation, case_manager=case_worker)
    referral = programme_services.referral_create(actor=case_worker, case=case, purpose="25b")
    consent = consent_services.consent_record(
        actor=case_worker,
        person=case.person,
        recipients=[abh],
        categories=["identity", "residence_status"],
        purpose="Prüfung einer Aufenthaltserlaubnis nach § 25b AufenthG durch die ABH",
        purposes=[purpose(traeger, "weiterleitung-abh-bleiberecht")],
        attest_signed_paper=True,
        form="written",
        valid_from=timezone.localdate(),
        text_version="EW-2026-1",
    )
    login(page, live_server, case_worker.username, case_worker.raw_password)

    page.goto(f"{live_server.url}/faelle/{case.pk}/abh/{referral.pk}/weiterleiten/")
    assert_accessible(page)
    page.select_option("#id_authority", label="Ausländerbehörde Lippe")
    page.locator("input[name=categories][value=identity]").check()
    page.locator("input[name=basis][value=consent]").check()
    page.select_option("#id_consent", value=str(consent.pk))
    with page.expect_navigation():
        page.click("form.kern-stack button[type=submit]")

    transfer = Transfer.objects.get(person=case.person)
    assert (transfer.consent, transfer.recipient) == (consent, abh)
    assert consent.document_id in page.content()
    assert_accessible(page)
