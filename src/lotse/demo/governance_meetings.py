"""Meetings of the demo region's bodies, with agenda, attendance, minutes and action items.

Through the services (as a user would): a held Steuerungsgremium meeting with approved minutes,
a held AK Arbeit meeting with an open action item, the next AK Arbeit meeting (which carries
that item automatically), the next Steuerungsgremium meeting and a Qualitätszirkel meeting.
The members' contact persons come from the configuration (``members[].contact``).

Idempotent: only while the Träger has no meeting at all. The conference's optimisation needs
are not touched (the journey of issue 13 starts from them).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from lotse.accounts.models import User
from lotse.directory.models import Body, Organisation
from lotse.governance import meetings as services
from lotse.governance.models import Attendance, Meeting

BERLIN = ZoneInfo("Europe/Berlin")


def _at(days: int, hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=BERLIN)


def _present(actor: User, meeting: Meeting) -> None:
    rows: dict[int, tuple[str, str]] = {
        row.pk: (Attendance.Status.PRESENT if index % 4 else Attendance.Status.EXCUSED, "")
        for index, row in enumerate(meeting.attendance.order_by("id"), start=1)
    }
    services.attendance_record(actor=actor, meeting=meeting, rows=rows)


@transaction.atomic
def demo_meetings(*, traeger_slug: str = "kreis-lippe") -> list[str]:
    actor = User.objects.filter(traeger__slug=traeger_slug, username="coordinator").first()
    if actor is None or actor.traeger_id is None:
        return []
    traeger_id = actor.traeger_id
    if Meeting.objects.filter(traeger_id=traeger_id).exists():
        return []
    bodies = {
        b.key: b
        for b in Body.objects.filter(
            traeger_id=traeger_id, key__in=["steuerungsgremium", "ak-arbeit", "qualitaetszirkel"]
        )
    }
    steering, circle = bodies.get("steuerungsgremium"), bodies.get("ak-arbeit")
    quality = bodies.get("qualitaetszirkel")
    if steering is None or circle is None:
        return []
    jobcenter = Organisation.objects.filter(traeger_id=traeger_id, key="jobcenter-lippe").first()

    past = services.meeting_create(
        actor=actor,
        body=steering,
        starts_at=_at(-42, 10),
        ends_at=_at(-42, 12),
        location="Kreishaus Detmold, Sitzungssaal",
        public=True,
    )
    report = services.item_add(
        actor=actor, meeting=past, title="Bericht der Servicestelle", public=True
    )
    services.item_minutes(
        actor=actor,
        item=report,
        minutes="Die Servicestelle berichtet über die Fallkonferenzen des Quartals.",
    )
    services.item_add(actor=actor, meeting=past, title="Verschiedenes")
    _present(actor, past)
    services.meeting_mark_held(actor=actor, meeting=past)
    services.meeting_approve_minutes(actor=actor, meeting=past)

    held = services.meeting_create(
        actor=actor,
        body=circle,
        starts_at=_at(-21, 14),
        ends_at=_at(-21, 16),
        location="Jobcenter Lippe, Raum 3",
    )
    language = services.item_add(
        actor=actor, meeting=held, title="Sprachkurse mit Kinderbetreuung", public=True
    )
    services.item_minutes(
        actor=actor,
        item=language,
        minutes="Es fehlen Kurse mit paralleler Kinderbetreuung; Bedarf wird erhoben.",
    )
    services.action_item_add(
        actor=actor,
        item=language,
        text="Bedarf an Sprachkursen mit Kinderbetreuung je Kommune erheben",
        responsible_organisation=jobcenter,
        due_on=timezone.localdate() + dt.timedelta(days=14),
    )
    _present(actor, held)
    services.meeting_mark_held(actor=actor, meeting=held)

    upcoming = services.meeting_create(
        actor=actor,
        body=circle,
        starts_at=_at(21, 14),
        ends_at=_at(21, 16),
        location="Jobcenter Lippe, Raum 3",
    )
    services.item_add(actor=actor, meeting=upcoming, title="Ausbildung in der Pflege")
    next_steering = services.meeting_create(
        actor=actor,
        body=steering,
        starts_at=_at(35, 10),
        ends_at=_at(35, 12),
        location="Kreishaus Detmold, Sitzungssaal",
        public=True,
    )
    services.item_add(
        actor=actor, meeting=next_steering, title="Bericht der Servicestelle", public=True
    )
    lines = [
        f"Sitzungen: {past.title} (Protokoll genehmigt), {held.title} (1 offener Punkt), "
        f"{upcoming.title}, {next_steering.title}"
    ]
    if quality is not None:
        circle_meeting = services.meeting_create(
            actor=actor, body=quality, starts_at=_at(7, 9), ends_at=_at(7, 11)
        )
        services.item_add(
            actor=actor, meeting=circle_meeting, title="Auswertung der Fallkonferenzen"
        )
        lines.append(f"Qualitätszirkel: {circle_meeting.title}")
    return lines
