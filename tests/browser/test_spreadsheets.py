"""Import in the browser: upload, dry-run report, confirm, progress bar, result; axe on each page."""

from __future__ import annotations

import pytest

from lotse.people.models import Person
from lotse.spreadsheets.models import ImportJob
from tests.browser.conftest import assert_accessible, login
from tests.factories import MunicipalityFactory, ProgrammeFactory, ResidenceStatusTypeFactory
from tests.spreadsheets.conftest import good_rows, xlsx_bytes

pytestmark = pytest.mark.browser

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def region_of(case_worker):
    traeger = case_worker.traeger
    MunicipalityFactory(traeger=traeger, key="detmold", name="Detmold")
    MunicipalityFactory(traeger=traeger, key="lemgo", name="Lemgo")
    ResidenceStatusTypeFactory(traeger=traeger, key="gestattung", name="Aufenthaltsgestattung")
    ResidenceStatusTypeFactory(traeger=traeger, key="duldung", name="Duldung")
    ProgrammeFactory(traeger=traeger, key="cm", name="Case Management", short_name="CM")
    return traeger


def test_import_a_list_with_a_dry_run(page, live_server, case_worker, region_of):
    rows = good_rows()
    for row in rows:
        row[11] = ""  # no target groups configured in this region
    rows[1][7] = "Bielefeld"
    login(page, live_server, case_worker.username, case_worker.raw_password)

    page.goto(f"{live_server.url}/import/")
    assert_accessible(page)
    page.set_input_files(
        "input[type=file]", {"name": "liste.xlsx", "mimeType": XLSX, "buffer": xlsx_bytes(rows)}
    )
    with page.expect_navigation():
        page.click("form[enctype] button[type=submit]")

    assert page.locator("#dry-run-errors tr[data-row='3']").count() == 1
    assert Person.objects.count() == 0
    assert_accessible(page)

    with page.expect_navigation():
        page.click("#confirm-import")
    page.wait_for_selector("#import-result")
    assert page.locator("[data-count=created]").inner_text() == "2"
    assert page.locator("[data-count=failed]").inner_text() == "1"
    assert Person.objects.count() == 2
    assert_accessible(page)


def test_the_progress_bar_follows_the_running_import(page, live_server, case_worker, region_of):
    job = ImportJob.objects.create(
        traeger=case_worker.traeger,
        organisation=case_worker.organisation,
        created_by=case_worker,
        confirmed_by=case_worker,
        file_name="liste.xlsx",
        file_kind="xlsx",
        headers=["Name", "Vorname"],
        status=ImportJob.Status.RUNNING,
        total_rows=4,
        valid_rows=4,
        processed_rows=1,
    )
    login(page, live_server, case_worker.username, case_worker.raw_password)

    page.goto(f"{live_server.url}/import/{job.pk}/")
    assert page.locator("progress#import-progress").get_attribute("value") == "25"
    assert_accessible(page)

    ImportJob.objects.filter(pk=job.pk).update(processed_rows=3)
    page.wait_for_selector("progress#import-progress[value='75']")
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.FINISHED, processed_rows=4, created_count=4
    )
    page.wait_for_selector("#import-result")
    assert page.locator("[data-count=created]").inner_text() == "4"
    assert page.locator("progress").count() == 0
    assert_accessible(page)


def test_the_check_shows_its_progress_and_the_page_reloads_when_done(
    page, live_server, case_worker, region_of
):
    from django.utils import timezone

    job = ImportJob.objects.create(
        traeger=case_worker.traeger,
        organisation=case_worker.organisation,
        created_by=case_worker,
        file_name="liste.xlsx",
        file_kind="xlsx",
        status=ImportJob.Status.CHECKING,
        total_rows=400,
        processed_rows=200,
    )
    login(page, live_server, case_worker.username, case_worker.raw_password)

    page.goto(f"{live_server.url}/import/{job.pk}/")
    assert page.locator("progress#import-progress").get_attribute("value") == "50"
    assert "200 von 400 Zeilen geprüft" in page.locator("#import-status").inner_text()
    assert_accessible(page)

    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.CHECKED,
        headers=["Name", "Vorname"],
        mapping={"last_name": "Name", "first_name": "Vorname"},
        total_rows=4,
        valid_rows=4,
        processed_rows=0,
        checked_at=timezone.now(),
        report={"issues": [], "would_create": 4, "would_update": 0, "would_keep": 0},
    )
    page.wait_for_selector("#dry-run-summary")  # the whole page was reloaded
    assert page.locator("#confirm-import").count() == 1
    assert_accessible(page)
