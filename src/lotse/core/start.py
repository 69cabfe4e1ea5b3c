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

from django.db.models import CharField, Count, F, IntegerField, Q, QuerySet, Value

from lotse.accounts.models import User
from lotse.assignments.models import OPEN_TASK_STATES
from lotse.assignments.selectors import case_team_tasks
from lotse.cases.models import Case, Phase
from lotse.cases.selectors import case_queryset_for_user
from lotse.core.access import can_lead_team
from lotse.deadlines.models import DeadlineStatus
from lotse.deadlines.selectors import deadline_queryset_for_user, mine_persons_union
from lotse.directory.models import CaseManagementPost, Programme
from lotse.offers.models import OPEN_STATES
from lotse.offers.selectors import referral_queryset_for_user
from lotse.programmes.selectors import active_assignments
from lotse.teams.models import Substitution
from lotse.teams.selectors import substitutions_for_lead

#: Substitutions shown (current and upcoming, the soonest first).
SUBSTITUTION_ROWS = 20


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


@dataclass(frozen=True)
class _TeamLoad:
    """The led posts' open cases and what is open for their clients, read once."""

    #: Per led post: open cases and the overdue deadlines of its clients and their households.
    open_cases_by_post: dict[int, int]
    overdue_by_post: dict[int, int]
    #: Per case manager: ``cases``, ``deadlines``, ``tasks``, ``follow_ups`` and for the last
    #: three the ``…_overdue`` part.
    by_manager: dict[int, dict[str, int]]


def _grouped(queryset: QuerySet[Any], kind: str, by: Any, overdue: Q, household: Any) -> Any:
    """``(kind, key, open, overdue, household)`` rows of ``queryset`` counted per ``by``."""
    return (
        queryset.order_by()
        .annotate(row_key=by, row_household=household)
        .filter(row_key__isnull=False)
        .values("row_key", "row_household")
        .annotate(
            row_kind=Value(kind, output_field=CharField()),
            row_open=Count("pk"),
            row_overdue=Count("pk", filter=overdue),
        )
        .values_list("row_kind", "row_key", "row_open", "row_overdue", "row_household")
    )


