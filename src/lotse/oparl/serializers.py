"""OParl 1.1 objects (JSON dicts) from Lotse's published governance rows.

Every object carries ``id`` (its canonical absolute URL), ``type`` (the schema URL), ``created``
and ``modified`` (ISO 8601 with offset) and ``deleted``. A withdrawn object keeps only these.
Links to other objects are set only where the other object is itself live, so that every URL in
a response resolves. Vote counts are a vendor extension (``lotse:votes``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from lotse.core.links import check_base_url
from lotse.directory.models import Body as DirectoryBody
from lotse.governance.models import (
    AgendaItem,
    Consultation,
    Decision,
    Document,
    Meeting,
    MeetingState,
    Paper,
)
from lotse.oparl.publication import is_deleted
from lotse.tenancy.models import Traeger

SCHEMA = "https://schema.oparl.org/1.1/"
EXTENSION = "lotse:"

Json = dict[str, Any]


def stamp(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return timezone.localtime(value).isoformat(timespec="seconds")


class Urls:
    """Absolute URLs of one Träger's OParl objects (``LOTSE_BASE_URL`` if set: stable ids)."""

    def __init__(self, request: HttpRequest, traeger: Traeger | None = None) -> None:
        base = check_base_url(getattr(settings, "LOTSE_BASE_URL", "") or "")
        self.base = base or request.build_absolute_uri("/").rstrip("/")
        self.traeger = traeger
        #: The ids of the Träger's public bodies: links to organizations only where they resolve.
        self.public_bodies: set[int] = set()

    def absolute(self, name: str, **kwargs: Any) -> str:
        return self.base + reverse(f"oparl:{name}", kwargs=kwargs)

    def of(self, name: str, pk: int | None = None) -> str:
        if self.traeger is None:
            raise ValueError("a Träger's URL needs the Träger")
        if pk is None:
            return self.absolute(name, body=self.traeger.slug)
        return self.absolute(name, body=self.traeger.slug, pk=pk)


def _base(urls: Urls, name: str, kind: str, obj: Any) -> Json:
    return {
        "id": urls.of(name, obj.pk),
        "type": SCHEMA + kind,
        "created": stamp(obj.created_at),
        "modified": stamp(obj.updated_at),
        "deleted": False,
    }


def _withdrawn(data: Json) -> Json:
    data["deleted"] = True
    return data


def _clean(data: Json) -> Json:
    """Optional properties without a value are left out (OParl: no ``null`` for absent data)."""
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def system(urls: Urls) -> Json:
    contact = getattr(settings, "LOTSE_OPARL_CONTACT_EMAIL", "") or settings.DEFAULT_FROM_EMAIL
    return _clean(
        {
            "id": urls.absolute("system"),
            "type": SCHEMA + "System",
            "oparlVersion": SCHEMA,
            "body": urls.absolute("body-list"),
            "name": "Lotse – Kommunales Integrationsmanagement",
            "contactEmail": contact,
            "website": urls.base + "/",
            "vendor": getattr(settings, "LOTSE_OPARL_VENDOR", "") or urls.base + "/",
            "product": getattr(settings, "LOTSE_OPARL_PRODUCT", "") or urls.base + "/",
            "deleted": False,
        }
    )


def legislative_term(urls: Urls) -> Json:
    """One term: the funding period of the Kommunales Integrationsmanagement (KIM)."""
    term = getattr(settings, "LOTSE_OPARL_LEGISLATIVE_TERM", {}) or {}
    return _clean(
        {
            "id": urls.of("legislativeterm"),
            "type": SCHEMA + "LegislativeTerm",
            "body": urls.of("body"),
            "name": term.get("name", "Förderphase Kommunales Integrationsmanagement (KIM)"),
            "startDate": term.get("startDate"),
            "endDate": term.get("endDate"),
            "deleted": False,
        }
    )


