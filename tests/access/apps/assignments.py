"""Tasks (assignments app).

The world's partner user belongs to organisation A, the organisation the task is assigned to:
it sees and reports on the task but nothing of the case. A case manager of another organisation
of the same Träger is neither case team nor partner: 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from lotse.assignments.models import Task
from tests.access.endpoints import Endpoint, Scope, _case
from tests.access.world import World


def task_of(world: World) -> Task:
    cached = getattr(world, "_task", None)
    if cached is None:
        cached = Task.objects.create(
            traeger=world.traeger_a,
            case=world.case,
            title="Aufgabe Alpha",
            owner_organisation=world.org_a,
            due_on=dt.date(2026, 12, 1),
        )
        world._task = cached  # type: ignore[attr-defined]
    return cached


def _task(world: World) -> dict[str, int]:
    return {"pk": task_of(world).pk}


def _task_form(world: World) -> dict[str, Any]:
    return {
        "title": "Termin vereinbaren",
        "due_on": "2026-12-15",
        "owner_organisation": world.org_a.pk,
    }


ENDPOINTS = {
    "assignments:mine": Endpoint(Scope.TRAEGER, api=False, methods={"GET": None}),
    "assignments:detail": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_task,
        methods={
            "GET": None,
            "POST": lambda w: {"version": 1, "status": "in_progress", "comment": "Termin steht"},
        },
    ),
    "assignments:edit": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_task,
        methods={"GET": None, "POST": lambda w: {**_task_form(w), "version": 1}},
    ),
    "assignments:case_tasks": Endpoint(
        Scope.OBJECT, api=False, kwargs=_case, methods={"GET": None, "POST": _task_form}
    ),
    "api:task-list": Endpoint(Scope.TRAEGER, api=True, methods={"GET": None}),
    "api:task-detail": Endpoint(
        Scope.OBJECT,
        api=True,
        kwargs=_task,
        methods={"GET": None, "PATCH": lambda w: {"version": 1, "status": "in_progress"}},
    ),
    "api:case-tasks": Endpoint(
        Scope.OBJECT,
        api=True,
        kwargs=_case,
        methods={"GET": None, "POST": _task_form},
    ),
}

# fmt: off
#                                         anon cm   tl   coord part admin dp  none  oth-T oth-O
MATRIX = {
    ("assignments:mine", "GET"):          (302, 200, 200, 403, 200, 403, 403, 403, 200, 200),
    ("assignments:detail", "GET"):        (302, 200, 200, 403, 200, 403, 403, 403, 404, 404),
    ("assignments:detail", "POST"):       (302, 302, 302, 403, 302, 403, 403, 403, 404, 404),
    ("assignments:edit", "GET"):          (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("assignments:edit", "POST"):         (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("assignments:case_tasks", "GET"):    (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("assignments:case_tasks", "POST"):   (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("api:task-list", "GET"):             (401, 200, 200, 403, 200, 403, 403, 403, 200, 200),
    ("api:task-detail", "GET"):           (401, 200, 200, 403, 200, 403, 403, 403, 404, 404),
    ("api:task-detail", "PATCH"):         (401, 200, 200, 403, 200, 403, 403, 403, 404, 404),
    ("api:case-tasks", "GET"):            (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("api:case-tasks", "POST"):           (401, 201, 201, 403, 403, 403, 403, 403, 404, 404),
}
# fmt: on
