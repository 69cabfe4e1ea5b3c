"""Erstgespräch by keyboard, and axe-core on every intake page."""

from __future__ import annotations

import datetime as dt

import pytest

from lotse.cases.models import TimelineEntry
from lotse.directory.models import FieldOfAction, InterviewGuide
from lotse.intake import services
from lotse.intake.models import Assessment, InitialInterview, InterpreterUse
from tests.browser.conftest import assert_accessible, login
from tests.browser.test_journey import tab_to
from tests.factories import (
    CaseFactory,
    FieldOfActionFactory,
    OrganisationFactory,
    PersonFactory,
    ProgrammeFactory,
    TimelineEntryFactory,
)

pytestmark = pytest.mark.browser

SECTIONS = [
    {
        "key": "rahmen",
        "title": "Einstieg und Rahmen",
        "questions": [
            {
                "key": "freiwilligkeit",
                "text": "Wurde erklärt, dass die Teilnahme freiwillig ist?",
                "answer_type": "yes_no",
                "required": True,
            },
        ],
    },
    {
        "key": "sprache",
        "title": "Sprachen",
        "questions": [
            {"key": "sprachen", "text": "Welche Sprachen sprechen Sie?", "answer_type": "text"},
            {
                "key": "deutsch",
                "text": "Wie gut sprechen Sie Deutsch?",
                "answer_type": "choice",
                "options": ["keine Kenntnisse", "A1", "A2"],
                "required": True,
            },
            {"key": "kinder", "text": "Wie viele Kinder?", "answer_type": "number"},
            {"key": "seit", "text": "Seit wann in Lippe?", "answer_type": "date"},
        ],
    },
    {
        "key": "ziele",
        "title": "Ziele",
        "questions": [
            {"key": "ziel", "text": "Was möchten Sie erreichen?", "answer_type": "long_text"}
        ],
    },
]


@pytest.fixture
def intake_case(case_worker):
    traeger, organisation = case_worker.traeger, case_worker.organisation
    InterviewGuide.objects.create(
        traeger=traeger,
        key="erstgespraech",
        name="Leitfaden",
        guide_version="1.0",
        sections=SECTIONS,
    )
    FieldOfActionFactory(traeger=traeger, key="arbeit", name="Arbeit, Ausbildung, Beschäftigung")
    OrganisationFactory(traeger=traeger, key="ki", name="Kommunales Integrationszentrum")
    person = PersonFactory(
        traeger=traeger,
        organisation=organisation,
        first_name="Amina",
        last_name="Haddad",
        registered_on=dt.date(2026, 1, 5),
    )
    case = CaseFactory(
        traeger=traeger,
        organisation=organisation,
        person=person,
        programme=ProgrammeFactory(traeger=traeger),
        case_manager=case_worker,
        participation_offered_on=dt.date(2026, 10, 1),
    )
    TimelineEntryFactory(case=case, kind="contact", channel="phone", title="Telefonat")
    return case


def choose_by_arrows(page, value: str) -> None:
    """Pick an option of the focused <select> with the arrow keys, as a keyboard user would."""
    steps = page.evaluate(
        """(value) => {
            const select = document.activeElement;
            return [...select.options].findIndex((o) => o.value === value) - select.selectedIndex;
        }""",
        value,
    )
    assert steps >= 0
    for _ in range(steps):
        page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.value") == value


