"""Reminders of tasks and referral follow-ups, and what the daily digest lists (issue 10)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from lotse.assignments.models import Task, TaskStatus
from lotse.deadlines import reminders
from lotse.deadlines.models import DeadlineStatus, PersonGoalDeadline, SentReminder
from lotse.directory.models import Goal
from lotse.offers.models import Offer, OfferKind, Referral
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 7)


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.LOTSE_BASE_URL = "https://lotse.kreis-lippe.example"
    settings.LOTSE_REMINDER_DAYS = 3


@pytest.fixture
def case(traeger, organisation, case_manager):
    case_manager.email = "cm@kreis.example"
    case_manager.save()
    return CaseFactory(
        traeger=traeger,
        organisation=organisation,
        case_manager=case_manager,
        reference="2026-000777",
        person__last_name="Vertraulich",
    )


@pytest.fixture
def goal(traeger):
    return Goal.objects.create(traeger=traeger, key="kita", code="Kita III", title="Kita-Platz")


@pytest.fixture
def offer(traeger):
    return Offer.objects.create(
        traeger=traeger, key="sprachcafe", kind=OfferKind.LANGUAGE_SUPPORT, title="Sprachcafé"
    )


def _deadline(case, goal, due_on, status=DeadlineStatus.OPEN):
    """A deadline of the case's person (one goal per deadline: a goal has one per person)."""
    number = PersonGoalDeadline.objects.count()
    goal = Goal.objects.create(
        traeger=case.traeger, key=f"{goal.key}-{number}", code=goal.code, title=goal.title
    )
    return PersonGoalDeadline.objects.create(
        traeger=case.traeger,
        person=case.person,
        goal=goal,
        status=status,
        due_on=due_on,
        computed_at=timezone.now(),
    )


def _task(case, due_on, **fields):
    fields.setdefault("owner_user", case.case_manager)
    return Task.objects.create(
        traeger=case.traeger,
        case=case,
        title="Wohnungsamt Frau Vertraulich",
        due_on=due_on,
        **fields,
    )


def _referral(case, offer, follow_up_on):
    return Referral.objects.create(
        traeger=case.traeger,
        case=case,
        offer=offer,
        requested_on=days(-20),
        follow_up_on=follow_up_on,
    )


def test_tasks_and_follow_ups_are_reminded_once_before_they_are_due(case, offer):
    task = _task(case, days(2))
    referral = _referral(case, offer, days(3))
    _task(case, days(5))  # outside the window
    _task(case, days(1), status=TaskStatus.DONE)

    assert reminders.send_task_reminders(today=TODAY) == 1
    assert reminders.send_task_reminders(today=TODAY) == 0
    assert reminders.send_task_reminders(today=days(1)) == 0

    (message,) = mail.outbox
    assert message.to == ["cm@kreis.example"]
    body = message.body
    assert "Aufgaben" in body and "Wiedervorlagen zu Zusteuerungen" in body
    assert f"https://lotse.kreis-lippe.example/aufgaben/{task.pk}/" in body
    assert f"https://lotse.kreis-lippe.example/zusteuerungen/{referral.pk}/" in body
    assert "Aufgabe im Fall 2026-000777" in body and "Sprachcafé (Fall 2026-000777)" in body
    # No client names, no free text of a task in an e-mail.
    assert "Vertraulich" not in body and "Wohnungsamt" not in body
    assert SentReminder.objects.filter(kind="task_due").count() == 1
    assert SentReminder.objects.filter(kind="follow_up_due").count() == 1


def test_a_changed_due_date_is_reminded_again(case):
    task = _task(case, days(1))
    assert reminders.send_task_reminders(today=TODAY) == 1
    Task.objects.filter(pk=task.pk).update(due_on=days(3))
    assert reminders.send_task_reminders(today=days(1)) == 1


