"""The bilingual consent form and the Art. 13 information sheet: HTML, PDF, recording, API."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from rest_framework.test import APIClient

from lotse.accounts.models import Role
from lotse.audit.models import AuditEntry
from lotse.consent import notice_texts, services, texts
from lotse.consent.models import Consent, InformationNotice, PrivacyNoticeSettings
from lotse.directory.models import Organisation
from tests.consent.conftest import PURPOSE
from tests.factories import OrganisationFactory, PersonFactory, UserFactory

ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def web(client, case_manager):
    client.force_login(case_manager)
    return client


@pytest.fixture
def api(case_manager):
    client = APIClient()
    client.force_authenticate(case_manager)
    return client


class TestConsentForm:
    def test_arabic_pdf_names_id_recipients_purpose_and_translated_texts(
        self, web, make_consent, jobcenter
    ):
        consent = make_consent(language="ar", interpreter="Frau Y. (Arabisch)")

        response = web.get(reverse("consent:pdf", args=[consent.pk]))

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert f"einwilligung-{consent.document_id}-ar.pdf" in response["Content-Disposition"]
        text = pdf_text(response.content)
        assert consent.document_id in text
        assert jobcenter.name in text
        assert flat(PURPOSE) in flat(text)
        assert texts.GERMAN["withdrawal_title"] in text
        assert texts.GERMAN["cat_education_work"] in text
        # Arabic glyphs are shaped, so their extracted order is not the text order: count them.
        assert len(ARABIC_LETTER.findall(text)) > 300
        assert texts.CONSENT_TEXT_VERSION in text
        assert "Übersetzung nicht geprüft" in text  # the agreements' marker
        assert "Frau Y. (Arabisch)" in text

    def test_ukrainian_pdf_has_the_ukrainian_fixed_texts(self, web, make_consent):
        consent = make_consent(language="uk")

        text = flat(pdf_text(web.get(reverse("consent:pdf", args=[consent.pk])).content))

        assert consent.document_id in text
        for key in ("title", "recipients", "withdrawal_title", "cat_identity", "voluntary_title"):
            assert flat(texts.UKRAINIAN[key]) in text, key

    def test_german_only_has_no_translation_marker(self, web, make_consent):
        consent = make_consent(language="de")

        text = pdf_text(web.get(reverse("consent:pdf", args=[consent.pk])).content)

        assert consent.document_id in text
        assert "Übersetzung nicht geprüft" not in text
        assert texts.ENGLISH["title"] not in text

    def test_the_print_page_is_bilingual_with_rtl_blocks(self, web, make_consent, jobcenter):
        consent = make_consent(language="fa", interpreter="Herr Z.")

        page = web.get(reverse("consent:print", args=[consent.pk])).content.decode()

        assert 'id="document-id"' in page and consent.document_id in page
        assert f'lang="fa" dir="rtl">{texts.FARSI["purpose_explained"]}' in page
        assert f'lang="fa" dir="rtl">{texts.FARSI["withdrawal"]}' in page
        assert texts.GERMAN["purpose_explained"] in page  # an interpreter explained it
        assert texts.GERMAN["purpose_translate"] not in page
        assert jobcenter.name in page and PURPOSE in page
        assert 'class="lotse-doc__qr" role="img"' in page
        assert "<script" not in page.split("</header>", 1)[-1].split("<footer", 1)[0]

    def test_ltr_languages_are_marked_ltr(self, web, make_consent):
        consent = make_consent(language="uk")

        page = web.get(reverse("consent:print", args=[consent.pk])).content.decode()

        assert f'lang="uk" dir="ltr">{texts.UKRAINIAN["voluntary"]}' in page
        assert 'dir="rtl"' not in page

    def test_printing_is_audited(self, web, make_consent):
        consent = make_consent(language="ar")

        web.get(reverse("consent:pdf", args=[consent.pk]))

        entry = AuditEntry.objects.get(object_type="consent", action="print", detail="pdf")
        assert entry.person_id == consent.person_id

    def test_an_unknown_language_is_refused_in_german(self, make_consent):
        with pytest.raises(ValidationError) as error:
            make_consent(language="ku")

        message = error.value.message_dict["language"][0]
        # German once the catalogue has the entry ("Für die Sprache „ku“ gibt es kein Formular").
        assert "ku" in message
        assert "ar" in message and "ti" in message
        assert not Consent.objects.exists()

    def test_the_form_offers_only_printable_languages(self, web, person, jobcenter):
        page = web.get(reverse("consent:create", args=[person.pk])).content.decode()

        assert 'value="ti"' in page and 'value="ku"' not in page
        response = web.post(
            reverse("consent:create", args=[person.pk]),
            {
                "recipients": [jobcenter.pk],
                "categories": ["identity"],
                "purpose": PURPOSE,
                "form": "written",
                "language": "ku",
                "valid_from": timezone.localdate().isoformat(),
                "text_version": "EW-2026-1",
            },
        )
        assert response.status_code == 422
        assert not Consent.objects.exists()

    def test_the_api_refuses_an_unknown_language(self, api, person, jobcenter):
        response = api.post(
            reverse("api:consent-list"),
            {
                "person": person.pk,
                "recipients": [jobcenter.pk],
                "categories": ["identity"],
                "purpose": PURPOSE,
                "form": "written",
                "language": "ku",
                "valid_from": timezone.localdate().isoformat(),
                "text_version": "EW-2026-1",
            },
            format="json",
        )
        assert response.status_code == 400
        assert "language" in str(response.json())

    def test_another_traegers_consent_pdf_is_404(self, client, make_consent):
        consent = make_consent(language="ar")
        stranger = UserFactory(roles=[Role.CASE_MANAGEMENT])
        client.force_login(stranger)

        assert client.get(reverse("consent:pdf", args=[consent.pk])).status_code == 404


@pytest.fixture
def privacy_settings(traeger):
    return PrivacyNoticeSettings.objects.create(
        traeger=traeger,
        controller_name="Kreis Lippe – Kommunales Integrationszentrum",
        controller_address="Felix-Fechenbach-Straße 5\n32756 Detmold",
        controller_contact="05231 62-0, ki@kreis-lippe.de",
        dpo_name="Dr. D. Schutz",
        dpo_contact="datenschutz@kreis-lippe.de",
        retention_years=4,
    )


class TestInformationSheet:
    def test_the_sheet_names_controller_dpo_authority_and_translated_texts(
        self, web, privacy_settings
    ):
        response = web.get(reverse("consent:notice_sheet_pdf"), {"sprache": "ar"})

        assert response.status_code == 200
        text = flat(pdf_text(response.content))
        assert "Kreis Lippe – Kommunales Integrationszentrum" in text
        assert "datenschutz@kreis-lippe.de" in text
        assert "LDI NRW" in text
        assert "4 Jahre" in text
        assert "§§ 67a ff. SGB X" in text
        assert "Art. 9 Abs. 2 Buchst. a DSGVO" in text
        assert notice_texts.NOTICE_TEXT_VERSION in text
        assert len(ARABIC_LETTER.findall(text)) > 300

    def test_ukrainian_sheet(self, web, privacy_settings):
        response = web.get(reverse("consent:notice_sheet_pdf"), {"sprache": "uk"})

        text = flat(pdf_text(response.content))
        for key in ("rights_title", "complaint_title", "voluntary_title", "retention_title"):
            assert flat(notice_texts.UKRAINIAN[key]) in text, key

    def test_the_page_is_rtl_for_farsi_and_warns_without_settings(self, web, traeger):
        OrganisationFactory(
            traeger=traeger,
            key="ss-kim",
            name="AAA Servicestelle KIM",  # sorts before the fixture's organisation
            kind=Organisation.Kind.SERVICE_CENTRE,
            address="Markt 1, 32756 Detmold",
        )

        page = web.get(reverse("consent:notice_sheet"), {"sprache": "fa"}).content.decode()

        assert f'lang="fa" dir="rtl">{notice_texts.FARSI["voluntary"]}' in page
        assert traeger.name in page and "Markt 1, 32756 Detmold" in page
        assert "kern-alert--warning" in page  # the settings are missing

    def test_an_unknown_language_is_a_german_error(self, web):
        response = web.get(reverse("consent:notice_sheet_pdf"), {"sprache": "xx"})

        assert response.status_code == 400
        assert "xx" in response.content.decode() and "ti" in response.content.decode()
        assert web.get(reverse("consent:notice_sheet"), {"sprache": "xx"}).status_code == 422


class TestInformationNotice:
    def test_recording_through_the_page_is_audited_and_shown(self, web, person):
        page = web.get(reverse("consent:person", args=[person.pk])).content.decode()
        assert 'id="notice-missing"' in page

        response = web.post(
            reverse("consent:notice_create", args=[person.pk]),
            {"language": "ar", "handed_out_on": timezone.localdate().isoformat()},
        )

        assert response.status_code == 302
        notice = InformationNotice.objects.get()
        assert (notice.person, notice.language) == (person, "ar")
        assert notice.text_version == notice_texts.NOTICE_TEXT_VERSION
        entry = AuditEntry.objects.get(object_type="information_notice", action="create")
        assert entry.person_id == person.pk and entry.object_id == str(notice.pk)
        page = web.get(reverse("consent:person", args=[person.pk])).content.decode()
        assert 'id="notice-missing"' not in page
        assert notice_texts.NOTICE_TEXT_VERSION in page

    def test_a_future_date_and_an_unknown_language_are_refused(self, case_manager, person):
        with pytest.raises(ValidationError) as error:
            services.notice_record(
                actor=case_manager,
                person=person,
                language="xx",
                handed_out_on=timezone.localdate() + dt.timedelta(days=1),
            )
        assert set(error.value.message_dict) == {"language", "handed_out_on"}
        assert not InformationNotice.objects.exists()

    def test_the_form_suggests_the_persons_language(self, web, traeger, organisation):
        person = PersonFactory(traeger=traeger, organisation=organisation, languages=["ku", "ti"])
        page = web.get(reverse("consent:notice_create", args=[person.pk])).content.decode()
        assert '<option value="ti" selected>' in page

    def test_api_list_and_create(self, api, person):
        url = reverse("api:person-information-notices", args=[person.pk])

        created = api.post(url, {"language": "uk", "handed_out_on": "2026-01-15"}, format="json")
        assert created.status_code == 201, created.content
        assert created.json()["text_version"] == notice_texts.NOTICE_TEXT_VERSION

        listed = api.get(url)
        assert listed.status_code == 200
        assert [row["language"] for row in listed.json()] == ["uk"]
        assert AuditEntry.objects.filter(
            object_type="information_notice", action="list", person_id=person.pk
        ).exists()

        refused = api.post(url, {"language": "xx", "handed_out_on": "2026-01-15"}, format="json")
        assert refused.status_code == 400
        assert InformationNotice.objects.count() == 1

    def test_another_traegers_person_is_404(self, person):
        stranger = UserFactory(roles=[Role.CASE_MANAGEMENT])
        client = APIClient()
        client.force_authenticate(stranger)
        url = reverse("api:person-information-notices", args=[person.pk])

        assert client.get(url).status_code == 404
        assert (
            client.post(url, {"language": "de", "handed_out_on": "2026-01-15"}).status_code == 404
        )
