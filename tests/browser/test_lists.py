"""A paged list in the browser: filter, page on with the keyboard, the filters stay; axe on each."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible, login
from tests.factories import CaseFactory, ProgrammeFactory

pytestmark = pytest.mark.browser


def test_case_list_pages_keep_the_filters(page, live_server, case_worker):
    traeger, organisation = case_worker.traeger, case_worker.organisation
    programme = ProgrammeFactory(traeger=traeger, name="KIM Case Management")
    other = ProgrammeFactory(traeger=traeger, name="Durchstarten")
    for _ in range(30):
        CaseFactory(
            traeger=traeger,
            organisation=organisation,
            programme=programme,
            case_manager=case_worker,
        )
    CaseFactory(
        traeger=traeger, organisation=organisation, programme=other, case_manager=case_worker
    )
    login(page, live_server, case_worker.username, case_worker.raw_password)

    page.goto(f"{live_server.url}/faelle/")
    page.select_option("#f-programm", str(programme.pk))
    with page.expect_navigation():
        page.click("form.lotse-filter button[type=submit]")
    assert page.locator("tbody tr").count() == 25
    assert_accessible(page)

    next_link = page.get_by_role("link", name="Nächste Seite")
    next_link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert f"programm={programme.pk}" in page.url and "nach=" in page.url
    assert page.locator("tbody tr").count() == 5  # the rest of the programme, not "Durchstarten"
    assert "Durchstarten" not in page.locator("tbody").inner_text()
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("link", name="Erste Seite").click()
    assert "nach=" not in page.url and f"programm={programme.pk}" in page.url
    assert page.locator("tbody tr").count() == 25
