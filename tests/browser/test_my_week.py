"""Meine Woche and the team lead's page in the browser: through the real login form, axe-clean.

The data comes from the factories: the demo accounts ``casemanager`` and ``teamlead`` (password
``demo``, no second factor in demo mode) with clients whose work is overdue, due today and due
this week.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.browser.conftest import assert_accessible, login

pytestmark = pytest.mark.browser


@pytest.fixture
def office(transactional_db, settings):
    from lotse.accounts.models import Role
    from lotse.assignments.models import Task
    from lotse.deadlines.models import DeadlineStatus, PersonGoalDeadline
    from lotse.directory.models import Goal
    from tests.factories import (
        CaseFactory,
        OrganisationFactory,
        TraegerFactory,
        UserFactory,
        default_post,
    )

    settings.DEMO = True  # demo accounts skip the second factor only in demo mode
    traeger = TraegerFactory()
    organisation = OrganisationFactory(traeger=traeger, name="Servicestelle")
    team_lead = UserFactory(
        username="teamlead",
        password="demo",
        mfa_exempt=True,
        traeger=traeger,
        organisation=organisation,
        roles=[Role.TEAM_LEAD],
        first_name="Tessa",
        last_name="Leitung",
    )
    case_manager = UserFactory(
        username="casemanager",
        password="demo",
        mfa_exempt=True,
        traeger=traeger,
        organisation=organisation,
        roles=[Role.CASE_MANAGEMENT],
        first_name="Carla",
        last_name="Lotsin",
    )
    post = default_post(organisation)
    post.name = "CM Detmold"
    post.save()
    today = timezone.localdate()
    goals = [
        Goal.objects.create(traeger=traeger, key=key, code=code, title=title)
        for key, code, title in (
            ("ankommen", "Leitziel III", "Ankommensgespräch"),
            ("sprache", "Sprache III", "Sprachstand erhoben"),
            ("kita", "Kita III", "Kita-Angebot"),
        )
    ]
    case = CaseFactory(
        traeger=traeger,
        organisation=organisation,
        case_manager=case_manager,
        person__last_name="Haddad",
        person__first_name="Amina",
    )
    for goal, due_on in zip(
        goals, (today - dt.timedelta(days=2), today, today + dt.timedelta(days=4)), strict=True
    ):
        PersonGoalDeadline.objects.create(
            traeger=traeger,
            person=case.person,
            goal=goal,
            status=DeadlineStatus.OPEN,
            due_on=due_on,
            computed_at=timezone.now(),
        )
    Task.objects.create(
        traeger=traeger,
        case=case,
        title="Schulanmeldung vorbereiten",
        owner_user=case_manager,
        due_on=today + dt.timedelta(days=1),
    )
    return {"case": case, "post": post, "team_lead": team_lead}


def test_the_case_manager_sees_her_week_in_order_and_opens_a_deadline(page, live_server, office):
    login(page, live_server, "casemanager", "demo")

    assert page.url == f"{live_server.url}/start/"
    assert page.locator("main h1").inner_text().strip() == "Meine Woche"
    headings = [text.strip() for text in page.locator("[data-week-group] h2").all_inner_texts()]
    assert headings == ["Überfällig (1)", "Heute (1)", "Diese Woche (2)", "Später (0)"]
    week = page.locator('[data-week-group="week"]')
    assert "Schulanmeldung vorbereiten" in week.locator("tbody tr").first.inner_text()
    assert "Kita III: Kita-Angebot" in week.inner_text()
    assert_accessible(page)

    with page.expect_navigation():
        page.locator('[data-week-group="overdue"]').get_by_role(
            "link", name="Leitziel III: Ankommensgespräch"
        ).click()
    assert "/fristen/" in page.url and page.url.endswith("/erfuellt/")
    assert page.locator("main h1").inner_text().strip() == "Ziel als erfüllt eintragen"
    assert_accessible(page)


def test_the_team_lead_sees_the_load_per_post(page, live_server, office):
    login(page, live_server, "teamlead", "demo")

    assert page.url == f"{live_server.url}/start/"
    assert page.locator("main h1").inner_text().strip() == "Mein Team"
    posts = page.locator("table").first
    assert "CM Detmold" in posts.inner_text() and "Carla Lotsin" in posts.inner_text()
    workloads = page.locator("[data-workload]")
    assert workloads.count() == 1
    assert "Carla Lotsin" in workloads.first.inner_text()
    assert "3 (1)" in workloads.first.inner_text()  # three pending deadlines, one overdue
    assert_accessible(page)
