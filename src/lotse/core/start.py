"""What the start pages show (reads only): the case manager's own work and the team lead's team.

Each section is a count and at most ``START_PAGE_ROWS`` rows, read through the selectors of the
apps (so the case-team scope of ``core.access`` applies) with a fixed number of queries, however
long the lists are. The full lists are one link away (Meine Fälle, Fristen, Aufgaben).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from lotse.assignments.models import OPEN_TASK_STATES, Task
from lotse.assignments.selectors import TASK_ORDER, case_team_tasks
from lotse.cases.models import Case, Phase
from lotse.cases.selectors import (
    CASE_LIST_ORDER,
    CaseFilter,
    case_list_for_user,
    case_queryset_for_user,
)
from lotse.consent.flags import open_flags_for_user
from lotse.core.access import can_lead_team, has_own_caseload
from lotse.deadlines.models import DeadlineStatus
from lotse.deadlines.selectors import WorklistFilter, deadline_queryset_for_user, worklist_for_user
from lotse.directory.models import CaseManagementPost

START_PAGE_ROWS = 10


@dataclass(frozen=True)
class Section:
    """The first rows of a list, how many rows it has in all, and how many of them are overdue."""

    rows: list[Any]
    count: int
    overdue: int = 0

    @property
    def more(self) -> bool:
        return self.count > len(self.rows)


@dataclass(frozen=True)
class OwnWork:
    cases: Section
    deadlines: Section
    tasks: Section
    #: Open notices that something relied on a consent that has ended (the one gate's flags).
    consent_flags: int = 0


def _count_subquery(queryset: QuerySet[Any]) -> Coalesce:
    """``COUNT(*)`` of a correlated queryset as a column (0 when it matches nothing)."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def own_work_for_user(user: Any, *, today: dt.date, rows: int = START_PAGE_ROWS) -> OwnWork:
    """The user's open cases, pending deadlines and open tasks (six queries)."""
    if not has_own_caseload(user):
        empty = Section(rows=[], count=0)
        return OwnWork(cases=empty, deadlines=empty, tasks=empty)

    cases = case_list_for_user(user, filters=CaseFilter(mine=True))
    case_section = Section(rows=list(cases.order_by(*CASE_LIST_ORDER)[:rows]), count=cases.count())

    # The worklist's default ("pending": open and dated, the missed ones first).
    deadlines, order = worklist_for_user(user, filters=WorklistFilter(mine=True), today=today)
    deadline_counts = deadlines.aggregate(
        total=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today))
    )
    deadline_section = Section(
        rows=list(deadlines.order_by(*order)[:rows]),
        count=deadline_counts["total"],
        overdue=deadline_counts["overdue"],
    )

    # "Meine Aufgaben" without the team's: the user's own open tasks of the case team.
    tasks = case_team_tasks(user).filter(owner_user_id=user.pk, status__in=OPEN_TASK_STATES)
    task_counts = tasks.aggregate(
        total=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today))
    )
    task_rows: list[Task] = list(tasks.select_related("case").order_by(*TASK_ORDER)[:rows])
    task_section = Section(
        rows=task_rows, count=task_counts["total"], overdue=task_counts["overdue"]
    )
    return OwnWork(
        cases=case_section,
        deadlines=deadline_section,
        tasks=task_section,
        consent_flags=open_flags_for_user(user).count(),
    )


@dataclass(frozen=True)
class PostLoad:
    post: CaseManagementPost
    open_cases: int
    overdue_deadlines: int

    @property
    def over_target(self) -> bool:
        return self.open_cases > self.post.target_caseload


@dataclass(frozen=True)
class Team:
    posts: list[PostLoad]

    @property
    def open_cases(self) -> int:
        return sum(row.open_cases for row in self.posts)

    @property
    def target_caseload(self) -> int:
        return sum(row.post.target_caseload for row in self.posts)

    @property
    def overdue_deadlines(self) -> int:
        return sum(row.overdue_deadlines for row in self.posts)


def team_for_user(user: Any, *, today: dt.date) -> Team:
    """Per case-management post the user leads (``CaseManagementPost.team_lead``): the open caseload against the
    target and the overdue deadlines of its clients (one query for all posts).

    A deadline belongs to a post when a client of an open case of the post is the person or
    lives in the person's household (a child's school deadline, as in the Fristen worklist).
    """
    if not can_lead_team(user):
        return Team(posts=[])
    open_cases: QuerySet[Case] = case_queryset_for_user(user).exclude(phase=Phase.CLOSED)
    overdue = (
        deadline_queryset_for_user(user)
        .filter(status=DeadlineStatus.OPEN, due_on__lt=today)
        .filter(
            Exists(
                open_cases.filter(post_id=OuterRef(OuterRef("pk"))).filter(
                    Q(person_id=OuterRef("person_id"))
                    | Q(
                        person__household_id=OuterRef("person__household_id"),
                        person__household_id__isnull=False,
                    )
                )
            )
        )
    )
    posts = (
        CaseManagementPost.objects.filter(traeger_id=user.traeger_id, team_lead_id=user.pk)
        .select_related("holder", "sozialraum")
        .annotate(
            open_case_count=_count_subquery(open_cases.filter(post_id=OuterRef("pk"))),
            overdue_count=_count_subquery(overdue),
        )
        .order_by("sort_order", "name", "pk")
    )
    return Team(
        posts=[
            PostLoad(
                post=post,
                open_cases=post.open_case_count,  # type: ignore[attr-defined]
                overdue_deadlines=post.overdue_count,  # type: ignore[attr-defined]
            )
            for post in posts
        ]
    )
