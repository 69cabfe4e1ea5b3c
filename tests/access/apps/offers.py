"""Offers catalogue and referrals (offers app).

The catalogue is configuration of the Träger: read by case teams, coordination and
administration (also of another organisation of the same Träger), maintained by coordination and
administration. Referrals are case files: only the case team, like the case itself.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from lotse.offers.models import AccessPath, Offer, Referral, ReferralState
from tests.access.endpoints import Endpoint, Scope, _case
from tests.access.world import World


def objects(world: World) -> Any:
    """Träger A's offers and a referral of the world's case, made once per world."""
    cached = getattr(world, "_offers", None)
    if cached is not None:
        return cached
    offer = Offer.objects.create(
        traeger=world.traeger_a,
        key="beratung-alpha",
        kind="counselling",
        title="Beratung Alpha",
        capacity=5,
    )
    path = AccessPath.objects.create(traeger=world.traeger_a, offer=offer, label="Weg Alpha")
    second = Offer.objects.create(
        traeger=world.traeger_a, key="kurs-alpha", kind="integration_course", title="Kurs Alpha"
    )
    referral = Referral.objects.create(
        traeger=world.traeger_a,
        case=world.case,
        offer=offer,
        state=ReferralState.REQUESTED,
        requested_on=dt.date(2026, 11, 1),
        follow_up_on=dt.date(2026, 11, 10),
    )
    world._offers = SimpleNamespace(offer=offer, path=path, second=second, referral=referral)  # type: ignore[attr-defined]
    return world._offers  # type: ignore[attr-defined]


def _offer(world: World) -> dict[str, int]:
    return {"pk": objects(world).offer.pk}


def _path(world: World) -> dict[str, int]:
    found = objects(world)
    return {"pk": found.offer.pk, "path_pk": found.path.pk}


def _referral(world: World) -> dict[str, int]:
    return {"pk": objects(world).referral.pk}


def _offer_form(world: World) -> dict[str, Any]:
    return {"kind": "counselling", "title": "Neue Beratung", "version": 1, "active": "on"}


ENDPOINTS = {
    "offers:list": Endpoint(Scope.TRAEGER, api=False, methods={"GET": None}),
    "offers:create": Endpoint(Scope.TRAEGER, api=False, methods={"GET": None, "POST": _offer_form}),
    "offers:detail": Endpoint(Scope.OBJECT, api=False, kwargs=_offer, methods={"GET": None}),
    "offers:edit": Endpoint(
        Scope.OBJECT, api=False, kwargs=_offer, methods={"GET": None, "POST": _offer_form}
    ),
    "offers:access_path_add": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_offer,
        methods={"POST": lambda w: {"label": "Hauptherkunftsland", "nationalities": "SY, IQ"}},
    ),
    "offers:access_path_delete": Endpoint(
        Scope.OBJECT, api=False, kwargs=_path, methods={"POST": lambda w: {}}
    ),
    "offers:case_referrals": Endpoint(Scope.OBJECT, api=False, kwargs=_case, methods={"GET": None}),
    "offers:referral_create": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_case,
        methods={"GET": None, "POST": lambda w: {"offer": objects(w).second.pk}},
    ),
    "offers:worklist": Endpoint(Scope.TRAEGER, api=False, methods={"GET": None}),
    "offers:referral": Endpoint(Scope.OBJECT, api=False, kwargs=_referral, methods={"GET": None}),
    "offers:referral_transition": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_referral,
        methods={"POST": lambda w: {"to_state": "accepted", "version": 1}},
    ),
    "offers:referral_follow_up": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_referral,
        methods={"POST": lambda w: {"follow_up_on": "2026-12-01", "feedback": "ok", "version": 1}},
    ),
    "api:offer-list": Endpoint(Scope.TRAEGER, api=True, methods={"GET": None}),
    "api:offer-detail": Endpoint(Scope.OBJECT, api=True, kwargs=_offer, methods={"GET": None}),
    "api:case-referrals": Endpoint(
        Scope.OBJECT,
        api=True,
        kwargs=_case,
        methods={"GET": None, "POST": lambda w: {"offer": objects(w).second.pk}},
    ),
    "api:referral-list": Endpoint(Scope.TRAEGER, api=True, methods={"GET": None}),
    "api:referral-detail": Endpoint(
        Scope.OBJECT,
        api=True,
        kwargs=_referral,
        methods={
            "GET": None,
            "PATCH": lambda w: {"follow_up_on": "2026-12-01", "feedback": "ok", "version": 1},
        },
    ),
    "api:referral-transition": Endpoint(
        Scope.OBJECT,
        api=True,
        kwargs=_referral,
        methods={"POST": lambda w: {"to_state": "accepted", "version": 1}},
    ),
}

# fmt: off
#                                               anon cm   tl   coord part admin dp  none  oth-T oth-O
MATRIX = {
    ("offers:list", "GET"):                      (302, 200, 200, 200, 403, 200, 403, 403, 200, 200),
    ("offers:create", "GET"):                    (302, 403, 403, 200, 403, 200, 403, 403, 403, 403),
    ("offers:create", "POST"):                   (302, 403, 403, 302, 403, 302, 403, 403, 403, 403),
    ("offers:detail", "GET"):                    (302, 200, 200, 200, 403, 200, 403, 403, 404, 200),
    ("offers:edit", "GET"):                      (302, 403, 403, 200, 403, 200, 403, 403, 403, 403),
    ("offers:edit", "POST"):                     (302, 403, 403, 302, 403, 302, 403, 403, 403, 403),
    ("offers:access_path_add", "POST"):          (302, 403, 403, 302, 403, 302, 403, 403, 403, 403),
    ("offers:access_path_delete", "POST"):       (302, 403, 403, 302, 403, 302, 403, 403, 403, 403),
    ("offers:case_referrals", "GET"):            (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("offers:referral_create", "GET"):           (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("offers:referral_create", "POST"):          (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("offers:worklist", "GET"):                  (302, 200, 200, 403, 403, 403, 403, 403, 200, 200),
    ("offers:referral", "GET"):                  (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("offers:referral_transition", "POST"):      (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("offers:referral_follow_up", "POST"):       (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("api:offer-list", "GET"):                   (401, 200, 200, 200, 403, 200, 403, 403, 200, 200),
    ("api:offer-detail", "GET"):                 (401, 200, 200, 200, 403, 200, 403, 403, 404, 200),
    ("api:case-referrals", "GET"):               (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("api:case-referrals", "POST"):              (401, 201, 201, 403, 403, 403, 403, 403, 404, 404),
    ("api:referral-list", "GET"):                (401, 200, 200, 403, 403, 403, 403, 403, 200, 200),
    ("api:referral-detail", "GET"):              (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("api:referral-detail", "PATCH"):            (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("api:referral-transition", "POST"):         (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
}
# fmt: on
