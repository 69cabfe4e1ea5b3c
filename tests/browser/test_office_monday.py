"""The office on Monday (issue 10), walked as the demo users through the real login form.

The demo household Rahimi — Mariam (36), Omid (7), Sara (3), registered last Monday, the case
just opened — is piloted by the demo case manager: one Erstgespräch meets the
Ankommensgespräch (Leitziel III) for all three; Omid's school referral, accepted, meets
Schule I; Sara's Kita offer meets Kita III; the mother's language test meets Sprache III. Her
deadlines page then shows exactly what is still due (Arbeit I, Sprache I). The agreement's SMART
goal is rated in an interim evaluation; the team lead sees the team's load. axe on every page.
"""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO
from pathlib import Path

import pytest
from django.utils import timezone

from lotse.deadlines.models import DeadlineStatus, PersonGoalDeadline
from lotse.demo.family import FAMILY_KEY
from lotse.directory.models import FieldOfAction
from lotse.people.models import Person
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

RESULTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture
def demo(transactional_db, settings):
    from django.core.management import call_command

    settings.DEMO = True  # demo accounts skip the second factor only in demo mode
    call_command("loaddemo", size=8, stdout=StringIO())


def _sign_in(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/anmelden/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    with page.expect_navigation():
        page.press("#id_password", "Enter")


def _shot(page, name: str) -> None:
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / f"office-monday-{name}.png"), full_page=True)


def _status(person: Person, code: str) -> str:
    return PersonGoalDeadline.objects.get(person=person, goal__code=code).status


def _refer(page, base: str, case_pk: int, person: Person, offer_title: str) -> None:
    page.goto(f"{base}/faelle/{case_pk}/angebote/neu/")
    page.select_option("#id_person", str(person.pk))
    page.select_option("#id_offer", label=offer_title)
    with page.expect_navigation():
        page.click(f"form[action='/faelle/{case_pk}/angebote/neu/'] button[type=submit]")
    assert re.search(r"/zusteuerungen/\d+/$", page.url), page.inner_text("main")
    assert f"{person.first_name} Rahimi" in page.inner_text("main")
    page.select_option("#statuswechsel select[name=to_state]", "accepted")
    with page.expect_navigation():
        page.click("#statuswechsel button[type=submit]")
    assert "Status gespeichert" in page.content()
    assert_accessible(page)


