"""Reference code lists (ISO 3166 countries, ISO 639 languages) with their German names.

These are not regional configuration: they are the same for every Träger.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

COUNTRIES: dict[str, Promise] = {
    "AF": _("Afghanistan"),
    "AL": _("Albania"),
    "DZ": _("Algeria"),
    "AM": _("Armenia"),
    "AZ": _("Azerbaijan"),
    "BA": _("Bosnia and Herzegovina"),
    "BR": _("Brazil"),
    "BG": _("Bulgaria"),
    "CN": _("China"),
    "CO": _("Colombia"),
    "HR": _("Croatia"),
    "CZ": _("Czechia"),
    "EG": _("Egypt"),
    "ER": _("Eritrea"),
    "ET": _("Ethiopia"),
    "FR": _("France"),
    "GM": _("Gambia"),
    "GE": _("Georgia"),
    "DE": _("Germany"),
    "GH": _("Ghana"),
    "GR": _("Greece"),
    "GN": _("Guinea"),
    "HU": _("Hungary"),
    "IN": _("India"),
    "ID": _("Indonesia"),
    "IR": _("Iran"),
    "IQ": _("Iraq"),
    "IT": _("Italy"),
    "JO": _("Jordan"),
    "KZ": _("Kazakhstan"),
    "XK": _("Kosovo"),
    "LB": _("Lebanon"),
    "LY": _("Libya"),
    "LT": _("Lithuania"),
    "LV": _("Latvia"),
    "MA": _("Morocco"),
    "MD": _("Moldova"),
    "ME": _("Montenegro"),
    "MK": _("North Macedonia"),
    "NG": _("Nigeria"),
    "PK": _("Pakistan"),
    "PS": _("Palestinian territories"),
    "PH": _("Philippines"),
    "PL": _("Poland"),
    "PT": _("Portugal"),
    "RO": _("Romania"),
    "RU": _("Russia"),
    "RS": _("Serbia"),
    "SK": _("Slovakia"),
    "SO": _("Somalia"),
    "ES": _("Spain"),
    "LK": _("Sri Lanka"),
    "SD": _("Sudan"),
    "SY": _("Syria"),
    "TN": _("Tunisia"),
    "TR": _("Türkiye"),
    "UA": _("Ukraine"),
    "VN": _("Vietnam"),
    "YE": _("Yemen"),
    "XX": _("stateless"),
    "XU": _("unknown nationality"),
}

LANGUAGES: dict[str, Promise] = {
    "de": _("German"),
    "ar": _("Arabic"),
    "fa": _("Persian (Farsi)"),
    "prs": _("Dari"),
    "ps": _("Pashto"),
    "ku": _("Kurdish (Kurmanji)"),
    "ckb": _("Kurdish (Sorani)"),
    "uk": _("Ukrainian"),
    "ru": _("Russian"),
    "tr": _("Turkish"),
    "ro": _("Romanian"),
    "bg": _("Bulgarian"),
    "ti": _("Tigrinya"),
    "am": _("Amharic"),
    "so": _("Somali"),
    "en": _("English"),
    "fr": _("French"),
    "es": _("Spanish"),
    "it": _("Italian"),
    "pl": _("Polish"),
    "sq": _("Albanian"),
    "sr": _("Serbian"),
    "bs": _("Bosnian"),
    "hr": _("Croatian"),
    "mk": _("Macedonian"),
    "el": _("Greek"),
    "hu": _("Hungarian"),
    "ur": _("Urdu"),
    "hi": _("Hindi"),
    "ta": _("Tamil"),
    "zh": _("Chinese"),
    "vi": _("Vietnamese"),
    "ka": _("Georgian"),
    "hy": _("Armenian"),
    "az": _("Azerbaijani"),
    "rom": _("Romani"),
    "tir": _("Tigre"),
    "ha": _("Hausa"),
    "yo": _("Yoruba"),
    "ig": _("Igbo"),
}

RIGHT_TO_LEFT = frozenset({"ar", "fa", "prs", "ps", "ckb", "ur"})


def country_choices() -> list[tuple[str, str]]:
    return sorted(((code, str(name)) for code, name in COUNTRIES.items()), key=lambda item: item[1])


def language_choices() -> list[tuple[str, str]]:
    return sorted(((code, str(name)) for code, name in LANGUAGES.items()), key=lambda item: item[1])


def country_name(code: str) -> str:
    return str(COUNTRIES.get(code, code))


def language_name(code: str) -> str:
    return str(LANGUAGES.get(code, code))
