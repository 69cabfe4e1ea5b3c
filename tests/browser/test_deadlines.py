"""Fristen in the browser: the person's deadlines, recording one as met, the worklist; axe on each."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lotse.deadlines.models import DeadlineStatus, PersonGoalDeadline
from lotse.directory.models import Goal
from tests.browser.conftest import assert_accessible, login
from tests.deadlines.conftest import LIPPE_GOALS, LIPPE_HOLIDAYS
from tests.factories import CaseFactory, PersonFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def client_with_deadlines(case_worker):
    traeger, organisation = case_worker.traeger, case_worker.organisation
    traeger.school_holidays = LIPPE_HOLIDAYS
    traeger.save(update_fields=["school_holidays"])
    for order, key in enumerate(["leitziel-iii", "arbeit-i", "sprache-iii", "schule-i"]):
        goal = LIPPE_GOALS[key]
        Goal.objects.create(
            traeger=traeger,
            key=key,
            code=goal.get("code", ""),
            title=goal["title"],
            deadline_rule=goal["deadline"],
            applies_to=goal.get("applies_to"),
            sort_order=order,
        )
    person = PersonFactory(
        traeger=traeger,
        organisation=organisation,
        first_name="Amina",
        last_name="Haddad",
        registered_on=timezone.localdate() - dt.timedelta(days=20),
    )
    CaseFactory(traeger=traeger, organisation=organisation, person=person, case_manager=case_worker)
    return person


def test_deadlines_journey(page, live_server, case_worker, client_with_deadlines):
    person = client_with_deadlines
    login(page, live_server, case_worker.username, case_worker.raw_password)

    page.goto(f"{live_server.url}/personen/{person.pk}/")
    with page.expect_navigation():
        page.click(f"a[href='/personen/{person.pk}/fristen/']")
    assert page.locator("h1").count() == 1
    assert LIPPE_GOALS["leitziel-iii"]["title"] in page.content()
    assert_accessible(page)

    deadline = PersonGoalDeadline.objects.get(person=person, goal__key="leitziel-iii")
    with page.expect_navigation():
        page.click(f"a[href='/personen/{person.pk}/fristen/{deadline.pk}/erfuellt/']")
    assert_accessible(page)
    page.fill("#id_evidence", "")
    with page.expect_navigation():
        page.click("form.kern-stack button[type=submit]")
    assert_accessible(page)  # the form with its error summary
    page.fill("#id_evidence", "Ankommensgespräch im Regionalbüro geführt")
    with page.expect_navigation():
        page.click("form.kern-stack button[type=submit]")
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.MET

    other = PersonGoalDeadline.objects.get(person=person, goal__key="arbeit-i")
    page.goto(f"{live_server.url}/personen/{person.pk}/fristen/{other.pk}/entfaellt/")
    assert_accessible(page)

    page.goto(f"{live_server.url}/fristen/")
    assert page.locator("table").count() == 1
    assert_accessible(page)
    page.goto(f"{live_server.url}/fristen/?status=met")
    assert_accessible(page)
