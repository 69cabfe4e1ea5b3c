"""Reference code lists (ISO 3166 countries, ISO 639 languages) with names in the user's language.

Not regional configuration: the same for every Träger. The codes and names come from the Unicode
CLDR through Babel (maintained, complete: every country, about 600 languages), in the active
language (German by default), sorted by German rules (Ä like A). A few entries are Lotse's own:
"staatenlos" and "ungeklärt" as nationalities, Dari (``prs``, not in CLDR's German list) and the
labels case workers use for Farsi and the Kurdish languages. Document languages (the client
languages of the Integrationsvereinbarung and the consent form) are a separate, smaller list.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping
from functools import cache

from babel import Locale, UnknownLocaleError
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

#: CLDR region codes that are not countries (EU, UN, "unknown region", outlying territories that
#: have no ISO 3166-1 code of their own, pseudo-locales). Kosovo (XK) stays: German authorities
#: use the code.
_NOT_COUNTRIES = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"}
)

#: Lotse's own nationalities (not countries).
_OWN_COUNTRIES: dict[str, Promise] = {
    "XX": _("stateless"),
    "XU": _("unknown nationality"),
}

#: Labels case workers know better than CLDR's, and Dari, which CLDR's German list lacks.
_OWN_LANGUAGES: dict[str, Promise] = {
    "fa": _("Persian (Farsi)"),
    "prs": _("Dari"),
    "ku": _("Kurdish (Kurmanji)"),
    "ckb": _("Kurdish (Sorani)"),
}


def _locale() -> Locale:
    code = (get_language() or "de").replace("-", "_")
    try:
        return _parse_locale(code)
    except (UnknownLocaleError, ValueError):
        return _parse_locale("de")


@cache
def _parse_locale(code: str) -> Locale:
    return Locale.parse(code)


@cache
def _country_codes() -> frozenset[str]:
    names = [str(code) for code in _parse_locale("de").territories]
    return frozenset(
        code for code in names if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    )


@cache
def _language_codes() -> frozenset[str]:
    names = [str(code) for code in _parse_locale("de").languages]
    return frozenset(code for code in names if "_" not in code and code.isalpha()) | set(
        _OWN_LANGUAGES
    )


def collation_key(text: str) -> str:
    """Sort key by German rules (DIN 5007-1): umlauts and accents like their base letter."""
    decomposed = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class _Names(Mapping[str, str]):
    """``{code: name}`` with names in the active language (read-only, like a dict)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def _codes(self) -> frozenset[str]:
        if self.kind == "countries":
            return _country_codes() | set(_OWN_COUNTRIES)
        return _language_codes()

    def __getitem__(self, code: str) -> str:
        own = _OWN_COUNTRIES if self.kind == "countries" else _OWN_LANGUAGES
        if code in own:
            return str(own[code])
        if code not in self._codes():
            raise KeyError(code)
        locale = _locale()
        names = locale.territories if self.kind == "countries" else locale.languages
        fallback = _parse_locale("de")
        default = fallback.territories if self.kind == "countries" else fallback.languages
        return str(names.get(code) or default.get(code) or code)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._codes()))

    def __len__(self) -> int:
        return len(self._codes())

    def __contains__(self, code: object) -> bool:
        return code in self._codes()


COUNTRIES: Mapping[str, str] = _Names("countries")
LANGUAGES: Mapping[str, str] = _Names("languages")

RIGHT_TO_LEFT = frozenset({"ar", "fa", "prs", "ps", "ckb", "ur"})


def _choices(names: Mapping[str, str]) -> list[tuple[str, str]]:
    return sorted(names.items(), key=lambda item: (collation_key(item[1]), item[0]))


def country_choices() -> list[tuple[str, str]]:
    """All countries (and "staatenlos", "ungeklärt"), by name in German order."""
    return _choices(COUNTRIES)


def language_choices() -> list[tuple[str, str]]:
    """All languages, by name in German order."""
    return _choices(LANGUAGES)


def country_name(code: str) -> str:
    return COUNTRIES.get(code, code)


def language_name(code: str) -> str:
    return LANGUAGES.get(code, code)
