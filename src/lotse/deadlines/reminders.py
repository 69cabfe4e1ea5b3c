"""Reminder e-mails to case managers: before a due date, and a daily digest.

Three kinds of dated work are reminded: deadlines (goals of the Handlungsstruktur), tasks
(``assignments.Task.due_on``) and referral follow-ups (``offers.Referral.follow_up_on``).

- Before the due date (``LOTSE_REMINDER_DAYS``): deadlines go to the case managers of the open
  cases of the person (or, for a child, of a household member); a task to its owner (a task
  of a partner organisation: to the case manager of its case); a follow-up to the case manager
  of the referral's case.
- The daily digest lists, grouped by kind, what is due this week and what became overdue since
  the last digest (at most a week back): never years-old items, never deadlines that were over
  before the case began (their status is not "open").

Every e-mail is recorded in ``SentReminder`` in the same transaction as it is sent, so a second
run sends nothing; a failed send rolls the record back and is retried next run.

Data minimisation: the e-mails name the goal or offer, the due date, the case reference and a
link into Lotse (absolute with ``LOTSE_BASE_URL``), never the client's name, a task's free text
or other personal data (e-mail leaves the application's access control).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from lotse.accounts.models import User
from lotse.audit.services import audit_log
from lotse.cases.models import Case, Phase
from lotse.core.links import absolute_url
from lotse.deadlines.models import (
    DeadlineStatus,
    PersonGoalDeadline,
    ReminderKind,
    SentReminder,
)

logger = logging.getLogger(__name__)

DEFAULT_REMINDER_DAYS = 3
#: The digest's week: today and the next six days.
DIGEST_HORIZON_DAYS = 7
#: "Newly overdue" reaches back to the last digest, but never further than this.
DIGEST_CATCH_UP_DAYS = 7


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
    return absolute_url(path)


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


# --- the items of a mail -------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """One dated thing to remind of, whatever its app: what, when, where, for whom."""

    kind: str  # "deadline", "task", "follow_up"
    pk: int
    traeger_id: int
    person_id: int
    due_on: dt.date
    label: str
    path: str
    recipients: frozenset[int]


#: The order of the kinds in a mail, with the audit object type of each.
KIND_ORDER = ("deadline", "task", "follow_up")
_OBJECT_TYPE = {"deadline": "deadline", "task": "task", "follow_up": "referral"}
_SUBJECT_TYPE = {"task": "task", "follow_up": "referral"}
_REMINDER_KIND = {"task": ReminderKind.TASK_DUE, "follow_up": ReminderKind.FOLLOW_UP_DUE}


def _kind_heading(kind: str) -> str:
    if kind == "deadline":
        # de: Fristen
        return _("Deadlines")
    if kind == "task":
        # de: Aufgaben
        return _("Tasks")
    # de: Wiedervorlagen zu Zusteuerungen
    return _("Referral follow-ups")


def _open_deadlines(since: dt.date | None, until: dt.date) -> list[PersonGoalDeadline]:
    """Open, dated deadlines due until ``until`` (and not before ``since``). Deadlines over
    before the case began have their own status and are never among them."""
    queryset = PersonGoalDeadline.objects.filter(
        status=DeadlineStatus.OPEN, due_on__isnull=False, due_on__lte=until
    )
    if since is not None:
        queryset = queryset.filter(due_on__gte=since)
    return list(queryset.select_related("goal", "person").order_by("traeger_id", "due_on", "id"))


def _deadline_items(since: dt.date, until: dt.date) -> list[Due]:
    deadlines = _open_deadlines(since, until)
    recipients = recipients_for(deadlines)
    return [
        Due(
            kind="deadline",
            pk=d.pk,
            traeger_id=d.traeger_id,
            person_id=d.person_id,
            due_on=d.due_on,  # type: ignore[arg-type]
            label=f"{d.goal.code} {d.goal.title}".strip(),
            path=reverse("deadlines:person", args=[d.person_id]),
            recipients=frozenset(recipients.get(d.pk, set())),
        )
        for d in deadlines
        if recipients.get(d.pk)
    ]


def _task_items(since: dt.date, until: dt.date) -> list[Due]:
    """Open tasks of open cases: the owner, or for a partner's task the case manager."""
    from lotse.assignments.models import OPEN_TASK_STATES, Task

    tasks = (
        Task.objects.filter(status__in=OPEN_TASK_STATES, due_on__gte=since, due_on__lte=until)
        .exclude(case__phase=Phase.CLOSED)
        .values_list(
            "pk",
            "traeger_id",
            "case__person_id",
            "case__reference",
            "due_on",
            "owner_user_id",
            "owner_user__traeger_id",
            "owner_user__is_active",
            "case__case_manager_id",
            "case__case_manager__is_active",
        )
        .order_by("traeger_id", "due_on", "pk")
    )
    items = []
    for (
        pk,
        traeger_id,
        person_id,
        reference,
        due_on,
        owner,
        owner_traeger,
        owner_active,
        cm,
        cm_active,
    ) in tasks:
        if owner is not None:
            recipient = owner if owner_active and owner_traeger == traeger_id else None
        else:
            recipient = cm if cm_active else None
        if recipient is None:
            continue
        items.append(
            Due(
                kind="task",
                pk=pk,
                traeger_id=traeger_id,
                person_id=person_id,
                due_on=due_on,
                # de: Aufgabe im Fall {reference}
                label=_("Task in case {reference}").format(reference=reference),
                path=reverse("assignments:detail", args=[pk]),
                recipients=frozenset({recipient}),
            )
        )
    return items


