"""The evaluation in the browser (issue 10): the demo case manager rates each SMART goal of the
agreed Integrationsvereinbarung, closes the case and sees the summary counted for monitoring;
axe on every page, the refused form included."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.utils import timezone

from lotse.accounts.models import User
from lotse.cases.models import AttainmentCount, Case, Phase
from lotse.directory.models import CaseManagementPost, FieldOfAction
from tests.browser.conftest import assert_accessible
from tests.factories import (
    AgreementFactory,
    AgreementGoalFactory,
    CaseFactory,
    PersonFactory,
    ProgrammeFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def evaluating_case(transactional_db, settings):
    """A case of the demo case manager in Evaluation, with an agreed plan of two goals."""
    from django.core.management import call_command

    settings.DEMO = True  # demo accounts skip the second factor only in demo mode
    call_command("loaddemo", size=6, stdout=StringIO())
    manager = User.objects.get(username="casemanager")
    post = CaseManagementPost.objects.filter(holder=manager).first()
    traeger, organisation = manager.traeger, manager.organisation
    today = timezone.localdate()
    person = PersonFactory(
        traeger=traeger, organisation=organisation, post=post, first_name="Leyla", last_name="Demir"
    )
    case = CaseFactory(
        traeger=traeger,
        organisation=organisation,
        person=person,
        post=post,
        case_manager=manager,
        programme=ProgrammeFactory(traeger=traeger),
        phase=Phase.EVALUATION,
        opened_on=today - dt.timedelta(days=300),
        participation_offered_on=today - dt.timedelta(days=295),
        participation_agreed_on=today - dt.timedelta(days=290),
    )
    language, work = FieldOfAction.objects.filter(traeger=traeger).order_by("sort_order")[:2]
    agreement = AgreementFactory(case=case, agreed_on=today - dt.timedelta(days=280))
    AgreementGoalFactory(
        agreement=agreement,
        position=1,
        field_of_action=language,
        what="Deutschkenntnisse auf Niveau B1 erreichen",
        indicator="Zertifikat B1 liegt vor",
    )
    AgreementGoalFactory(
        agreement=agreement,
        position=2,
        field_of_action=work,
        what="Eine Ausbildung als Pflegefachfrau beginnen",
        indicator="Ausbildungsvertrag ist unterschrieben",
    )
    return case


def test_rate_the_goals_close_the_case_and_see_the_summary(page, live_server, evaluating_case):
    case = evaluating_case
    goals = list(case.agreements.get().goals.order_by("position"))
    page.goto(f"{live_server.url}/anmelden/")
    page.fill("#id_username", "casemanager")
    page.fill("#id_password", "demo")
    with page.expect_navigation():
        page.press("#id_password", "Enter")

    page.goto(f"{live_server.url}/faelle/{case.pk}/")
    with page.expect_navigation():
        page.click(f"a[href='/faelle/{case.pk}/evaluation/']")
    assert "Deutschkenntnisse auf Niveau B1 erreichen" in page.content()
    assert "Ausbildungsvertrag ist unterschrieben" in page.content()
    assert_accessible(page)

    # Only the first goal rated, no reason for ending: refused at the fields, nothing stored.
    page.check(f"input[name='goal_{goals[0].pk}_level'][value='reached']")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator(f"input[name='goal_{goals[1].pk}_level'][aria-invalid=true]").count()
    assert page.locator("#id_ending_reason[aria-invalid=true]").count() == 1
    assert_accessible(page)
    assert not case.evaluations.exists()

    page.check(f"input[name='goal_{goals[1].pk}_level'][value='partly']")
    page.fill(f"#id_goal_{goals[1].pk}_note", "Praktikum begonnen, Ausbildung ab August")
    page.select_option("#id_ending_reason", "handed_over")
    page.fill("#id_effort_hours", "24")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url == f"{live_server.url}/faelle/{case.pk}/"
    assert "Praktikum begonnen, Ausbildung ab August" in page.content()
    assert_accessible(page)

    page.select_option("#phasenwechsel select", Phase.CLOSED)
    with page.expect_navigation():
        page.click("#phasenwechsel button[type=submit]")
    assert Case.objects.get(pk=case.pk).phase == Phase.CLOSED
    summary = page.locator("table.lotse-closing-summary")
    assert summary.count() == 1
    rows = summary.locator("tbody tr")
    assert rows.count() == 2
    assert [c.strip() for c in rows.nth(0).locator("td").all_inner_texts()][1:] == ["1", "0", "0"]
    assert [c.strip() for c in rows.nth(1).locator("td").all_inner_texts()][1:] == ["0", "1", "0"]
    assert AttainmentCount.objects.filter(case=case).count() == 2
    assert_accessible(page)
