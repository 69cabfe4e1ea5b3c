"""Offers, referrals and tasks in the browser, with axe-core on every new page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lotse.accounts.models import Role, RoleAssignment, User
from lotse.assignments.models import Task
from lotse.offers.models import AccessPath, Offer, Referral, ReferralState
from tests.browser.conftest import assert_accessible, login
from tests.factories import (
    CaseFactory,
    PersonFactory,
    ProgrammeFactory,
    ResidenceStatusTypeFactory,
    grant_consent,
)

pytestmark = pytest.mark.browser
PASSWORD = "Sehr-geheimes-Passwort-2"


def _user(traeger, organisation, username: str, role: str) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        first_name="Alex",
        last_name=username.title(),
        traeger=traeger,
        organisation=organisation,
    )
    RoleAssignment.objects.create(user=user, role=role)
    return user


@pytest.fixture
def scene(case_worker):
    traeger, organisation = case_worker.traeger, case_worker.organisation
    gestattung = ResidenceStatusTypeFactory(traeger=traeger, name="Aufenthaltsgestattung")
    course = Offer.objects.create(
        traeger=traeger,
        key="ik",
        kind="integration_course",
        title="Integrationskurs VHS",
        provider_name="VHS Detmold-Lemgo",
        capacity=1,
        min_age=16,
    )
    path = AccessPath.objects.create(
        traeger=traeger, offer=course, label="Hauptherkunftsland", nationalities=["SY", "IQ"]
    )
    path.statuses.set([gestattung])
    person = PersonFactory(
        traeger=traeger,
        organisation=organisation,
        first_name="Amina",
        last_name="Haddad",
        nationalities=["AF"],
    )
    case = CaseFactory(
        traeger=traeger,
        organisation=organisation,
        person=person,
        case_manager=case_worker,
        programme=ProgrammeFactory(traeger=traeger),
    )
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    other = CaseFactory(traeger=traeger, organisation=organisation, case_manager=case_worker)
    late = Referral.objects.create(
        traeger=traeger,
        case=other,
        offer=course,
        state=ReferralState.ACCEPTED,
        requested_on=yesterday,
        accepted_on=yesterday,
        follow_up_on=yesterday,
    )
    from lotse.directory.models import Organisation

    jobcenter = Organisation.objects.create(
        traeger=traeger, key="jobcenter", name="Jobcenter Lippe"
    )
    task = Task.objects.create(
        traeger=traeger,
        case=case,
        title="Beratungstermin vergeben",
        owner_organisation=jobcenter,
        due_on=timezone.localdate() + dt.timedelta(days=5),
    )
    # The task passes data to the Jobcenter: only with the person's consent (§ 67b SGB X).
    grant_consent(case.person, jobcenter)
    return {
        "case": case,
        "course": course,
        "late": late,
        "task": task,
        "coordinator": _user(traeger, organisation, "koordination", Role.COORDINATION),
        "partner": _user(traeger, jobcenter, "jobcenter", Role.PARTNER),
    }


def test_case_manager_refers_with_a_reason_and_sees_the_waiting_list(
    page, live_server, case_worker, scene
):
    case, course = scene["case"], scene["course"]
    login(page, live_server, case_worker.username, case_worker.raw_password)

    for path in (
        "/angebote/",
        f"/angebote/{course.pk}/",
        "/zusteuerungen/?ueberfaellig=1",
        f"/faelle/{case.pk}/angebote/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
    page.goto(f"{live_server.url}/zusteuerungen/?ueberfaellig=1")
    assert scene["late"].case.reference in page.content()

    page.goto(f"{live_server.url}/faelle/{case.pk}/angebote/neu/?angebot={course.pk}")
    assert page.locator("#pruefergebnis").is_visible()
    assert_accessible(page)
    page.select_option("#id_offer", str(course.pk))
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_selector("[aria-invalid=true]")
    assert_accessible(page)
    page.fill("#id_override_reason", "Sonderkurs des Trägers")
    with page.expect_navigation():
        page.click("main form[method=post] button[type=submit]")
    referral = Referral.objects.get(case=case)
    assert referral.override_reason == "Sonderkurs des Trägers"
    assert_accessible(page)

    page.select_option("#statuswechsel select", "accepted")
    with page.expect_navigation():
        page.click("#statuswechsel button[type=submit]")
    referral.refresh_from_db()
    assert referral.state == ReferralState.WAITING  # the only place is taken
    assert_accessible(page)

    for path in (
        "/aufgaben/?team=1",
        f"/faelle/{case.pk}/aufgaben/",
        f"/aufgaben/{scene['task'].pk}/",
        f"/aufgaben/{scene['task'].pk}/bearbeiten/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)


def test_coordination_maintains_offers(page, live_server, scene):
    login(page, live_server, "koordination", PASSWORD)
    page.goto(f"{live_server.url}/angebote/neu/")
    assert_accessible(page)
    page.fill("#id_title", "Sprachcafé Lemgo")
    page.select_option("#id_kind", "language_support")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    offer = Offer.objects.get(title="Sprachcafé Lemgo")
    assert_accessible(page)
    page.goto(f"{live_server.url}/angebote/{offer.pk}/bearbeiten/")
    assert_accessible(page)


def test_partner_reports_on_its_task_without_seeing_the_case(page, live_server, scene):
    task, case = scene["task"], scene["case"]
    login(page, live_server, "jobcenter", PASSWORD)
    page.goto(f"{live_server.url}/aufgaben/")
    assert "Beratungstermin vergeben" in page.content()
    assert "Haddad" not in page.content() and case.reference not in page.content()
    assert_accessible(page)

    page.goto(f"{live_server.url}/aufgaben/{task.pk}/")
    assert_accessible(page)
    page.select_option("#id_status", "done")
    page.fill("#id_comment", "Termin am Montag")
    with page.expect_navigation():
        page.click("#rueckmeldung button[type=submit]")
    task.refresh_from_db()
    assert task.status == "done"
    assert "Haddad" not in page.content()
    assert_accessible(page)
