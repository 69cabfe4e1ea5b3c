"""The translation data of the consent form and the information sheet: complete, same languages
as the Integrationsvereinbarung, right-to-left where the reference list says so, unverified."""

from __future__ import annotations

import pytest

from lotse.agreements.texts import DOCUMENT_LANGUAGES, SHARED_KEYS
from lotse.consent.models import Category
from lotse.consent.notice_texts import NOTICE_TEXTS
from lotse.consent.texts import CONSENT_TEXTS
from lotse.core.reference import RIGHT_TO_LEFT

DOCUMENTS = [CONSENT_TEXTS, NOTICE_TEXTS]


@pytest.mark.parametrize("document", DOCUMENTS, ids=["consent", "notice"])
def test_the_languages_are_those_of_the_agreement(document):
    assert set(document.translations) == set(DOCUMENT_LANGUAGES)


@pytest.mark.parametrize("document", DOCUMENTS, ids=["consent", "notice"])
def test_every_language_has_every_text(document):
    for code in DOCUMENT_LANGUAGES:
        texts = document.translations[code]
        assert set(texts) == set(document.source), code
        assert not [key for key, text in texts.items() if not text.strip()], code
        language = document.language(code)
        assert set(language.texts) == set(document.source) | set(SHARED_KEYS)


@pytest.mark.parametrize("document", DOCUMENTS, ids=["consent", "notice"])
def test_translations_are_marked_unverified_and_keep_the_direction(document):
    for code in DOCUMENT_LANGUAGES:
        language = document.language(code)
        assert language.texts["title"] != document.source["title"], code
        assert not language.approved, code  # no certified translator has released them yet
        assert language.rtl == (code in RIGHT_TO_LEFT), code
        assert language.texts["unverified"] == DOCUMENT_LANGUAGES[code].texts["unverified"]
    assert document.source_language().approved


def test_every_category_has_a_label_in_every_language():
    for value in Category.values:
        assert f"cat_{value}" in CONSENT_TEXTS.source


def test_the_retention_period_is_filled_in_in_every_language():
    for texts in [NOTICE_TEXTS.source, *NOTICE_TEXTS.translations.values()]:
        assert "{years}" in texts["retention"]
        assert "5" in texts["retention"].format(years=5)


def test_unknown_languages_have_no_template():
    assert CONSENT_TEXTS.language("xx") is None
    assert CONSENT_TEXTS.language("ku") is None  # a reference language without a print-out
    assert NOTICE_TEXTS.language("de").code == "de"
