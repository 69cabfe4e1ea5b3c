"""The agreement PDF's text layer reads back as the words shown, in every client language.

"اتفاقية الاندماج" used to extract as "اةفاةية الفدماج": the Arabic font draws a dotted letter as a
skeleton plus dots shared with other letters, and WeasyPrint mapped each shared glyph to the first
letter it was drawn for (see ``lotse.agreements.textlayer``).
"""

from __future__ import annotations

import pytest

from lotse.agreements.pdf import html_to_pdf, render_pdf
from lotse.agreements.texts import DOCUMENT_LANGUAGES, document_language
from tests.pdftext import catalog, missing_phrases, missing_words, pdfinfo, pypdf_text

#: Fixed texts printed on every agreement: the title, headings and labels (exactly) and the long
#: paragraphs (word by word, see tests/pdftext.py).
PHRASES = ("title", "goals", "signatures", "case_number")
PARAGRAPHS = ("intro", "voluntary", "client", "place_date", "entered_in_german", "unverified")

CLIENT_LANGUAGES = sorted(code for code in DOCUMENT_LANGUAGES if code != "de")


def test_the_known_phrase_reads_back_exactly():
    pdf = html_to_pdf(
        '<html lang="ar"><body><p lang="ar" dir="rtl">اتفاقية الاندماج</p>'
        '<p lang="fa" dir="rtl">توافق‌نامه یکپارچگی</p></body></html>'
    )

    text = pypdf_text(pdf)

    assert "اتفاقية الاندماج" in text
    assert "توافق‌نامه یکپارچگی" in text  # with the zero-width non-joiner
    assert missing_phrases(pdf, ["اتفاقية الاندماج"]) == {"pypdf": [], "pdftotext": []}


def test_a_letter_sharing_glyphs_with_an_earlier_one_keeps_its_own_text():
    # ق and ة share their dots, ب and ت their skeleton, final ه is the skeleton of ة.
    words = ["الطاقة", "بيت", "تبة", "نامه", "قبة", "شمس", "سمش"]
    pdf = html_to_pdf(f'<html lang="ar"><body><p dir="rtl">{" ".join(words)}</p></body></html>')

    assert missing_phrases(pdf, [" ".join(words)]) == {"pypdf": [], "pdftotext": []}


@pytest.mark.parametrize("code", CLIENT_LANGUAGES)
def test_the_agreement_extracts_as_its_source_text(agreed, code):
    language = document_language(code)
    assert language is not None

    pdf = render_pdf(agreed, language)

    phrases = [language.texts[key] for key in PHRASES]
    assert missing_phrases(pdf, phrases) == {"pypdf": [], "pdftotext": []}
    paragraphs = [language.texts[key] for key in PARAGRAPHS]
    assert missing_words(pdf, paragraphs) == {"pypdf": [], "pdftotext": []}
    assert "Integrationsvereinbarung" in pypdf_text(pdf)


def test_the_agreement_is_tagged_with_its_language(agreed):
    language = document_language("ar")
    assert language is not None

    pdf = render_pdf(agreed, language)

    # The German parts and the Arabic parts carry their own language for screen readers.
    assert catalog(pdf) == {
        "marked": True,
        "languages": ["ar", "de"],
        "lang": "ar",
        "struct_tree": True,
    }
    assert "Tagged:          yes" in pdfinfo(pdf)


def test_a_german_only_agreement_is_tagged_german(agreed):
    language = document_language("de")
    assert language is not None

    assert catalog(render_pdf(agreed, language))["lang"] == "de"
