"""Reading deadlines, always through the person scope of the access policy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from lotse.cases.models import Case, Phase
from lotse.core.access import Action, case_file_scope, not_found, starts_with_team_lists
from lotse.core.pagination import KeysetPage, keyset_page
from lotse.deadlines.models import DeadlineStatus, DisplayStatus, PersonGoalDeadline
from lotse.directory.models import Goal
from lotse.people.models import Person
from lotse.people.selectors import person_queryset_for_user


def deadline_queryset_for_user(
    user: Any, action: Action = Action.VIEW
) -> QuerySet[PersonGoalDeadline]:
    """Deadlines of exactly the persons the user may act on (Träger and case team)."""
    if case_file_scope(user, action) is None:
        return PersonGoalDeadline.objects.none()
    return PersonGoalDeadline.objects.filter(
        traeger_id=user.traeger_id,
        person__in=person_queryset_for_user(user, action).values("pk"),
    )


def get_deadline_for_user(
    user: Any, person: Person, pk: Any, action: Action = Action.VIEW
) -> PersonGoalDeadline:
    """One deadline of ``person`` (already loaded through the person scope); else a 404."""
    try:
        return (
            deadline_queryset_for_user(user, action)
            .select_related("goal", "person")
            .get(person=person, pk=pk)
        )
    except (PersonGoalDeadline.DoesNotExist, ValueError, TypeError):
        raise not_found() from None


def deadlines_of_person(person: Person) -> list[PersonGoalDeadline]:
    """The person's deadlines: dated ones by due date, then those without a date."""
    rows = list(
        PersonGoalDeadline.objects.filter(traeger_id=person.traeger_id, person=person)
        .select_related("goal", "decided_by")
        .order_by("goal__sort_order", "goal__code", "id")
    )
    return sorted(rows, key=lambda r: (r.due_on is None, r.due_on or dt.date.max, r.goal.code))


def deadlines_of_household_children(
    user: Any, person: Person
) -> list[tuple[Person, list[PersonGoalDeadline]]]:
    """The deadlines of the children in the person's household that the user may see."""
    if person.household_id is None or person.household_role == Person.HouseholdRole.CHILD:
        return []
    children = list(
        person_queryset_for_user(user)
        .filter(household_id=person.household_id, household_role=Person.HouseholdRole.CHILD)
        .exclude(pk=person.pk)
        .order_by("date_of_birth", "id")
    )
    rows = (
        PersonGoalDeadline.objects.filter(
            traeger_id=person.traeger_id, person__in=[c.pk for c in children]
        )
        .exclude(status=DeadlineStatus.NOT_APPLICABLE)
        .select_related("goal")
        .order_by("due_on", "id")
    )
    by_child: dict[int, list[PersonGoalDeadline]] = {c.pk: [] for c in children}
    for row in rows:
        by_child[row.person_id].append(row)
    return [(c, by_child[c.pk]) for c in children if by_child[c.pk]]


class WorklistStatus:
    PENDING = "pending"  # open, dated: the default worklist (missed first, then due soonest)
    CHOICES = (
        PENDING,
        DisplayStatus.MISSED,
        DisplayStatus.OPEN,
        DisplayStatus.MET,
        DisplayStatus.NOT_APPLICABLE,
        DisplayStatus.BEFORE_CASE,
        DisplayStatus.UNKNOWN,
    )


@dataclass(frozen=True)
class WorklistFilter:
    mine: bool = True
    status: str = WorklistStatus.PENDING
    goal_id: int | None = None


def default_mine(user: Any) -> bool:
    """Case managers start with their own list; a team lead without cases with the team's."""
    return not starts_with_team_lists(user)


def _responsible_cases(user: Any) -> QuerySet[Case]:
    return Case.objects.filter(traeger_id=user.traeger_id, case_manager=user).exclude(
        phase=Phase.CLOSED
    )


def worklist_for_user(
    user: Any, *, filters: WorklistFilter, today: dt.date
) -> tuple[QuerySet[PersonGoalDeadline], list[str]]:
    """The worklist queryset and its keyset order.

    "Mine" are the deadlines of persons with an open case of the user, and of the children in
    their households (a child's school deadline belongs to the child, the case to a parent).
    """
    queryset = deadline_queryset_for_user(user)
    if filters.mine:
        cases = _responsible_cases(user)
        queryset = queryset.filter(
            Exists(cases.filter(person_id=OuterRef("person_id")))
            | Exists(
                cases.filter(
                    person__household_id=OuterRef("person__household_id"),
                    person__household_id__isnull=False,
                )
            )
        )
    if filters.goal_id:
        queryset = queryset.filter(goal_id=filters.goal_id)
    status = filters.status
    order = ["due_on", "id"]
    dated_open = Q(status=DeadlineStatus.OPEN, due_on__isnull=False)
    if status == DisplayStatus.MISSED:
        queryset = queryset.filter(dated_open, due_on__lt=today)
    elif status == DisplayStatus.OPEN:
        queryset = queryset.filter(dated_open, due_on__gte=today)
    elif status == DisplayStatus.MET:
        queryset = queryset.filter(status=DeadlineStatus.MET)
        order = ["-met_on", "-id"]
    elif status == DisplayStatus.NOT_APPLICABLE:
        queryset = queryset.filter(status=DeadlineStatus.NOT_APPLICABLE)
        order = ["-id"]
    elif status == DisplayStatus.BEFORE_CASE:
        queryset = queryset.filter(status=DeadlineStatus.BEFORE_CASE)
        order = ["-due_on", "-id"]
    elif status == DisplayStatus.UNKNOWN:
        queryset = queryset.filter(status=DeadlineStatus.OPEN, due_on__isnull=True)
        order = ["-id"]
    else:
        queryset = queryset.filter(dated_open)
    responsible = (
        Case.objects.filter(traeger_id=user.traeger_id)
        .exclude(phase=Phase.CLOSED)
        .filter(
            Q(person_id=OuterRef("person_id"))
            | Q(
                person__household_id=OuterRef("person__household_id"),
                person__household_id__isnull=False,
            )
        )
        .exclude(case_manager__isnull=True)
        .order_by("-opened_on", "-id")
    )
    queryset = queryset.select_related("goal", "person").annotate(
        responsible_first=Subquery(responsible.values("case_manager__first_name")[:1]),
        responsible_last=Subquery(responsible.values("case_manager__last_name")[:1]),
    )
    return queryset, order


def worklist_page_for_user(
    user: Any, *, filters: WorklistFilter, today: dt.date, cursor: str | None, size: int = 25
) -> KeysetPage:
    queryset, order = worklist_for_user(user, filters=filters, today=today)
    return keyset_page(queryset, order=order, cursor=cursor, size=size)


def worklist_undated_count(user: Any, *, filters: WorklistFilter, today: dt.date) -> int:
    """How many open deadlines of the list cannot be computed (shown as a hint)."""
    queryset, _ = worklist_for_user(
        user,
        filters=WorklistFilter(
            mine=filters.mine, status=DisplayStatus.UNKNOWN, goal_id=filters.goal_id
        ),
        today=today,
    )
    return queryset.count()


def worklist_goals(user: Any) -> list[Goal]:
    from lotse.deadlines.services import person_goals

    return person_goals(user.traeger_id)
