"""URLs of the Integrationsvereinbarung (agreements app) in the access tables.

The shared world has no agreement, so the URL builders below give Träger A's case an agreed
version 1 and an open draft version 2 (once per world) before any request is made.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from lotse.agreements.models import Agreement, AgreementGoal
from tests.access.endpoints import Endpoint, Scope
from tests.access.world import World


def _goal(world: World, agreement: Agreement, due_on: dt.date) -> None:
    AgreementGoal.objects.create(
        traeger=world.traeger_a,
        agreement=agreement,
        field_of_action=world.field_of_action,
        what="Alpha-Ziel: Sprachkurs A2 abschließen",
        indicator="Zertifikat liegt vor",
        responsible="client",
        due_on=due_on,
    )


def ensure_agreements(world: World) -> None:
    case = world.case
    if Agreement.objects.filter(case=case).exists():
        return
    today = timezone.localdate()
    agreed = Agreement.objects.create(
        traeger=world.traeger_a,
        case=case,
        number=1,
        status=Agreement.Status.AGREED,
        language="ar",
        agreed_on=max(case.opened_on, today - dt.timedelta(days=7)),
        signed_by_client=True,
    )
    _goal(world, agreed, today + dt.timedelta(days=120))
    draft = Agreement.objects.create(
        traeger=world.traeger_a, case=case, number=2, status=Agreement.Status.DRAFT, language="ar"
    )
    _goal(world, draft, today + dt.timedelta(days=120))


def _case(world: World) -> dict[str, int]:
    ensure_agreements(world)
    return {"pk": world.case.pk}


def _version(world: World) -> dict[str, int]:
    ensure_agreements(world)
    return {"pk": world.case.pk, "number": 1}


def _due() -> str:
    return (timezone.localdate() + dt.timedelta(days=60)).isoformat()


def _draft_form(world: World) -> dict[str, Any]:
    return {
        "version": 1,
        "language": "ar",
        "next_review_on": "",
        "notes": "Alpha-Absprache",
        "goals-TOTAL_FORMS": 1,
        "goals-INITIAL_FORMS": 1,
        "goals-MIN_NUM_FORMS": 0,
        "goals-MAX_NUM_FORMS": 30,
        "goals-0-field_of_action": world.field_of_action.pk,
        "goals-0-what": "Beratung zur Anerkennung wahrnehmen",
        "goals-0-indicator": "Termin hat stattgefunden",
        "goals-0-responsible": "client",
        "goals-0-due_on": _due(),
    }


def _draft_json(world: World) -> dict[str, Any]:
    return {
        "version": 1,
        "language": "ar",
        "goals": [
            {
                "field_of_action": world.field_of_action.pk,
                "what": "Beratung zur Anerkennung wahrnehmen",
                "indicator": "Termin hat stattgefunden",
                "responsible": "client",
                "due_on": _due(),
            }
        ],
    }


def _agree(world: World) -> dict[str, Any]:
    return {"version": 1, "agreed_on": timezone.localdate().isoformat(), "signed_by_client": True}


ENDPOINTS: dict[str, Endpoint] = {
    "agreements:detail": Endpoint(Scope.OBJECT, api=False, kwargs=_case, methods={"GET": None}),
    "agreements:start": Endpoint(
        Scope.OBJECT, api=False, kwargs=_case, methods={"POST": lambda w: {}}
    ),
    "agreements:edit": Endpoint(
        Scope.OBJECT, api=False, kwargs=_case, methods={"GET": None, "POST": _draft_form}
    ),
    "agreements:agree": Endpoint(Scope.OBJECT, api=False, kwargs=_case, methods={"POST": _agree}),
    "agreements:discard": Endpoint(
        Scope.OBJECT, api=False, kwargs=_case, methods={"POST": lambda w: {"version": 1}}
    ),
    "agreements:history": Endpoint(Scope.OBJECT, api=False, kwargs=_case, methods={"GET": None}),
    "agreements:version": Endpoint(Scope.OBJECT, api=False, kwargs=_version, methods={"GET": None}),
    "api:case-agreements": Endpoint(
        Scope.OBJECT, api=True, kwargs=_case, methods={"GET": None, "POST": lambda w: {}}
    ),
    "api:case-agreement-draft": Endpoint(
        Scope.OBJECT, api=True, kwargs=_case, methods={"GET": None, "PUT": _draft_json}
    ),
    "api:case-agreement-agree": Endpoint(
        Scope.OBJECT, api=True, kwargs=_case, methods={"POST": _agree}
    ),
    "api:case-agreement-version": Endpoint(
        Scope.OBJECT, api=True, kwargs=_version, methods={"GET": None}
    ),
    "api:case-agreement-pdf": Endpoint(Scope.OBJECT, api=True, kwargs=_case, methods={"GET": None}),
}

# Starting a draft while one is open is refused by the service (HTML: message + redirect,
# API: 400); the rows still prove who reaches the service at all.
# fmt: off
#                                                anon cm   tl   coord part admin dp  none  oth-T oth-O
MATRIX: dict[tuple[str, str], tuple[int, ...]] = {
    ("agreements:detail", "GET"):                 (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("agreements:start", "POST"):                 (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("agreements:edit", "GET"):                   (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("agreements:edit", "POST"):                  (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("agreements:agree", "POST"):                 (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("agreements:discard", "POST"):               (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("agreements:history", "GET"):                (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("agreements:version", "GET"):                (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("api:case-agreements", "GET"):               (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("api:case-agreements", "POST"):              (401, 400, 400, 403, 403, 403, 403, 403, 404, 404),
    ("api:case-agreement-draft", "GET"):          (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("api:case-agreement-draft", "PUT"):          (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("api:case-agreement-agree", "POST"):         (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("api:case-agreement-version", "GET"):        (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("api:case-agreement-pdf", "GET"):            (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
}
# fmt: on
