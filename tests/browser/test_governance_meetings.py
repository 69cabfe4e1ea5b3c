"""A body's meeting in the browser (issue 13): the Servicestelle plans, invites, documents.

The coordinator opens Gremienarbeit, plans a meeting of the AK Arbeit, adds an agenda item,
sends the invitations (the calendar part is parsed), records attendance, minutes and an action
item, records the meeting as held and approves the minutes. Every page axe-clean; the item is
added and the minutes are entered with the keyboard only.
"""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from lotse.accounts.models import Role
from lotse.directory.models import Organisation
from lotse.governance.models import ActionItem, Document, Meeting, MeetingState
from tests.browser.conftest import assert_accessible, login
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def lippe_coordinator(transactional_db):
    from lotse.directory.config import config_load
    from tests.directory.conftest import KREIS_LIPPE

    config_load(path=KREIS_LIPPE)
    servicestelle = Organisation.objects.get(traeger__slug="kreis-lippe", key="servicestelle")
    user = UserFactory(
        username="sst-browser",
        traeger=servicestelle.traeger,
        organisation=servicestelle,
        roles=[Role.COORDINATION],
    )
    user.set_password("demo-passwort-lang")
    user.save()
    return user


def _click(page, name: str, *, role: str = "button") -> None:
    with page.expect_navigation():
        page.get_by_role(role, name=name, exact=True).first.click()


def test_coordinator_runs_a_meeting(page, live_server, lippe_coordinator):
    base = live_server.url
    mail.outbox.clear()
    login(page, live_server, "sst-browser", "demo-passwort-lang")
    with page.expect_navigation():
        page.get_by_role("link", name="Gremienarbeit", exact=True).click()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="AK Arbeit, Ausbildung und Beschäftigung").click()
    assert_accessible(page)
    assert "Kerstin Meier" in page.locator("main").inner_text()
    _click(page, "Sitzung planen", role="link")
    assert_accessible(page)
    starts = timezone.localtime() + dt.timedelta(days=14)
    form = page.locator("form#sitzung")
    form.get_by_label("Beginn").fill(starts.strftime("%Y-%m-%dT14:00"))
    form.get_by_label("Ort").fill("Jobcenter Lippe, Raum 3")
    _click(page, "Sitzung anlegen")
    assert_accessible(page)
    meeting = Meeting.objects.get()
    assert meeting.title.startswith("AK Arbeit, Ausbildung und Beschäftigung – Sitzung am ")

    # The agenda item with the keyboard only: focus the title, type, Enter submits.
    form = page.locator("form#top-neu")
    form.get_by_label("Titel").focus()
    page.keyboard.type("Sprachkurse mit Kinderbetreuung")
    page.keyboard.press("Tab")
    page.keyboard.type("Servicestelle")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)
    assert "Sprachkurse mit Kinderbetreuung" in page.locator("main table").first.inner_text()

    _click(page, "Einladungen versenden")
    assert_accessible(page)
    assert mail.outbox, "no invitation sent"
    calendar = icalendar.Calendar.from_ical(
        mail.outbox[0].attachments[0].get_payload(decode=True).decode()
    )
    assert str(calendar["method"]) == "REQUEST"

    form = page.locator("form#anwesenheit")
    form.locator("select").first.select_option("present")
    with page.expect_navigation():
        form.get_by_role("button", name="Anwesenheit speichern").click()
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("link", name="Sprachkurse mit Kinderbetreuung").click()
    assert_accessible(page)
    form = page.locator("form#protokoll")
    form.get_by_label("Protokoll").focus()
    page.keyboard.type("Es fehlen Kurse mit Kinderbetreuung.")
    with page.expect_navigation():
        form.get_by_role("button", name="Protokoll speichern").press("Enter")
    form = page.locator("form#aufgabe")
    form.get_by_label("Offener Punkt").fill("Bedarf je Kommune erheben")
    form.get_by_label("Verantwortliche Organisation").select_option(label="Jobcenter Lippe")
    with page.expect_navigation():
        form.get_by_role("button", name="Offenen Punkt erfassen").click()
    assert_accessible(page)

    page.goto(f"{base}/gremienarbeit/sitzungen/{meeting.pk}/")
    _click(page, "Sitzung als stattgefunden erfassen")
    _click(page, "Protokoll genehmigen")
    assert_accessible(page)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.MINUTES_APPROVED
    assert ActionItem.objects.get().text == "Bedarf je Kommune erheben"
    assert Document.objects.filter(meeting=meeting, kind=Document.Kind.MINUTES).exists()
    assert "Protokoll" in page.locator("main").inner_text()
