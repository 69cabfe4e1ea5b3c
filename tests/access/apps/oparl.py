"""The OParl 1.1 endpoint (oparl app): public, read-only, the same answer for everyone.

What a Träger marks public is open data: anonymous callers and every signed-in user (of any
Träger) read it alike (200); internal objects do not exist (404) for anyone; a write is refused
(405). The objects here are public objects of Träger A.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from lotse.directory.models import Body
from lotse.governance.models import AgendaItem, Consultation, Document, Meeting, Paper
from tests.access.endpoints import Endpoint, Scope
from tests.access.world import World


def objects(world: World) -> Any:
    cached = getattr(world, "_oparl", None)
    if cached is not None:
        return cached
    traeger = world.traeger_a
    body = Body.objects.create(
        traeger=traeger,
        key="oparl-steuerung",
        name="Steuerungsgremium",
        kind="steering_committee",
        public=True,
    )
    meeting = Meeting.objects.create(
        traeger=traeger,
        body=body,
        title="Sitzung",
        location="Kreishaus",
        public=True,
        ical_uid="oparl-access@test",
        starts_at=timezone.now() - dt.timedelta(days=3),
    )
    internal = Meeting.objects.create(
        traeger=traeger,
        body=body,
        title="Intern",
        ical_uid="oparl-intern@test",
        starts_at=timezone.now() - dt.timedelta(days=2),
    )
    paper = Paper.objects.create(
        traeger=traeger,
        reference="OP-1",
        title="Vorlage",
        body=body,
        problem="p",
        proposal="v",
        public=True,
    )
    item = AgendaItem.objects.create(
        traeger=traeger, meeting=meeting, position=1, title="TOP", paper=paper, public=True
    )
    consultation = Consultation.objects.create(
        traeger=traeger, paper=paper, item=item, role="decision", public=True
    )
    document = Document(
        traeger=traeger,
        meeting=meeting,
        title="Anlage",
        file_name="anlage.pdf",
        mime_type="application/pdf",
        size=4,
        public=True,
    )
    document.file.save("anlage.pdf", ContentFile(b"%PDF"), save=False)
    document.save()
    found = SimpleNamespace(
        body=body,
        meeting=meeting,
        internal=internal,
        paper=paper,
        item=item,
        consultation=consultation,
        document=document,
    )
    world._oparl = found  # type: ignore[attr-defined]
    return found


def _body(world: World) -> dict[str, Any]:
    return {"body": world.traeger_a.slug}


def _of(attribute: str) -> Any:
    return lambda world: {"body": world.traeger_a.slug, "pk": getattr(objects(world), attribute).pk}


def _get(kwargs: Any = None) -> Endpoint:
    if kwargs is None:
        return Endpoint(Scope.PUBLIC, api=False, methods={"GET": None})
    return Endpoint(Scope.PUBLIC, api=False, methods={"GET": None}, kwargs=kwargs)


ENDPOINTS = {
    "oparl:system": Endpoint(Scope.PUBLIC, api=False, methods={"GET": None, "POST": None}),
    "oparl:body-list": _get(),
    "oparl:body": _get(_body),
    "oparl:legislativeterm": _get(_body),
    "oparl:person-list": _get(_body),
    "oparl:organization-list": _get(_body),
    "oparl:organization": _get(_of("body")),
    "oparl:organization-meetings": _get(_of("body")),
    "oparl:meeting-list": _get(_body),
    "oparl:meeting": Endpoint(
        Scope.PUBLIC, api=False, methods={"GET": None, "POST": None}, kwargs=_of("meeting")
    ),
    "oparl:meeting-location": _get(_of("meeting")),
    "oparl:agendaitem-list": _get(_body),
    "oparl:agendaitem": _get(_of("item")),
    "oparl:paper-list": _get(_body),
    "oparl:paper": _get(_of("paper")),
    "oparl:consultation-list": _get(_body),
    "oparl:consultation": _get(_of("consultation")),
    "oparl:file-list": _get(_body),
    "oparl:file": _get(_of("document")),
    "oparl:file-download": _get(_of("document")),
    "oparl:unknown": _get(lambda world: {"rest": "nichts/"}),
}

ALL_200 = (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)
ALL_404 = (404, 404, 404, 404, 404, 404, 404, 404, 404, 404)
ALL_405 = (405, 405, 405, 405, 405, 405, 405, 405, 405, 405)

MATRIX = {(name, "GET"): ALL_200 for name in ENDPOINTS}
MATRIX[("oparl:unknown", "GET")] = ALL_404
MATRIX[("oparl:system", "POST")] = ALL_405
MATRIX[("oparl:meeting", "POST")] = ALL_405
