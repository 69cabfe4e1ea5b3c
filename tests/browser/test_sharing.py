"""Partner pages in the browser: the shared persons list and one person; axe on both."""

from __future__ import annotations

import pytest

from lotse.accounts.models import Role, RoleAssignment, User
from lotse.consent.models import Category
from lotse.sharing.selectors import pseudonym_for
from tests.browser.conftest import assert_accessible, login
from tests.factories import PersonFactory
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
