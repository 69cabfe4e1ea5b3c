"""The Art. 15 export page in the browser: reached from the person page, axe, both downloads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lotse.audit.models import AuditEntry
from tests.browser.conftest import assert_accessible, login
from tests.factories import PersonFactory

pytestmark = pytest.mark.browser


def test_export_page_and_downloads(page, live_server, case_worker):
    person = PersonFactory(
        traeger=case_worker.traeger,
        organisation=case_worker.organisation,
        first_name="Amina",
        last_name="Haddad",
    )
    login(page, live_server, case_worker.username, case_worker.raw_password)
    page.goto(f"{live_server.url}/personen/{person.pk}/")
    with page.expect_navigation():
        page.click(f"a[href='/personen/{person.pk}/auskunft/']")
    assert "Amina Haddad" in page.content()
    assert_accessible(page)

    page.keyboard.press("Tab")  # the download links are reachable by keyboard
    with page.expect_download() as pdf_download:
        page.click(f"a[href='/personen/{person.pk}/auskunft/pdf/']")
    assert Path(pdf_download.value.path()).read_bytes().startswith(b"%PDF")
    with page.expect_download() as json_download:
        page.click(f"a[href='/personen/{person.pk}/auskunft/json/']")
    data = json.loads(Path(json_download.value.path()).read_text(encoding="utf-8"))
    assert data["person"]["last_name"] == "Haddad"
    assert AuditEntry.objects.filter(action="export", person_id=person.pk).count() == 2
