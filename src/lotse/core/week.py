"""Meine Woche: what is due for the case manager, merged from every app and sorted by urgency.

Seven kinds of items, each read through the selectors of its app (so the case-team scope of
``core.access`` applies): pending deadlines (never "vor Fallbeginn"), the user's open tasks,
follow-ups of the user's open referrals, appointments in the coming week, consents and residence
titles about to expire, and flagged transfers (a consent ended under something that relied on
it). Every item has a date; the date puts it in one of the groups

    überfällig (overdue) · heute (today) · diese Woche (the next seven days) · später (count)

Overdue items older than ``LOTSE_OVERDUE_HORIZON_DAYS`` are not listed (the worklists have
them); the page counts them and links there. All kinds are **one** query, whatever the number of
rows: window functions number the rows per kind and group and count each group, and one
UNION ALL of the kinds returns only the first ``rows`` of each group plus one row for the counts
of the others.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    DateTimeField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, RowNumber, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.assignments.models import OPEN_TASK_STATES
from lotse.assignments.selectors import case_team_tasks
from lotse.cases.models import Phase, TimelineEntry
from lotse.cases.selectors import case_queryset_for_user
from lotse.consent.flags import open_flags_for_user
from lotse.consent.models import Consent
from lotse.core.access import has_own_caseload
from lotse.core.fieldcrypto import decrypt, is_encrypted
from lotse.deadlines.selectors import WorklistFilter, mine_persons_union, worklist_for_user
from lotse.offers.selectors import ReferralFilter, referral_worklist_for_user
from lotse.people.models import ResidenceStatusRecord
from lotse.people.selectors import person_queryset_for_user

#: Rows per group (overdue, today, this week); the rest is one click away in the worklists.
WEEK_ROWS = 20
#: The coming week: today and the next six days.
WEEK_DAYS = 7


def overdue_horizon_days() -> int:
    """``LOTSE_OVERDUE_HORIZON_DAYS``: overdue items older than this are counted, not listed."""
    return max(1, int(getattr(settings, "LOTSE_OVERDUE_HORIZON_DAYS", 90)))


def consent_notice_days() -> int:
    """``LOTSE_CONSENT_NOTICE_DAYS``: consents ending within this many days are shown."""
    return max(0, int(getattr(settings, "LOTSE_CONSENT_NOTICE_DAYS", 30)))


def residence_notice_days() -> int:
    """``LOTSE_RESIDENCE_NOTICE_DAYS``: residence titles ending within this many days are shown."""
    return max(0, int(getattr(settings, "LOTSE_RESIDENCE_NOTICE_DAYS", 90)))


class Urgency(StrEnum):
    OLDER = "older"  # overdue for longer than the horizon: counted only
    OVERDUE = "overdue"
    TODAY = "today"
    WEEK = "week"
    LATER = "later"  # counted only


LISTED = (Urgency.OVERDUE, Urgency.TODAY, Urgency.WEEK)

URGENCY_LABELS = {
    Urgency.OVERDUE: _("Overdue"),  # de: Überfällig
    Urgency.TODAY: _("Today"),  # de: Heute
    Urgency.WEEK: _("This week"),  # de: Diese Woche
    Urgency.LATER: _("Later"),  # de: Später
}


class Kind(StrEnum):
    DEADLINE = "deadline"
    TASK = "task"
    FOLLOW_UP = "follow_up"
    APPOINTMENT = "appointment"
    CONSENT = "consent"
    RESIDENCE = "residence"
    FLAG = "flag"


#: The order of the kinds in the counts and among items of the same day.
KINDS = tuple(Kind)

KIND_LABELS = {
    Kind.DEADLINE: _("Deadlines"),  # de: Fristen
    Kind.TASK: _("Tasks"),  # de: Aufgaben
    Kind.FOLLOW_UP: _("Referral follow-ups"),  # de: Wiedervorlagen zu Zusteuerungen
    Kind.APPOINTMENT: _("Appointments"),  # de: Termine
    Kind.CONSENT: _("Consents ending"),  # de: Ablaufende Einwilligungen
    Kind.RESIDENCE: _("Residence titles ending"),  # de: Ablaufende Aufenthaltstitel
    Kind.FLAG: _("Notices about consents"),  # de: Hinweise zu Einwilligungen
}

KIND_SINGULAR = {
    Kind.DEADLINE: _("Deadline"),  # de: Frist
    Kind.TASK: _("Task"),  # de: Aufgabe
    Kind.FOLLOW_UP: _("Follow-up"),  # de: Wiedervorlage
    Kind.APPOINTMENT: _("Appointment"),  # de: Termin
    Kind.CONSENT: _("Consent ends"),  # de: Einwilligung endet
    Kind.RESIDENCE: _("Residence title ends"),  # de: Aufenthaltstitel endet
    Kind.FLAG: _("Consent ended"),  # de: Einwilligung beendet
}


def full_list_url(kind: Kind) -> str | None:
    """The worklist where all items of ``kind`` are (None: no list of its own)."""
    names = {
        Kind.DEADLINE: "deadlines:worklist",
        Kind.TASK: "assignments:mine",
        Kind.FOLLOW_UP: "offers:worklist",
        Kind.APPOINTMENT: "cases:my_cases",
        Kind.FLAG: "consent:flags",
    }
    if kind not in names:
        return None
    url = reverse(names[kind])
    return f"{url}?ueberfaellig=1" if kind == Kind.FOLLOW_UP else url


@dataclass(frozen=True)
class Item:
    kind: Kind
    pk: int
    on: dt.date
    title: str
    subject: str  # the person or case it concerns
    url: str
    at: dt.datetime | None = None  # the time of an appointment

    @property
    def kind_label(self) -> str:
        return str(KIND_SINGULAR[self.kind])


@dataclass(frozen=True)
class KindCount:
    kind: Kind
    count: int

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def url(self) -> str | None:
        return full_list_url(self.kind)


@dataclass(frozen=True)
class Group:
    urgency: Urgency
    rows: list[Item]
    count: int
    per_kind: list[KindCount]

    @property
    def label(self) -> str:
        return str(URGENCY_LABELS[self.urgency])

    @property
    def more(self) -> int:
        return self.count - len(self.rows)


@dataclass(frozen=True)
class MyWeek:
    today: dt.date
    week_end: dt.date
    horizon: int
    groups: list[Group]
    later: Group
    #: Overdue for longer than the horizon (not listed), per kind.
    older: list[KindCount] = field(default_factory=list)

    @property
    def due_count(self) -> int:
        return sum(group.count for group in self.groups)

    @property
    def older_count(self) -> int:
        return sum(row.count for row in self.older)


# --- one query for all kinds -------------------------------------------------------------


@dataclass(frozen=True)
class _Window:
    today: dt.date
    week_end: dt.date
    horizon_start: dt.date
    rows: int
    mine: tuple[int, ...] = ()  # _mine_person_ids


#: The columns every kind's query selects, in this order (one UNION ALL of all kinds).
_COLUMNS = (
    "item_kind",
    "item_id",
    "item_on",
    "item_at",
    "item_title",
    "item_extra",
    "item_last",
    "item_first",
    "item_reference",
    "item_link",
    "urgency",
    "group_count",
)


def _text(value: str = "") -> Value:
    return Value(value, output_field=CharField())


def _first_rows(
    queryset: QuerySet[Any],
    window: _Window,
    *,
    kind: Kind,
    on: Any,
    title: Any,
    last: str,
    first: str,
    link: str,
    extra: Any = None,
    reference: Any = None,
    at: Any = None,
) -> QuerySet[Any]:
    """The rows of one kind for the union: the first ``rows`` of each listed group and one row
    of each counted group, each with ``urgency`` and the size of its group (``group_count``)."""
    queryset = queryset.order_by().annotate(
        item_kind=_text(kind.value),
        item_id=F("pk"),
        item_on=on,
        # NULL typed explicitly: PostgreSQL would take an untyped NULL in a UNION as text.
        item_at=at if at is not None else Cast(Value(None), output_field=DateTimeField()),
        item_title=title,
        item_extra=extra if extra is not None else _text(),
        item_last=F(last),
        item_first=F(first),
        # NULL, not "": equal expressions would be selected once (one column fewer).
        item_reference=(
            reference if reference is not None else Cast(Value(None), output_field=CharField())
        ),
        item_link=F(link),
    )
    urgency = Case(
        When(item_on__lt=window.horizon_start, then=_text(Urgency.OLDER.value)),
        When(item_on__lt=window.today, then=_text(Urgency.OVERDUE.value)),
        When(item_on=window.today, then=_text(Urgency.TODAY.value)),
        When(item_on__lte=window.week_end, then=_text(Urgency.WEEK.value)),
        default=_text(Urgency.LATER.value),
        output_field=CharField(),
    )
    return (
        queryset.annotate(urgency=urgency)
        .annotate(
            group_rank=Window(
                RowNumber(),
                partition_by=[F("urgency")],
                order_by=[F("item_on").asc(), F("pk").asc()],
            ),
            group_count=Window(Count("pk"), partition_by=[F("urgency")]),
        )
        .filter(
            Q(group_rank__lte=window.rows, urgency__in=[u.value for u in LISTED])
            | Q(group_rank=1, urgency__in=[Urgency.LATER.value, Urgency.OLDER.value])
        )
        .values_list(*_COLUMNS)
    )


def _mine_person_ids(user: Any) -> list[int]:
    """Persons of the user's open cases and their household members (as in the worklists),
    within the user's scope, in one query.

    Read once per page and handed to the kinds about persons as a list of ids, which
    PostgreSQL reads through each table's ``traeger, person`` index. As a subquery in every
    kind (an ``EXISTS … OR EXISTS …`` per person), the planner started from all of the
    Träger's consents or deadlines instead (issue 14: 100+ ms at NRW size).
    """
    cases = case_queryset_for_user(user).filter(case_manager=user).exclude(phase=Phase.CLOSED)
    mine = mine_persons_union(user, cases)
    return list(
        person_queryset_for_user(user)
        .filter(pk__in=mine)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _deadlines(user: Any, w: _Window) -> QuerySet[Any]:
    """Pending deadlines of the worklist "mine" (open and dated: never "vor Fallbeginn").

    "Mine" as a subquery, inside the page's one UNION query (the worklist page reads the ids
    first, which would cost this page a query of its own).
    """
    queryset, _order = worklist_for_user(user, filters=WorklistFilter(mine=False), today=w.today)
    queryset = queryset.filter(person_id__any_of=w.mine)
    return _first_rows(
        queryset,
        w,
        kind=Kind.DEADLINE,
        on=F("due_on"),
        title=F("goal__title"),
        extra=F("goal__code"),
        last="person__last_name",
        first="person__first_name",
        link="person_id",
    )


def _tasks(user: Any, w: _Window) -> QuerySet[Any]:
    queryset = (
        case_team_tasks(user)
        .filter(owner_user_id=user.pk, status__in=OPEN_TASK_STATES)
        .exclude(case__phase=Phase.CLOSED)
    )
    return _first_rows(
        queryset,
        w,
        kind=Kind.TASK,
        on=F("due_on"),
        title=F("title"),
        last="case__person__last_name",
        first="case__person__first_name",
        reference=F("case__reference"),
        link="case_id",
    )


def _follow_ups(user: Any, w: _Window) -> QuerySet[Any]:
    queryset = (
        referral_worklist_for_user(user, filters=ReferralFilter(mine=True), today=w.today)
        .filter(follow_up_on__isnull=False)
        .exclude(case__phase=Phase.CLOSED)
    )
    return _first_rows(
        queryset,
        w,
        kind=Kind.FOLLOW_UP,
        on=F("follow_up_on"),
        title=F("offer__title"),
        last="case__person__last_name",
        first="case__person__first_name",
        reference=F("case__reference"),
        link="case_id",
    )


def _appointments(user: Any, w: _Window) -> QuerySet[Any]:
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime.combine(w.today, dt.time.min), zone)
    end = timezone.make_aware(
        dt.datetime.combine(w.week_end + dt.timedelta(days=1), dt.time.min), zone
    )
    cases = case_queryset_for_user(user).filter(case_manager=user).exclude(phase=Phase.CLOSED)
    queryset = TimelineEntry.objects.filter(
        traeger_id=user.traeger_id,
        case__in=cases.values("pk"),
        kind=TimelineEntry.Kind.APPOINTMENT,
        occurred_at__gte=start,
        occurred_at__lt=end,
    )
    return _first_rows(
        queryset,
        w,
        kind=Kind.APPOINTMENT,
        on=TruncDate("occurred_at", tzinfo=zone, output_field=DateField()),
        at=F("occurred_at"),
        title=F("title"),
        last="case__person__last_name",
        first="case__person__first_name",
        reference=F("case__reference"),
        link="case_id",
    )


def _consents(user: Any, w: _Window) -> QuerySet[Any]:
    """Consents in force (not withdrawn, not superseded) that end within the notice period."""
    queryset = Consent.objects.filter(
        traeger_id=user.traeger_id,
        person_id__any_of=w.mine,
        withdrawn_at__isnull=True,
        superseded_by__isnull=True,
        valid_until__gte=w.today,
        valid_until__lte=w.today + dt.timedelta(days=consent_notice_days()),
    )
    return _first_rows(
        queryset,
        w,
        kind=Kind.CONSENT,
        on=F("valid_until"),
        title=F("document_id"),
        last="person__last_name",
        first="person__first_name",
        link="person_id",
    )


def _residence_titles(user: Any, w: _Window) -> QuerySet[Any]:
    """The current residence status (the newest) of each person, when it ends soon or ended."""
    newer = ResidenceStatusRecord.objects.filter(
        traeger_id=user.traeger_id, person_id=OuterRef("person_id")
    ).filter(
        Q(valid_from__gt=OuterRef("valid_from"))
        | Q(valid_from=OuterRef("valid_from"), pk__gt=OuterRef("pk"))
    )
    queryset = ResidenceStatusRecord.objects.filter(
        traeger_id=user.traeger_id,
        person_id__any_of=w.mine,
        valid_until__isnull=False,
        valid_until__gte=w.horizon_start,
        valid_until__lte=w.today + dt.timedelta(days=residence_notice_days()),
    ).exclude(Exists(newer))
    return _first_rows(
        queryset,
        w,
        kind=Kind.RESIDENCE,
        on=F("valid_until"),
        title=F("status__name"),
        last="person__last_name",
        first="person__first_name",
        link="person_id",
    )


def _flags(user: Any, w: _Window) -> QuerySet[Any]:
    """Open notices that a transfer relied on a consent that ended (the gate's flags)."""
    zone = timezone.get_current_timezone()
    return _first_rows(
        open_flags_for_user(user),
        w,
        kind=Kind.FLAG,
        on=TruncDate("created_at", tzinfo=zone, output_field=DateField()),
        title=F("consent__document_id"),
        extra=F("recipient__name"),
        last="person__last_name",
        first="person__first_name",
        reference=F("case__reference"),
        link="person_id",
    )


_READERS = (_deadlines, _tasks, _follow_ups, _appointments, _consents, _residence_titles, _flags)


def _stored_text(value: str) -> str:
    """A title read through the UNION: its column converters are those of the first query
    (deadlines), so the encrypted task and timeline titles arrive as stored."""
    return decrypt(value) if is_encrypted(value) else value


def _item(row: tuple[Any, ...]) -> Item:
    kind_value, pk, on, at, title, extra, last, first, reference, link = row[:10]
    kind = Kind(kind_value)
    subject = f"{last}, {first}"
    if reference:
        subject = f"{subject} ({reference})"
    if kind == Kind.DEADLINE:
        title = f"{extra}: {title}" if extra else title
        url = reverse("deadlines:mark_met", args=[link, pk])
    elif kind == Kind.TASK:
        title = _stored_text(title)
        url = reverse("assignments:detail", args=[pk])
    elif kind == Kind.FOLLOW_UP:
        url = reverse("offers:referral", args=[pk])
    elif kind == Kind.APPOINTMENT:
        title = _stored_text(title)
        url = f"{reverse('cases:detail', args=[link])}#eintrag-{pk}"
        at = timezone.localtime(at) if at is not None else None
    elif kind == Kind.CONSENT:
        url = reverse("consent:detail", args=[pk])
    elif kind == Kind.RESIDENCE:
        url = f"{reverse('people:detail', args=[link])}#h-status"
    else:
        title = f"{title} → {extra}"
        url = reverse("consent:person", args=[link])
    if isinstance(on, str):  # a computed date comes back as text from some databases
        on = dt.date.fromisoformat(on[:10])
    return Item(
        kind=kind,
        pk=pk,
        on=on,
        title=title,
        subject=subject,
        url=url,
        at=at if kind == Kind.APPOINTMENT else None,
    )


def my_week_for_user(user: Any, *, today: dt.date, rows: int = WEEK_ROWS) -> MyWeek:
    """Meine Woche of ``user``: one query for all seven kinds, however many items there are."""
    horizon = overdue_horizon_days()
    window = _Window(
        today=today,
        week_end=today + dt.timedelta(days=WEEK_DAYS - 1),
        horizon_start=today - dt.timedelta(days=horizon),
        rows=rows,
    )
    listed: dict[Urgency, list[Item]] = {u: [] for u in LISTED}
    counts: dict[Urgency, dict[Kind, int]] = {u: {} for u in Urgency}
    if has_own_caseload(user):
        window = replace(window, mine=tuple(_mine_person_ids(user)))
        first, *others = (read(user, window) for read in _READERS)
        for row in first.union(*others, all=True):
            group = Urgency(row[10])
            kind = Kind(row[0])
            counts[group][kind] = row[11]
            if group in listed:
                listed[group].append(_item(row))
    order = {kind: index for index, kind in enumerate(KINDS)}

    def per_kind(group: Urgency) -> list[KindCount]:
        return [KindCount(kind, counts[group][kind]) for kind in KINDS if counts[group].get(kind)]

    groups = []
    for urgency in LISTED:
        items = sorted(
            listed[urgency],
            key=lambda i: (
                i.on,
                i.at or dt.datetime.min.replace(tzinfo=dt.UTC),
                order[i.kind],
                i.pk,
            ),
        )
        groups.append(
            Group(
                urgency=urgency,
                rows=items[:rows],
                count=sum(counts[urgency].values()),
                per_kind=per_kind(urgency),
            )
        )
    later = Group(
        urgency=Urgency.LATER,
        rows=[],
        count=sum(counts[Urgency.LATER].values()),
        per_kind=per_kind(Urgency.LATER),
    )
    return MyWeek(
        today=today,
        week_end=window.week_end,
        horizon=horizon,
        groups=groups,
        later=later,
        older=per_kind(Urgency.OLDER),
    )
