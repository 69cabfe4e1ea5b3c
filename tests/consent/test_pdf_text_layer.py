"""Consent form and Art. 13 sheet: text layer as shown, tagged, controller and DPO named."""

from __future__ import annotations

import pytest

from lotse.consent import documents, notice_texts, texts
from lotse.consent.models import PrivacyNoticeSettings
from lotse.consent.selectors import notice_parties
from tests.pdftext import catalog, missing_phrases, missing_words, pypdf_text

LANGUAGES = ["ar", "fa", "prs", "ti", "uk"]
#: Farsi and Dari paragraphs are not compared word by word with pypdf: it reverses Persian digits
#: (۱۳ → ۳۱) and splits a word at a ZWNJ or hamza carried inside one glyph's text (به‌صورت,
#: ادارهٔ). Their titles and headings are compared exactly, their paragraphs with pdftotext.
PYPDF_WORDS_UNRELIABLE = {"fa", "prs"}


def _expected_missing(code: str, missing: dict[str, list[str]]) -> dict[str, list[str]]:
    if code in PYPDF_WORDS_UNRELIABLE:
        return {**missing, "pypdf": []}
    return missing


CONSENT_PHRASES = ("title", "voluntary_title", "withdrawal_title", "signatures")
CONSENT_PARAGRAPHS = ("declaration", "voluntary", "withdrawal", "purpose_translate")
NOTICE_PHRASES = ("purposes_title", "rights_title", "voluntary_title")
#: Texts with digits or a slash inside RTL text are compared word by word: the extractors order
#: numbers and neutral characters in RTL lines by their own bidi rules (see tests/pdftext.py).
NOTICE_PARAGRAPHS = ("title", "dpo", "intro", "purposes", "rights", "voluntary", "complaint")


@pytest.fixture
def dortmund_parties(traeger):
    return PrivacyNoticeSettings.objects.create(
        traeger=traeger,
        controller_name="Stadt Dortmund – Der Oberbürgermeister",
        controller_address="Friedensplatz 1, 44135 Dortmund",
        controller_email="info@dortmund.example",
        controller_phone="0231 50-0",
        dpo_name="Behördlicher Datenschutzbeauftragter der Stadt Dortmund",
        dpo_address="Südwall 2–4, 44137 Dortmund",
        dpo_email="datenschutz@dortmund.example",
        dpo_phone="0231 50-12345",
    )


def _texts(source, code: str, keys: tuple[str, ...]) -> list[str]:
    language = source.language(code)
    assert language is not None, code
    return [language.texts[key] for key in keys]


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_consent_form_extracts_as_its_source_text(make_consent, code):
    pdf = documents.consent_pdf(make_consent(language=code))

    assert missing_phrases(pdf, _texts(texts.CONSENT_TEXTS, code, CONSENT_PHRASES)) == {
        "pypdf": [],
        "pdftotext": [],
    }
    paragraphs = _texts(texts.CONSENT_TEXTS, code, CONSENT_PARAGRAPHS)
    missing = _expected_missing(code, missing_words(pdf, paragraphs))
    assert missing == {"pypdf": [], "pdftotext": []}
    info = catalog(pdf)
    assert (info["marked"], info["lang"]) == (True, code)
    assert {"de", code} <= set(info["languages"])


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_information_sheet_extracts_as_its_source_text(traeger, dortmund_parties, code):
    pdf = documents.notice_pdf(traeger, notice_parties(traeger), code)

    phrases = _texts(notice_texts.NOTICE_TEXTS, code, NOTICE_PHRASES)
    assert missing_phrases(pdf, phrases) == {"pypdf": [], "pdftotext": []}
    if code not in PYPDF_WORDS_UNRELIABLE:
        # Farsi/Dari sheet: both extractors misorder Persian digits (Art. ۱۳) in RTL lines and
        # pdftotext splits دارید; only its titles and headings are compared (exactly, above).
        paragraphs = _texts(notice_texts.NOTICE_TEXTS, code, NOTICE_PARAGRAPHS)
        assert missing_words(pdf, paragraphs) == {"pypdf": [], "pdftotext": []}
    info = catalog(pdf)
    assert (info["marked"], info["lang"], info["struct_tree"]) == (True, code, True)


def test_the_sheet_names_controller_and_dpo_with_all_contact_data(traeger, dortmund_parties):
    text = pypdf_text(documents.notice_pdf(traeger, notice_parties(traeger), "ar"))

    for value in (
        "Stadt Dortmund – Der Oberbürgermeister",
        "Friedensplatz 1, 44135 Dortmund",
        "Telefon: 0231 50-0",
        "E-Mail: info@dortmund.example",
        "Behördlicher Datenschutzbeauftragter der Stadt Dortmund",
        "Südwall 2–4, 44137 Dortmund",
        "E-Mail: datenschutz@dortmund.example",
        "Telefon: 0231 50-12345",
    ):
        assert value in text, value
    assert "Nicht konfiguriert" not in text


def test_without_a_dpo_the_sheet_says_it_is_not_configured(traeger):
    text = pypdf_text(documents.notice_pdf(traeger, notice_parties(traeger), "uk"))

    assert "Nicht konfiguriert: Der Träger hat die Angaben zur/zum Datenschutzbeauftragten" in text
    assert "traeger.data_protection_officer" in text
