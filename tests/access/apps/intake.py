"""URL classification and permission matrix rows of the intake app (issue 3).

Two payloads prepare configuration or the fixture's timeline entry before the request:
the Erstgespräch needs an interview guide of Träger A (configuration, not personal data), and
interpreting is recorded for a contact, so the world's entry becomes one (``snapshot_of`` does
not compare the kind, so a refused request still shows up as "nothing changed").
"""

from __future__ import annotations

from typing import Any

from lotse.cases.models import TimelineEntry
from lotse.directory.models import InterviewGuide
from tests.access.endpoints import Endpoint, Scope
from tests.access.world import World


def _case(world: World) -> dict[str, int]:
    return {"pk": world.case.pk}


def _field(world: World) -> dict[str, int]:
    return {"pk": world.case.pk, "field_pk": world.field_of_action.pk}


def _with_guide(world: World) -> None:
    InterviewGuide.objects.get_or_create(
        traeger=world.traeger_a,
        key="erstgespraech",
        defaults={
            "name": "Leitfaden Alpha",
            "guide_version": "1.0",
            "sections": [
                {"key": "ziele", "title": "Ziele", "questions": [{"key": "ziel", "text": "Ziel?"}]}
            ],
        },
    )


def _interview_form(world: World) -> dict[str, Any]:
    _with_guide(world)
    return {"version": 0, "held_at": "2026-10-06T10:00", "ziele__ziel": "Arbeit", "action": "draft"}


def _interview_api(world: World) -> dict[str, Any]:
    _with_guide(world)
    return {
        "version": 0,
        "held_at": "2026-10-06T10:00:00+02:00",
        "answers": {"ziele": {"ziel": "Arbeit"}},
    }


def _contact(world: World) -> int:
    TimelineEntry.objects.filter(pk=world.entry.pk).update(kind="contact", channel="phone")
    return world.entry.pk


def _interpreter(world: World) -> dict[str, Any]:
    return {"timeline_entry": _contact(world), "language": "ar", "kind": "professional"}


ENDPOINTS: dict[str, Endpoint] = {
    "intake:interview": Endpoint(
        Scope.OBJECT, api=False, kwargs=_case, methods={"GET": None, "POST": _interview_form}
    ),
    "intake:assessment": Endpoint(Scope.OBJECT, api=False, kwargs=_case, methods={"GET": None}),
    "intake:assessment_edit": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_field,
        methods={"GET": None, "POST": lambda w: {"version": 0, "resources": "Führerschein"}},
    ),
    "intake:assessment_history": Endpoint(
        Scope.OBJECT, api=False, kwargs=_field, methods={"GET": None}
    ),
    "intake:profile": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_case,
        methods={
            "GET": None,
            "POST": lambda w: {"version": 0, "track": "acceleration", "reason": "Studium"},
        },
    ),
    "intake:interpreters": Endpoint(
        Scope.OBJECT, api=False, kwargs=_case, methods={"GET": None, "POST": _interpreter}
    ),
    "api:case-initial-interview": Endpoint(
        Scope.OBJECT, api=True, kwargs=_case, methods={"GET": None, "PUT": _interview_api}
    ),
    "api:case-assessments": Endpoint(Scope.OBJECT, api=True, kwargs=_case, methods={"GET": None}),
    "api:case-assessment": Endpoint(
        Scope.OBJECT,
        api=True,
        kwargs=_field,
        methods={"GET": None, "PUT": lambda w: {"version": 0, "resources": "Führerschein"}},
    ),
    "api:case-assessment-history": Endpoint(
        Scope.OBJECT, api=True, kwargs=_field, methods={"GET": None}
    ),
    "api:case-profile": Endpoint(
        Scope.OBJECT,
        api=True,
        kwargs=_case,
        methods={
            "GET": None,
            "PUT": lambda w: {"version": 0, "track": "barriers", "reason": "Mehrere Problemlagen"},
        },
    ),
    "api:case-interpreter-uses": Endpoint(
        Scope.OBJECT, api=True, kwargs=_case, methods={"GET": None, "POST": _interpreter}
    ),
}

# fmt: off
#                                              anon cm   tl   coord part admin dp  none  oth-T oth-O
MATRIX: dict[tuple[str, str], tuple[int, ...]] = {
    ("intake:interview", "GET"):                (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("intake:interview", "POST"):               (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("intake:assessment", "GET"):               (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("intake:assessment_edit", "GET"):          (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("intake:assessment_edit", "POST"):         (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("intake:assessment_history", "GET"):       (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("intake:profile", "GET"):                  (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("intake:profile", "POST"):                 (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("intake:interpreters", "GET"):             (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("intake:interpreters", "POST"):            (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("api:case-initial-interview", "GET"):      (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("api:case-initial-interview", "PUT"):      (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("api:case-assessments", "GET"):            (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("api:case-assessment", "GET"):             (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("api:case-assessment", "PUT"):             (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("api:case-assessment-history", "GET"):     (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("api:case-profile", "GET"):                (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("api:case-profile", "PUT"):                (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("api:case-interpreter-uses", "GET"):       (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("api:case-interpreter-uses", "POST"):      (401, 201, 201, 403, 403, 403, 403, 403, 404, 404),
}
# fmt: on