def body(urls: Urls, traeger: Traeger) -> Json:
    created = stamp(traeger.created_at)
    return _clean(
        {
            "id": urls.of("body"),
            "type": SCHEMA + "Body",
            "system": urls.absolute("system"),
            "name": traeger.name,
            "shortName": traeger.name,
            "classification": traeger.get_kind_display(),
            "organization": urls.of("organization-list"),
            "person": urls.of("person-list"),
            "meeting": urls.of("meeting-list"),
            "paper": urls.of("paper-list"),
            "agendaItem": urls.of("agendaitem-list"),
            "consultation": urls.of("consultation-list"),
            "file": urls.of("file-list"),
            "legislativeTerm": [legislative_term(urls)],
            "created": created,
            "modified": stamp(traeger.config_loaded_at) or created,
            "deleted": False,
        }
    )


def organization(urls: Urls, row: DirectoryBody) -> Json:
    """A public body of the region (Steuerungsgremium, Arbeitskreis, …)."""
    return _clean(
        {
            "id": urls.of("organization", row.pk),
            "type": SCHEMA + "Organization",
            "created": stamp(row.created_at),
            "modified": stamp(row.updated_at),
            "body": urls.of("body"),
            "name": row.name,
            "shortName": row.name,
            "organizationType": "Gremium",
            "classification": row.get_kind_display(),
            "meeting": urls.of("organization-meetings", row.pk),
            "subOrganizationOf": (
                urls.of("organization", row.mandated_by_id)
                if row.mandated_by_id is not None and row.mandated_by_id in urls.public_bodies
                else None
            ),
            "endDate": row.ends_on.isoformat() if row.ends_on else None,
            "deleted": False,
        }
    )


def _votes(decision: Decision) -> Json:
    return {
        "outcome": decision.outcome,
        "yes": decision.votes_yes,
        "no": decision.votes_no,
        "abstain": decision.votes_abstain,
        "unanimous": decision.unanimous,
    }


def file(urls: Urls, doc: Document, *, backlinks: bool = True) -> Json:
    data = _base(urls, "file", "File", doc)
    if is_deleted(doc):
        return _withdrawn(data)
    download = urls.of("file-download", doc.pk)
    data |= {
        "name": doc.title,
        "fileName": doc.file_name,
        "mimeType": doc.mime_type,
        "size": doc.size,
        EXTENSION + "sha256Checksum": doc.sha256,
        "accessUrl": download,
        "downloadUrl": download,
        "date": timezone.localtime(doc.created_at).date().isoformat(),
    }
    if backlinks:
        if doc.meeting_id and doc.meeting and not is_deleted(doc.meeting):
            data["meeting"] = [urls.of("meeting", doc.meeting_id)]
        if doc.item_id and doc.item and not is_deleted(doc.item):
            if not is_deleted(doc.item.meeting):
                data["agendaItem"] = [urls.of("agendaitem", doc.item_id)]
        if doc.paper_id and doc.paper and not is_deleted(doc.paper):
            data["paper"] = [urls.of("paper", doc.paper_id)]
    return _clean(data)


def agenda_item(urls: Urls, item: AgendaItem, *, meeting_live: bool = True) -> Json:
    data = _base(urls, "agendaitem", "AgendaItem", item)
    data["order"] = item.position
    if is_deleted(item) or not meeting_live:
        return _withdrawn(data)
    decisions: list[Decision] = getattr(item, "oparl_decisions", [])
    consultations: list[Consultation] = getattr(item, "oparl_consultations", [])
    documents: list[Document] = getattr(item, "oparl_documents", [])
    decision = decisions[0] if decisions else None
    resolution_files = [d for d in documents if d.kind == Document.Kind.DECISION]
    data |= {
        "meeting": urls.of("meeting", item.meeting_id),
        "number": item.number,
        "name": item.title,
        "public": True,
        "consultation": urls.of("consultation", consultations[0].pk) if consultations else None,
        "result": decision.get_outcome_display() if decision else None,
        "resolutionText": decision.resolution if decision else None,
        "resolutionFile": (
            file(urls, resolution_files[0], backlinks=False) if resolution_files else None
        ),
        "auxiliaryFile": [
            file(urls, d, backlinks=False) for d in documents if d.kind != Document.Kind.DECISION
        ],
    }
    if decision is not None:
        data[EXTENSION + "votes"] = _votes(decision)
    return _clean(data)


