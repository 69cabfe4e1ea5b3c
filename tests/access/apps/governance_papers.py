"""Beschlussvorlagen, decisions and measures (governance papers) and their portal pages.

The Servicestelle (coordination) works the path from need to measure at /gremienarbeit/;
everyone else gets a 403 there. The portal's decisions and measures are read by every active
user of the Träger (partners included); objects of another Träger are a 404.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from lotse.conferences.models import OptimisationNeed
from lotse.directory.models import Body, Goal, Measure
from lotse.governance.models import (
    AgendaItem,
    Consultation,
    Decision,
    GoalChange,
    Meeting,
    Paper,
    PaperState,
)
from tests.access.endpoints import Endpoint, Scope
from tests.access.world import World


def objects(world: World) -> Any:
    cached = getattr(world, "_papers", None)
    if cached is not None:
        return cached
    t = world.traeger_a
    circle = Body.objects.create(
        traeger=t, key="ak-papiere", name="AK Alpha", kind=Body.Kind.WORKING_CIRCLE
    )
    steering = Body.objects.create(
        traeger=t, key="sg-alpha", name="Steuerung Alpha", kind=Body.Kind.STEERING
    )
    goal = Goal.objects.create(traeger=t, key="alpha-i", code="Alpha I", title="Arbeit")
    need = OptimisationNeed.objects.create(
        traeger=t,
        field_of_action=world.field_of_action,
        category="x",
        description="Kurse fehlen",
        status=OptimisationNeed.Status.ASSIGNED,
        body=circle,
    )

    def meeting(body: Body, days: int) -> Meeting:
        return Meeting.objects.create(
            traeger=t,
            body=body,
            title=f"{body.name} {days}",
            starts_at=timezone.now() + dt.timedelta(days=days),
            ical_uid=f"{body.key}-{days}@test",
        )

    def paper(number: int, state: str) -> Paper:
        created = Paper.objects.create(
            traeger=t,
            reference=f"BV 2026/{number:03d}",
            title="Sprachkurse",
            body=circle,
            goal=goal,
            problem="P",
            proposal="Kurse mit Betreuung",
            state=state,
        )
        created.needs.set([need])
        return created

    def on(paper_: Paper, meeting_: Meeting, role: str) -> Consultation:
        item = AgendaItem.objects.create(
            traeger=t, meeting=meeting_, title=paper_.title, kind="paper", paper=paper_
        )
        return Consultation.objects.create(traeger=t, paper=paper_, item=item, role=role)

    circle_meeting = meeting(circle, 7)
    steering_meeting = meeting(steering, 14)
    found = SimpleNamespace(circle_meeting=circle_meeting, steering_meeting=steering_meeting)
    found.need = need
    found.draft = paper(1, PaperState.DRAFT)
    found.consulted = paper(2, PaperState.CONSULTED)
    found.consultation = on(found.draft, circle_meeting, "consultation")
    found.submitted = paper(3, PaperState.SUBMITTED)
    on(found.submitted, steering_meeting, "decision")
    found.decided = paper(4, PaperState.DECIDED)
    decided_on = on(found.decided, steering_meeting, "decision")
    found.decision = Decision.objects.create(
        traeger=t,
        paper=found.decided,
        item=decided_on.item,
        outcome="adopted",
        unanimous=True,
        decided_on=timezone.localdate(),
        published_at=timezone.now(),
    )
    found.measure = Measure.objects.create(
        traeger=t, key="alpha-m1", goal=goal, text="Kurse", origin="decision"
    )
    GoalChange.objects.create(
        traeger=t, decision=found.decision, kind="measure_created", goal=goal, measure=found.measure
    )
    found.goal = goal
    world._papers = found  # type: ignore[attr-defined]
    return found


def _pk(name: str) -> Any:
    return lambda world: {"pk": getattr(objects(world), name).pk}


ENDPOINTS = {
    "governance:papers": Endpoint(Scope.TRAEGER, api=False, methods={"GET": None}),
    "governance:paper_create": Endpoint(
        Scope.TRAEGER,
        api=False,
        methods={
            "GET": None,
            "POST": lambda w: {
                "body": Body.objects.get(traeger=w.traeger_a, key="ak-papiere").pk
                if objects(w)
                else 0,
                "needs": [objects(w).need.pk],
                "title": "Neue Vorlage",
                "problem": "Problem",
                "proposal": "Maßnahme",
            },
        },
    ),
    "governance:paper": Endpoint(
        Scope.OBJECT, api=False, kwargs=_pk("draft"), methods={"GET": None}
    ),
    "governance:paper_consult": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_pk("consulted"),
        methods={"POST": lambda w: {"beratung-meeting": objects(w).circle_meeting.pk}},
    ),
    "governance:consultation_result": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=lambda w: {"pk": objects(w).draft.pk, "consultation_pk": objects(w).consultation.pk},
        methods={"POST": lambda w: {"ergebnis-result": "Befürwortet"}},
    ),
    "governance:paper_submit": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_pk("consulted"),
        methods={"POST": lambda w: {"vorlage-meeting": objects(w).steering_meeting.pk}},
    ),
    "governance:paper_decide": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_pk("submitted"),
        methods={
            "POST": lambda w: {
                "beschluss-outcome": "adopted",
                "beschluss-unanimous": "on",
                "beschluss-decided_on": timezone.localdate().isoformat(),
            }
        },
    ),
    "governance:decision_measure": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_pk("decided"),
        methods={"POST": lambda w: {"massnahme-goal": objects(w).goal.pk, "massnahme-text": "Neu"}},
    ),
    "governance:measures": Endpoint(Scope.TRAEGER, api=False, methods={"GET": None}),
    "governance:measure": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_pk("measure"),
        methods={
            "GET": None,
            "POST": lambda w: {
                "status": "in_progress",
                "progress": "Läuft",
                "reported_on": timezone.localdate().isoformat(),
            },
        },
    ),
    "governance:need_trace": Endpoint(
        Scope.OBJECT, api=False, kwargs=_pk("need"), methods={"GET": None}
    ),
    "portal:decisions": Endpoint(Scope.TRAEGER, api=False, methods={"GET": None}),
    "portal:decision": Endpoint(
        Scope.OBJECT, api=False, kwargs=_pk("decision"), methods={"GET": None}
    ),
    "portal:measure": Endpoint(
        Scope.OBJECT, api=False, kwargs=_pk("measure"), methods={"GET": None}
    ),
}

_COORD_GET = (302, 403, 403, 200, 403, 403, 403, 403, 403, 403)
_COORD_POST = (302, 403, 403, 302, 403, 403, 403, 403, 403, 403)
# fmt: off
#                                                    anon cm   tl   coord part admin dp  none  oth-T oth-O
MATRIX = {
    ("governance:papers", "GET"):                    _COORD_GET,
    ("governance:paper_create", "GET"):              _COORD_GET,
    ("governance:paper_create", "POST"):             _COORD_POST,
    ("governance:paper", "GET"):                     _COORD_GET,
    ("governance:paper_consult", "POST"):            _COORD_POST,
    ("governance:consultation_result", "POST"):      _COORD_POST,
    ("governance:paper_submit", "POST"):             _COORD_POST,
    ("governance:paper_decide", "POST"):             _COORD_POST,
    ("governance:decision_measure", "POST"):         _COORD_POST,
    ("governance:measures", "GET"):                  _COORD_GET,
    ("governance:measure", "GET"):                   _COORD_GET,
    ("governance:measure", "POST"):                  _COORD_POST,
    ("governance:need_trace", "GET"):                _COORD_GET,
    ("portal:decisions", "GET"):                     (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("portal:decision", "GET"):                      (302, 200, 200, 200, 200, 200, 200, 200, 404, 200),
    ("portal:measure", "GET"):                       (302, 200, 200, 200, 200, 200, 200, 200, 404, 200),
}
# fmt: on
