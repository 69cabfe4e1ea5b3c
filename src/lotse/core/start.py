"""The team lead's start page (reads only); the case manager's is Meine Woche (``core.week``).

For the posts the user leads (``CaseManagementPost.team_lead``): the open caseload against the
target, the open and overdue items per case manager (deadlines, tasks, referral follow-ups),
current and upcoming substitutions, and the coaching ratio per coach of the Teilhabemanagement
programmes (Durchstarten, 1:20). Read through the selectors of the apps (the case-team scope of
``core.access`` applies) with a fixed number of queries, however many rows there are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    CharField,
    Count,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from lotse.accounts.models import User
from lotse.assignments.models import OPEN_TASK_STATES
from lotse.assignments.selectors import case_team_tasks
from lotse.cases.models import Case, Phase
from lotse.cases.selectors import case_queryset_for_user
from lotse.core.access import can_lead_team
from lotse.deadlines.models import DeadlineStatus
from lotse.deadlines.selectors import deadline_queryset_for_user
from lotse.directory.models import CaseManagementPost, Programme
from lotse.offers.models import OPEN_STATES
from lotse.offers.selectors import referral_queryset_for_user
from lotse.programmes.selectors import active_assignments
from lotse.teams.models import Substitution
from lotse.teams.selectors import substitutions_for_lead

#: Substitutions shown (current and upcoming, the soonest first).
SUBSTITUTION_ROWS = 20


def _count_subquery(queryset: QuerySet[Any]) -> Coalesce:
    """``COUNT(*)`` of a correlated queryset as a column (0 when it matches nothing)."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@dataclass(frozen=True)
class PostLoad:
    post: CaseManagementPost
    open_cases: int
    overdue_deadlines: int

    @property
    def over_target(self) -> bool:
        return self.open_cases > self.post.target_caseload


@dataclass(frozen=True)
class Workload:
    """Open and overdue items of one case manager in the led posts."""

    user: Any
    open_cases: int = 0
    deadlines: int = 0
    deadlines_overdue: int = 0
    tasks: int = 0
    tasks_overdue: int = 0
    follow_ups: int = 0
    follow_ups_overdue: int = 0

    @property
    def overdue(self) -> int:
        return self.deadlines_overdue + self.tasks_overdue + self.follow_ups_overdue


@dataclass(frozen=True)
class CoachLoad:
    """Participants one coach looks after in a Baustein with a coaching ratio (e.g. 1:20)."""

    programme: str
    module: str
    coach: str
    participants: int
    ratio: int

    @property
    def over_ratio(self) -> bool:
        return self.participants > self.ratio


@dataclass(frozen=True)
class Team:
    posts: list[PostLoad]
    workloads: list[Workload] = field(default_factory=list)
    substitutions: list[Substitution] = field(default_factory=list)
    coaches: list[CoachLoad] = field(default_factory=list)

    @property
    def open_cases(self) -> int:
        return sum(row.open_cases for row in self.posts)

    @property
    def target_caseload(self) -> int:
        return sum(row.post.target_caseload for row in self.posts)

    @property
    def overdue_deadlines(self) -> int:
        return sum(row.overdue_deadlines for row in self.posts)

    @property
    def over_target(self) -> bool:
        return self.open_cases > self.target_caseload


def _responsible(open_cases: QuerySet[Case]) -> Coalesce:
    """The case manager a deadline belongs to: of the person's newest open case, else of the
    newest open case in the person's household (the worklist's rule, ``attach_responsible``).

    Two correlated lookups instead of one with an OR across the household: each is an index
    range (cases by ``traeger, person``; persons by ``traeger, household``), and the household
    one runs only for persons without an own open case.
    """
    staffed = open_cases.exclude(case_manager__isnull=True).order_by("-opened_on", "-id")
    own = staffed.filter(person_id=OuterRef("person_id"))
    of_household = staffed.filter(
        person__traeger_id=OuterRef("traeger_id"),
        person__household_id=OuterRef("person__household_id"),
    )
    return Coalesce(
        Subquery(own.values("case_manager_id")[:1]),
        Subquery(of_household.values("case_manager_id")[:1]),
    )


def _workloads(user: Any, led_cases: QuerySet[Case], today: dt.date) -> list[Workload]:
    """Per case manager of the led posts: open cases, pending deadlines, open tasks and open
    follow-ups, each with its overdue part (one UNION ALL, then one query for the names)."""

    def grouped(queryset: QuerySet[Any], kind: str, by: Any, overdue: Q | None) -> QuerySet[Any]:
        return (
            queryset.order_by()
            .annotate(row_user=by)
            .filter(row_user__isnull=False)
            .values("row_user")
            .annotate(
                row_kind=Value(kind, output_field=CharField()),
                row_open=Count("pk"),
                row_overdue=Count("pk", filter=overdue) if overdue else Value(0),
            )
            .values_list("row_kind", "row_user", "row_open", "row_overdue")
        )

    cases = grouped(led_cases, "cases", F("case_manager_id"), None)
    deadlines = grouped(
        deadline_queryset_for_user(user).filter(status=DeadlineStatus.OPEN, due_on__isnull=False),
        "deadlines",
        _responsible(led_cases),
        Q(due_on__lt=today),
    )
    tasks = grouped(
        case_team_tasks(user).filter(case__in=led_cases.values("pk"), status__in=OPEN_TASK_STATES),
        "tasks",
        F("owner_user_id"),
        Q(due_on__lt=today),
    )
    follow_ups = grouped(
        referral_queryset_for_user(user).filter(
            case__in=led_cases.values("pk"), state__in=OPEN_STATES, follow_up_on__isnull=False
        ),
        "follow_ups",
        F("case__case_manager_id"),
        Q(follow_up_on__lt=today),
    )
    counts: dict[int, dict[str, int]] = {}
    for kind, user_id, count, overdue in cases.union(deadlines, tasks, follow_ups, all=True):
        row = counts.setdefault(user_id, {})
        row[kind] = count
        row[f"{kind}_overdue"] = overdue
    users = User.objects.filter(pk__in=list(counts)).order_by("last_name", "first_name", "pk")
    return [
        Workload(
            user=person,
            open_cases=counts[person.pk].get("cases", 0),
            deadlines=counts[person.pk].get("deadlines", 0),
            deadlines_overdue=counts[person.pk].get("deadlines_overdue", 0),
            tasks=counts[person.pk].get("tasks", 0),
            tasks_overdue=counts[person.pk].get("tasks_overdue", 0),
            follow_ups=counts[person.pk].get("follow_ups", 0),
            follow_ups_overdue=counts[person.pk].get("follow_ups_overdue", 0),
        )
        for person in users
    ]