def _team_load(user: Any, led_cases: QuerySet[Case], today: dt.date) -> _TeamLoad:
    """Two queries bounded by the team's caseload; the assignment happens in Python.

    1. The led posts' open cases (post, case manager, person, household), newest first.
    2. One ``UNION ALL`` of counts: per person of those cases and of their households' members
       (``mine_persons_union``: two index reads) the open dated deadlines and the overdue ones
       (by the deadlines' ``traeger, person, status, due_on`` index); per owner the open tasks,
       per case manager the open referral follow-ups, each with the overdue part.

    A deadline belongs to a post when the person or a member of the person's household is a
    client of an open case of the post (a child's school deadline, as in the Fristen worklist);
    each person counts once per post. Its responsible case manager is the one of the person's
    newest open case, else of the newest open case in the household (the worklist's rule,
    ``deadlines.selectors.attach_responsible``). Until issue 14's third round this was an
    ``EXISTS … OR`` per post and deadline and two correlated lookups per deadline (193 ms at
    NRW size for a team of ten posts).
    """
    cases = list(
        led_cases.order_by("-opened_on", "-id").values_list(
            "post_id", "case_manager_id", "person_id", "person__household_id"
        )
    )
    no_household = Value(None, output_field=IntegerField())
    deadlines = _grouped(
        deadline_queryset_for_user(user).filter(
            status=DeadlineStatus.OPEN,
            due_on__isnull=False,
            person_id__in=mine_persons_union(user, led_cases),
        ),
        "deadlines",
        F("person_id"),
        Q(due_on__lt=today),
        F("person__household_id"),
    )
    tasks = _grouped(
        case_team_tasks(user).filter(case__in=led_cases.values("pk"), status__in=OPEN_TASK_STATES),
        "tasks",
        F("owner_user_id"),
        Q(due_on__lt=today),
        no_household,
    )
    follow_ups = _grouped(
        referral_queryset_for_user(user).filter(
            case__in=led_cases.values("pk"), state__in=OPEN_STATES, follow_up_on__isnull=False
        ),
        "follow_ups",
        F("case__case_manager_id"),
        Q(follow_up_on__lt=today),
        no_household,
    )
    by_manager: dict[int, dict[str, int]] = {}
    per_person: dict[int, tuple[int, int]] = {}
    household_of: dict[int, int] = {}
    members: dict[int, list[int]] = {}
    for kind, key, n_open, n_overdue, household_id in deadlines.union(tasks, follow_ups, all=True):
        if kind != "deadlines":
            row = by_manager.setdefault(key, {})
            row[kind], row[f"{kind}_overdue"] = n_open, n_overdue
            continue
        per_person[key] = (n_open, n_overdue)
        if household_id:
            household_of[key] = household_id
            members.setdefault(household_id, []).append(key)

    open_cases_by_post: dict[int, int] = {}
    own: dict[int, int] = {}
    of_household: dict[int, int] = {}
    reached: dict[int, set[int]] = {}
    for post_id, manager_id, person_id, household_id in cases:  # newest first
        open_cases_by_post[post_id] = open_cases_by_post.get(post_id, 0) + 1
        if manager_id is not None:
            row = by_manager.setdefault(manager_id, {})
            row["cases"] = row.get("cases", 0) + 1
            own.setdefault(person_id, manager_id)
            if household_id:
                of_household.setdefault(household_id, manager_id)
        persons = reached.setdefault(post_id, set())
        persons.add(person_id)
        if household_id:
            persons.update(members.get(household_id, ()))

    for person_id, (n_open, n_overdue) in per_person.items():
        responsible = own.get(person_id) or of_household.get(household_of.get(person_id, 0))
        if responsible is not None:
            row = by_manager.setdefault(responsible, {})
            row["deadlines"] = row.get("deadlines", 0) + n_open
            row["deadlines_overdue"] = row.get("deadlines_overdue", 0) + n_overdue
    return _TeamLoad(
        open_cases_by_post=open_cases_by_post,
        overdue_by_post={
            post_id: sum(per_person.get(person_id, (0, 0))[1] for person_id in persons)
            for post_id, persons in reached.items()
        },
        by_manager=by_manager,
    )


def _workloads(load: _TeamLoad) -> list[Workload]:
    """Per case manager of the led posts, by name (one query for the names)."""
    counts = load.by_manager
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


def team_for_user(user: Any, *, today: dt.date) -> Team:
    """The team page of a team lead (six queries besides the user's scope, none per row).

    Per case-management post the user leads (``CaseManagementPost.team_lead``): the open
    caseload against the target and the overdue deadlines of its clients. A deadline belongs to
    a post when a client of an open case of the post is the person or lives in the person's
    household (a child's school deadline, as in the Fristen worklist).
    """
    if not can_lead_team(user):
        return Team(posts=[])
    open_cases: QuerySet[Case] = case_queryset_for_user(user).exclude(phase=Phase.CLOSED)
    led_posts = CaseManagementPost.objects.filter(traeger_id=user.traeger_id, team_lead_id=user.pk)
    posts = led_posts.select_related("holder", "sozialraum").order_by("sort_order", "name", "pk")
    led_cases = open_cases.filter(post__in=led_posts.values("pk"))
    load = _team_load(user, led_cases, today)
    substitutions = list(
        substitutions_for_lead(user)
        .filter(ends_on__gte=today, ended_early_at__isnull=True)
        .order_by("starts_on", "ends_on", "id")[:SUBSTITUTION_ROWS]
    )
    return Team(
        posts=[
            PostLoad(
                post=post,
                open_cases=load.open_cases_by_post.get(post.pk, 0),
                overdue_deadlines=load.overdue_by_post.get(post.pk, 0),
            )
            for post in posts
        ],
        workloads=_workloads(load),
        substitutions=substitutions,
        coaches=_coaches(user, today),
    )