def _follow_up_items(since: dt.date, until: dt.date) -> list[Due]:
    """Follow-ups of open referrals of open cases, for the case manager of the case."""
    from lotse.offers.models import OPEN_STATES, Referral

    referrals = (
        Referral.objects.filter(
            state__in=OPEN_STATES,
            follow_up_on__gte=since,
            follow_up_on__lte=until,
            case__case_manager__isnull=False,
            case__case_manager__is_active=True,
        )
        .exclude(case__phase=Phase.CLOSED)
        .values_list(
            "pk",
            "traeger_id",
            "case__person_id",
            "case__reference",
            "follow_up_on",
            "offer__title",
            "case__case_manager_id",
        )
        .order_by("traeger_id", "follow_up_on", "pk")
    )
    return [
        Due(
            kind="follow_up",
            pk=pk,
            traeger_id=traeger_id,
            person_id=person_id,
            due_on=due_on,  # type: ignore[arg-type]  # filtered: not null
            # de: {offer} (Fall {reference})
            label=_("{offer} (case {reference})").format(offer=offer, reference=reference),
            path=reverse("offers:referral", args=[pk]),
            recipients=frozenset({cm}),
        )
        for pk, traeger_id, person_id, reference, due_on, offer, cm in referrals
    ]


def _line(item: Due, today: dt.date) -> str:
    days = (item.due_on - today).days
    if days < 0:
        # de: seit {days} Tagen überfällig
        when = _("overdue by {days} days").format(days=-days)
    elif days == 0:
        # de: heute fällig
        when = _("due today")
    else:
        # de: noch {days} Tage
        when = _("{days} days left").format(days=days)
    return f"- {item.due_on:%d.%m.%Y} ({when}): {item.label}\n  {_link(item.path)}"


def _send(
    *,
    user: User,
    items: list[Due],
    records: list[SentReminder],
    detail: str,
    subject: str,
    body: str,
) -> bool:
    """Record and send one e-mail atomically; False if it was already sent."""
    try:
        with transaction.atomic():
            SentReminder.objects.bulk_create(records)
            for object_type, person_id in sorted(
                {(_OBJECT_TYPE[i.kind], i.person_id) for i in items}
            ):
                audit_log(
                    user=user,
                    action="export",
                    object_type=object_type,
                    person_id=person_id,
                    categories=["deadline"] if object_type == "deadline" else ["case_work"],
                    channel="mail",
                    detail=detail,
                )
            send_mail(subject, body, None, [user.email])
    except IntegrityError:
        return False
    except OSError:  # SMTP trouble: nothing recorded, the next run tries again
        logger.warning("reminder e-mail to user %s failed", user.pk, exc_info=True)
        return False
    return True


