"""Health notes (Art. 9 GDPR): only on the person page and person API of the case team.

A canary diagnosis is seeded and looked for everywhere else a person's data goes: lists,
search results, the case pages, the XLSX exports, the agreement PDF, the database column.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader
from rest_framework.test import APIClient

from lotse.accounts.models import Role
from lotse.agreements import services as agreement_services
from lotse.agreements.services import GoalInput
from lotse.audit.models import AuditEntry
from lotse.people.models import Person
from tests.factories import FieldOfActionFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

CANARY = "Kanarien-Diagnose F43.1"


@pytest.fixture
def noted(case):
    """The case's person with the canary in the health notes (saved through the field)."""
    person = case.person
    person.health_notes = f"Posttraumatische Belastungsstörung – {CANARY}\nzweite Zeile"
    person.save()
    return person


def raw_health_notes(person: Person) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT health_notes FROM people_person WHERE id = %s", [person.pk])
        return cursor.fetchone()[0]


def page(client, url: str, **params: str) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def workbook_text(content: bytes) -> str:
    workbook = load_workbook(io.BytesIO(content))
    return "\n".join(
        str(cell.value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    )


def test_the_case_team_sees_the_notes_in_their_own_section(client, case_manager, noted):
    client.force_login(case_manager)
    html = page(client, reverse("people:detail", args=[noted.pk]))
    assert 'id="h-gesundheit"' in html
    assert "Art. 9" in html
    assert CANARY in html
    assert "Belastungsstörung – " in html and "<br>zweite Zeile" in html
    entry = AuditEntry.objects.filter(action="view", object_type="person").latest("id")
    assert "health" in entry.categories.split(",")
    assert CANARY not in entry.detail


def test_without_notes_the_page_says_so_and_the_audit_names_no_health(client, case_manager, case):
    client.force_login(case_manager)
    html = page(client, reverse("people:detail", args=[case.person.pk]))
    assert 'id="h-gesundheit"' in html
    entry = AuditEntry.objects.filter(action="view", object_type="person").latest("id")
    assert "health" not in entry.categories.split(",")


def test_the_case_team_edits_the_notes_and_the_change_is_audited_as_health(
    client, case_manager, case
):
    person = case.person
    client.force_login(case_manager)
    form = client.get(reverse("people:edit", args=[person.pk]))
    assert 'name="health_notes"' in form.content.decode()
    data = {
        "version": person.version,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "sex": person.sex,
        "nationalities": person.nationalities,
        "languages": person.languages,
        "health_notes": f"  {CANARY}  ",
    }
    response = client.post(reverse("people:edit", args=[person.pk]), data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.health_notes == CANARY
    assert CANARY not in raw_health_notes(person)
    entry = AuditEntry.objects.filter(action="update", object_type="person").latest("id")
    assert "health" in entry.categories.split(",")
    assert "health_notes" in entry.detail and CANARY not in entry.detail


def test_the_notes_are_encrypted_in_the_database(noted):
    raw = raw_health_notes(noted)
    assert raw.startswith("enc:1:")
    assert CANARY not in raw and "F43" not in raw and "Belastung" not in raw


def test_the_notes_appear_on_no_list_search_or_case_page(client, case_manager, case, noted):
    client.force_login(case_manager)
    pages = [
        page(client, reverse("people:list")),
        page(client, reverse("people:list"), q=noted.last_name),
        page(client, reverse("people:list"), q="Kanarien"),
        page(client, reverse("cases:my_cases")),
        page(client, reverse("cases:my_cases"), q=noted.last_name, alle="1"),
        page(client, reverse("cases:detail", args=[case.pk])),
        page(client, reverse("people:edit", args=[noted.pk])),  # the form: only there, to edit
    ]
    for html in pages[:-1]:
        assert CANARY not in html
    assert CANARY in pages[-1]
    # Searching for the diagnosis finds nobody: the column cannot be searched.
    assert noted.last_name not in pages[2]


def test_the_notes_appear_in_no_export(client, case_manager, case, noted):
    client.force_login(case_manager)
    for name in ("spreadsheets:export_cases", "spreadsheets:export_persons"):
        response = client.get(reverse(name), {"alle": "1"})
        assert response.status_code == 200
        text = workbook_text(response.getvalue())
        assert noted.last_name in text  # the person is in the export …
        assert CANARY not in text and "F43" not in text  # … the health notes are not


def test_the_notes_appear_not_in_the_agreement_pdf(case_manager, case, noted, traeger):
    today = timezone.localdate()
    case.opened_on = today - dt.timedelta(days=30)
    case.participation_offered_on = today - dt.timedelta(days=28)
    case.participation_agreed_on = today - dt.timedelta(days=21)
    case.save()
    field = FieldOfActionFactory(traeger=traeger, key="gesundheit", name="Gesundheit")
    agreement = agreement_services.agreement_start(actor=case_manager, case=case)
    agreement = agreement_services.agreement_update_draft(
        actor=case_manager,
        agreement=agreement,
        expected_version=agreement.version,
        goals=[
            GoalInput(
                field_of_action=field,
                what="Hausärztliche Anbindung herstellen",
                indicator="Termin bei einer Hausarztpraxis hat stattgefunden",
                responsible="client",
                due_on=today + dt.timedelta(days=60),
            )
        ],
        language="de",
        notes="",
    )
    agreement_services.agreement_agree(
        actor=case_manager,
        agreement=agreement,
        expected_version=agreement.version,
        agreed_on=today,
        signed_by_client=True,
    )
    api = APIClient()
    api.force_authenticate(case_manager)
    response = api.get(reverse("api:case-agreement-pdf", args=[case.pk]), {"language": "de"})
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert noted.last_name in text  # the PDF names the person …
    assert CANARY not in text and "F43" not in text  # … but carries no health notes


def test_the_person_api_gives_the_notes_only_in_the_detail(case_manager, noted):
    api = APIClient()
    api.force_authenticate(case_manager)
    listing = api.get(reverse("api:person-list"))
    assert listing.status_code == 200
    assert CANARY not in listing.content.decode()
    assert all("health_notes" not in row for row in listing.json()["results"])
    detail = api.get(reverse("api:person-detail", args=[noted.pk]))
    assert detail.status_code == 200
    assert CANARY in detail.json()["health_notes"]
    entry = AuditEntry.objects.filter(action="view", object_type="person").latest("id")
    assert "health" in entry.categories.split(",")


def test_the_api_writes_the_notes_encrypted(case_manager, case):
    api = APIClient()
    api.force_authenticate(case_manager)
    person = case.person
    response = api.patch(
        reverse("api:person-detail", args=[person.pk]),
        {"version": person.version, "health_notes": CANARY},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["health_notes"] == CANARY
    assert CANARY not in raw_health_notes(person)
    assert Person.objects.get(pk=person.pk).health_notes == CANARY


def test_nobody_outside_the_case_team_reaches_the_notes(client, traeger, noted):
    other_team = UserFactory(
        username="other-team",
        traeger=traeger,
        organisation=OrganisationFactory(traeger=traeger, key="andere", name="Anderes Team"),
        roles=[Role.CASE_MANAGEMENT],
    )
    coordination = UserFactory(
        username="coordination",
        traeger=traeger,
        organisation=noted.organisation,
        roles=[Role.COORDINATION],
    )
    for user in (other_team, coordination):
        client.force_login(user)
        response = client.get(reverse("people:detail", args=[noted.pk]))
        assert response.status_code in (403, 404)
        assert CANARY not in response.content.decode()
        api = APIClient()
        api.force_authenticate(user)
        response = api.get(reverse("api:person-detail", args=[noted.pk]))
        assert response.status_code in (403, 404)
        assert CANARY not in response.content.decode()
