"""A Träger with public and internal governance rows, and a second Träger with its own."""

from __future__ import annotations

import datetime as dt
import hashlib
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from lotse.directory.models import Body
from lotse.governance.models import (
    AgendaItem,
    Consultation,
    Decision,
    Document,
    Meeting,
    MeetingState,
    Paper,
    PaperState,
)
from tests.factories import TraegerFactory

PDF = b"%PDF-1.4\n% Beschlussvorlage\n"


def body(traeger: Any, key: str, name: str, *, public: bool = True, **fields: Any) -> Body:
    return Body.objects.create(
        traeger=traeger, key=key, name=name, kind=Body.Kind.STEERING, public=public, **fields
    )


def meeting(traeger: Any, gremium: Body, title: str, *, public: bool = True, **fields: Any):
    fields.setdefault("starts_at", timezone.now() - dt.timedelta(days=7))
    return Meeting.objects.create(
        traeger=traeger,
        body=gremium,
        title=title,
        public=public,
        ical_uid=f"{traeger.slug}-{title}@test",
        **fields,
    )


def document(traeger: Any, title: str, *, public: bool = True, **links: Any) -> Document:
    doc = Document(
        traeger=traeger,
        title=title,
        file_name=f"{title}.pdf",
        mime_type="application/pdf",
        size=len(PDF),
        sha256=hashlib.sha256(PDF).hexdigest(),
        public=public,
        **links,
    )
    doc.file.save(f"{title}.pdf", ContentFile(PDF), save=False)
    doc.save()
    return doc


def build(traeger: Any) -> SimpleNamespace:
    steering = body(traeger, "steuerung", "Steuerungsgremium Migration")
    circle = Body.objects.create(
        traeger=traeger,
        key="ak-sprache",
        name="Arbeitskreis Sprache",
        kind=Body.Kind.WORKING_CIRCLE,
        public=True,
        mandated_by=steering,
        ends_on=dt.date(2027, 12, 31),
    )
    internal_body = body(traeger, "qz", "Qualitätszirkel intern", public=False)

    held = meeting(
        traeger,
        steering,
        "3. Sitzung Steuerungsgremium",
        state=MeetingState.MINUTES_APPROVED,
        ends_at=timezone.now() - dt.timedelta(days=7, hours=-2),
        location="Kreishaus, Raum 1",
    )
    internal_meeting = meeting(traeger, steering, "Vorbesprechung intern", public=False)
    cancelled = meeting(traeger, circle, "Arbeitskreis abgesagt", state=MeetingState.CANCELLED)
    withdrawn = meeting(
        traeger, circle, "Zurückgezogene Sitzung", public=False, depublished_at=timezone.now()
    )
    qz_meeting = meeting(traeger, internal_body, "Qualitätszirkel Sitzung", public=False)

    paper = Paper.objects.create(
        traeger=traeger,
        reference="BV-2026-01",
        title="Sprachkurse mit Kinderbetreuung",
        body=circle,
        problem="Problem",
        proposal="Vorschlag",
        state=PaperState.DECIDED,
        public=True,
    )
    internal_paper = Paper.objects.create(
        traeger=traeger,
        reference="BV-2026-02",
        title="Interne Vorlage",
        body=circle,
        problem="Problem",
        proposal="Vorschlag",
    )
    item = AgendaItem.objects.create(
        traeger=traeger,
        meeting=held,
        position=2,
        number="TOP 2",
        title="Beschlussvorlage Sprachkurse",
        kind=AgendaItem.Kind.PAPER,
        paper=paper,
        public=True,
        minutes="Ausführliche interne Niederschrift",
    )
    internal_item = AgendaItem.objects.create(
        traeger=traeger, meeting=held, position=3, number="TOP 3", title="Personalien"
    )
    consultation = Consultation.objects.create(
        traeger=traeger,
        paper=paper,
        item=item,
        role=Consultation.Role.DECISION,
        public=True,
    )
    decision = Decision.objects.create(
        traeger=traeger,
        paper=paper,
        item=item,
        outcome=Decision.Outcome.ADOPTED,
        votes_yes=7,
        votes_no=1,
        votes_abstain=2,
        resolution="Der Kreis richtet zwei Kurse ein.",
        decided_on=dt.date(2026, 11, 30),
        published_at=timezone.now(),
        public=True,
    )
    minutes = document(traeger, "Niederschrift", meeting=held, kind=Document.Kind.MINUTES)
    paper_file = document(traeger, "Vorlage", paper=paper)
    internal_file = document(traeger, "Entwurf", paper=paper, public=False)
    return SimpleNamespace(
        traeger=traeger,
        steering=steering,
        circle=circle,
        internal_body=internal_body,
        held=held,
        internal_meeting=internal_meeting,
        cancelled=cancelled,
        withdrawn=withdrawn,
        qz_meeting=qz_meeting,
        paper=paper,
        internal_paper=internal_paper,
        item=item,
        internal_item=internal_item,
        consultation=consultation,
        decision=decision,
        minutes=minutes,
        paper_file=paper_file,
        internal_file=internal_file,
    )


@pytest.fixture
def published(db: None, settings: Any, tmp_path: Any) -> SimpleNamespace:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.LOTSE_BASE_URL = ""
    a = build(TraegerFactory(slug="kreis-a", name="Kreis A"))
    b = build(TraegerFactory(slug="kreis-b", name="Kreis B"))
    return SimpleNamespace(a=a, b=b)


@pytest.fixture
def anon() -> Client:
    return Client()