def test_the_office_on_monday(page, live_server, demo):
    base = live_server.url
    page.set_default_timeout(60_000)  # a busy CI machine; no assertion on time
    mother = Person.objects.get(external_key=FAMILY_KEY)
    omid = Person.objects.get(external_key=f"{FAMILY_KEY}-omid")
    sara = Person.objects.get(external_key=f"{FAMILY_KEY}-sara")
    case = mother.cases.get()
    family = (mother, omid, sara)
    assert {_status(p, "Leitziel III") for p in family} == {DeadlineStatus.OPEN}
    assert _status(omid, "Schule I") == _status(sara, "Kita III") == DeadlineStatus.OPEN

    # Meine Woche: the start page of the case manager, the most urgent first.
    _sign_in(page, base, "casemanager")
    assert page.url == f"{base}/start/"
    assert page.locator("main h1").inner_text() == "Meine Woche"
    headings = page.locator("main h2").all_inner_texts()
    assert [h.split(" (")[0] for h in headings[:3]] == ["Überfällig", "Heute", "Diese Woche"]
    assert_accessible(page)
    _shot(page, "meine-woche")

    # One Erstgespräch meets the Ankommensgespräch for the whole household.
    page.goto(f"{base}/faelle/{case.pk}/erstgespraech/")
    held = timezone.localtime() - dt.timedelta(minutes=30)
    page.fill("#id_held_at", held.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_location", "Kontaktstelle Detmold")
    page.select_option("#id_interpreter_language", "prs")
    page.select_option("#id_interpreter_kind", "professional")
    page.fill("#id_rahmen__sprachmittlung", "Dolmetscherin für Dari")
    page.check("input[name='rahmen__freiwilligkeit-erklaert'][value='yes']")
    page.check("input[name='rahmen__datenschutz-erklaert'][value='yes']")
    page.fill("#id_lebenssituation__wohnsituation", "Übergangswohnheim Detmold")
    page.fill("#id_lebenssituation__haushalt", "Mutter mit Omid (7) und Sara (3)")
    page.fill("#id_sprache__sprachen", "Dari, etwas Englisch")
    page.select_option("#id_sprache__deutschkenntnisse", "A1")
    assert_accessible(page)
    with page.expect_navigation():
        page.click("button[name='action'][value='complete']")
    assert {_status(p, "Leitziel III") for p in family} == {DeadlineStatus.MET}

    # From the mother's case: Omid to the school counselling, Sara to a Kita place.
    _refer(
        page, base, case.pk, omid, "Schulberatung für Seiteneinsteigerinnen und Seiteneinsteiger"
    )
    _refer(page, base, case.pk, sara, "Kita-Platzvermittlung des Jugendamts der Stadt Detmold")
    assert _status(omid, "Schule I") == DeadlineStatus.MET
    assert _status(sara, "Kita III") == DeadlineStatus.MET

    # The mother's language test, recorded in her Sprache assessment.
    language = FieldOfAction.objects.get(traeger=case.traeger, key="sprache")
    page.goto(f"{base}/faelle/{case.pk}/assessment/{language.pk}/?person={mother.pk}")
    assert_accessible(page)
    page.select_option("#id_german_level", "A1")
    page.fill("#id_german_test_date", timezone.localdate().isoformat())
    page.fill("#id_german_test_provider", "Netzwerk Lippe")
    with page.expect_navigation():
        page.click("form#assessment button[type=submit]")
    assert _status(mother, "Sprache III") == DeadlineStatus.MET

    # Her deadlines: met with their evidence, and exactly what is still due.
    page.goto(f"{base}/personen/{mother.pk}/fristen/")
    own = page.locator("main table").first
    text = own.inner_text()
    assert "Sprachtest am" in text
    open_rows = [
        row.locator("td, th").first.inner_text().split(":")[0]
        for row in own.locator("tbody tr").all()
        if "offen" in row.inner_text()
    ]
    assert open_rows == ["Arbeit I", "Sprache I"]
    assert page.locator("main a", has_text="Zusteuerung in „Schulberatung").count() == 1
    assert page.locator("main a", has_text="Zusteuerung in „Kita-Platzvermittlung").count() == 1
    assert_accessible(page)
    _shot(page, "fristen-familie")

    # Participation agreed, the Integrationsvereinbarung with a SMART goal, agreed.
    page.goto(f"{base}/faelle/{case.pk}/bearbeiten/")
    page.fill("#id_participation_agreed_on", timezone.localdate().isoformat())
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.goto(f"{base}/faelle/{case.pk}/vereinbarung/")
    with page.expect_navigation():
        page.click(f"form[action='/faelle/{case.pk}/vereinbarung/neu/'] button")
    page.select_option("#id_goals-0-field_of_action", label="Deutschsprachförderung für Erwachsene")
    page.fill("#id_goals-0-what", "Integrationskurs mit Kinderbetreuung beginnen")
    page.fill("#id_goals-0-indicator", "Kursbestätigung liegt vor")
    page.select_option("#id_goals-0-responsible", "client")
    page.fill("#id_goals-0-due_on", (timezone.localdate() + dt.timedelta(days=180)).isoformat())
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.check("#vereinbaren #id_signed_by_client")
    with page.expect_navigation():
        page.click("#vereinbaren button[type=submit]")
    goal = case.agreements.get(status="agreed").goals.get()

    # The interim evaluation rates the SMART goal of the agreement in force.
    page.goto(f"{base}/faelle/{case.pk}/evaluation/")
    assert "Integrationskurs mit Kinderbetreuung beginnen" in page.inner_text("main")
    assert_accessible(page)
    page.check(f"input[name='goal_{goal.pk}_level'][value='partly']")
    page.fill(f"#id_goal_{goal.pk}_note", "Angemeldet, Kursbeginn im Februar")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url == f"{base}/faelle/{case.pk}/"
    assert "Angemeldet, Kursbeginn im Februar" in page.content()
    assert_accessible(page)
    _shot(page, "fall-nach-zwischenbewertung")

    # The team lead's start page: the team's load against the target.
    _sign_in(page, base, "teamlead")
    assert page.locator("main h1").inner_text() == "Mein Team"
    load = page.locator("main table").first.inner_text()
    assert "Case Management Sozialraum 4" in load and "100" in load
    assert_accessible(page)
    _shot(page, "mein-team")
