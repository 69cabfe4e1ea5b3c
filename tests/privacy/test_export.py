"""The Art. 15 export through the web pages and the API: content, access report, audit, scope."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from lotse.accounts.mfa import SESSION_AUTH_AT
from lotse.accounts.models import Role
from lotse.audit.models import AuditEntry
from lotse.audit.services import audit_log
from lotse.consent import services as consent_services
from lotse.people.models import Household, Person, PersonNameVariant
from lotse.privacy.export import build_export
from lotse.privacy.pdf import render_html
from lotse.privacy.services import all_categories
from tests.factories import (
    OrganisationFactory,
    PersonFactory,
    TimelineEntryFactory,
    UserFactory,
    purpose,
)

pytestmark = pytest.mark.django_db

HEALTH = "Schwangerschaft, Entbindung erwartet im März"


@pytest.fixture
def person(case):
    person = case.person
    person.health_notes = HEALTH
    person.save()
    PersonNameVariant.objects.create(
        traeger=person.traeger, person=person, last_name="حداد", kind="original_script"
    )
    return person


@pytest.fixture
def consent_and_transfer(person, case_manager):
    jobcenter = OrganisationFactory(traeger=person.traeger, name="Jobcenter Lippe")
    consent = consent_services.consent_record(
        purposes=[purpose(person.traeger)],
        attest_signed_paper=True,
        actor=case_manager,
        person=person,
        recipients=[jobcenter],
        categories=["identity", "education_work"],
        purpose="Abstimmung der Vermittlung in einen Sprachkurs und in Arbeit",
        form="written",
        valid_from=timezone.localdate() - dt.timedelta(days=5),
        text_version="EW-2026-1",
    )
    transfer = consent_services.transfer_record(
        purpose_key="arbeitsmarktintegration",
        actor=case_manager,
        person=person,
        recipient=jobcenter,
        categories=["identity"],
        purpose="Anmeldung zum Sprachkurs beim Jobcenter",
        basis="consent",
        consent=consent,
    )
    return consent, transfer


def _section(data, model):
    return next(s for s in data["sections"] if s["model"] == model)


def test_api_json_holds_everything_with_access_report_and_transfers(
    person, case, case_manager, consent_and_transfer
):
    consent, transfer = consent_and_transfer
    entry = TimelineEntryFactory(case=case, text="Termin beim Jobcenter vereinbart")
    audit_log(
        user=case_manager,
        action="view",
        object_type="person",
        object_id=person.pk,
        person_id=person.pk,
        categories=["identity", "health"],
    )
    api = APIClient()
    api.force_authenticate(case_manager)
    response = api.get(reverse("api:person-export", args=[person.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)

    assert data["format"] == "lotse-art15-export" and data["format_version"] == 1
    assert data["person"]["id"] == person.pk
    person_row = _section(data, "people.Person")["rows"][0]
    assert person_row["health_notes"] == HEALTH  # decrypted
    assert "traeger" not in person_row and "search_name" not in person_row
    assert _section(data, "people.PersonNameVariant")["rows"][0]["last_name"] == "حداد"
    timeline = _section(data, "cases.TimelineEntry")
    assert [r["id"] for r in timeline["rows"]] == [entry.pk]
    assert timeline["rows"][0]["text"] == "Termin beim Jobcenter vereinbart"
    assert timeline["legal_basis"] and timeline["retention"] and timeline["purpose"]
    consents = _section(data, "consent.Consent")["rows"]
    assert consents[0]["document_id"] == consent.document_id
    assert consents[0]["recipients"][0]["label"] == "Jobcenter Lippe"

    assert data["transfers"] == [
        {
            "transferred_at": transfer.transferred_at.isoformat(),
            "recipient": "Jobcenter Lippe",
            "basis": "consent",
            "basis_label": "Einwilligung",
            "statute": "",
            "reason": "",
            "categories": ["identity"],
            "category_labels": ["Identität"],
            "purpose": "Anmeldung zum Sprachkurs beim Jobcenter",
            "consent_document_id": consent.document_id,
            "consent_version": 1,
            "transferred_by": case_manager.username,
        }
    ]
    report = data["access_report"]
    viewed = [e for e in report if e["action"] == "view" and e["object_type"] == "person"]
    assert viewed and viewed[0]["username"] == case_manager.username
    assert viewed[0]["organisation"] == str(case_manager.organisation)
    assert viewed[0]["categories"] == "identity,health"
    assert {"occurred_at", "roles", "channel"} <= set(viewed[0])
    assert not any("entry_hash" in e or "request_id" in e for e in report)

    logged = AuditEntry.objects.filter(
        action="export", object_type="person", person_id=person.pk
    ).get()
    assert logged.username == case_manager.username and logged.channel == "api"
    assert set(logged.categories.split(",")) == set(all_categories())
    assert "health" in logged.categories


def test_the_export_is_itself_in_the_next_access_report(person, case_manager):
    client = APIClient()
    client.force_authenticate(case_manager)
    client.get(reverse("api:person-export", args=[person.pk]))
    data = json.loads(client.get(reverse("api:person-export", args=[person.pk])).content)
    assert [e["action"] for e in data["access_report"]].count("export") == 1


def test_api_pdf_both_ways(person, case_manager):
    api = APIClient()
    api.force_authenticate(case_manager)
    for response in (
        api.get(reverse("api:person-export", args=[person.pk]), {"format": "pdf"}),
        api.get(reverse("api:person-export-pdf", args=[person.pk])),
    ):
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="export", person_id=person.pk).count() == 2


def test_api_pdf_for_accept_application_pdf(person, case_manager):
    api = APIClient()
    api.force_authenticate(case_manager)
    for response in (
        api.get(reverse("api:person-export", args=[person.pk]), HTTP_ACCEPT="application/pdf"),
        api.get(reverse("api:person-export-pdf", args=[person.pk]), HTTP_ACCEPT="application/pdf"),
    ):
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
    missing = api.get(
        reverse("api:person-export-pdf", args=[person.pk + 1000]), HTTP_ACCEPT="application/pdf"
    )
    assert (missing.status_code, missing["Content-Type"]) == (404, "application/json")


def test_pdf_text_is_german_and_readable(person, consent_and_transfer):
    html = render_html(build_export(person))
    assert "Auskunft nach Art. 15 DSGVO" in html
    assert HEALTH in html
    assert "Zugriffsbericht" in html and "Jobcenter Lippe" in html
    assert "Rechtsgrundlage" in html and "Speicherdauer" in html


def test_web_page_and_downloads(client, person, case_manager):
    client.force_login(case_manager)
    detail = client.get(reverse("people:detail", args=[person.pk]))
    assert reverse("privacy:export", args=[person.pk]) in detail.content.decode()
    page = client.get(reverse("privacy:export", args=[person.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert reverse("privacy:export_pdf", args=[person.pk]) in body
    assert reverse("privacy:export_json", args=[person.pk]) in body
    as_json = client.get(reverse("privacy:export_json", args=[person.pk]))
    assert as_json["Content-Disposition"].startswith("attachment;")
    assert json.loads(as_json.content)["person"]["id"] == person.pk
    as_pdf = client.get(reverse("privacy:export_pdf", args=[person.pk]))
    assert as_pdf.content.startswith(b"%PDF")
    channels = list(
        AuditEntry.objects.filter(action="export", person_id=person.pk).values_list(
            "channel", flat=True
        )
    )
    assert channels == ["web", "web"]


def test_household_members_only_by_reference(person):
    household = Household.objects.create(traeger=person.traeger, label="Haddad")
    person.household = household
    person.save()
    sibling = PersonFactory(
        traeger=person.traeger,
        organisation=person.organisation,
        household=household,
        first_name="Samir",
        health_notes="Diabetes",
    )
    data = build_export(person).as_dict()
    households = _section(data, "people.Household")
    assert households["kind"] == "reference"
    assert households["rows"][0]["other_member_ids"] == [sibling.pk]
    text = json.dumps(data, ensure_ascii=False)
    assert "Samir" not in text and "Diabetes" not in text
    assert [r["id"] for r in _section(data, "people.Person")["rows"]] == [person.pk]


def test_other_traeger_other_team_and_other_roles(person):
    other_traeger = UserFactory(roles=[Role.CASE_MANAGEMENT])
    other_team = UserFactory(traeger=person.traeger, roles=[Role.CASE_MANAGEMENT])
    partner = UserFactory(traeger=person.traeger, roles=[Role.PARTNER])
    for user, expected in ((other_traeger, 404), (other_team, 404), (partner, 403)):
        api = APIClient()
        api.force_authenticate(user)
        assert api.get(reverse("api:person-export", args=[person.pk])).status_code == expected
    missing = Person.objects.order_by("-pk").first().pk + 1
    api = APIClient()
    api.force_authenticate(other_team)
    assert api.get(reverse("api:person-export", args=[missing])).status_code == 404
    assert not AuditEntry.objects.filter(action="export").exists()


def test_web_download_after_a_stale_sign_in_asks_to_confirm_first(client, person, case_manager):
    client.force_login(case_manager)
    session = client.session
    session[SESSION_AUTH_AT] = int(time.time()) - 11 * 60
    session.save()
    url = reverse("privacy:export_pdf", args=[person.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("reauth") + "?next=")
    assert client.get(reverse("privacy:export", args=[person.pk])).status_code == 200
    assert not AuditEntry.objects.filter(action="export").exists()


def test_the_pdf_speaks_plain_german_and_cuts_a_huge_note(person, case, consent_and_transfer):
    from lotse.privacy.export import TRUNCATED
    from lotse.privacy.pdf import render_pdf
    from tests.pdftext import pypdf_text

    person.nationalities = ["SY", "UA"]
    person.languages = ["ar", "uk"]
    person.save()
    huge = "Gesprächsnotiz " + "x" * 200_000
    TimelineEntryFactory(case=case, text=huge)

    export = build_export(person)
    html = render_html(export)
    pdf = render_pdf(export)

    text = pypdf_text(pdf)
    assert "Syrien" in text and "Ukraine" in text
    assert "Arabisch" in text and "Ukrainisch" in text
    assert "gekürzt, vollständiger Text in der Datenübernahme/JSON-Export" in text
    assert TRUNCATED.strip() in html and len(html) < 150_000
    for raw in (" object (", "created at", "updated at", "automatic reason"):
        assert raw not in html, raw
    assert "angelegt am" in html
    assert person.date_of_birth.strftime("%d.%m.%Y") in text
    assert person.date_of_birth.isoformat() not in text
    # The machine-readable export keeps the whole note.
    rows = [row for section in export.as_dict()["sections"] for row in section["rows"]]
    assert any(row.get("text") == huge for row in rows)
