"""Reading tasks. Two ways in, and only these two:

1. **Case team** (case management and team leads of the case's organisation, via
   ``cases.selectors.case_queryset_for_user``): sees and manages every task of the case, next
   to the case file.
2. **Partner organisation** (``Role.PARTNER``, e.g. the demo user ``jobcenter`` of Jobcenter
   Lippe): sees a task assigned to its organisation (or to the user personally) only while the
   person's consents in force name the organisation and grant every category the task passes
   on (``Task.shared_categories``; § 67b SGB X). A withdrawal, an expiry or a new consent
   version without one of those categories hides the task at the next request (nothing is
   cached), exactly like the partner pages of ``lotse.sharing``. The partner sees only the
   task: title, due date, status, the comments and a *pseudonymous* case reference
   (:func:`case_pseudonym`); the person's name only when the task passes on ``identity`` and a
   consent grants it. It never sees the case file or any other task: the case itself stays a
   404 for a partner. A partner may set the status and comment.

Passing a task to an organisation outside the case team is a transfer; ``assignments.services``
refuses it without such a consent and journals it (``consent.Transfer``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, QuerySet

from lotse.assignments.models import OPEN_TASK_STATES, Task, TaskComment
from lotse.cases.selectors import case_queryset_for_user
from lotse.consent.flags import Dependent, dependents_from, ended_task_ids
from lotse.consent.models import Category, DependentFlag, Transfer
from lotse.core.access import Action, can, not_found
from lotse.core.access import is_partner as access_is_partner
from lotse.core.pagination import KeysetPage, keyset_page
from lotse.people.models import Person
from lotse.sharing.selectors import consents_in_force, granted_by_person

TASK_ORDER = ["due_on", "id"]


class TaskAccess(StrEnum):
    CASE_TEAM = "case_team"
    PARTNER = "partner"


def is_partner(user: Any) -> bool:
    return access_is_partner(user)


def can_use_tasks(user: Any) -> bool:
    return can(user, Action.VIEW) or is_partner(user)


def case_pseudonym(*, traeger_id: int, case_id: int, organisation_id: int | None) -> str:
    """A stable reference to the case that means nothing outside the partner organisation.

    Keyed with the secret key and different per organisation, so partners cannot match their
    references with each other or guess the case number from it.
    """
    message = f"task-case:{traeger_id}:{case_id}:{organisation_id or 0}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()
    code = base64.b32encode(digest).decode()[:8]
    return f"F-{code[:4]}-{code[4:]}"


def case_team_tasks(user: Any, action: Action = Action.VIEW) -> QuerySet[Task]:
    if not can(user, action):
        return Task.objects.none()
    cases = case_queryset_for_user(user, action)
    return Task.objects.filter(traeger_id=user.traeger_id, case__in=cases.values("pk"))


def partner_tasks(user: Any) -> QuerySet[Task]:
    """Tasks of the partner's organisation or of the partner personally — no case columns.

    Only tasks of persons with a consent in force naming the partner's organisation; whether it
    grants every category the task passes on is checked by :func:`shared_with_partner`. A task
    of a case of the partner's own organisation passes nothing on and needs no consent.
    """
    if not is_partner(user):
        return Task.objects.none()
    consents = consents_in_force(
        traeger_id=user.traeger_id, organisation_id=user.organisation_id
    ).filter(person_id=OuterRef("case__person_id"))
    ended = DependentFlag.objects.filter(object_type="task", object_id=OuterRef("pk"))
    return (
        Task.objects.filter(traeger_id=user.traeger_id)
        .filter(Q(owner_organisation_id=user.organisation_id) | Q(owner_user_id=user.pk))
        .filter(Q(case__organisation_id=user.organisation_id) | Exists(consents) | Exists(ended))
    )


def _covered(task: Task, granted: frozenset[str]) -> bool:
    return bool(granted) and set(task.shared_categories or []) <= granted


def shared_with_partner(user: Any, tasks: list[Task]) -> list[Task]:
    """The tasks whose categories the consents in force grant the user's organisation (one query).

    Each kept task gets ``granted_categories`` (what the partner may see of the person now).
    Tasks of cases of the user's own organisation are kept (no transfer).
    """
    person_ids = {task.audit_person_id for task in tasks}  # type: ignore[attr-defined]
    granted = granted_by_person(user, person_ids)
    kept = []
    for task in tasks:
        categories = granted.get(task.audit_person_id, frozenset())  # type: ignore[attr-defined]
        own = task.case_organisation_id == user.organisation_id  # type: ignore[attr-defined]
        if own or _covered(task, categories):
            task.granted_categories = categories  # type: ignore[attr-defined]
            kept.append(task)
    return kept


@dataclass(frozen=True)
class TaskFilter:
    team: bool = False  # case team: all tasks of the team's cases, not only the user's own
    include_closed: bool = False


def my_task_list(user: Any, *, filters: TaskFilter) -> QuerySet[Task]:
    """ "Meine Aufgaben": a case worker's own tasks (or the team's), a partner's organisation's."""
    mine: QuerySet[Task] = Task.objects.none()
    if can(user, Action.VIEW):
        mine = case_team_tasks(user)
        if not filters.team:
            mine = mine.filter(owner_user_id=user.pk)
    if is_partner(user):
        mine = mine | partner_tasks(user)
    queryset = mine.select_related("owner_user", "owner_organisation").annotate(
        case_organisation_id=F("case__organisation_id"), audit_person_id=F("case__person_id")
    )
    if not filters.include_closed:
        queryset = queryset.filter(status__in=OPEN_TASK_STATES)
    return queryset


def my_task_page(
    user: Any, *, filters: TaskFilter, cursor: str | None, size: int = 25
) -> KeysetPage:
    """One page of :func:`my_task_list`.

    A task reached only as a partner stays on the page only if the consents in force grant all
    its categories (:func:`shared_with_partner`), so a page can hold fewer than ``size`` rows;
    the cursor still moves on from the last row read.
    """
    page = keyset_page(
        my_task_list(user, filters=filters), order=TASK_ORDER, cursor=cursor, size=size
    )
    if not is_partner(user):
        return page
    team_ids = (
        set(
            case_team_tasks(user)
            .filter(pk__in=[task.pk for task in page.items])
            .values_list("pk", flat=True)
        )
        if can(user, Action.VIEW)
        else set()
    )
    outside = [task for task in page.items if task.pk not in team_ids]
    shared = {task.pk for task in shared_with_partner(user, outside)}
    # A task whose consent ended stays on the partner's list as "consent withdrawn" (title
    # only, no reference, no person): the partner must learn to stop, not find it silently gone.
    ended = ended_task_ids(task.pk for task in outside if task.pk not in shared)
    for task in page.items:
        task.consent_ended = task.pk in ended  # type: ignore[attr-defined]
    return replace(
        page,
        items=[
            task
            for task in page.items
            if task.pk in team_ids or task.pk in shared or task.pk in ended
        ],
    )


def tasks_of_case(case: Any) -> list[Task]:
    return list(
        Task.objects.filter(traeger_id=case.traeger_id, case=case)
        .select_related("owner_user", "owner_organisation")
        .order_by("due_on", "id")
    )


def get_task_for_user(user: Any, pk: Any, action: Action = Action.VIEW) -> tuple[Task, TaskAccess]:
    """Load a task with the way the user reaches it; anything else is a 404.

    For a partner the case is not loaded (``task.case`` is deferred on purpose: templates and
    serializers for partners use only the task and :func:`case_pseudonym`).
    """
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise not_found() from None
    task = (
        case_team_tasks(user, action)
        .select_related("case", "case__person", "owner_user", "owner_organisation", "transfer")
        .filter(pk=pk)
        .first()
    )
    if task is not None:
        return task, TaskAccess.CASE_TEAM
    task = (
        partner_tasks(user)
        .select_related("owner_user", "owner_organisation")
        .annotate(
            audit_person_id=F("case__person_id"),
            case_phase=F("case__phase"),
            case_organisation_id=F("case__organisation_id"),
        )
        .filter(pk=pk)
        .first()
    )
    if task is not None and shared_with_partner(user, [task]):
        return task, TaskAccess.PARTNER
    raise not_found()


def shared_person_names(tasks: list[Task]) -> dict[int, str]:
    """Task id → the person's name, for tasks a partner reaches that pass on ``identity`` while a
    consent grants it (one query for all); other tasks are shown with the pseudonym only."""
    wanted = {
        task.pk: task.audit_person_id  # type: ignore[attr-defined]
        for task in tasks
        if Category.IDENTITY in getattr(task, "granted_categories", frozenset())
        and Category.IDENTITY in (task.shared_categories or [])
    }
    if not wanted:
        return {}
    traeger_id = tasks[0].traeger_id
    names = {
        pk: f"{first} {last}".strip()
        for pk, first, last in Person.objects.filter(
            traeger_id=traeger_id, pk__in=set(wanted.values())
        ).values_list("pk", "first_name", "last_name")
    }
    return {task_id: names.get(person_id, "") for task_id, person_id in wanted.items()}


def task_comments(task: Task) -> list[TaskComment]:
    return list(
        TaskComment.objects.filter(traeger_id=task.traeger_id, task=task).select_related("author")
    )


def pseudonym_for(task: Task, viewer: Any) -> str:
    return case_pseudonym(
        traeger_id=task.traeger_id, case_id=task.case_id, organisation_id=viewer.organisation_id
    )


def open_tasks_relying_on(transfers: list[Transfer]) -> list[Dependent]:
    """Open tasks carried by ``transfers`` (the consent-end flags of ``consent.flags``)."""
    ids = [t.subject_id for t in transfers if t.subject_id is not None]
    rows = Task.objects.filter(pk__in=ids, status__in=OPEN_TASK_STATES).values_list("pk", "case_id")
    return dependents_from(transfers, dict(rows), "task")