def location(urls: Urls, row: Meeting) -> Json:
    """Where a meeting takes place: its location text (a Location of its own, one per meeting)."""
    data: Json = {
        "id": urls.of("meeting-location", row.pk),
        "type": SCHEMA + "Location",
        "created": stamp(row.created_at),
        "modified": stamp(row.updated_at),
        "deleted": False,
    }
    if is_deleted(row):
        return _withdrawn(data)
    data |= {"description": row.location, "meetings": [urls.of("meeting", row.pk)]}
    return _clean(data)


def meeting(urls: Urls, row: Meeting) -> Json:
    data = _base(urls, "meeting", "Meeting", row)
    if is_deleted(row):
        return _withdrawn(data)
    documents: list[Document] = getattr(row, "oparl_documents", [])
    minutes = [d for d in documents if d.kind == Document.Kind.MINUTES]
    items: list[AgendaItem] = getattr(row, "oparl_items", [])
    data |= {
        "name": row.title,
        "meetingState": row.get_state_display(),
        "cancelled": row.state == MeetingState.CANCELLED,
        "start": stamp(row.starts_at),
        "end": stamp(row.ends_at),
        "location": location(urls, row) if row.location else None,
        "organization": (
            [urls.of("organization", row.body_id)] if row.body_id in urls.public_bodies else []
        ),
        "resultsProtocol": file(urls, minutes[0], backlinks=False) if minutes else None,
        "auxiliaryFile": [
            file(urls, d, backlinks=False) for d in documents if d.kind != Document.Kind.MINUTES
        ],
        "agendaItem": [agenda_item(urls, item) for item in items],
    }
    return _clean(data)


def consultation(urls: Urls, row: Consultation, *, with_paper: bool = True) -> Json:
    data = _base(urls, "consultation", "Consultation", row)
    if is_deleted(row):
        return _withdrawn(data)
    item = row.item
    item_live = not is_deleted(item) and not is_deleted(item.meeting)
    meeting_live = not is_deleted(item.meeting)
    data |= {
        "paper": urls.of("paper", row.paper_id) if with_paper else None,
        "agendaItem": urls.of("agendaitem", item.pk) if item_live else None,
        "meeting": urls.of("meeting", item.meeting_id) if meeting_live else None,
        "organization": (
            [urls.of("organization", item.meeting.body_id)]
            if item.meeting.body_id in urls.public_bodies
            else []
        ),
        "authoritative": row.role == Consultation.Role.DECISION,
        "role": row.get_role_display(),
    }
    if row.role == Consultation.Role.DECISION:
        decisions = [
            d for d in getattr(row.paper, "oparl_decisions", []) if d.item_id == row.item_id
        ]
        if decisions:
            data[EXTENSION + "votes"] = _votes(decisions[0])
    return _clean(data)


def paper(urls: Urls, row: Paper) -> Json:
    data = _base(urls, "paper", "Paper", row)
    if is_deleted(row):
        return _withdrawn(data)
    documents: list[Document] = getattr(row, "oparl_documents", [])
    consultations: list[Consultation] = getattr(row, "oparl_consultations", [])
    for item in consultations:  # the decisions are prefetched on the paper already
        item.paper = row
    date = row.submitted_at or row.created_at
    data |= {
        "body": urls.of("body"),
        "name": row.title,
        "reference": row.reference,
        "date": timezone.localtime(date).date().isoformat(),
        "paperType": "Beschlussvorlage",
        "mainFile": file(urls, documents[0], backlinks=False) if documents else None,
        "auxiliaryFile": [file(urls, d, backlinks=False) for d in documents[1:]],
        "underDirectionOf": (
            [urls.of("organization", row.body_id)] if row.body_id in urls.public_bodies else []
        ),
        "consultation": [consultation(urls, c) for c in consultations],
    }
    return _clean(data)
