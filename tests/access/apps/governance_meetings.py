"""Bodies and meetings (governance app, /gremienarbeit/).

Only the Servicestelle (coordination) works here: it sees the bodies of its Träger, edits
members and mandates, plans and documents meetings. Everyone else: 403; objects are loaded
inside the user's Träger only (404 otherwise).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lotse.conferences.models import ConferenceSettings
from lotse.directory.models import Body, BodyMembership, ContactPerson
from lotse.governance.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Document,
    Meeting,
    MeetingState,
)
from tests.access.endpoints import Endpoint, Scope
from tests.access.world import World


def objects(world: World) -> Any:
    cached = getattr(world, "_governance_meetings", None)
    if cached is not None:
        return cached
    traeger = world.traeger_a
    ConferenceSettings.objects.get_or_create(
        traeger=traeger,
        defaults={"barrier_categories": [{"key": "sprache", "name": "Sprachbarrieren"}]},
    )
    body = Body.objects.create(
        traeger=traeger, key="ak-alpha", name="AK Alpha", kind=Body.Kind.WORKING_CIRCLE
    )
    contact = ContactPerson.objects.create(
        traeger=traeger,
        key="kontakt-alpha",
        organisation=world.org_a,
        name="Karla Kontakt",
        email="karla@example.org",
    )
    member = BodyMembership.objects.create(
        traeger=traeger,
        key="app-alpha",
        body=body,
        organisation=world.org_a,
        label="Amt Alpha",
        contact=contact,
    )
    start = timezone.now() + dt.timedelta(days=14)

    def meeting(state: str, on: Body = body, **fields: Any) -> Meeting:
        return Meeting.objects.create(
            traeger=traeger,
            body=on,
            title=f"Sitzung {state}",
            starts_at=start,
            state=state,
            ical_uid=f"sitzung-{on.key}-{state}@test",
            **fields,
        )

    planned = meeting(MeetingState.PLANNED)
    held = meeting(MeetingState.HELD)
    Attendance.objects.create(
        traeger=traeger,
        meeting=planned,
        membership=member,
        organisation=world.org_a,
        name="Karla Kontakt",
        email="karla@example.org",
    )
    item = AgendaItem.objects.create(traeger=traeger, meeting=planned, position=1, title="TOP")
    second = AgendaItem.objects.create(traeger=traeger, meeting=planned, position=2, title="Zwei")
    held_item = AgendaItem.objects.create(traeger=traeger, meeting=held, position=1, title="Held")
    action = ActionItem.objects.create(
        traeger=traeger, meeting=held, item=held_item, text="Angebote sammeln"
    )
    document = Document(
        traeger=traeger,
        meeting=planned,
        title="Folien",
        file_name="folien.pdf",
        mime_type="application/pdf",
        size=4,
    )
    document.file.save("folien.pdf", ContentFile(b"%PDF"), save=False)
    document.save()
    quality = Body.objects.create(
        traeger=traeger, key="qz-alpha", name="QZ Alpha", kind=Body.Kind.QUALITY_CIRCLE
    )
    quality_item = AgendaItem.objects.create(
        traeger=traeger, meeting=meeting(MeetingState.PLANNED, quality), title="Auswertung"
    )
    found = SimpleNamespace(
        body=body,
        member=member,
        contact=contact,
        planned=planned,
        held=held,
        item=item,
        second=second,
        action=action,
        document=document,
        quality_item=quality_item,
    )
    world._governance_meetings = found  # type: ignore[attr-defined]
    return found


def _pk(name: str) -> Any:
    return lambda world: {"pk": getattr(objects(world), name).pk}


def _member(world: World) -> dict[str, int]:
    found = objects(world)
    return {"pk": found.body.pk, "member_pk": found.member.pk}


def _starts(days: int = 21) -> str:
    return timezone.localtime(timezone.now() + dt.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


ENDPOINTS = {
    "governance:overview": Endpoint(Scope.TRAEGER, api=False, methods={"GET": None}),
    "governance:body": Endpoint(Scope.OBJECT, api=False, kwargs=_pk("body"), methods={"GET": None}),
    "governance:member_add": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_pk("body"),
        methods={"POST": lambda w: {"organisation": w.org_a.pk, "label": "Neu"}},
    ),
    "governance:member_change": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_member,
        methods={
            "POST": lambda w: {
                f"m{objects(w).member.pk}-organisation": w.org_a.pk,
                f"m{objects(w).member.pk}-label": "Amt Alpha",
                f"m{objects(w).member.pk}-hierarchy_level": "Leitung",
            }
        },
    ),
    "governance:member_remove": Endpoint(
        Scope.OBJECT, api=False, kwargs=_member, methods={"POST": None}
    ),
    "governance:body_mandate": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_pk("body"),
        methods={"POST": lambda w: {"task": "Konzept", "ends_on": "2027-06-30"}},
    ),
    "governance:meeting_create": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_pk("body"),
        methods={"GET": None, "POST": lambda w: {"starts_at": _starts(), "location": "Raum 1"}},
    ),
    "governance:meeting": Endpoint(
        Scope.OBJECT, api=False, kwargs=_pk("planned"), methods={"GET": None}
    ),
    "governance:meeting_change": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_pk("planned"),
        methods={"POST": lambda w: {"title": "Neu", "starts_at": _starts(15)}},
    ),
    "governance:item_add": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_pk("planned"),
        methods={"POST": lambda w: {"title": "Bericht"}},
    ),
    "governance:document_add": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_pk("planned"),
        methods={"POST": lambda w: {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")}},
    ),
    "governance:attendance": Endpoint(
        Scope.OBJECT, api=False, kwargs=_pk("planned"), methods={"POST": lambda w: {}}
    ),
    "governance:meeting_invite": Endpoint(
        Scope.OBJECT, api=False, kwargs=_pk("planned"), methods={"POST": None}
    ),
    "governance:meeting_cancel": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_pk("planned"),
        methods={"POST": lambda w: {"reason": "Ausfall"}},
    ),
    "governance:meeting_held": Endpoint(
        Scope.OBJECT, api=False, kwargs=_pk("planned"), methods={"POST": None}
    ),
    "governance:meeting_approve": Endpoint(
        Scope.OBJECT, api=False, kwargs=_pk("held"), methods={"POST": None}
    ),
    "governance:meeting_ics": Endpoint(
        Scope.OBJECT, api=False, kwargs=_pk("planned"), methods={"GET": None}
    ),
    "governance:document": Endpoint(
        Scope.OBJECT, api=False, kwargs=_pk("document"), methods={"GET": None}
    ),
    "governance:item": Endpoint(Scope.OBJECT, api=False, kwargs=_pk("item"), methods={"GET": None}),
    "governance:item_change": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_pk("item"),
        methods={"POST": lambda w: {"title": "Geändert", "presenter": "SST"}},
    ),
    "governance:item_minutes": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_pk("item"),
        methods={"POST": lambda w: {"minutes": "Besprochen."}},
    ),
    "governance:item_move": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_pk("second"),
        methods={"POST": lambda w: {"direction": "up"}},
    ),
    "governance:item_remove": Endpoint(
        Scope.OBJECT, api=False, kwargs=_pk("second"), methods={"POST": None}
    ),
    "governance:action_item_add": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_pk("item"),
        methods={"POST": lambda w: {"text": "Prüfen", "due_on": "2027-01-15"}},
    ),
    "governance:action_item_status": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_pk("action"),
        methods={"POST": lambda w: {"status": "done"}},
    ),
    "governance:quality_need_add": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_pk("quality_item"),
        methods={
            "POST": lambda w: {
                "field_of_action": w.field_of_action.pk,
                "category": "sprache",
                "description": "Kein Kurs mit Kinderbetreuung",
            }
        },
    ),
}

_COORD_GET = (302, 403, 403, 200, 403, 403, 403, 403, 403, 403)
_COORD_POST = (302, 403, 403, 302, 403, 403, 403, 403, 403, 403)

# Columns: anon cm tl coord part admin dp none oth-T oth-O
# fmt: off
MATRIX: dict[tuple[str, str], tuple[int, ...]] = {
    (name, method): _COORD_GET if method == "GET" else _COORD_POST
    for name, endpoint in ENDPOINTS.items()
    for method in endpoint.methods
}
# fmt: on
