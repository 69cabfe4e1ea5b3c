"""Each role signs in through the form and lands on its own start page (issue 9), axe-clean.

One screenshot per role goes to ``test-results/start-<username>.png`` for a human look.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

RESULTS = Path(__file__).resolve().parents[2] / "test-results"
#: username → (path landed on, text of the page's main heading)
LANDINGS = {
    "coordinator": ("/region/", "Region: Sozialräume und Programme"),
    "dpo": ("/protokoll/", "Zugriffsprotokoll"),
    "jobcenter": ("/partner/personen/", "Für uns freigegebene Personen"),
    "admin": ("/verwaltung/", "Konfiguration"),
    "teamlead": ("/start/", "Mein Team"),
    "casemanager": ("/start/", "Meine Woche"),
}


@pytest.fixture
def demo(transactional_db, settings):
    from django.core.management import call_command

    settings.DEMO = True  # demo accounts skip the second factor only in demo mode
    call_command("loaddemo", size=6, stdout=StringIO())


@pytest.mark.parametrize("username", list(LANDINGS))
def test_each_role_lands_on_its_start_page(page, live_server, demo, username):
    path, heading = LANDINGS[username]
    page.goto(f"{live_server.url}/anmelden/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    with page.expect_navigation():
        page.press("#id_password", "Enter")

    assert page.url == f"{live_server.url}{path}"
    main_heading = page.locator("main h1, #content h1").last
    assert main_heading.inner_text().strip() == heading
    assert "Kein Zugriff" not in page.content()
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / f"start-{username}.png"), full_page=True)
    assert_accessible(page)
