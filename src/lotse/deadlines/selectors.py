"""Reading deadlines, always through the person scope of the access policy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lotse.cases.models import Case, Phase
from lotse.core.access import (
    Action,
    not_found,
    person_ids_in_scope,
    starts_with_team_lists,
)
from lotse.core.filters import CHOICE, FLAG, INT, FilterField, ListFilter, ParsedFilter
from lotse.core.pagination import KeysetPage, keyset_page
from lotse.deadlines.models import DeadlineStatus, DisplayStatus, PersonGoalDeadline
from lotse.directory.models import Goal
from lotse.people.models import Person
from lotse.people.selectors import person_queryset_for_user


def deadline_queryset_for_user(
    user: Any, action: Action = Action.VIEW
) -> QuerySet[PersonGoalDeadline]:
    """Deadlines of exactly the persons the user may act on (Träger and case team)."""
    person_ids = person_ids_in_scope(user, action)
    if person_ids is None:
        return PersonGoalDeadline.objects.none()
    return PersonGoalDeadline.objects.filter(traeger_id=user.traeger_id, person_id__in=person_ids)


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


#: The filters of the Fristen worklist (``/fristen/``).
WORKLIST_FILTERS = ListFilter(
    WorklistFilter,
    [
        FilterField(
            "status",
            "status",
            _("status"),
            CHOICE,
            choices=lambda: [(value, value) for value in WorklistStatus.CHOICES],
        ),
        FilterField("goal_id", "ziel", _("goal"), INT),
        FilterField("mine", "alle", _("Show the whole team's deadlines"), FLAG, inverted=True),
    ],
)


def worklist_filter_from_query(user: Any, data: Any) -> ParsedFilter[WorklistFilter]:
    """The worklist's filters; without ``status``/``alle`` the user's default list (mine/team)."""
    parsed = WORKLIST_FILTERS.parse(data)
    if "status" in data or "alle" in data:
        return parsed
    return ParsedFilter(replace(parsed.values, mine=default_mine(user)), parsed.errors)


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
        queryset = queryset.filter(person_id__in=_my_person_ids(user))
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
    return queryset.select_related("goal", "person"), order


def _my_person_ids(user: Any) -> list[int]:
    """Persons with an open case of the user and the members of their households (one query).

    A UNION of two index-driven reads — the user's cases (``traeger, case_manager``) and the
    household members of their persons (``traeger, household``) — so the cost follows the
    user's caseload, not the Träger's persons. The ids go into the worklist as a list, which
    PostgreSQL reads through ``traeger, person, due_on`` of the deadlines.
    """
    rows = mine_persons_union(user, _responsible_cases(user))
    return sorted({row["person_id"] for row in rows})


def mine_persons_union(user: Any, cases: QuerySet[Case]) -> QuerySet[Any]:
    """The persons of ``cases`` and the members of their households, as one ``UNION`` of two
    index reads (cases, then persons by ``traeger, household``): an ``OR`` of the two would
    read all of the Träger's persons. One column, ``person_id``."""
    households = Person.objects.filter(
        traeger_id=user.traeger_id,
        pk__in=cases.values("person_id"),
        household_id__isnull=False,
    ).values("household_id")
    members = Person.objects.filter(traeger_id=user.traeger_id, household_id__in=households)
    return cases.order_by().values("person_id").union(members.order_by().values("pk"))


def attach_responsible(traeger_id: int, deadlines: list[PersonGoalDeadline]) -> None:
    """Set ``responsible_first``/``responsible_last`` on the rows of one page (one query).

    The responsible case manager is the one of the person's newest open case, or else of the
    newest open case in the person's household (a child's deadline: the parent's case).
    Resolved for the page's persons only, so the cost does not grow with the list (the rows
    must come with ``select_related("person")``).
    """
    for deadline in deadlines:
        deadline.responsible_first = ""  # type: ignore[attr-defined]
        deadline.responsible_last = ""  # type: ignore[attr-defined]
    if not deadlines:
        return
    person_ids = sorted({d.person_id for d in deadlines})
    household_ids = sorted({d.person.household_id for d in deadlines if d.person.household_id})
    condition = Q(pk__in=person_ids)
    if household_ids:
        condition |= Q(household_id__in=household_ids)
    # The page's persons and their household members (person pkey and ``traeger, household``),
    # then their cases by ``traeger, person``: no scan of the Träger's cases or persons.
    persons = Person.objects.filter(condition, traeger_id=traeger_id).values("pk")
    cases = list(
        Case.objects.filter(traeger_id=traeger_id, person_id__in=persons)
        .exclude(phase=Phase.CLOSED)
        .exclude(case_manager__isnull=True)
        .order_by("-opened_on", "-id")
        .values_list(
            "person_id",
            "person__household_id",
            "case_manager__first_name",
            "case_manager__last_name",
        )
    )
    own: dict[int, tuple[str, str]] = {}
    of_household: dict[int, tuple[str, str]] = {}
    for person_id, household_id, first, last in cases:  # newest first: keep the first seen
        own.setdefault(person_id, (first, last))
        if household_id:
            of_household.setdefault(household_id, (first, last))
    for deadline in deadlines:
        name = own.get(deadline.person_id) or of_household.get(deadline.person.household_id or 0)
        if name:
            deadline.responsible_first, deadline.responsible_last = name  # type: ignore[attr-defined]


def worklist_page_for_user(
    user: Any, *, filters: WorklistFilter, today: dt.date, cursor: str | None, size: int = 25
) -> KeysetPage:
    queryset, order = worklist_for_user(user, filters=filters, today=today)
    page = keyset_page(queryset, order=order, cursor=cursor, size=size)
    attach_responsible(user.traeger_id, page.items)
    return page


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
