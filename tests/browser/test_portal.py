"""The portal "Zusammenarbeit" as the Jobcenter partner: home → contacts → search → vCard →
process chain; axe-clean, keyboard-reachable download."""

from __future__ import annotations

from pathlib import Path

import pytest

from lotse.accounts.models import Role, RoleAssignment, User
from lotse.directory.config import config_load
from lotse.directory.models import Organisation
from tests.browser.conftest import assert_accessible, login, tab_to

pytestmark = pytest.mark.browser
PASSWORD = "Sehr-geheimes-Passwort-3"
CONFIG = Path(__file__).resolve().parents[2] / "config" / "kreis-lippe.yaml"


@pytest.fixture
def partner(transactional_db):
    config_load(path=CONFIG)
    jobcenter = Organisation.objects.get(key="jobcenter-lippe")
    user = User.objects.create_user(
        username="jobcenter",
        password=PASSWORD,
        first_name="Jo",
        last_name="Center",
        traeger=jobcenter.traeger,
        organisation=jobcenter,
    )
    RoleAssignment.objects.create(user=user, role=Role.PARTNER)
    return user


def test_partner_uses_the_portal(page, live_server, partner):
    login(page, live_server, "jobcenter", PASSWORD)
    page.goto(f"{live_server.url}/zusammenarbeit/")
    assert page.locator("h1").inner_text() == "Zusammenarbeit in der Region"
    assert_accessible(page)

    with page.expect_navigation():
        page.click("main a:has-text('Kontaktverzeichnis')")
    page.fill("#f-q", "jobcenter lippe")
    with page.expect_navigation():
        page.click("main form.lotse-filter button[type=submit]")
    assert page.locator("tbody th[scope=row]").first.inner_text().startswith("Jobcenter Lippe")
    assert_accessible(page)

    page.locator("body").focus()
    tab_to(page, "#vcard-all")
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    download = download_info.value
    assert download.suggested_filename.endswith(".vcf")
    text = Path(download.path()).read_bytes().decode("utf-8")  # keeps CRLF
    assert text.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n")
    assert "FN:Jobcenter Lippe" in text

    page.goto(f"{live_server.url}/zusammenarbeit/prozessketten/")
    assert_accessible(page)
    with page.expect_navigation():
        page.click("main a:has-text('Kind kommt an')")
    assert page.locator("svg.lotse-flow").count() == 1
    assert page.locator("svg.lotse-flow [tabindex], svg.lotse-flow a").count() == 0
    assert "innerhalb von 4 Schulwochen" in page.locator("ol.lotse-flow-steps").inner_text()
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    assert not overflow, "the process chain page scrolls sideways at 320 px"