def test_initial_interview_by_keyboard(page, live_server, case_worker, intake_case):
    login(page, live_server, case_worker.username, case_worker.raw_password)
    page.goto(f"{live_server.url}/faelle/{intake_case.pk}/")
    tab_to(page, f"a[href='/faelle/{intake_case.pk}/erstgespraech/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)

    tab_to(page, "#id_location")
    page.keyboard.type("Regionalbüro Detmold")
    tab_to(page, "#id_interpreter_language")
    page.keyboard.type("Arab")  # type-ahead in the native select
    tab_to(page, "#id_interpreter_kind")
    page.keyboard.type(
        "Kind" if page.evaluate("() => document.documentElement.lang") == "de" else "child"
    )
    tab_to(page, "input[name='rahmen__freiwilligkeit'][value='yes']")
    page.keyboard.press("Space")
    tab_to(page, "#id_sprache__sprachen")
    page.keyboard.type("Arabisch, Englisch")
    tab_to(page, "#id_sprache__kinder")
    page.keyboard.type("2")
    tab_to(page, "#id_ziele__ziel")
    page.keyboard.type("Als Pflegefachfrau arbeiten.")

    # Completing without the required German level: the error summary is accessible.
    tab_to(page, "button[name='action'][value='complete']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_selector("[aria-invalid=true]")
    assert_accessible(page)
    assert not InitialInterview.objects.exists()

    tab_to(page, "#id_sprache__deutsch")
    choose_by_arrows(page, "A1")
    tab_to(page, "button[name='action'][value='draft']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    interview = InitialInterview.objects.get(case=intake_case)
    assert interview.status == "draft"
    assert interview.answers["rahmen"]["freiwilligkeit"] is True
    assert interview.answers["sprache"]["kinder"] == 2
    assert interview.answers["sprache"]["deutsch"] == "A1"
    use = InterpreterUse.objects.get(interview=interview)
    assert (use.language, use.kind) == ("ar", "child")
    assert page.locator("#sprachmittlung-warnung").is_visible()
    assert_accessible(page)

    tab_to(page, "button[name='action'][value='complete']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    interview.refresh_from_db()
    assert interview.is_completed
    assert TimelineEntry.objects.filter(case=intake_case, kind="appointment").exists()
    assert page.locator("form#erstgespraech").count() == 0
    assert_accessible(page)


def test_every_intake_page_passes_axe(page, live_server, case_worker, intake_case):
    field = FieldOfAction.objects.get(traeger=intake_case.traeger, key="arbeit")
    assessment = services.assessment_save(
        actor=case_worker,
        case=intake_case,
        field_of_action=field,
        expected_version=0,
        values={"work_status": "job_seeker", "german_level": "not_tested"},
        authorities=[],
    )
    services.assessment_save(
        actor=case_worker,
        case=intake_case,
        field_of_action=field,
        expected_version=assessment.version,
        values={"goals": "Arbeit finden"},
        authorities=[],
    )
    contact = TimelineEntry.objects.get(case=intake_case, kind="contact")
    services.interpreter_use_set(
        actor=case_worker,
        case=intake_case,
        timeline_entry=contact,
        data=services.InterpreterInput(language="ar", kind="relative"),
    )
    login(page, live_server, case_worker.username, case_worker.raw_password)
    base = f"{live_server.url}/faelle/{intake_case.pk}"
    for path in (
        "/erstgespraech/",
        "/assessment/",
        f"/assessment/{field.pk}/",
        f"/assessment/{field.pk}/verlauf/",
        "/profil/",
        "/sprachmittlung/",
    ):
        page.goto(base + path)
        assert page.locator("h1").count() == 1
        assert page.locator("#sprachmittlung-warnung").is_visible()
        assert_accessible(page)

    # invalid assessment (CEFR level without test data): errors are accessible too
    page.goto(f"{base}/assessment/{field.pk}/")
    page.select_option("#id_german_level", "B1")
    page.click("form#assessment button[type=submit]")
    page.wait_for_selector("[aria-invalid=true]")
    assert_accessible(page)
    assert Assessment.objects.get().german_level == "not_tested"

    # profile choice by keyboard
    page.goto(f"{base}/profil/")
    tab_to(page, "input[name='track'][value='acceleration']")
    page.keyboard.press("Space")
    tab_to(page, "#id_reason")
    page.keyboard.type("Abgeschlossenes Studium, gute Deutschkenntnisse")
    tab_to(page, "form#profil button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("[data-count='acceleration']").inner_text().strip() == "1"
    assert_accessible(page)