def test_a_partners_task_is_reminded_to_the_case_manager(case, traeger):
    from tests.factories import OrganisationFactory

    partner = OrganisationFactory(traeger=traeger, key="jobcenter", name="Jobcenter")
    _task(case, days(1), owner_user=None, owner_organisation=partner)
    assert reminders.send_task_reminders(today=TODAY) == 1
    assert mail.outbox[0].to == ["cm@kreis.example"]


def test_the_digest_lists_this_week_and_newly_overdue_by_kind(case, goal, offer):
    _deadline(case, goal, days(-1))  # overdue since today: new
    _deadline(case, goal, days(-400))  # years old: never
    _deadline(case, goal, days(-3), status=DeadlineStatus.BEFORE_CASE)  # over before the case
    _deadline(case, goal, days(4))
    _deadline(case, goal, days(30))  # not this week
    _task(case, days(-1))
    _task(case, days(-30))  # long overdue: the worklist has it, not the mail
    _task(case, TODAY)
    _referral(case, offer, days(6))
    _referral(case, offer, days(7))  # next week

    assert reminders.send_digests(today=TODAY) == 1
    assert reminders.send_digests(today=TODAY) == 0
    body = mail.outbox[0].body
    assert mail.outbox[0].subject == "Lotse: Ihre Woche am 07.12.2026"

    deadlines = body.index("Fristen\n")
    tasks = body.index("Aufgaben\n")
    follow_ups = body.index("Wiedervorlagen zu Zusteuerungen\n")
    assert deadlines < tasks < follow_ups
    assert body.count("seit 1 Tagen überfällig") == 2  # the deadline and the task
    assert "400 Tagen" not in body and "30 Tagen" not in body and "seit 3 Tagen" not in body
    assert f"{days(4):%d.%m.%Y}" in body and f"{days(30):%d.%m.%Y}" not in body
    assert "heute fällig" in body
    assert f"{days(6):%d.%m.%Y}" in body and f"{days(7):%d.%m.%Y}" not in body
    assert "https://lotse.kreis-lippe.example/start/" in body
    assert "Vertraulich" not in body


def test_newly_overdue_means_since_the_last_digest(case, goal):
    _deadline(case, goal, days(-2))
    # The digest of two days ago listed it as due that day; yesterday's was sent too.
    SentReminder.objects.create(
        traeger=case.traeger, recipient=case.case_manager, kind="digest", for_date=days(-1)
    )
    assert reminders.send_digests(today=TODAY) == 0  # nothing new since yesterday's digest
    SentReminder.objects.all().delete()
    SentReminder.objects.create(
        traeger=case.traeger, recipient=case.case_manager, kind="digest", for_date=days(-3)
    )
    # The last digest was three days ago (a weekend in between): overdue since then is new.
    assert reminders.send_digests(today=TODAY) == 1
    assert "seit 2 Tagen überfällig" in mail.outbox[0].body


def test_nothing_due_sends_no_digest(case, goal):
    _deadline(case, goal, days(-20))
    _deadline(case, goal, days(20))
    assert reminders.send_digests(today=TODAY) == 0
    assert mail.outbox == []


def test_a_malformed_base_url_refuses_the_start():
    from django.core.exceptions import ImproperlyConfigured

    from lotse.core.links import check_base_url

    assert check_base_url("https://lotse.kreis.de/") == "https://lotse.kreis.de"
    assert check_base_url("") == ""
    for bad in ("lotse.kreis.de", "ftp://lotse.kreis.de", "https://lotse.kreis.de/?x=1"):
        with pytest.raises(ImproperlyConfigured):
            check_base_url(bad)


def test_production_without_base_url_warns_at_start(settings):
    from lotse.core.checks import base_url_check

    settings.TESTING = False
    settings.DEBUG = False
    settings.DEMO = False
    settings.LOTSE_BASE_URL = ""
    (warning,) = base_url_check()
    assert warning.id == "lotse.W001" and "LOTSE_BASE_URL" in warning.msg
    settings.LOTSE_BASE_URL = "https://lotse.kreis.de"
    assert base_url_check() == []
