"""The translation data of the print-out: complete, with direction and approval status."""

from __future__ import annotations

from lotse.agreements.texts import (
    DOCUMENT_LANGUAGES,
    GERMAN,
    SOURCE,
    default_language_for,
    document_language,
)
from lotse.core.reference import LANGUAGES, RIGHT_TO_LEFT

REQUIRED = {"ar", "fa", "prs", "uk", "ru", "tr", "en", "ro", "bg", "ti"}


def test_the_required_languages_are_there():
    assert REQUIRED <= set(DOCUMENT_LANGUAGES)
    assert set(DOCUMENT_LANGUAGES) <= set(LANGUAGES)


def test_every_language_has_every_text():
    for code, language in DOCUMENT_LANGUAGES.items():
        assert set(language.texts) == set(GERMAN), code
        empty = [key for key, text in language.texts.items() if not text.strip()]
        assert not empty, f"{code}: empty texts {empty}"


def test_translations_are_not_german_copies():
    for code, language in DOCUMENT_LANGUAGES.items():
        assert language.texts["title"] != GERMAN["title"], code
        assert language.texts["unverified"] != GERMAN["unverified"], code


def test_writing_direction_matches_the_reference_list():
    for code, language in DOCUMENT_LANGUAGES.items():
        assert language.rtl == (code in RIGHT_TO_LEFT), code


def test_approval_is_recorded_per_language():
    assert SOURCE.approved
    # No certified translator has released any of the shipped translations yet.
    assert not any(language.approved for language in DOCUMENT_LANGUAGES.values())


def test_lookup_and_default():
    assert document_language("de") is SOURCE
    assert document_language("xx") is None
    assert default_language_for(["ku", "ar"]) == "ar"
    assert default_language_for(["ar"], interpreter_language="ti") == "ti"
    assert default_language_for(["ku"]) == "de"
