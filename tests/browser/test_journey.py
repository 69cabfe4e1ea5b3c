"""The main journey of a case manager, by keyboard alone, with axe-core on every page."""

from __future__ import annotations

import datetime as dt

import pytest

from lotse.accounts.models import Role, RoleAssignment, User
from lotse.cases.models import Case, Phase, TimelineEntry
from tests.browser.conftest import assert_accessible
from tests.factories import (
    CaseFactory,
    MunicipalityFactory,
    PersonFactory,
    ProgrammeFactory,
    ResidenceStatusTypeFactory,
    SozialraumFactory,
    TimelineEntryFactory,
)

pytestmark = pytest.mark.browser


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching ``selector`` has the keyboard focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "(sel) => document.activeElement && document.activeElement.matches(sel)", selector
        ):
            return
    pytest.fail(f"{selector} cannot be reached with the Tab key")


@pytest.fixture
def casework(case_worker):
    traeger, organisation = case_worker.traeger, case_worker.organisation
    sozialraum = SozialraumFactory(traeger=traeger, name="Detmold")
    detmold = MunicipalityFactory(traeger=traeger, name="Detmold", sozialraum=sozialraum)
    programme = ProgrammeFactory(traeger=traeger, name="KIM Case Management")
    ResidenceStatusTypeFactory(traeger=traeger, name="Aufenthaltsgestattung")
    person = PersonFactory(
        traeger=traeger,
        organisation=organisation,
        first_name="Amina",
        last_name="Haddad",
        municipality=detmold,
    )
    case = CaseFactory(
        traeger=traeger,
        organisation=organisation,
        person=person,
        programme=programme,
        case_manager=case_worker,
        participation_offered_on=dt.date(2026, 10, 1),
        participation_agreed_on=dt.date(2026, 10, 8),
    )
    TimelineEntryFactory(case=case, title="Erstkontakt im Regionalbüro")
    return case


def test_case_manager_journey_by_keyboard(page, live_server, case_worker, casework):
    from tests.auth import fresh_code, totp_device

    device = totp_device(case_worker)
    page.goto(f"{live_server.url}/anmelden/")
    assert_accessible(page)
    tab_to(page, "#id_username")
    page.keyboard.type(case_worker.username)
    tab_to(page, "#id_password")
    page.keyboard.type(case_worker.raw_password)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # Second factor: the code field has the focus.
    page.keyboard.type(fresh_code(device))
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # The start page is "Meine Woche"; Meine Fälle is one link away in the navigation.
    assert page.locator("h1").inner_text().strip() == page.title().split(" – ")[0]
    assert_accessible(page)
    tab_to(page, "nav a[href='/faelle/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text().strip() == page.title().split(" – ")[0]
    assert casework.reference in page.content()
    assert_accessible(page)
    tab_to(page, f"a[href='/faelle/{casework.pk}/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # Fall: nächste Phase
    assert "Haddad" in page.locator("h1").inner_text()
    assert_accessible(page)
    tab_to(page, "#phasenwechsel select")
    assert page.evaluate("() => document.activeElement.value") == Phase.ASSESSMENT
    tab_to(page, "#phasenwechsel button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    casework.refresh_from_db()
    assert casework.phase == Phase.ASSESSMENT
    assert_accessible(page)

    # Notiz anlegen
    tab_to(page, f"a[href='/faelle/{casework.pk}/verlauf/neu/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)
    tab_to(page, "#id_title")
    page.keyboard.type("Gespräch zur Anerkennung des Abschlusses")
    tab_to(page, "#id_text")
    page.keyboard.type("Unterlagen für die Anerkennungsstelle besprochen.")
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Gespräch zur Anerkennung des Abschlusses" in page.content()
    # Titles are encrypted at rest: compare the decrypted values, not in SQL
    assert any(
        entry.title.startswith("Gespräch")
        for entry in TimelineEntry.objects.filter(case=casework, kind="note")
    )


def test_form_errors_are_accessible(page, live_server, case_worker, casework):
    from tests.browser.conftest import login

    login(page, live_server, case_worker.username, case_worker.raw_password)
    page.goto(f"{live_server.url}/personen/neu/")
    assert_accessible(page)
    page.click("main form button[type=submit]")
    page.wait_for_selector("[aria-invalid=true]")
    assert_accessible(page)
    Case.objects.filter(pk=casework.pk).update(phase=Phase.MONITORING)
    page.goto(f"{live_server.url}/faelle/{casework.pk}/")
    page.select_option("#phasenwechsel select", Phase.SERVICE_PLANNING)
    page.click("#phasenwechsel button[type=submit]")
    page.wait_for_selector("[aria-invalid=true]")
    assert_accessible(page)
    assert Case.objects.get(pk=casework.pk).phase == Phase.MONITORING


@pytest.mark.parametrize(
    "path",
    [
        "/faelle/?alle=1",
        "/personen/",
        "/personen/{person}/",
        "/personen/{person}/bearbeiten/",
        "/personen/{person}/aufenthaltsstatus/",
        "/personen/{person}/namensvariante/",
        "/personen/{person}/familienmitglied/",
        "/faelle/neu/person/{person}/",
        "/faelle/{case}/bearbeiten/",
        "/faelle/{case}/evaluation/",
        "/region/",
        "/region/akteure/",
        "/region/ziele/",
        "/region/gremien/",
        "/barrierefreiheit/",
    ],
)
def test_every_case_worker_page_passes_axe(page, live_server, case_worker, casework, path):
    from tests.browser.conftest import login

    login(page, live_server, case_worker.username, case_worker.raw_password)
    page.goto(live_server.url + path.format(person=casework.person_id, case=casework.pk))
    assert page.locator("h1").count() == 1
    assert_accessible(page)


@pytest.mark.parametrize(
    "role", [Role.DATA_PROTECTION, Role.COORDINATION, Role.PARTNER, Role.ADMINISTRATION]
)
def test_start_page_and_audit_log_pass_axe(page, live_server, case_worker, casework, role):
    from tests.browser.conftest import login

    user = User.objects.create_user(
        username=f"u-{role}",
        password="Sehr-geheimes-Passwort-2",
        traeger=case_worker.traeger,
        organisation=case_worker.organisation,
    )
    RoleAssignment.objects.create(user=user, role=role)
    login(page, live_server, user.username, "Sehr-geheimes-Passwort-2")
    assert_accessible(page)
    if role == Role.DATA_PROTECTION:
        page.goto(f"{live_server.url}/protokoll/")
        assert_accessible(page)
        from lotse.audit.denials import HINT_THRESHOLD, denial_record

        for _ in range(HINT_THRESHOLD):
            denial_record(user=case_worker, kind="cases:detail", status=404)
        page.get_by_role("link", name="Abgewiesene Zugriffe").click()
        assert page.get_by_role("cell", name=str(HINT_THRESHOLD) + " auffällig").count() == 1
        assert_accessible(page)
