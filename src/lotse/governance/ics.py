"""Invitations to a body's meeting: an e-mail with an iCalendar part (RFC 5545/5546).

The same rules as for case conferences (``lotse.conferences.invitations``, whose VTIMEZONE and
address helpers are reused): METHOD REQUEST or CANCEL in the calendar and in the mail part, a
stable UID per meeting (``Meeting.ical_uid``), SEQUENCE counted up with every change sent.
"""

from __future__ import annotations

import datetime as dt
from email.mime.text import MIMEText
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from lotse.conferences.invitations import BERLIN, _address, berlin_timezone
from lotse.governance.models import Attendance, Meeting

PRODID = "-//Lotse//Gremiensitzung//DE"


def meeting_url(meeting: Meeting) -> str:
    base = (getattr(settings, "LOTSE_BASE_URL", "") or "").rstrip("/")
    return f"{base}{reverse('governance:meeting', args=[meeting.pk])}"


def meeting_end(meeting: Meeting) -> dt.datetime:
    return meeting.ends_at or meeting.starts_at + dt.timedelta(hours=2)


def ics_for_meeting(meeting: Meeting, attendees: list[Attendance], *, method: str) -> bytes:
    berlin = ZoneInfo(BERLIN)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add_component(berlin_timezone())
    event = Event()
    event.add("uid", meeting.ical_uid)
    event.add("sequence", meeting.ical_sequence)
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("dtstart", meeting.starts_at.astimezone(berlin))
    event.add("dtend", meeting_end(meeting).astimezone(berlin))
    event.add("summary", meeting.title)
    location = meeting.location or meeting.video_link
    if location:
        event.add("location", location)
    lines = [_("Agenda and documents: %(url)s") % {"url": meeting_url(meeting)}]
    if meeting.video_link:
        lines.append(_("Video link: %(url)s") % {"url": meeting.video_link})
    event.add("description", "\n".join(lines))
    event.add("organizer", _address(str(settings.DEFAULT_FROM_EMAIL), _("Servicestelle")))
    for row in attendees:
        if row.email:
            event.add(
                "attendee",
                _address(
                    row.email,
                    row.name or str(row.organisation or row.email),
                    role="REQ-PARTICIPANT",
                    partstat="NEEDS-ACTION",
                    rsvp="TRUE",
                ),
            )
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical()


def meeting_mail(
    meeting: Meeting, row: Attendance, everyone: list[Attendance], *, method: str
) -> EmailMessage:
    when = timezone.localtime(meeting.starts_at).strftime("%d.%m.%Y %H:%M")
    name = row.name or str(row.organisation or "")
    if method == "CANCEL":
        subject = _("Cancelled: %(title)s") % {"title": meeting.title}
        body = _("Dear %(name)s,\n\nthe meeting “%(title)s” on %(when)s has been cancelled.") % {
            "name": name,
            "title": meeting.title,
            "when": when,
        }
    else:
        subject = _("Invitation: %(title)s") % {"title": meeting.title}
        body = _(
            "Dear %(name)s,\n\nyou are invited to the meeting “%(title)s” on %(when)s "
            "(%(place)s). Agenda and documents: %(url)s"
        ) % {
            "name": name,
            "title": meeting.title,
            "when": when,
            "place": meeting.location or meeting.video_link,
            "url": meeting_url(meeting),
        }
    message = EmailMessage(subject=subject, body=body, to=[row.email])
    part = MIMEText(
        ics_for_meeting(meeting, everyone, method=method).decode("utf-8"), "calendar", "utf-8"
    )
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="sitzung.ics")
    message.attach(part)
    return message


def send_meeting_mails(meeting: Meeting, rows: list[Attendance], *, method: str) -> None:
    for row in rows:
        meeting_mail(meeting, row, rows, method=method).send()
