"""Case conferences (conferences app).

The case team sees and changes the conferences of its cases (indication, call, agreement); the
Servicestelle (coordination) organises every conference of its Träger (mediation, date,
participants, optimisation needs) without the case file; a partner sees only the conferences its
organisation is invited to (the participant page) and confirms there. Everyone else: 403, or 404
for an object outside their scope.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from lotse.accounts.models import Role
from lotse.conferences.models import (
    Conference,
    ConferenceSettings,
    ConferenceState,
    IndicationCheck,
    OptimisationNeed,
    Participant,
)
from lotse.conferences.models import (
    Scope as ConferenceScope,
)
from tests.access.endpoints import Endpoint, Scope, _case
from tests.access.world import World
from tests.factories import OrganisationFactory, UserFactory


def objects(world: World) -> Any:
    """One conference per state the steps start from, made once per world."""
    cached = getattr(world, "_conferences", None)
    if cached is not None:
        return cached
    traeger = world.traeger_a
    ConferenceSettings.objects.create(
        traeger=traeger,
        initiating_organisations=[world.org_a.key],
        agenda=[{"key": "a", "title": "Begrüßung", "min_minutes": 5, "max_minutes": 5}],
        barrier_categories=[{"key": "sprachbarrieren", "name": "Sprachbarrieren"}],
    )
    check = IndicationCheck.objects.create(
        traeger=traeger,
        case=world.case,
        scope=ConferenceScope.CROSS_MUNICIPAL,
        indicated=True,
        reason="Umzug",
    )
    org_a2 = OrganisationFactory(traeger=traeger, key="servicestelle-alpha")
    moderator = UserFactory(traeger=traeger, organisation=org_a2, roles=[Role.COORDINATION])

    def conference(state: str, **fields: Any) -> Conference:
        return Conference.objects.create(
            traeger=traeger,
            case=world.case,
            indication=check,
            state=state,
            shared_categories=["identity"],
            summary="Familie, Umzug",
            ical_uid=f"{state}@test",
            **fields,
        )

    found = SimpleNamespace(
        moderator=moderator,
        indicated=conference(ConferenceState.INDICATED),
        requested=conference(ConferenceState.REQUESTED),
        mediation=conference(ConferenceState.MEDIATION),
        agreed=conference(ConferenceState.AGREED, initiator=world.org_a, agreed_by=world.org_a),
        held=conference(ConferenceState.HELD, starts_at=timezone.now() - dt.timedelta(days=1)),
        scheduled=conference(
            ConferenceState.SCHEDULED,
            starts_at=timezone.now() + dt.timedelta(days=21),
            location="Raum 1",
        ),
    )
    Participant.objects.create(
        traeger=traeger,
        conference=found.scheduled,
        organisation=world.org_a,
        name="Petra Partner",
        email="partner@example.org",
        role_in_case="Beratung",
    )
    found.evaluating = Participant.objects.create(
        traeger=traeger,
        conference=found.held,
        organisation=world.org_a,
        name="Eva Partner",
        email="eva@example.org",
        role_in_case="Beratung",
        attended=True,
        confidentiality_confirmed=True,
    )
    found.removable = Participant.objects.create(
        traeger=traeger,
        conference=found.agreed,
        organisation=world.org_a,
        name="Paul Partner",
        email="paul@example.org",
        role_in_case="Beratung",
    )
    found.need = OptimisationNeed.objects.create(
        traeger=traeger,
        field_of_action=world.field_of_action,
        category="sprachbarrieren",
        description="Keine Sprachkurse mit Kinderbetreuung",
    )
    world._conferences = found  # type: ignore[attr-defined]
    return found


def _pk(state: str) -> Any:
    return lambda world: {"pk": getattr(objects(world), state).pk}


def _removable(world: World) -> dict[str, int]:
    found = objects(world)
    return {"pk": found.agreed.pk, "participant_pk": found.removable.pk}


def _schedule_form(world: World) -> dict[str, Any]:
    found = objects(world)
    starts = timezone.localtime(timezone.now() + dt.timedelta(days=21))
    return {
        "version": found.agreed.version,
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": 90,
        "location": "Kreishaus, Raum 2",
        "moderator": found.moderator.pk,
    }


ENDPOINTS = {
    "conferences:case": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_case,
        methods={
            "GET": None,
            "POST": lambda w: {"indicated": "0", "reason": "Keine Konferenz nötig"},
        },
    ),
    "conferences:queue": Endpoint(Scope.TRAEGER, api=False, methods={"GET": None}),
    "conferences:detail": Endpoint(
        Scope.OBJECT, api=False, kwargs=_pk("scheduled"), methods={"GET": None}
    ),
    "conferences:request": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_pk("indicated"),
        methods={
            "POST": lambda w: {
                "version": 1,
                "initiator": w.org_a.pk,
                "shared_categories": ["identity"],
                "summary": "Familie mit zwei Kindern, Umzug",
            }
        },
    ),
    "conferences:agree": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_pk("requested"),
        methods={"POST": lambda w: {"version": 1, "organisation": w.org_a.pk, "agreed": "1"}},
    ),
    "conferences:mediate": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_pk("mediation"),
        methods={"POST": lambda w: {"version": 1, "held": "1", "outcome": "Findet statt"}},
    ),
    "conferences:schedule": Endpoint(
        Scope.OBJECT, api=False, kwargs=_pk("agreed"), methods={"POST": _schedule_form}
    ),
    "conferences:participant_add": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_pk("agreed"),
        methods={
            "POST": lambda w: {
                "organisation": w.org_a.pk,
                "name": "Jana Jobcenter",
                "email": "jana@example.org",
                "role_in_case": "Arbeitsvermittlung",
            }
        },
    ),
    "conferences:participant_remove": Endpoint(
        Scope.OBJECT, api=False, kwargs=_removable, methods={"POST": None}
    ),
    "conferences:invite": Endpoint(
        Scope.OBJECT, api=False, kwargs=_pk("scheduled"), methods={"POST": None}
    ),
    "conferences:cancel": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_pk("agreed"),
        methods={"POST": lambda w: {"version": 1, "reason": "Hat sich erledigt"}},
    ),
    "conferences:run": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_pk("scheduled"),
        methods={"GET": None, "POST": lambda w: {}},
    ),
    "conferences:follow_up": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_pk("held"),
        methods={
            "POST": lambda w: {
                "version": 1,
                "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                "channel": "phone",
                "text": "Ergebnisse erklärt",
            }
        },
    ),
    "conferences:agreement_add": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_pk("scheduled"),
        methods={
            "POST": lambda w: {
                "title": "Termin vereinbaren",
                "due_on": (timezone.localdate() + dt.timedelta(days=7)).isoformat(),
                "owner_user": w.case_manager.pk,
            }
        },
    ),
    "conferences:evaluation_add": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_pk("held"),
        methods={
            "POST": lambda w: {
                "participant": objects(w).evaluating.pk,
                "q_moderation": "4",
                "comment": "Gut vorbereitet",
            }
        },
    ),
    "conferences:evaluations": Endpoint(Scope.TRAEGER, api=False, methods={"GET": None}),
    "conferences:confirm": Endpoint(
        Scope.OBJECT, api=False, kwargs=_pk("scheduled"), methods={"POST": None}
    ),
    "conferences:optimisation_needs": Endpoint(
        Scope.TRAEGER,
        api=False,
        methods={
            "GET": None,
            "POST": lambda w: {
                "_settings": bool(objects(w)),
                "field_of_action": w.field_of_action.pk,
                "category": "sprachbarrieren",
                "description": "Keine Sprachkurse mit Kinderbetreuung",
            },
        },
    ),
    "conferences:optimisation_need": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=lambda w: {"pk": objects(w).need.pk},
        methods={"GET": None, "POST": lambda w: {"status": "triaged"}},
    ),
}

# fmt: off
#                                                    anon cm   tl   coord part admin dp  none  oth-T oth-O
MATRIX = {
    ("conferences:case", "GET"):                     (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("conferences:case", "POST"):                    (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("conferences:queue", "GET"):                    (302, 403, 403, 200, 403, 403, 403, 403, 403, 403),
    ("conferences:detail", "GET"):                   (302, 200, 200, 200, 200, 403, 403, 403, 404, 404),
    ("conferences:request", "POST"):                 (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("conferences:agree", "POST"):                   (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("conferences:mediate", "POST"):                 (302, 403, 403, 302, 403, 403, 403, 403, 403, 403),
    ("conferences:schedule", "POST"):                (302, 403, 403, 302, 403, 403, 403, 403, 403, 403),
    ("conferences:participant_add", "POST"):         (302, 403, 403, 302, 403, 403, 403, 403, 403, 403),
    ("conferences:participant_remove", "POST"):      (302, 403, 403, 302, 403, 403, 403, 403, 403, 403),
    ("conferences:invite", "POST"):                  (302, 403, 403, 302, 403, 403, 403, 403, 403, 403),
    ("conferences:cancel", "POST"):                  (302, 302, 302, 302, 403, 403, 403, 403, 404, 404),
    ("conferences:run", "GET"):                      (302, 403, 403, 200, 403, 403, 403, 403, 403, 403),
    ("conferences:run", "POST"):                     (302, 403, 403, 302, 403, 403, 403, 403, 403, 403),
    ("conferences:follow_up", "POST"):               (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("conferences:agreement_add", "POST"):           (302, 403, 403, 302, 403, 403, 403, 403, 403, 403),
    ("conferences:evaluation_add", "POST"):          (302, 403, 403, 302, 403, 403, 403, 403, 403, 403),
    ("conferences:evaluations", "GET"):              (302, 403, 403, 200, 403, 403, 403, 403, 403, 403),
    ("conferences:confirm", "POST"):                 (302, 403, 403, 403, 302, 403, 403, 403, 403, 403),
    ("conferences:optimisation_needs", "GET"):       (302, 403, 403, 200, 403, 403, 403, 403, 403, 403),
    ("conferences:optimisation_needs", "POST"):      (302, 403, 403, 302, 403, 403, 403, 403, 403, 403),
    ("conferences:optimisation_need", "GET"):        (302, 403, 403, 200, 403, 403, 403, 403, 403, 403),
    ("conferences:optimisation_need", "POST"):       (302, 403, 403, 302, 403, 403, 403, 403, 403, 403),
}
# fmt: on
