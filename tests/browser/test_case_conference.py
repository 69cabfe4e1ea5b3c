"""A case conference in the browser (issue 12, "Done means"), on the demo data.

The case manager records the Jobcenter's call for a case across Detmold and Lemgo; the
coordinator schedules it three weeks ahead with the Jobcenter, the Jugendamt and the
Ausländerbehörde (no consent: invited without case data, the reason shown) and sends the
invitations, whose calendar files are parsed; the neutral moderator runs the agenda, records the
minutes, three binding agreements that appear on the right worklists, two optimisation needs
and two anonymous evaluation sheets;
the case manager records the follow-up conversation. Every page axe-clean; forms filled with
the keyboard where practical.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.utils import timezone

from lotse.accounts.models import User
from lotse.cases.models import Case, Phase
from lotse.consent.models import Consent, Purpose
from lotse.consent.services import consent_record
from lotse.consent.texts import CONSENT_TEXT_VERSION
from lotse.directory.models import Organisation
from tests.browser.conftest import assert_accessible, login

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_case(transactional_db, settings):
    from django.core.management import call_command

    settings.DEMO = True  # demo accounts skip the second factor only in demo mode
    call_command("loaddemo", size=6, stdout=StringIO())
    manager = User.objects.get(username="casemanager")
    case = (
        Case.objects.filter(case_manager=manager)
        .exclude(phase__in=[Phase.INTAKE, Phase.CLOSED])
        .exclude(conferences__isnull=False)
        .order_by("id")
        .first()
    ) or (
        Case.objects.filter(case_manager=manager)
        .exclude(phase__in=[Phase.INTAKE, Phase.CLOSED])
        .order_by("-id")
        .first()
    )
    assert case is not None
    orgs = {o.key: o for o in Organisation.objects.filter(traeger=case.traeger)}
    today = timezone.localdate()
    # The client signed the release for the Jobcenter and the Jugendamt, not for the ABH.
    consent_record(
        actor=manager,
        person=case.person,
        recipients=[orgs["jobcenter-lippe"], orgs["jugendamt-kreis-lippe"]],
        categories=["identity", "education_work"],
        purpose="Fallkonferenz zu Arbeit, Sprache und Kinderbetreuung",
        purposes=list(Purpose.objects.filter(traeger=case.traeger, key="fallkonferenz")),
        form=Consent.Form.WRITTEN,
        attest_signed_paper=True,
        valid_from=today - dt.timedelta(days=2),
        valid_until=today + dt.timedelta(days=180),
        text_version=CONSENT_TEXT_VERSION,
    )
    return case


def _submit(page, form: str, button: str) -> None:
    with page.expect_navigation():
        page.locator(f"form#{form}").get_by_role("button", name=button).click()


def _logout(page, live_server) -> None:
    page.context.clear_cookies()


@pytest.mark.slow
def test_a_case_conference_from_the_call_to_the_follow_up(page, live_server, demo_case):
    case = demo_case
    base = live_server.url
    mail.outbox.clear()

    # 1. The case manager opens the case and checks the indication.
    login(page, live_server, "casemanager", "demo")
    page.goto(f"{base}/faelle/{case.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Fallkonferenzen", exact=True).click()
    assert_accessible(page)
    form = page.locator("form#indikation")
    for name in ("Detmold", "Lemgo"):
        form.get_by_label(name, exact=True).check()
    for name in ("Jobcenter Lippe", "Jugendamt Kreis Lippe"):
        form.get_by_label(name, exact=False).first.check()
    form.get_by_label("ja", exact=True).check()
    form.get_by_label("Begründung").fill(
        "Umzug nach Lemgo; Jobcenter, Jugendamt und Ausländerbehörde beteiligt."
    )
    _submit(page, "indikation", "Prüfung speichern")
    assert "/fallkonferenzen/" in page.url
    assert_accessible(page)

    # 2. The Jobcenter calls it (entitled): the case manager records the call.
    form = page.locator("form#einberufung")
    form.get_by_label("Einberufende bzw. anfragende Stelle").select_option(label="Jobcenter Lippe")
    form.get_by_label("Identität").check()
    form.get_by_label("Bildung und Arbeit").check()
    form.get_by_label("anonymisierte Fallzusammenfassung").fill(
        "Alleinerziehend, Umzug von Detmold nach Lemgo, Sprachkurs abgebrochen."
    )
    _submit(page, "einberufung", "Einberufung speichern")
    assert_accessible(page)
    assert "vereinbart" in page.locator("main dl").inner_text()
    conference_url = page.url
    _logout(page, live_server)

    # 3. The coordinator schedules it three weeks ahead with the neutral moderator.
    login(page, live_server, "coordinator", "demo")
    page.goto(f"{base}/fallkonferenzen/")
    assert_accessible(page)
    page.goto(conference_url)
    starts = timezone.localtime() + dt.timedelta(days=21)
    form = page.locator("form#termin")
    form.get_by_label("Datum und Uhrzeit").fill(starts.strftime("%Y-%m-%dT10:00"))
    form.get_by_label("Raum", exact=True).fill("Kreishaus Detmold, Raum 2.14")
    moderator = User.objects.get(username="moderator")
    form.get_by_label("Moderation").select_option(value=str(moderator.pk))
    _submit(page, "termin", "Termin speichern")
    assert_accessible(page)
    assert "terminiert" in page.locator("main dl").inner_text()

    people = [
        ("Jobcenter Lippe", "Frau Demir", "demir@jobcenter.invalid", "Fallmanagement"),
        ("Jugendamt Kreis Lippe", "Herr Vogt", "vogt@jugendamt.invalid", "Erziehungshilfe"),
        ("ABH Stadt Detmold", "Frau Kaya", "kaya@abh.invalid", "Aufenthalt"),
    ]
    for organisation, name, email, role in people:
        form = page.locator("form#teilnehmende")
        select = form.get_by_label("Organisation")
        option = select.locator("option", has_text=organisation).first
        select.select_option(value=option.get_attribute("value"))
        form.locator("[name=name]").fill(name)
        form.get_by_label("E-Mail").fill(email)
        form.get_by_label("Rolle im Fall").fill(role)
        _submit(page, "teilnehmende", "Teilnehmende Person eintragen")
    assert_accessible(page)
    rows = page.locator("main table tbody tr")
    kaya = rows.filter(has_text="Frau Kaya").inner_text()
    assert "ohne Falldaten" in kaya
    assert len(kaya.split("\n")) > 2, "the reason why is shown"
    assert "mit Falldaten" in rows.filter(has_text="Herr Vogt").inner_text()

    with page.expect_navigation():
        page.get_by_role("button", name="Einladungen senden").click()
    assert_accessible(page)

    # 4. The invitations carry a calendar entry that parses (METHOD, UID, SEQUENCE, VTIMEZONE).
    import icalendar

    invitations = [m for m in mail.outbox if m.to and m.to[0].endswith(".invalid")]
    assert {m.to[0] for m in invitations} >= {p[2] for p in people}
    for message in invitations:
        (part,) = [a for a in message.attachments if getattr(a, "get_content_subtype", None)]
        assert part.get_content_type() == "text/calendar"
        assert part.get_param("method") == "REQUEST"
        calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
        assert calendar["METHOD"] == "REQUEST"
        event = next(iter(calendar.walk("VEVENT")))
        assert event["SEQUENCE"] == 0 and "@" in str(event["UID"])
        assert event.decoded("DTSTART").date() == starts.date()
        assert any(tz["TZID"] == "Europe/Berlin" for tz in calendar.walk("VTIMEZONE"))
    _logout(page, live_server)

    # 5. The moderator runs the agenda, records minutes and attendance.
    login(page, live_server, "moderator", "demo")
    page.goto(conference_url)
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Konferenz durchführen").click()
    assert_accessible(page)
    form = page.locator("form#durchfuehrung")
    textareas = form.locator("textarea")
    textareas.first.focus()
    page.keyboard.type("Schweigepflicht besprochen.")
    textareas.nth(2).fill("Jobcenter stellt den Fall vor.")
    for checkbox in form.locator("input[type=checkbox]").all():
        checkbox.focus()
        page.keyboard.press("Space")
    _submit(page, "durchfuehrung", "Speichern und Konferenz als durchgeführt festhalten")
    assert_accessible(page)
    assert "durchgeführt" in page.locator("main dl").inner_text()
    assert "Schweigepflicht besprochen." in page.locator("main").inner_text()

    # Three binding agreements: the Jugendamt, the Jobcenter and the case manager.
    due = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    manager = User.objects.get(username="casemanager")
    for title, organisation, user in [
        ("Kita-Platz in Lemgo beantragen", "Jugendamt Kreis Lippe", None),
        ("Maßnahme Pflegeausbildung prüfen", "Jobcenter Lippe", None),
        ("Sprachkurs mit Kinderbetreuung anmelden", None, manager),
    ]:
        form = page.locator("form#absprache")
        form.locator("[name=title]").fill(title)
        form.locator("[name=due_on]").fill(due)
        if organisation:
            select = form.locator("[name=owner_organisation]")
            option = select.locator("option", has_text=organisation).first
            select.select_option(value=option.get_attribute("value"))
        else:
            form.locator("[name=owner_user]").select_option(value=str(user.pk))
        _submit(page, "absprache", "Absprache speichern")
    agreements = page.locator("section[aria-labelledby=h-absprachen]").inner_text()
    for title in ("Kita-Platz", "Pflegeausbildung", "Sprachkurs mit Kinderbetreuung"):
        assert title in agreements
    assert_accessible(page)

    # Two optimisation needs, named from the conference page.
    for category, text in [
        ("Fehlende Angebote", "Es fehlen Sprachkurse mit Kinderbetreuung im Nordkreis."),
        ("Schnittstellenprobleme", "Beim Umzug gehen Anträge zwischen den Stellen verloren."),
    ]:
        with page.expect_navigation():
            page.get_by_role("link", name="Optimierungsbedarf dieser Konferenz").click()
        assert_accessible(page)
        form = page.locator("form#neuer-bedarf")
        form.locator("[name=field_of_action]").select_option(index=1)
        form.locator("[name=category]").select_option(label=category)
        form.locator("[name=description]").fill(text)
        _submit(page, "neuer-bedarf", "Speichern")
        assert page.url == conference_url
    needs = page.locator("section[aria-labelledby=h-bedarfe]").inner_text()
    assert "Nordkreis" in needs and "Umzug" in needs
    # The Servicestelle triages one of them from the conference page.
    with page.expect_navigation():
        page.get_by_role("link", name="Es fehlen Sprachkurse mit Kinderbetreuung").click()
    assert_accessible(page)
    page.locator("form#status [name=status]").select_option(value="triaged")
    _submit(page, "status", "Status speichern")
    assert "gesichtet" in page.locator("main dl").inner_text()
    assert_accessible(page)
    page.goto(conference_url)

    # Two anonymous evaluation sheets, answered with the keyboard (arrow keys in the radios).
    for name, steps in [("Frau Demir", 4), ("Herr Vogt", 2)]:
        form = page.locator("form#evaluationsbogen")
        select = form.locator("[name=participant]")
        option = select.locator("option", has_text=name).first
        select.select_option(value=option.get_attribute("value"))
        for question in form.locator("[name^=q_]").evaluate_all(
            "(inputs) => [...new Set(inputs.map((i) => i.name))]"
        ):
            form.locator(f"[name={question}]").first.focus()
            page.keyboard.press("Space")
            for _ in range(steps):
                page.keyboard.press("ArrowRight")
        form.locator("[name=comment]").fill("Gut vorbereitet.")
        _submit(page, "evaluationsbogen", "Bogen speichern")
    assert "2 Bögen abgegeben" in page.locator("main").inner_text()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Auswertung aller Fallkonferenzen").first.click()
    assert_accessible(page)
    table = page.locator("section[aria-labelledby=h-konferenzen] table").inner_text()
    assert case.reference in table and "4,0" in table  # (5 + 3) / 2 on every statement
    assert "Demir" not in page.locator("main").inner_text()
    _logout(page, live_server)

    # The agreements are on the right worklists.
    login(page, live_server, "jobcenter", "demo")
    page.goto(f"{base}/aufgaben/")
    assert "Maßnahme Pflegeausbildung prüfen" in page.locator("main").inner_text()
    assert_accessible(page)
    _logout(page, live_server)

    # 6. The case manager sees the agreement and records the follow-up conversation.
    login(page, live_server, "casemanager", "demo")
    page.goto(f"{base}/aufgaben/")
    assert "Sprachkurs mit Kinderbetreuung anmelden" in page.locator("main").inner_text()
    page.goto(conference_url)
    form = page.locator("form#nachgespraech")
    form.locator("[name=channel]").select_option(label="persönlich")
    form.locator("[name=text]").fill("Ergebnisse mit Sprachmittlung erläutert; einverstanden.")
    _submit(page, "nachgespraech", "Gespräch festhalten")
    assert_accessible(page)
    assert "nachbesprochen" in page.locator("main dl").inner_text()
    page.goto(f"{base}/faelle/{case.pk}/")
    assert "Fallkonferenz" in page.locator("main").inner_text()
    assert_accessible(page)
