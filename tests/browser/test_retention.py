"""Erasure and restriction in the browser: request, restrict, decide, hold, erase; axe on each page."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from lotse.accounts.models import RoleAssignment, User
from lotse.people.models import Person
from lotse.retention.models import Tombstone
from tests.browser.conftest import assert_accessible, login
from tests.factories import CaseFactory, PersonFactory, join_default_team

pytestmark = pytest.mark.browser

REASON = "Antrag der Person auf Löschung vom 3. November, schriftlich eingegangen"
PASSWORD = "Sehr-geheimes-Passwort-2"


def _user(case_worker, username: str, role: str) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        first_name="Toni",
        last_name=username.title(),
        traeger=case_worker.traeger,
        organisation=case_worker.organisation,
    )
    RoleAssignment.objects.create(user=user, role=role)
    user.__dict__.pop("_role_cache", None)
    if role == "team_lead":
        join_default_team(user)  # the team lead of the case worker's post
    return user


def _submit(page, form_action: str) -> None:
    with page.expect_navigation():
        page.click(f"form[action='{form_action}'] button[type=submit]")


def test_erasure_journey(page, live_server, case_worker):
    traeger, organisation = case_worker.traeger, case_worker.organisation
    person = PersonFactory(
        traeger=traeger, organisation=organisation, first_name="Amina", last_name="Haddad"
    )
    CaseFactory(traeger=traeger, organisation=organisation, person=person, case_manager=case_worker)
    section = f"/personen/{person.pk}/loeschung/"
    lead = _user(case_worker, "teamleitung", "team_lead")
    admin = _user(case_worker, "verwaltung", "administration")

    login(page, live_server, case_worker.username, case_worker.raw_password)
    page.goto(f"{live_server.url}/personen/{person.pk}/")
    with page.expect_navigation():
        page.click(f"a[href='{section}']")
    assert_accessible(page)

    page.fill("#id_erasure-reason", "zu kurz")
    _submit(page, f"{section}antrag/")
    assert_accessible(page)  # the error at the field (422)
    page.fill("#id_erasure-reason", REASON)
    _submit(page, f"{section}antrag/")
    assert_accessible(page)

    page.fill("#id_restriction-reason", "Die Person bestreitet die Richtigkeit der Angaben")
    _submit(page, f"/personen/{person.pk}/einschraenkung/")
    page.goto(f"{live_server.url}/personen/{person.pk}/")
    assert "Art. 18" in page.content()  # the banner
    assert_accessible(page)
    page.goto(f"{live_server.url}/personen/{person.pk}/bearbeiten/")
    assert "Art. 18" in page.content()  # refused with a clear message
    assert_accessible(page)

    page.context.clear_cookies()
    login(page, live_server, lead.username, PASSWORD)
    page.goto(f"{live_server.url}{section}")
    assert_accessible(page)
    page.fill("#id_hold-reason", "Klageverfahren beim Sozialgericht anhängig")
    _submit(page, f"/personen/{person.pk}/loeschsperre/")
    assert_accessible(page)
    with page.expect_navigation():  # lift the hold again
        page.click("form[action*='/loeschsperren/'] button[type=submit]")
    assert "aufgehoben" in page.content() or "lifted" in page.content()
    page.check("#id_decision-decision_0")  # approve
    with page.expect_navigation():
        page.click("form[action*='/entscheidung/'] button[type=submit]")
    assert_accessible(page)
    with page.expect_navigation():
        page.click("form[action*='/ausfuehren/'] button[type=submit]")
    assert urlsplit(page.url).path == "/loeschung/"
    tombstone = Tombstone.objects.get(former_person_id=person.pk)
    assert tombstone.pseudonym in page.content()
    assert "Haddad" not in page.content()
    assert_accessible(page)
    assert not Person.objects.filter(pk=person.pk).exists()
    response = page.goto(f"{live_server.url}/personen/{person.pk}/")
    assert response is not None and response.status == 404

    page.context.clear_cookies()
    login(page, live_server, admin.username, PASSWORD)
    page.goto(f"{live_server.url}/loeschung/")
    assert_accessible(page)
    with page.expect_navigation():
        page.click("a[href='/loeschung/fristen/']")
    assert_accessible(page)
    page.fill("#id_closed_case_months", "0")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert_accessible(page)  # 422 with the error at the field
