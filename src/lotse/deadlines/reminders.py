"""Reminder e-mails to case managers: before a due date, and a daily digest.

Recipients are the case managers of the open cases of the person (or, for a child, of a
household member). Every e-mail is recorded in ``SentReminder`` in the same transaction as it is
sent, so a second run sends nothing; a failed send rolls the record back and is retried next run.

Data minimisation: the e-mails name the goal, the due date and a link into Lotse, never the
client's name or other personal data (e-mail leaves the application's access control).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from lotse.accounts.models import User
from lotse.audit.services import audit_log
from lotse.cases.models import Case, Phase
from lotse.deadlines.models import (
    DeadlineStatus,
    PersonGoalDeadline,
    ReminderKind,
    SentReminder,
)

logger = logging.getLogger(__name__)

DEFAULT_REMINDER_DAYS = 3
DIGEST_HORIZON_DAYS = 7


def reminder_days() -> int:
    """Days before the due date for the reminder (``LOTSE_REMINDER_DAYS``, default 3)."""
    value: Any = getattr(settings, "LOTSE_REMINDER_DAYS", None)
    if value is None:
        value = os.environ.get("LOTSE_REMINDER_DAYS", DEFAULT_REMINDER_DAYS)
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return DEFAULT_REMINDER_DAYS


def _link(path: str) -> str:
    base = getattr(settings, "LOTSE_BASE_URL", None) or os.environ.get("LOTSE_BASE_URL", "")
    return f"{base.rstrip('/')}{path}"


def recipients_for(deadlines: Iterable[PersonGoalDeadline]) -> dict[int, set[int]]:
    """``{deadline_id: {user_id, …}}``: case managers of open cases of the person or household."""
    deadlines = list(deadlines)
    if not deadlines:
        return {}
    person_ids = {d.person_id for d in deadlines}
    household_ids = {d.person.household_id for d in deadlines if d.person.household_id}
    cases = (
        Case.objects.filter(Q(person_id__in=person_ids) | Q(person__household_id__in=household_ids))
        .exclude(phase=Phase.CLOSED)
        .exclude(case_manager__isnull=True)
        .filter(case_manager__is_active=True)
        .values_list("traeger_id", "person_id", "person__household_id", "case_manager_id")
    )
    by_person: dict[int, set[int]] = defaultdict(set)
    by_household: dict[int, set[int]] = defaultdict(set)
    traeger_of_user: dict[int, int] = {}
    for traeger_id, person_id, household_id, user_id in cases:
        traeger_of_user[user_id] = traeger_id
        by_person[person_id].add(user_id)
        if household_id:
            by_household[household_id].add(user_id)
    result: dict[int, set[int]] = {}
    for d in deadlines:
        users = set(by_person.get(d.person_id, set()))
        if d.person.household_id:
            users |= by_household.get(d.person.household_id, set())
        result[d.pk] = {u for u in users if traeger_of_user.get(u) == d.traeger_id}
    return result


def _line(deadline: PersonGoalDeadline, today: dt.date) -> str:
    due = deadline.due_on or today
    days = (due - today).days
    goal = f"{deadline.goal.code} {deadline.goal.title}".strip()
    if days < 0:
        # de: seit {days} Tagen überfällig
        when = _("overdue by {days} days").format(days=-days)
    else:
        # de: noch {days} Tage
        when = _("{days} days left").format(days=days)
    url = _link(reverse("deadlines:person", args=[deadline.person_id]))
    return f"- {due:%d.%m.%Y} ({when}): {goal}\n  {url}"


def _send(
    *,
    user: User,
    kind: str,
    deadlines: list[PersonGoalDeadline],
    for_date: dt.date,
    subject: str,
    body: str,
) -> bool:
    """Record and send one e-mail atomically; False if it was already sent."""
    try:
        with transaction.atomic():
            if kind == ReminderKind.DIGEST:
                SentReminder.objects.create(
                    traeger_id=deadlines[0].traeger_id, recipient=user, kind=kind, for_date=for_date
                )
            else:
                SentReminder.objects.bulk_create(
                    [
                        SentReminder(
                            traeger_id=d.traeger_id,
                            recipient=user,
                            kind=kind,
                            deadline=d,
                            for_date=d.due_on or for_date,
                        )
                        for d in deadlines
                    ]
                )
            for person_id in sorted({d.person_id for d in deadlines}):
                audit_log(
                    user=user,
                    action="export",
                    object_type="deadline",
                    person_id=person_id,
                    categories=["deadline"],
                    channel="mail",
                    detail=kind,
                )
            send_mail(subject, body, None, [user.email])
    except IntegrityError:
        return False
    except OSError:  # SMTP trouble: nothing recorded, the next run tries again
        logger.warning("reminder e-mail to user %s failed", user.pk, exc_info=True)
        return False
    return True


def _open_deadlines(today: dt.date, until: dt.date) -> list[PersonGoalDeadline]:
    return list(
        PersonGoalDeadline.objects.filter(
            status=DeadlineStatus.OPEN, due_on__isnull=False, due_on__lte=until
        )
        .select_related("goal", "person")
        .order_by("traeger_id", "due_on", "id")
    )


def send_due_reminders(*, today: dt.date) -> int:
    """One e-mail per case manager listing deadlines due within ``reminder_days()`` days.

    Each deadline is reminded once per due date (a window, not one exact day, so a day the
    scheduler missed is caught up).
    """
    candidates = [d for d in _open_deadlines(today, today + dt.timedelta(days=reminder_days()))]
    candidates = [d for d in candidates if d.due_on is not None and d.due_on >= today]
    already = set(
        SentReminder.objects.filter(
            kind=ReminderKind.BEFORE_DUE, deadline__in=[d.pk for d in candidates]
        ).values_list("recipient_id", "deadline_id", "for_date")
    )
    per_user: dict[int, list[PersonGoalDeadline]] = defaultdict(list)
    for deadline_id, users in recipients_for(candidates).items():
        deadline = next(d for d in candidates if d.pk == deadline_id)
        for user_id in users:
            if (user_id, deadline.pk, deadline.due_on) not in already:
                per_user[user_id].append(deadline)
    sent = 0
    recipients = User.objects.in_bulk(list(per_user))
    with translation.override("de"):
        for user_id, deadlines in per_user.items():
            user = recipients[user_id]
            if not user.email:
                continue
            # de: Lotse: Fristen laufen bald ab
            subject = _("Lotse: deadlines due soon")
            # de: Guten Tag, diese Fristen Ihrer Fälle laufen in den nächsten Tagen ab:
            intro = _("Hello, these deadlines of your cases are due in the next days:")
            body = "\n".join([intro, "", *(_line(d, today) for d in deadlines)])
            sent += _send(
                user=user,
                kind=ReminderKind.BEFORE_DUE,
                deadlines=deadlines,
                for_date=today,
                subject=subject,
                body=body,
            )
    return sent


def send_digests(*, today: dt.date) -> int:
    """Per case manager once a day: overdue deadlines and those due in the next seven days."""
    deadlines = _open_deadlines(today, today + dt.timedelta(days=DIGEST_HORIZON_DAYS))
    per_user: dict[int, list[PersonGoalDeadline]] = defaultdict(list)
    by_id = {d.pk: d for d in deadlines}
    for deadline_id, users in recipients_for(deadlines).items():
        for user_id in users:
            per_user[user_id].append(by_id[deadline_id])
    done = set(
        SentReminder.objects.filter(kind=ReminderKind.DIGEST, for_date=today).values_list(
            "recipient_id", flat=True
        )
    )
    recipients = User.objects.in_bulk([u for u in per_user if u not in done])
    sent = 0
    with translation.override("de"):
        for user_id, user in recipients.items():
            if not user.email:
                continue
            items = per_user[user_id]
            overdue = [d for d in items if d.due_on is not None and d.due_on < today]
            soon = [d for d in items if d.due_on is not None and d.due_on >= today]
            # de: Lotse: Ihre Fristen am {date}
            subject = _("Lotse: your deadlines on {date}").format(date=f"{today:%d.%m.%Y}")
            lines = []
            if overdue:
                # de: Überfällig:
                lines += [_("Overdue:"), *(_line(d, today) for d in overdue), ""]
            if soon:
                # de: In den nächsten sieben Tagen fällig:
                lines += [_("Due in the next seven days:"), *(_line(d, today) for d in soon), ""]
            # de: Alle Fristen: {url}
            lines.append(_("All deadlines: {url}").format(url=_link(reverse("deadlines:worklist"))))
            sent += _send(
                user=user,
                kind=ReminderKind.DIGEST,
                deadlines=items,
                for_date=today,
                subject=subject,
                body="\n".join(lines),
            )
    return sent
