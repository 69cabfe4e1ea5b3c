"""The gate in the browser, as a new user meets it (issue 9): a VHS referral refused and then
allowed, and an ABH referral that cannot go to the Jobcenter or rest on a statute."""

from __future__ import annotations

import pytest

from lotse.consent.models import Transfer
from lotse.directory.models import Organisation
from lotse.offers.models import Offer, Referral
from lotse.programmes import services as programme_services
from tests.browser.conftest import assert_accessible, login
from tests.factories import CaseFactory, PersonFactory, ProgrammeFactory, grant_consent, purpose

pytestmark = pytest.mark.browser


@pytest.fixture
def scene(case_worker):
    traeger, organisation = case_worker.traeger, case_worker.organisation
    jobcenter = Organisation.objects.create(
        traeger=traeger, key="jobcenter-lippe", name="Jobcenter Lippe", kind="authority"
    )
    vhs = Organisation.objects.create(
        traeger=traeger, key="vhs-detmold-lemgo", name="VHS Detmold", kind="education"
    )
    abh = Organisation.objects.create(
        traeger=traeger, key="abh-kreis-lippe", name="ABH Kreis Lippe", kind="immigration_office"
    )
    # The purpose makes the referral to the ABH a configured module (programmes.modules).
    purpose(traeger, "weiterleitung-abh-bleiberecht", "Weiterleitung an die ABH (Bleiberecht)")
    course = Offer.objects.create(
        traeger=traeger,
        key="ik",
        kind="integration_course",
        title="Integrationskurs VHS",
        provider=vhs,
    )
    person = PersonFactory(
        traeger=traeger, organisation=organisation, first_name="Amina", last_name="Haddad"
    )
    case = CaseFactory(
        traeger=traeger,
        organisation=organisation,
        person=person,
        case_manager=case_worker,
        programme=ProgrammeFactory(traeger=traeger),
    )
    # The person consented to the Jobcenter only (for job placement), not to the VHS.
    grant_consent(person, jobcenter, ["identity", "residence_status"])
    return {"case": case, "course": course, "vhs": vhs, "jobcenter": jobcenter, "abh": abh}


def _submit(page):
    page.click("main form[method=post] button[type=submit]")


def test_a_vhs_referral_is_refused_without_a_consent_naming_the_vhs_and_journaled_with_one(
    page, live_server, case_worker, scene
):
    case, course = scene["case"], scene["course"]
    login(page, live_server, case_worker.username, case_worker.raw_password)
    url = f"{live_server.url}/faelle/{case.pk}/angebote/neu/?angebot={course.pk}"
    page.goto(url)
    page.select_option("#id_offer", str(course.pk))
    page.fill("#id_note", "Kursstart im Januar")
    _submit(page)
    page.wait_for_selector("[aria-invalid=true]")
    assert "Die Einwilligung nennt VHS Detmold nicht als Empfänger." in page.content()
    assert page.input_value("#id_note") == "Kursstart im Januar"  # the input is kept
    assert not Referral.objects.exists() and not Transfer.objects.filter(flow="referral")
    assert_accessible(page)

    grant_consent(case.person, scene["vhs"], ["identity"], purposes=["zusteuerung-angebote"])
    with page.expect_navigation():
        _submit(page)
    transfer = Transfer.objects.get(flow="referral")
    assert transfer.recipient == scene["vhs"]
    assert Referral.objects.get(case=case).transfer == transfer

    page.goto(f"{live_server.url}/personen/{case.person.pk}/uebermittlungen/")
    assert "VHS Detmold" in page.content()
    assert_accessible(page)


def test_the_abh_referral_goes_neither_to_the_jobcenter_nor_on_a_statute(
    page, live_server, case_worker, scene
):
    case = scene["case"]
    referral = programme_services.referral_create(actor=case_worker, case=case, purpose="25b")
    login(page, live_server, case_worker.username, case_worker.raw_password)
    page.goto(f"{live_server.url}/faelle/{case.pk}/abh/{referral.pk}/weiterleiten/")
    options = page.locator("#id_authority option").all_inner_texts()
    assert "ABH Kreis Lippe" in options and "Jobcenter Lippe" not in options
    assert_accessible(page)

    # A tampered form (the Jobcenter as recipient, a statute as basis) is refused in German.
    page.evaluate(
        """([jobcenter]) => {
            const select = document.querySelector('#id_authority');
            select.add(new Option('Jobcenter Lippe', jobcenter));
            select.value = jobcenter;
            const radio = document.querySelector('input[name=basis]');
            radio.value = 'statute';
            radio.checked = true;
        }""",
        [str(scene["jobcenter"].pk)],
    )
    _submit(page)
    page.wait_for_selector("[aria-invalid=true]")
    content = page.content()
    assert "eine Rechtsvorschrift ersetzt sie nicht" in content
    assert "gültige Auswahl" in content
    referral.refresh_from_db()
    assert referral.state == "draft" and not Transfer.objects.exists()
    assert_accessible(page)
