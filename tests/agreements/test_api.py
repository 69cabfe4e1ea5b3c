"""The agreement API: versions as JSON, draft editing with 409, agreeing, and the PDF."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader
from rest_framework.test import APIClient

from lotse.accounts.models import Role
from lotse.agreements import services, texts
from lotse.agreements.models import Agreement
from lotse.audit.models import AuditEntry
from lotse.cases.models import Phase
from tests.factories import OrganisationFactory, UserFactory

ALL_LANGUAGES = ["de", "ar", "fa", "prs", "uk", "ru", "tr", "en", "ro", "bg", "ti"]
ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")


@pytest.fixture
def api(case_manager) -> APIClient:
    client = APIClient()
    client.force_authenticate(case_manager)
    return client


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_fonts(content: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(content))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def goal_json(field_of_action, today, **change):
    return {
        "field_of_action": field_of_action.pk,
        "what": "Anerkennung des Berufsabschlusses beantragen",
        "indicator": "Antrag bei der Anerkennungsstelle ist gestellt",
        "responsible": "client",
        "due_on": (today + dt.timedelta(days=60)).isoformat(),
        **change,
    }


class TestJson:
    def test_versions_are_listed_newest_first_with_goals(self, api, agreed, case_manager):
        services.agreement_start(actor=case_manager, case=agreed.case)

        response = api.get(reverse("api:case-agreements", args=[agreed.case_id]))

        assert response.status_code == 200
        body = response.json()
        assert [(v["number"], v["status"]) for v in body] == [(2, "draft"), (1, "agreed")]
        assert len(body[1]["goals"]) == 2
        assert body[1]["goals"][1]["responsible_organisation_name"] == "Jobcenter Lippe"

    def test_start_edit_agree_round_trip(self, api, agreeable_case, field_of_action, today):
        case_url = reverse("api:case-agreements", args=[agreeable_case.pk])
        draft_url = reverse("api:case-agreement-draft", args=[agreeable_case.pk])

        started = api.post(case_url)
        assert started.status_code == 201
        assert started.json()["number"] == 1

        saved = api.put(
            draft_url,
            {"version": 1, "language": "uk", "goals": [goal_json(field_of_action, today)]},
            format="json",
        )
        assert saved.status_code == 200, saved.json()
        assert saved.json()["version"] == 2
        assert saved.json()["language"] == "uk"

        agreed = api.post(
            reverse("api:case-agreement-agree", args=[agreeable_case.pk]),
            {"version": 2, "signed_by_client": True},
            format="json",
        )
        assert agreed.status_code == 200
        assert agreed.json()["status"] == "agreed"
        assert agreed.json()["agreed_on"] == today.isoformat()
        assert api.get(draft_url).status_code == 404

        version = api.get(reverse("api:case-agreement-version", args=[agreeable_case.pk, 1]))
        assert version.json()["goals"][0]["what"].startswith("Anerkennung")

    def test_stale_version_is_409(self, api, draft, field_of_action, today):
        response = api.put(
            reverse("api:case-agreement-draft", args=[draft.case_id]),
            {"version": draft.version - 1, "goals": [goal_json(field_of_action, today)]},
            format="json",
        )

        assert response.status_code == 409
        assert response.json()["code"] == "conflict"
        assert draft.goals.count() == 2

    def test_smart_errors_are_keyed_by_goal_and_field(self, api, draft, field_of_action, today):
        response = api.put(
            reverse("api:case-agreement-draft", args=[draft.case_id]),
            {
                "version": draft.version,
                "goals": [
                    goal_json(field_of_action, today),
                    goal_json(field_of_action, today, indicator="", due_on=today.isoformat()),
                ],
            },
            format="json",
        )

        assert response.status_code == 400
        assert set(response.json()) == {"goals.1.indicator", "goals.1.due_on"}

    def test_closed_case_refuses_changes(self, api, draft, field_of_action, today):
        case = draft.case
        case.phase = Phase.CLOSED
        case.save()

        response = api.put(
            reverse("api:case-agreement-draft", args=[case.pk]),
            {"version": draft.version, "goals": [goal_json(field_of_action, today)]},
            format="json",
        )

        assert response.status_code == 400
        assert api.get(reverse("api:case-agreements", args=[case.pk])).status_code == 200

    def test_other_organisation_and_other_traeger_get_404(self, agreed, traeger):
        other_org_user = UserFactory(
            traeger=traeger,
            organisation=OrganisationFactory(traeger=traeger),
            roles=[Role.CASE_MANAGEMENT],
        )
        other_traeger_user = UserFactory(roles=[Role.CASE_MANAGEMENT])
        for user in (other_org_user, other_traeger_user):
            client = APIClient()
            client.force_authenticate(user)
            for url in (
                reverse("api:case-agreements", args=[agreed.case_id]),
                reverse("api:case-agreement-version", args=[agreed.case_id, 1]),
                reverse("api:case-agreement-pdf", args=[agreed.case_id]),
            ):
                assert client.get(url).status_code == 404, url
        assert not AuditEntry.objects.filter(action="print").exists()

    def test_query_count_does_not_grow_with_versions_and_goals(
        self, api, agreed, case_manager, goals, django_assert_max_num_queries
    ):
        url = reverse("api:case-agreements", args=[agreed.case_id])
        with django_assert_max_num_queries(12) as small:
            api.get(url)
        for _round in range(3):
            draft = services.agreement_start(actor=case_manager, case=agreed.case)
            services.agreement_update_draft(
                actor=case_manager,
                agreement=draft,
                expected_version=draft.version,
                goals=goals * 4,
            )
            services.agreement_agree(
                actor=case_manager, agreement=draft, expected_version=draft.version
            )
        with django_assert_max_num_queries(len(small.captured_queries)):
            response = api.get(url)
        assert len(response.json()) == 4


class TestPdf:
    @pytest.mark.parametrize(
        "accept", ["application/pdf", "*/*", "application/json;q=0.5, application/pdf"]
    )
    def test_the_pdf_comes_for_what_the_client_accepts(self, api, agreed, accept):
        url = reverse("api:case-agreement-pdf", args=[agreed.case_id])

        response = api.get(url, HTTP_ACCEPT=accept)

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")

    def test_errors_stay_json_when_only_a_pdf_is_accepted(self, api, agreed):
        url = reverse("api:case-agreement-pdf", args=[agreed.case_id])

        invalid = api.get(url, {"language": "xx"}, HTTP_ACCEPT="application/pdf")
        missing = api.get(
            reverse("api:case-agreement-pdf", args=[agreed.case_id + 1000]),
            HTTP_ACCEPT="application/pdf",
        )

        assert (invalid.status_code, invalid["Content-Type"]) == (400, "application/json")
        assert list(invalid.json()) == ["language"]
        assert (missing.status_code, missing["Content-Type"]) == (404, "application/json")
        assert missing.json()["detail"].startswith("Nicht gefunden")

    @pytest.mark.parametrize("language", ALL_LANGUAGES)
    def test_every_language_gives_a_pdf(self, api, agreed, language):
        response = api.get(
            reverse("api:case-agreement-pdf", args=[agreed.case_id]), {"language": language}
        )

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")
        text = pdf_text(response.content)
        assert texts.GERMAN["title"] in text
        assert "Deutschkenntnisse auf Niveau A2 erreichen" in text  # entered text, as entered
        if language != "de":
            assert texts.DOCUMENT_LANGUAGES[language].native_name in text
            assert texts.GERMAN["unverified_short"] in text  # none is approved yet
        else:
            assert texts.GERMAN["unverified_short"] not in text

    def test_arabic_is_set_in_the_shipped_arabic_font(self, api, agreed):
        response = api.get(
            reverse("api:case-agreement-pdf", args=[agreed.case_id]), {"language": "ar"}
        )

        text = pdf_text(response.content)
        assert len(ARABIC_LETTER.findall(text)) > 200
        assert texts.ARABIC["goals"] in text
        assert {"Lotse-Arabic", "Lotse-Latin"} <= pdf_fonts(response.content)

    def test_tigrinya_is_set_in_the_shipped_ethiopic_font(self, api, agreed):
        response = api.get(
            reverse("api:case-agreement-pdf", args=[agreed.case_id]), {"language": "ti"}
        )

        assert texts.TIGRINYA["title"] in pdf_text(response.content)
        fonts = pdf_fonts(response.content)
        assert "Lotse-Ethiopic" in fonts
        assert not any("DejaVu" in name for name in fonts)

    def test_an_approved_translation_carries_no_marker(self, api, agreed, monkeypatch):
        english = texts.DOCUMENT_LANGUAGES["en"]
        approved = texts.DocumentLanguage(
            "en",
            english.native_name,
            english.texts,
            approved_by="Test Übersetzerin",
            approved_on=dt.date(2026, 1, 2),
        )
        monkeypatch.setitem(texts.DOCUMENT_LANGUAGES, "en", approved)

        response = api.get(
            reverse("api:case-agreement-pdf", args=[agreed.case_id]), {"language": "en"}
        )

        text = pdf_text(response.content)
        assert texts.ENGLISH["title"] in text
        assert texts.GERMAN["unverified_short"] not in text

    def test_without_language_the_agreements_language_is_used(self, api, agreed):
        response = api.get(reverse("api:case-agreement-pdf", args=[agreed.case_id]))

        assert response.status_code == 200
        assert response["Content-Disposition"].endswith('-ar.pdf"')

    def test_unknown_language_is_400_with_message(self, api, agreed):
        response = api.get(
            reverse("api:case-agreement-pdf", args=[agreed.case_id]), {"language": "xx"}
        )

        assert response.status_code == 400
        assert response.json()["language"][0]
        assert not AuditEntry.objects.filter(action="print").exists()

    def test_older_versions_print_with_their_own_content(
        self, api, agreed, case_manager, goals, today
    ):
        draft = services.agreement_start(actor=case_manager, case=agreed.case)
        services.agreement_update_draft(
            actor=case_manager,
            agreement=draft,
            expected_version=draft.version,
            goals=[goals[1]],
        )
        services.agreement_agree(actor=case_manager, agreement=draft, expected_version=2)
        url = reverse("api:case-agreement-pdf", args=[agreed.case_id])

        latest = pdf_text(api.get(url, {"language": "de"}).content)
        first = pdf_text(api.get(url, {"language": "de", "version": 1}).content)

        assert "Deutschkenntnisse auf Niveau A2 erreichen" not in latest
        assert "Deutschkenntnisse auf Niveau A2 erreichen" in first
        assert texts.GERMAN["status_superseded"] in first

    def test_no_agreed_version_is_404(self, api, draft):
        url = reverse("api:case-agreement-pdf", args=[draft.case_id])

        assert api.get(url).status_code == 404
        assert api.get(url, {"version": draft.number}).status_code == 200  # a draft, marked

    def test_each_print_is_audited(self, api, agreed):
        url = reverse("api:case-agreement-pdf", args=[agreed.case_id])
        api.get(url, {"language": "ti"})
        api.get(url, {"language": "de"})

        entries = list(
            AuditEntry.objects.filter(action="print")
            .order_by("id")
            .values_list("object_type", "object_id", "person_id", "channel", "detail")
        )
        assert [e[:4] for e in entries] == [
            ("agreement", str(agreed.pk), agreed.case.person_id, "api")
        ] * 2
        assert entries[0][4].endswith("pdf:de+ti")
        assert entries[1][4].endswith("pdf:de")

    def test_version_param_of_another_case_is_404(self, api, agreed, case):
        # ``case`` fixture is the same case; create a second case of the same team
        other = Agreement.objects.filter(case=agreed.case).count()
        url = reverse("api:case-agreement-pdf", args=[agreed.case_id])
        assert api.get(url, {"version": other + 10}).status_code == 404
