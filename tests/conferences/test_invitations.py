"""Invitations: the e-mail's calendar part as Outlook and Thunderbird need it (RFC 5545/5546).

Parsed three times: with the icalendar library, with vobject, and with a strict line-level reading of RFC 5545
written here (CRLF line ends, folding at 75 octets, balanced BEGIN/END, one METHOD), so that a
mistake of the library does not hide a mistake of ours.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from lotse.conferences import services
from lotse.conferences.models import ConferenceState
from tests.conferences.test_services import _called
from tests.factories import grant_consent

icalendar = pytest.importorskip("icalendar")
vobject = pytest.importorskip("vobject")


def calendar_part(message) -> tuple[str, bytes]:
    for part in message.message().walk():
        if part.get_content_type() == "text/calendar":
            return part.get_param("method"), part.get_payload(decode=True)
    raise AssertionError("no text/calendar part")


def strict_lines(data: bytes) -> list[str]:
    """Unfold an iCalendar stream after checking the RFC 5545 line rules; content lines."""
    assert data.endswith(b"\r\n")
    raw = data.split(b"\r\n")[:-1]
    for line in raw:
        assert b"\n" not in line and b"\r" not in line, "bare line break"
        assert len(line) <= 75, f"line longer than 75 octets: {line[:40]!r}"
    unfolded: list[str] = []
    for line in raw:
        text = line.decode("utf-8")
        if text.startswith((" ", "\t")):
            unfolded[-1] += text[1:]
        else:
            assert re.match(r"^[A-Z][A-Z0-9-]*[;:]", text), f"not a content line: {text!r}"
            unfolded.append(text)
    stack: list[str] = []
    for line in unfolded:
        if line.startswith("BEGIN:"):
            stack.append(line[6:])
        elif line.startswith("END:"):
            assert stack.pop() == line[4:], "unbalanced BEGIN/END"
    assert not stack
    return unfolded


def props(lines: list[str], name: str) -> list[str]:
    return [line for line in lines if re.match(rf"^{name}[;:]", line)]


@pytest.fixture
def scheduled(
    assessed_case, case_manager, coordinator, detmold, lemgo, jobcenter, abh, conference_settings
):
    coordinator.email = "koordination@kreis-lippe.example"
    coordinator.save(update_fields=["email"])
    conference = _called(assessed_case, case_manager, [detmold, lemgo], jobcenter)
    starts = timezone.now() + dt.timedelta(days=21)
    services.conference_schedule(
        actor=coordinator,
        conference=conference,
        expected_version=conference.version,
        starts_at=starts,
        duration_minutes=90,
        location="Kreishaus Detmold, Raum 2.14",
        video_link="",
        moderator=coordinator,
    )
    grant_consent(
        assessed_case.person,
        jobcenter,
        categories=("identity", "education_work"),
        purposes=("fallkonferenz",),
    )
    for organisation, name, email in [
        (jobcenter, "Kerstin Meier", "k.meier@jobcenter.example"),
        (abh, "Elena Petrović", "e.petrovic@abh.example"),
    ]:
        services.participant_add(
            actor=coordinator,
            conference=conference,
            organisation=organisation,
            name=name,
            email=email,
            role_in_case="Fachstelle",
        )
    return conference


@pytest.mark.django_db
def test_invitations_carry_a_request_that_both_parsers_accept(
    scheduled, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.conference_invite(actor=coordinator, conference=scheduled)
    assert len(mail.outbox) == 2
    message = mail.outbox[0]
    method, data = calendar_part(message)
    assert method == "REQUEST"

    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["METHOD"]) == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]) == scheduled.ical_uid
    assert int(event["SEQUENCE"]) == 0
    assert str(event["ORGANIZER"]) == "mailto:koordination@kreis-lippe.example"
    attendees = {str(a) for a in event["ATTENDEE"]}
    assert attendees == {"mailto:k.meier@jobcenter.example", "mailto:e.petrovic@abh.example"}
    assert event.decoded("DTSTART") == scheduled.starts_at.replace(microsecond=0)
    assert scheduled.case.person.last_name not in data.decode()

    lines = strict_lines(data)
    assert props(lines, "METHOD") == ["METHOD:REQUEST"]
    event_start = [line for line in props(lines, "DTSTART") if "TZID" in line]
    assert len(event_start) == 1
    assert event_start[0].startswith("DTSTART;TZID=Europe/Berlin:")
    rrules = props(lines, "RRULE")
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in rrules
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" in rrules
    assert any(line.startswith("TZID:Europe/Berlin") for line in lines)
    assert len(props(lines, "ATTENDEE")) == 2
    assert all("mailto:" in line for line in props(lines, "ATTENDEE"))

    # A second, independent parser (vobject, as used by CalDAV servers such as Radicale)
    parsed = vobject.readOne(data.decode("utf-8"), validate=True)
    assert parsed.method.value == "REQUEST"
    assert parsed.vevent.uid.value == scheduled.ical_uid
    assert parsed.vevent.sequence.value == "0"
    assert parsed.vevent.dtstart.value == scheduled.starts_at.replace(microsecond=0)
    assert str(parsed.vevent.dtstart.value.tzinfo) != "UTC"  # the event keeps its VTIMEZONE
    assert {a.value for a in parsed.vevent.attendee_list} == {
        "mailto:k.meier@jobcenter.example",
        "mailto:e.petrovic@abh.example",
    }
    assert parsed.vtimezone.tzid.value == "Europe/Berlin"


@pytest.mark.django_db
def test_the_gate_is_journaled_when_the_invitations_go_out(scheduled, coordinator, jobcenter):
    services.conference_invite(actor=coordinator, conference=scheduled)
    with_data = scheduled.participants.get(organisation=jobcenter)
    without = scheduled.participants.exclude(organisation=jobcenter).get()
    assert with_data.transfer is not None
    assert without.transfer is None and without.invited_at is not None


@pytest.mark.django_db
def test_a_change_and_a_cancellation_keep_the_uid_and_count_up(
    scheduled, coordinator, django_capture_on_commit_callbacks
):
    services.conference_invite(actor=coordinator, conference=scheduled)
    services.conference_schedule(
        actor=coordinator,
        conference=scheduled,
        expected_version=scheduled.version,
        starts_at=scheduled.starts_at + dt.timedelta(days=1),
        duration_minutes=90,
        location="Kreishaus Detmold, Raum 2.14",
        video_link="",
        moderator=coordinator,
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.conference_cancel(
            actor=coordinator,
            conference=scheduled,
            expected_version=scheduled.version,
            reason="Die Familie ist verzogen.",
        )
    assert scheduled.state == ConferenceState.CANCELLED
    method, data = calendar_part(mail.outbox[0])
    assert method == "CANCEL"
    lines = strict_lines(data)
    assert props(lines, "METHOD") == ["METHOD:CANCEL"]
    assert props(lines, "UID") == [f"UID:{scheduled.ical_uid}"]
    assert props(lines, "SEQUENCE") == ["SEQUENCE:2"]
    assert props(lines, "STATUS") == ["STATUS:CANCELLED"]
    cancelled = vobject.readOne(data.decode("utf-8"), validate=True)
    assert cancelled.method.value == "CANCEL"
    assert cancelled.vevent.uid.value == scheduled.ical_uid
    assert cancelled.vevent.sequence.value == "2"
