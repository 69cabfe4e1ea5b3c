"""Invitations to a case conference: an e-mail with an iCalendar part (RFC 5545/5546).

What Outlook (desktop and web) and Thunderbird need to treat the mail as a meeting request:

- the calendar's ``METHOD`` (REQUEST, CANCEL) equals the ``method=`` parameter of the mail's
  ``text/calendar`` part;
- ``ORGANIZER`` and one ``ATTENDEE`` per participant (``mailto:``);
- a stable ``UID`` per conference and a ``SEQUENCE`` counted up with every change, so a change
  or a cancellation replaces the entry in the calendar instead of adding a second one;
- a ``VTIMEZONE`` for Europe/Berlin in the rule form (``RRULE``), which every client reads, with
  the times given in that zone.

The calendar names the case number only: a calendar entry travels further than the case file.
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
from icalendar import (
    Alarm,
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vText,
)

from lotse.conferences.models import Conference, Participant

BERLIN = "Europe/Berlin"
PRODID = "-//Lotse//Fallkonferenz//DE"


def berlin_timezone() -> Timezone:
    """Europe/Berlin with the EU rules since 1996 (last Sunday of March/October)."""
    zone = Timezone()
    zone.add("tzid", BERLIN)
    # The onsets of a VTIMEZONE are local ("floating") times by definition (RFC 5545, 3.6.5).
    standard = TimezoneStandard()
    standard.add("dtstart", dt.datetime(1970, 10, 25, 3, 0, 0))  # noqa: DTZ001
    standard.add("tzoffsetfrom", dt.timedelta(hours=2))
    standard.add("tzoffsetto", dt.timedelta(hours=1))
    standard.add("tzname", "CET")
    standard.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1SU"})
    daylight = TimezoneDaylight()
    daylight.add("dtstart", dt.datetime(1970, 3, 29, 2, 0, 0))  # noqa: DTZ001
    daylight.add("tzoffsetfrom", dt.timedelta(hours=1))
    daylight.add("tzoffsetto", dt.timedelta(hours=2))
    daylight.add("tzname", "CEST")
    daylight.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1SU"})
    zone.add_component(standard)
    zone.add_component(daylight)
    return zone


def _address(email: str, name: str, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = vText(name)
    for key, value in params.items():
        address.params[key.replace("_", "-")] = vText(value)
    return address


def organiser_address(conference: Conference) -> tuple[str, str]:
    organiser = conference.organiser
    if organiser is not None and organiser.email:
        return str(organiser.email), organiser.display_name()
    return str(settings.DEFAULT_FROM_EMAIL), _("Servicestelle")


def participant_url(conference: Conference) -> str:
    base = (getattr(settings, "LOTSE_BASE_URL", "") or "").rstrip("/")
    return f"{base}{reverse('conferences:detail', args=[conference.pk])}"


def ics_for(conference: Conference, participants: list[Participant], *, method: str) -> bytes:
    """The calendar object of one conference for ``method`` REQUEST or CANCEL."""
    if conference.starts_at is None or conference.ends_at is None:
        raise ValueError("a conference without a date has no calendar entry")
    berlin = ZoneInfo(BERLIN)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add_component(berlin_timezone())
    event = Event()
    event.add("uid", conference.ical_uid)
    event.add("sequence", conference.ical_sequence)
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("dtstart", conference.starts_at.astimezone(berlin))
    event.add("dtend", conference.ends_at.astimezone(berlin))
    event.add(
        "summary", _("Case conference %(reference)s") % {"reference": conference.case.reference}
    )
    location = conference.location or conference.video_link
    if location:
        event.add("location", location)
    lines = [
        _("Invitation and confirmation: %(url)s") % {"url": participant_url(conference)},
    ]
    if conference.video_link:
        lines.append(_("Video link: %(url)s") % {"url": conference.video_link})
    event.add("description", "\n".join(lines))
    email, name = organiser_address(conference)
    event.add("organizer", _address(email, name))
    for participant in participants:
        event.add(
            "attendee",
            _address(
                participant.email,
                participant.name,
                role="REQ-PARTICIPANT",
                partstat="NEEDS-ACTION",
                rsvp="TRUE",
            ),
        )
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    if method == "REQUEST":
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", event["summary"])
        alarm.add("trigger", dt.timedelta(days=-1))
        event.add_component(alarm)
    calendar.add_component(event)
    return calendar.to_ical()


def invitation_mail(
    conference: Conference,
    participant: Participant,
    participants: list[Participant],
    *,
    method: str,
) -> EmailMessage:
    """One mail per participant: a short German text and the calendar part with its method."""
    reference = conference.case.reference
    when = (
        timezone.localtime(conference.starts_at).strftime("%d.%m.%Y %H:%M")
        if conference.starts_at
        else ""
    )
    if method == "CANCEL":
        subject = _("Cancelled: case conference %(reference)s") % {"reference": reference}
        body = _(
            "Dear %(name)s,\n\nthe case conference %(reference)s on %(when)s has been cancelled."
        ) % {"name": participant.name, "reference": reference, "when": when}
    else:
        subject = _("Invitation: case conference %(reference)s on %(when)s") % {
            "reference": reference,
            "when": when,
        }
        body = _(
            "Dear %(name)s,\n\nyou are invited to the case conference %(reference)s on %(when)s "
            "(%(place)s). Please confirm your participation here: %(url)s"
        ) % {
            "name": participant.name,
            "reference": reference,
            "when": when,
            "place": conference.location or conference.video_link,
            "url": participant_url(conference),
        }
    email, _name = organiser_address(conference)
    message = EmailMessage(subject=subject, body=body, to=[participant.email], reply_to=[email])
    part = MIMEText(
        ics_for(conference, participants, method=method).decode("utf-8"), "calendar", "utf-8"
    )
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="fallkonferenz.ics")
    message.attach(part)
    return message