def _coaches(user: Any, today: dt.date) -> list[CoachLoad]:
    """Participants per coach in the Bausteine with a coaching ratio of the Träger's
    Teilhabemanagement programmes (Durchstarten: Baustein 1 Coaching, 1:20), one query."""
    rows = (
        active_assignments(user.traeger_id, today)
        .filter(
            module__programme__kind=Programme.Kind.PARTICIPATION_MANAGEMENT,
            module__participants_per_coach__isnull=False,
            coach__isnull=False,
        )
        .values(
            "module_id",
            "coach_id",
            "module__programme__name",
            "module__name",
            "module__participants_per_coach",
            "coach__first_name",
            "coach__last_name",
        )
        .annotate(n=Count("participation", distinct=True))
        .order_by("module__programme__name", "module__name", "-n", "coach__last_name", "coach_id")
    )
    return [
        CoachLoad(
            programme=row["module__programme__name"],
            module=row["module__name"],
            coach=f"{row['coach__first_name']} {row['coach__last_name']}".strip(),
            participants=row["n"],
            ratio=int(row["module__participants_per_coach"] or 0),
        )
        for row in rows
    ]


def _overdue_by_post(user: Any, led_cases: QuerySet[Case], today: dt.date) -> dict[int, int]:
    """Overdue deadlines per led post: of the persons of its open cases and the members of
    their households (a child's school deadline, as in the Fristen worklist), each person
    once per post.

    One query bounded by the team's caseload: the (post, person) pairs of the open cases and
    of their households' members as a ``UNION ALL``, each with the count of the person's
    overdue deadlines (an index range on ``traeger, person, status, due_on``) — instead of an
    ``EXISTS … OR`` across households per post and deadline, which at NRW size read every
    overdue deadline of the team once per post (issue 14).
    """
    overdue = (
        deadline_queryset_for_user(user)
        .filter(status=DeadlineStatus.OPEN, due_on__lt=today)
        .order_by()
        .values("person_id")
    )

    def pairs(queryset: QuerySet[Case], person: str) -> QuerySet[Any]:
        return (
            queryset.order_by()
            .annotate(
                pair_person=F(person),
                pair_overdue=_count_subquery(overdue.filter(person_id=OuterRef(person))),
            )
            .values_list("post_id", "pair_person", "pair_overdue")
        )

    own = pairs(led_cases, "person_id")
    members = pairs(
        led_cases.filter(person__household__isnull=False), "person__household__members__id"
    )
    seen: set[tuple[int, int]] = set()
    result: dict[int, int] = {}
    for post_id, person_id, count in own.union(members, all=True):
        if (post_id, person_id) not in seen:
            seen.add((post_id, person_id))
            result[post_id] = result.get(post_id, 0) + count
    return result


def team_for_user(user: Any, *, today: dt.date) -> Team:
    """The team page of a team lead (five queries besides the user's scope).

    Per case-management post the user leads (``CaseManagementPost.team_lead``): the open
    caseload against the target and the overdue deadlines of its clients. A deadline belongs to
    a post when a client of an open case of the post is the person or lives in the person's
    household (a child's school deadline, as in the Fristen worklist).
    """
    if not can_lead_team(user):
        return Team(posts=[])
    open_cases: QuerySet[Case] = case_queryset_for_user(user).exclude(phase=Phase.CLOSED)
    led_posts = CaseManagementPost.objects.filter(traeger_id=user.traeger_id, team_lead_id=user.pk)
    posts = (
        led_posts.select_related("holder", "sozialraum")
        .annotate(open_case_count=_count_subquery(open_cases.filter(post_id=OuterRef("pk"))))
        .order_by("sort_order", "name", "pk")
    )
    led_cases = open_cases.filter(post__in=led_posts.values("pk"))
    overdue = _overdue_by_post(user, led_cases, today)
    substitutions = list(
        substitutions_for_lead(user)
        .filter(ends_on__gte=today, ended_early_at__isnull=True)
        .order_by("starts_on", "ends_on", "id")[:SUBSTITUTION_ROWS]
    )
    return Team(
        posts=[
            PostLoad(
                post=post,
                open_cases=post.open_case_count,  # type: ignore[attr-defined]
                overdue_deadlines=overdue.get(post.pk, 0),
            )
            for post in posts
        ],
        workloads=_workloads(user, led_cases, today),
        substitutions=substitutions,
        coaches=_coaches(user, today),
    )
