"""URL classification and permission matrix of the retention app (erasure, restriction, holds).

Requests, restrictions and holds are created lazily (in the ``kwargs`` callables) on the
world's person. Team-lead actions check the role before any lookup (403 for every other role,
in every Träger); the case team's actions find only their own Träger's and team's persons (404).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from lotse.accounts.models import Role
from lotse.retention.models import ErasureRequest, LegalHold, RecordType, Restriction
from tests.access.endpoints import Endpoint, Scope
from tests.access.world import World

REASON = "Antrag der Person auf Löschung, schriftlich eingegangen"


def _person(w: World) -> dict[str, int]:
    return {"pk": w.person.pk}


def _request(state: str) -> Any:
    def kwargs(w: World) -> dict[str, int]:
        cached: ErasureRequest | None = getattr(w, f"_erasure_{state}", None)
        if cached is None:
            cached = ErasureRequest.objects.create(
                traeger=w.traeger_a,
                person=w.person,
                person_ref=w.person.pk,
                reason=REASON,
                requested_by=w.case_manager,
                state=state,
                decided_at=timezone.now() if state == ErasureRequest.State.APPROVED else None,
            )
            setattr(w, f"_erasure_{state}", cached)
        return {"pk": cached.pk}

    return kwargs


def _restriction(w: World) -> dict[str, int]:
    cached: Restriction | None = getattr(w, "_restriction", None)
    if cached is None:
        cached = Restriction.objects.create(
            traeger=w.traeger_a, person=w.person, reason=REASON, set_by=w.case_manager
        )
        w._restriction = cached  # type: ignore[attr-defined]
    return {"pk": cached.pk}


def _hold(w: World) -> dict[str, int]:
    cached: LegalHold | None = getattr(w, "_hold", None)
    if cached is None:
        lead = w.users[Role.TEAM_LEAD]
        cached = LegalHold.objects.create(
            traeger=w.traeger_a,
            person=w.person,
            reason=REASON,
            set_by=lead,
            until=dt.date(2099, 1, 1),
        )
        w._hold = cached  # type: ignore[attr-defined]
    return {"pk": cached.pk}


def _rules(w: World) -> dict[str, Any]:
    return {f"{t}_months": 36 for t in RecordType} | {f"{t}_active": "on" for t in RecordType}


ENDPOINTS = {
    "retention:person": Endpoint(Scope.OBJECT, api=False, kwargs=_person, methods={"GET": None}),
    "retention:request": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_person,
        methods={"POST": lambda w: {"erasure-reason": REASON}},
    ),
    "retention:restrict": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_person,
        methods={"POST": lambda w: {"restriction-reason": REASON}},
    ),
    "retention:hold": Endpoint(
        Scope.OBJECT, api=False, kwargs=_person, methods={"POST": lambda w: {"hold-reason": REASON}}
    ),
    "retention:decide": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_request(ErasureRequest.State.REQUESTED),
        methods={"POST": lambda w: {"decision-decision": "approve"}},
    ),
    "retention:execute": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_request(ErasureRequest.State.APPROVED),
        methods={"POST": lambda w: {}},
    ),
    "retention:lift_restriction": Endpoint(
        Scope.OBJECT, api=False, kwargs=_restriction, methods={"POST": lambda w: {}}
    ),
    "retention:lift_hold": Endpoint(
        Scope.OBJECT, api=False, kwargs=_hold, methods={"POST": lambda w: {}}
    ),
    "retention:overview": Endpoint(Scope.TRAEGER, api=False, methods={"GET": None}),
    "retention:rules": Endpoint(Scope.TRAEGER, api=False, methods={"GET": None, "POST": _rules}),
}

# fmt: off
#                                              anon cm   tl   coord part admin dp  none  oth-T oth-O
MATRIX = {
    ("retention:person", "GET"):               (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("retention:request", "POST"):             (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("retention:restrict", "POST"):            (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("retention:hold", "POST"):                (302, 403, 302, 403, 403, 403, 403, 403, 403, 403),
    ("retention:decide", "POST"):              (302, 403, 302, 403, 403, 403, 403, 403, 403, 403),
    ("retention:execute", "POST"):             (302, 403, 302, 403, 403, 403, 403, 403, 403, 403),
    ("retention:lift_restriction", "POST"):    (302, 403, 302, 403, 403, 403, 403, 403, 403, 403),
    ("retention:lift_hold", "POST"):           (302, 403, 302, 403, 403, 403, 403, 403, 403, 403),
    ("retention:overview", "GET"):             (302, 403, 200, 403, 403, 200, 200, 403, 403, 403),
    ("retention:rules", "GET"):                (302, 403, 403, 403, 403, 200, 403, 403, 403, 403),
    ("retention:rules", "POST"):               (302, 403, 403, 403, 403, 302, 403, 403, 403, 403),
}
# fmt: on
