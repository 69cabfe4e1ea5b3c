"""URL classification and permission matrix of the case team pages (lotse.teams).

Team pages of a case follow the case: the post's team (holder, team lead) may change the team,
everyone else of the Träger gets a 404 for the case. Emergency accesses are reviewed by the
team lead (their posts) and the data protection officer (the Träger).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from lotse.accounts.models import Role
from lotse.teams.models import BreakGlassAccess, CaseMembership
from tests.access.endpoints import Endpoint, Scope
from tests.access.world import World
from tests.factories import CaseManagementPostFactory, default_post


def _case(w: World) -> dict[str, int]:
    return {"pk": w.case.pk}


def _membership(w: World) -> dict[str, int]:
    cached: CaseMembership | None = getattr(w, "_membership", None)
    if cached is None:
        cached = CaseMembership.objects.create(
            traeger=w.traeger_a,
            case=w.case,
            user=w.users[Role.TEAM_LEAD],
            reason="Teilhabemanagement Durchstarten",
            added_by=w.case_manager,
        )
        w._membership = cached  # type: ignore[attr-defined]
    return {"pk": w.case.pk, "membership_pk": cached.pk}


def _second_post(w: World) -> Any:
    cached = getattr(w, "_second_post", None)
    if cached is None:
        cached = CaseManagementPostFactory(
            traeger=w.traeger_a, organisation=w.org_a, programme=w.programme, name="Stelle Zwei"
        )
        w._second_post = cached  # type: ignore[attr-defined]
    return cached


def _emergency(w: World) -> dict[str, Any]:
    cached: BreakGlassAccess | None = getattr(w, "_emergency", None)
    if cached is None:
        cached = BreakGlassAccess.objects.create(
            traeger=w.traeger_a,
            case=w.case,
            user=w.users["other_organisation"],
            reason="Dringende Vertretung bei Krankheit",
            expires_at=timezone.now() + dt.timedelta(hours=2),
        )
        w._emergency = cached  # type: ignore[attr-defined]
    return {"access": cached.pk}


def _substitution(w: World) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "post": default_post(w.org_a).pk,
        "substitute": w.users["other_organisation"].pk,  # type: ignore[union-attr]
        "starts_on": today.isoformat(),
        "ends_on": (today + dt.timedelta(days=7)).isoformat(),
        "reason": "Urlaub",
    }


ENDPOINTS = {
    "teams:case_team": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_case,
        methods={
            "GET": None,
            "POST": lambda w: {
                "user": w.users["other_organisation"].pk,
                "reason": "Teilhabemanagement Durchstarten",
            },
        },
    ),
    "teams:membership_remove": Endpoint(
        Scope.OBJECT, api=False, kwargs=_membership, methods={"POST": lambda w: {}}
    ),
    "teams:handover": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_case,
        methods={
            "GET": None,
            "POST": lambda w: {"to_post": _second_post(w).pk, "reason": "Umzug"},
        },
    ),
    "teams:break_glass": Endpoint(
        Scope.TRAEGER,
        api=False,
        methods={
            "GET": None,
            "POST": lambda w: {
                "reference": "2026-777777",
                "reason": "Dringende Vertretung bei Krankheit",
            },
        },
    ),
    "teams:emergency_accesses": Endpoint(
        Scope.TRAEGER, api=False, methods={"GET": None, "POST": _emergency}
    ),
    "teams:substitutions": Endpoint(
        Scope.TRAEGER, api=False, methods={"GET": None, "POST": _substitution}
    ),
}

# fmt: off
#                                                 anon cm   tl   coord part admin dp  none  oth-T oth-O
MATRIX = {
    ("teams:case_team", "GET"):                   (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("teams:case_team", "POST"):                  (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("teams:membership_remove", "POST"):          (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("teams:handover", "GET"):                    (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("teams:handover", "POST"):                   (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("teams:break_glass", "GET"):                 (302, 200, 200, 403, 403, 403, 403, 403, 200, 200),
    ("teams:break_glass", "POST"):                (302, 302, 302, 403, 403, 403, 403, 403, 422, 302),
    ("teams:emergency_accesses", "GET"):          (302, 403, 200, 403, 403, 403, 200, 403, 403, 403),
    ("teams:emergency_accesses", "POST"):         (302, 403, 302, 403, 403, 403, 302, 403, 403, 403),
    ("teams:substitutions", "GET"):               (302, 200, 200, 403, 403, 403, 403, 403, 200, 200),
    ("teams:substitutions", "POST"):              (302, 302, 302, 403, 403, 403, 403, 403, 422, 422),
}
# fmt: on
