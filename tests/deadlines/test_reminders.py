"""Reminder e-mails and the daily scheduler, run by the immediate task backend."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from lotse.deadlines import reminders, scheduler, services
from lotse.deadlines.models import SchedulerRun, SentReminder
from lotse.deadlines.tasks import daily_deadline_run
from tests.factories import CaseFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_due_soon(traeger, organisation, case_manager, lippe_goals):
    """Registered 12 days ago: the Ankommensgespräch is due in 2 days, nothing is overdue."""
    case_manager.email = "cm@kreis.example"
    case_manager.save()
    today = timezone.localdate()
    person = PersonFactory(
        traeger=traeger,
        organisation=organisation,
        last_name="Vertraulich",
        registered_on=today - dt.timedelta(days=12),
    )
    CaseFactory(
        traeger=traeger, organisation=organisation, person=person, case_manager=case_manager
    )
    services.deadlines_refresh_for_person(person)
    return person


def test_reminder_before_the_due_date_is_sent_once(client_due_soon, case_manager):
    today = timezone.localdate()

    assert reminders.send_due_reminders(today=today) == 1
    assert reminders.send_due_reminders(today=today) == 0
    assert reminders.send_due_reminders(today=today + dt.timedelta(days=1)) == 0

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["cm@kreis.example"]
    assert f"/personen/{client_due_soon.pk}/fristen/" in message.body
    assert "Vertraulich" not in message.body  # no client names in e-mail
    assert SentReminder.objects.filter(kind="before_due").count() == 1


def test_no_reminder_outside_the_window(client_due_soon):
    today = timezone.localdate()
    assert reminders.send_due_reminders(today=today - dt.timedelta(days=5)) == 0
    assert mail.outbox == []


def test_no_reminder_without_a_responsible_case_manager(traeger, organisation, lippe_goals):
    person = PersonFactory(
        traeger=traeger,
        organisation=organisation,
        registered_on=timezone.localdate() - dt.timedelta(days=12),
    )
    services.deadlines_refresh_for_person(person)
    assert reminders.send_due_reminders(today=timezone.localdate()) == 0


def test_daily_digest_once_per_day(client_due_soon):
    today = timezone.localdate()
    assert reminders.send_digests(today=today) == 1
    assert reminders.send_digests(today=today) == 0
    assert reminders.send_digests(today=today + dt.timedelta(days=1)) == 1
    assert len(mail.outbox) == 2


def test_daily_run_as_a_background_task(client_due_soon):
    today = timezone.localdate().isoformat()

    result = daily_deadline_run.enqueue(today)

    assert result.return_value["reminders"] == 1
    assert result.return_value["digests"] == 1
    assert len(mail.outbox) == 2
    daily_deadline_run.enqueue(today)  # a second run the same day sends nothing
    assert len(mail.outbox) == 2


def test_scheduler_enqueues_once_per_day(
    client_due_soon, settings, django_capture_on_commit_callbacks
):
    settings.LOTSE_SCHEDULER_TIME = "06:00"
    morning = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(5, 59)))
    later = morning + dt.timedelta(minutes=2)

    with django_capture_on_commit_callbacks(execute=True):
        assert not scheduler.enqueue_daily(now=morning)
        assert scheduler.enqueue_daily(now=later)
        assert not scheduler.enqueue_daily(now=later + dt.timedelta(hours=3))

    # One run per job and day: the deadline run and the jobs other apps registered (retention).
    assert SchedulerRun.objects.filter(job=scheduler.DAILY_JOB).count() == 1
    assert SchedulerRun.objects.filter(job="retention.daily").count() == 1
    assert len(mail.outbox) == 2  # reminder and digest, once


def test_scheduler_command_once(client_due_soon, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("scheduler", "--once")
        call_command("scheduler", "--once")
    assert SchedulerRun.objects.filter(job=scheduler.DAILY_JOB).count() == 1
    assert len(mail.outbox) == 2
