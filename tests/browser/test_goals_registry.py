"""The goals registry in the browser: the Jobcenter partner opens it and the goal "Arbeit I".

On the demo data; every page axe-clean, the goal reached with the keyboard, and no personal
data of clients on either page (the compliance is aggregated and small counts are hidden).
"""

from __future__ import annotations

from io import StringIO

import pytest

from lotse.directory.models import Goal
from lotse.people.models import Person
from tests.browser.conftest import assert_accessible, login, tab_to

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db, settings):
    from django.core.management import call_command

    settings.DEMO = True  # demo accounts skip the second factor only in demo mode
    call_command("loaddemo", size=6, stdout=StringIO())


def test_partner_reads_the_goals_registry_and_arbeit_i(page, live_server, demo):
    goal = Goal.objects.get(traeger__slug="kreis-lippe", code="Arbeit I")
    names = list(Person.objects.values_list("last_name", flat=True)[:50])
    login(page, live_server, "jobcenter", "demo")

    page.goto(f"{live_server.url}/zusammenarbeit/ziele/")
    assert page.locator("h1").inner_text() == "Zielregister"
    main = page.locator("main").inner_text()
    assert "Arbeit I" in main and "Beratungsangebote der BA oder des Jobcenters Lippe" in main
    assert not [name for name in names if name and name in main]
    assert_accessible(page)

    link = f'a[href="/zusammenarbeit/ziele/{goal.pk}/"]'
    tab_to(page, link)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/zusammenarbeit/ziele/{goal.pk}/")
    main = page.locator("main").inner_text()
    assert "Arbeit I" in main and "Erreichung in den Fällen" in main
    assert "Verlauf der Änderungen durch Beschlüsse" in main
    assert not [name for name in names if name and name in main]
    assert_accessible(page)

    # The period filter with the keyboard: a year, Enter.
    page.fill("#id_jahr", "2026")
    with page.expect_navigation():
        page.press("#id_jahr", "Enter")
    assert "jahr=2026" in page.url
    assert_accessible(page)
