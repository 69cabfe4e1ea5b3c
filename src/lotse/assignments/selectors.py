"""Reading tasks. Two ways in, and only these two:

1. **Case team** (case management and team leads of the case's organisation, via
   ``cases.selectors.case_queryset_for_user``): sees and manages every task of the case, next
   to the case file.
2. **Partner organisation** (``Role.PARTNER``, e.g. the demo user ``jobcenter`` of Jobcenter
   Lippe): sees the tasks assigned to its organisation (or to the user personally) — and only
   the task: title, due date, status, the comments on it and a *pseudonymous* case reference
   (:func:`case_pseudonym`). It never sees the case file, the person's name or any other task:
   the case itself stays a 404 for a partner. A partner may set the status and comment.

Passing a task to a partner organisation is, in substance, a disclosure that the client is a
case of the Träger; it rests on the cooperation agreement for now. Full consent-based sharing
(Schweigepflichtsentbindung, § 67b SGB X, Art. 6/9 GDPR) comes with the privacy issue and will
then narrow rule 2 to organisations named in a valid consent.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db.models import F, Q, QuerySet

from lotse.accounts.models import Role
from lotse.assignments.models import OPEN_TASK_STATES, Task, TaskComment
from lotse.cases.selectors import case_queryset_for_user
from lotse.core.access import Action, can, not_found
from lotse.core.pagination import KeysetPage, keyset_page

TASK_ORDER = ["due_on", "id"]


class TaskAccess(StrEnum):
    CASE_TEAM = "case_team"
    PARTNER = "partner"


def is_partner(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.traeger_id is None or user.organisation_id is None:
        return False
    return bool(user.has_role(Role.PARTNER))


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
    """Tasks of the partner's organisation or of the partner personally — no case columns."""
    if not is_partner(user):
        return Task.objects.none()
    return Task.objects.filter(traeger_id=user.traeger_id).filter(
        Q(owner_organisation_id=user.organisation_id) | Q(owner_user_id=user.pk)
    )


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
        case_organisation_id=F("case__organisation_id")
    )
    if not filters.include_closed:
        queryset = queryset.filter(status__in=OPEN_TASK_STATES)
    return queryset


def my_task_page(
    user: Any, *, filters: TaskFilter, cursor: str | None, size: int = 25
) -> KeysetPage:
    return keyset_page(
        my_task_list(user, filters=filters), order=TASK_ORDER, cursor=cursor, size=size
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
        .select_related("case", "case__person", "owner_user", "owner_organisation")
        .filter(pk=pk)
        .first()
    )
    if task is not None:
        return task, TaskAccess.CASE_TEAM
    task = (
        partner_tasks(user)
        .select_related("owner_user", "owner_organisation")
        .annotate(audit_person_id=F("case__person_id"), case_phase=F("case__phase"))
        .filter(pk=pk)
        .first()
    )
    if task is not None:
        return task, TaskAccess.PARTNER
    raise not_found()


def task_comments(task: Task) -> list[TaskComment]:
    return list(
        TaskComment.objects.filter(traeger_id=task.traeger_id, task=task).select_related("author")
    )


def pseudonym_for(task: Task, viewer: Any) -> str:
    return case_pseudonym(
        traeger_id=task.traeger_id, case_id=task.case_id, organisation_id=viewer.organisation_id
    )
