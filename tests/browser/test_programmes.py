"""Teilhabemanagement and the ABH referral in the browser, with axe-core on every new page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lotse.accounts.models import Role, RoleAssignment
from lotse.directory.models import Organisation, Programme, ProgrammeModule, ProgrammeProvider
from lotse.people.models import ResidenceStatusRecord
from lotse.programmes.models import AbhReferral, ModuleBudget, Participation
from tests.browser.conftest import assert_accessible, login
from tests.factories import (
    MunicipalityFactory,
    PersonFactory,
    ResidenceStatusTypeFactory,
    purpose,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def teilhabe(case_worker):
    traeger, organisation = case_worker.traeger, case_worker.organisation
    RoleAssignment.objects.create(user=case_worker, role=Role.TEAM_LEAD)
    duldung = ResidenceStatusTypeFactory(traeger=traeger, key="duldung", name="Duldung")
    programme = Programme.objects.create(
        traeger=traeger,
        key="durchstarten",
        name="Durchstarten in Ausbildung und Arbeit",
        kind=Programme.Kind.PARTICIPATION_MANAGEMENT,
        min_age=18,
        max_age=27,
    )
    programme.eligible_statuses.set([duldung])
    lemgo = MunicipalityFactory(traeger=traeger, name="Lemgo")
    ProgrammeProvider.objects.create(
        traeger=traeger, programme=programme, municipality=lemgo, organisation=organisation
    )
    for number in (1, 2, 3, 4):
        module = ProgrammeModule.objects.create(
            traeger=traeger,
            programme=programme,
            key=f"b{number}",
            number=number,
            name=f"Baustein {number}",
            participants_per_coach=20 if number == 1 else None,
        )
        ModuleBudget.objects.create(
            traeger=traeger, module=module, year=timezone.localdate().year, amount_cents=10_000_000
        )
    Organisation.objects.create(
        traeger=traeger,
        key="abh",
        name="ABH Kreis Lippe",
        kind=Organisation.Kind.IMMIGRATION_OFFICE,
    )
    # An immigration office and this purpose make the ABH referral a configured module.
    purpose(traeger, "weiterleitung-abh-bleiberecht", "Weiterleitung an die ABH (Bleiberecht)")
    person = PersonFactory(
        traeger=traeger,
        organisation=organisation,
        first_name="Samir",
        last_name="Tesfay",
        date_of_birth=dt.date(2003, 4, 2),
        municipality=lemgo,
    )
    ResidenceStatusRecord.objects.create(
        traeger=traeger, person=person, status=duldung, valid_from=dt.date(2023, 5, 1)
    )
    return person


def test_eligibility_participation_and_referral_pages(page, live_server, case_worker, teilhabe):
    login(page, live_server, case_worker.username, case_worker.raw_password)
    today = timezone.localdate().isoformat()

    page.goto(f"{live_server.url}/personen/{teilhabe.pk}/teilhabe-pruefung/")
    assert_accessible(page)
    page.fill("#id_intake_date", today)
    page.click("form[method=get] button[type=submit]")
    page.wait_for_selector("#ergebnis")
    assert page.locator('[data-criterion="municipality"][data-met="yes"]').count() == 1
    assert_accessible(page)
    with page.expect_navigation():
        page.click("#eroeffnen button[type=submit]")
    participation = Participation.objects.get(case__person=teilhabe)
    assert_accessible(page)

    case_id = participation.case_id
    page.goto(f"{live_server.url}/faelle/{case_id}/teilhabe/bausteine/neu/")
    assert_accessible(page)
    page.select_option("#id_module", value=str(ProgrammeModule.objects.get(key="b1").pk))
    page.fill("#id_starts_on", today)
    with page.expect_navigation():
        page.click("#formular button[type=submit]")
    assert participation.assignments.count() == 1

    page.goto(f"{live_server.url}/faelle/{case_id}/teilhabe/kosten/neu/")
    assert_accessible(page)

    page.goto(f"{live_server.url}/faelle/{case_id}/abh/")
    assert_accessible(page)
    page.select_option("#id_purpose", value="25b")
    with page.expect_navigation():
        page.click("#neue-vorpruefung button[type=submit]")
    assert_accessible(page)
    referral = AbhReferral.objects.get(case_id=case_id)
    page.goto(f"{live_server.url}/faelle/{case_id}/abh/{referral.pk}/weiterleiten/")
    assert_accessible(page)

    page.goto(f"{live_server.url}/teilhabemanagement/")
    assert_accessible(page)
    page.goto(f"{live_server.url}/teilhabemanagement/budgets/")
    assert_accessible(page)
