"""URLs of the deadlines app (Fristen): classification and permission matrix rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.access.endpoints import Endpoint, Scope
from tests.access.world import World


def _deadline(world: World) -> Any:
    """A deadline of the world's person (created on first use)."""
    from lotse.deadlines.models import PersonGoalDeadline
    from lotse.directory.models import Goal

    goal, _ = Goal.objects.get_or_create(
        traeger=world.traeger_a,
        key="ziel-alpha",
        defaults={
            "title": "Ziel Alpha",
            "deadline_rule": {"from": "registration", "within": 2, "unit": "weeks"},
        },
    )
    deadline, _ = PersonGoalDeadline.objects.get_or_create(
        traeger=world.traeger_a,
        person=world.person,
        goal=goal,
        defaults={"due_on": dt.date(2026, 10, 15), "computed_at": dt.datetime.now(dt.UTC)},
    )
    return deadline


def _person(world: World) -> dict[str, int]:
    return {"pk": world.person.pk}


def _person_deadline(world: World) -> dict[str, int]:
    return {"pk": world.person.pk, "deadline_pk": _deadline(world).pk}


def _version(world: World) -> int:
    return int(_deadline(world).version)


ENDPOINTS: dict[str, Endpoint] = {
    "deadlines:worklist": Endpoint(Scope.TRAEGER, api=False, methods={"GET": None}),
    "deadlines:person": Endpoint(Scope.OBJECT, api=False, kwargs=_person, methods={"GET": None}),
    "deadlines:mark_met": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_person_deadline,
        methods={
            "GET": None,
            "POST": lambda w: {
                "version": _version(w),
                "met_on": "2026-01-05",
                "evidence": "Schulplatz",
            },
        },
    ),
    "deadlines:mark_not_applicable": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_person_deadline,
        methods={
            "GET": None,
            "POST": lambda w: {"version": _version(w), "reason": "verzogen"},
        },
    ),
    "deadlines:reopen": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_person_deadline,
        methods={"POST": lambda w: {"version": _version(w)}},
    ),
    "api:person-deadlines": Endpoint(Scope.OBJECT, api=True, kwargs=_person, methods={"GET": None}),
}

# fmt: off
#                                                   anon cm   tl   coord part admin dp  none  oth-T oth-O
MATRIX: dict[tuple[str, str], tuple[int, ...]] = {
    ("deadlines:worklist", "GET"):                   (302, 200, 200, 403, 403, 403, 403, 403, 200, 200),
    ("deadlines:person", "GET"):                     (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("deadlines:mark_met", "GET"):                   (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("deadlines:mark_met", "POST"):                  (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("deadlines:mark_not_applicable", "GET"):        (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("deadlines:mark_not_applicable", "POST"):       (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("deadlines:reopen", "POST"):                    (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("api:person-deadlines", "GET"):                 (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
}
# fmt: on