# --- before the due date -------------------------------------------------------------------


def send_due_reminders(*, today: dt.date) -> int:
    """One e-mail per case manager listing deadlines due within ``reminder_days()`` days.

    Each deadline is reminded once per due date (a window, not one exact day, so a day the
    scheduler missed is caught up).
    """
    candidates = _deadline_items(today, today + dt.timedelta(days=reminder_days()))
    already = set(
        SentReminder.objects.filter(
            kind=ReminderKind.BEFORE_DUE, deadline__in=[d.pk for d in candidates]
        ).values_list("recipient_id", "deadline_id", "for_date")
    )
    per_user: dict[int, list[Due]] = defaultdict(list)
    for item in candidates:
        for user_id in item.recipients:
            if (user_id, item.pk, item.due_on) not in already:
                per_user[user_id].append(item)
    sent = 0
    recipients = User.objects.in_bulk(list(per_user))
    with translation.override("de"):
        for user_id, items in per_user.items():
            user = recipients[user_id]
            if not user.email:
                continue
            # de: Lotse: Fristen laufen bald ab
            subject = _("Lotse: deadlines due soon")
            # de: Guten Tag, diese Fristen Ihrer Fälle laufen in den nächsten Tagen ab:
            intro = _("Hello, these deadlines of your cases are due in the next days:")
            body = "\n".join([intro, "", *(_line(i, today) for i in items)])
            records = [
                SentReminder(
                    traeger_id=i.traeger_id,
                    recipient=user,
                    kind=ReminderKind.BEFORE_DUE,
                    deadline_id=i.pk,
                    for_date=i.due_on,
                )
                for i in items
            ]
            sent += _send(
                user=user,
                items=items,
                records=records,
                detail=ReminderKind.BEFORE_DUE,
                subject=subject,
                body=body,
            )
    return sent


def send_task_reminders(*, today: dt.date) -> int:
    """One e-mail per user listing open tasks and referral follow-ups due within
    ``reminder_days()`` days; each once per due date (like the deadline reminders)."""
    until = today + dt.timedelta(days=reminder_days())
    candidates = _task_items(today, until) + _follow_up_items(today, until)
    already = set(
        SentReminder.objects.filter(
            kind__in=[ReminderKind.TASK_DUE, ReminderKind.FOLLOW_UP_DUE],
            subject_id__isnull=False,
            for_date__gte=today,
        ).values_list("recipient_id", "subject_type", "subject_id", "for_date")
    )
    per_user: dict[int, list[Due]] = defaultdict(list)
    for item in candidates:
        for user_id in item.recipients:
            if (user_id, _SUBJECT_TYPE[item.kind], item.pk, item.due_on) not in already:
                per_user[user_id].append(item)
    sent = 0
    recipients = User.objects.in_bulk(list(per_user))
    with translation.override("de"):
        for user_id, items in per_user.items():
            user = recipients[user_id]
            if not user.email:
                continue
            # de: Lotse: Aufgaben und Wiedervorlagen stehen an
            subject = _("Lotse: tasks and follow-ups due soon")
            # de: Guten Tag, diese Aufgaben und Wiedervorlagen sind in den nächsten Tagen fällig:
            lines = [_("Hello, these tasks and follow-ups are due in the next days:")]
            for kind in ("task", "follow_up"):
                of_kind = [i for i in items if i.kind == kind]
                if of_kind:
                    lines += ["", _kind_heading(kind), *(_line(i, today) for i in of_kind)]
            records = [
                SentReminder(
                    traeger_id=i.traeger_id,
                    recipient=user,
                    kind=_REMINDER_KIND[i.kind],
                    subject_type=_SUBJECT_TYPE[i.kind],
                    subject_id=i.pk,
                    for_date=i.due_on,
                )
                for i in items
            ]
            sent += _send(
                user=user,
                items=items,
                records=records,
                detail="task_due",
                subject=subject,
                body="\n".join(lines),
            )
    return sent


