"""Countries and languages from CLDR (Babel): complete, German names, German order."""

from __future__ import annotations

from django.utils import translation

from lotse.core.reference import (
    COUNTRIES,
    LANGUAGES,
    collation_key,
    country_choices,
    country_name,
    language_choices,
    language_name,
)


def test_every_country_with_its_german_name():
    with translation.override("de"):
        for code, name in [
            ("BY", "Belarus"),
            ("VE", "Venezuela"),
            ("CM", "Kamerun"),
            ("BD", "Bangladesch"),
            ("UZ", "Usbekistan"),
            ("CD", "Kongo-Kinshasa"),
            ("CG", "Kongo-Brazzaville"),
            ("XK", "Kosovo"),
            ("SY", "Syrien"),
        ]:
            assert country_name(code) == name
        assert country_name("XX") == "staatenlos"
        assert len(COUNTRIES) > 240
        assert "EU" not in COUNTRIES and "ZZ" not in COUNTRIES and "UN" not in COUNTRIES


def test_german_order_puts_umlauts_with_their_base_letter():
    with translation.override("de"):
        names = [name for _code, name in country_choices()]
    assert names.index("Ägypten") < names.index("Albanien") < names.index("staatenlos")
    assert names.index("Österreich") < names.index("Pakistan")
    assert collation_key("Ägypten") == "agypten"
    assert collation_key("Straße") == "strasse"


def test_languages_tigre_is_not_tigrinya_and_dari_is_there():
    with translation.override("de"):
        assert language_name("tig") == "Tigre"
        assert language_name("ti") == "Tigrinya"
        assert "tir" not in LANGUAGES
        assert language_name("prs") == "Dari"
        assert language_name("ckb") == "Kurdisch (Sorani)"
        assert len(language_choices()) > 500
    with translation.override("en"):
        assert language_name("de") == "German"
        assert country_name("DE") == "Germany"


def test_unknown_codes_are_shown_as_they_are():
    assert country_name("QQ") == "QQ"
    assert language_name("zzz") == "zzz"