# --- the daily digest ----------------------------------------------------------------------


def _last_digests(user_ids: Iterable[int], today: dt.date) -> dict[int, dt.date]:
    return dict(
        SentReminder.objects.filter(
            kind=ReminderKind.DIGEST, recipient_id__in=list(user_ids), for_date__lt=today
        )
        .values("recipient_id")
        .annotate(last=Max("for_date"))
        .values_list("recipient_id", "last")
    )


def digest_items(*, today: dt.date) -> dict[int, list[Due]]:
    """``{user_id: [items]}`` of the digest: due this week, or newly overdue (since the user's
    last digest, at most ``DIGEST_CATCH_UP_DAYS`` back; yesterday without an earlier one)."""
    earliest = today - dt.timedelta(days=DIGEST_CATCH_UP_DAYS)
    until = today + dt.timedelta(days=DIGEST_HORIZON_DAYS - 1)
    items = (
        _deadline_items(earliest, until)
        + _task_items(earliest, until)
        + _follow_up_items(earliest, until)
    )
    per_user: dict[int, list[Due]] = defaultdict(list)
    for item in items:
        for user_id in item.recipients:
            per_user[user_id].append(item)
    last = _last_digests(per_user, today)
    result: dict[int, list[Due]] = {}
    for user_id, of_user in per_user.items():
        since = max(earliest, last.get(user_id, today - dt.timedelta(days=1)))
        kept = [i for i in of_user if i.due_on >= today or i.due_on >= since]
        if kept:
            order = {kind: index for index, kind in enumerate(KIND_ORDER)}
            result[user_id] = sorted(kept, key=lambda i: (order[i.kind], i.due_on, i.pk))
    return result


def send_digests(*, today: dt.date) -> int:
    """Per user once a day, grouped by kind (deadlines, tasks, follow-ups): what became overdue
    since the last digest and what is due this week. Nothing to say, no mail."""
    per_user = digest_items(today=today)
    done = set(
        SentReminder.objects.filter(kind=ReminderKind.DIGEST, for_date=today).values_list(
            "recipient_id", flat=True
        )
    )
    recipients = User.objects.in_bulk([u for u in per_user if u not in done])
    sent = 0
    week_end = today + dt.timedelta(days=DIGEST_HORIZON_DAYS - 1)
    with translation.override("de"):
        for user_id, user in recipients.items():
            if not user.email:
                continue
            items = per_user[user_id]
            # de: Lotse: Ihre Woche am {date}
            subject = _("Lotse: your week on {date}").format(date=f"{today:%d.%m.%Y}")
            # de: Guten Tag, das steht in Ihren Fällen an:
            lines = [_("Hello, this is due in your cases:")]
            for kind in KIND_ORDER:
                overdue = [i for i in items if i.kind == kind and i.due_on < today]
                soon = [i for i in items if i.kind == kind and i.due_on >= today]
                if not (overdue or soon):
                    continue
                lines += ["", _kind_heading(kind)]
                if overdue:
                    # de: Neu überfällig:
                    lines += [_("Newly overdue:"), *(_line(i, today) for i in overdue)]
                if soon:
                    # de: Diese Woche fällig (bis {date}):
                    heading = _("Due this week (until {date}):").format(date=f"{week_end:%d.%m.%Y}")
                    lines += [heading, *(_line(i, today) for i in soon)]
            # de: Alles, was ansteht (Meine Woche): {url}
            lines += [
                "",
                _("Everything that is due (My week): {url}").format(url=_link(reverse("start"))),
            ]
            # de: Alle Fristen: {url}
            lines.append(_("All deadlines: {url}").format(url=_link(reverse("deadlines:worklist"))))
            record = SentReminder(
                traeger_id=items[0].traeger_id,
                recipient=user,
                kind=ReminderKind.DIGEST,
                for_date=today,
            )
            sent += _send(
                user=user,
                items=items,
                records=[record],
                detail=ReminderKind.DIGEST,
                subject=subject,
                body="\n".join(lines),
            )
    return sent
