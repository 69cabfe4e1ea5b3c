"""Which column of the list feeds which field of Lotse, and how a cell becomes a value.

The suggestion compares normalised column names with German (and a few English) synonyms:
an exact match wins over a column name that merely contains a synonym ("Datum Zuzug/Anmeldung"
contains "Anmeldung"). Every column feeds at most one field and every field reads one column.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrPromise

from lotse.core.reference import COUNTRIES, LANGUAGES
from lotse.people.models import Person
from lotse.spreadsheets.reading import CellValue


class Target(StrEnum):
    EXTERNAL_KEY = "external_key"
    LAST_NAME = "last_name"
    FIRST_NAME = "first_name"
    FULL_NAME = "full_name"
    DATE_OF_BIRTH = "date_of_birth"
    SEX = "sex"
    NATIONALITIES = "nationalities"
    LANGUAGES = "languages"
    INTERPRETER_NEEDED = "interpreter_needed"
    MUNICIPALITY = "municipality"
    REGISTERED_ON = "registered_on"
    TARGET_GROUP = "target_group"
    RESIDENCE_STATUS = "residence_status"
    STATUS_VALID_FROM = "status_valid_from"
    STATUS_VALID_UNTIL = "status_valid_until"
    PROGRAMME = "programme"
    CASE_OPENED_ON = "case_opened_on"
    DISTINCT_REASON = "distinct_reason"


@dataclass(frozen=True)
class TargetSpec:
    label: StrPromise
    synonyms: tuple[str, ...]
    help: StrPromise | None = None


TARGETS: dict[Target, TargetSpec] = {
    Target.EXTERNAL_KEY: TargetSpec(
        # de: Stabiler Schlüssel (Aktenzeichen, ID)
        _("Stable key (file number, ID)"),
        (
            "aktenzeichen",
            "az",
            "id",
            "kennung",
            "externekennung",
            "externerschluessel",
            "schluessel",
            "personennummer",
            "personenid",
            "fallnummer",
            "kundennummer",
            "lfdnr",
            "laufendenummer",
            "nr",
            "nummer",
            "key",
            "externalkey",
        ),
        # de: Erkennt die Person beim nächsten Import wieder; darf sich nie ändern.
        _("Recognises the person in the next import; must never change."),
    ),
    Target.LAST_NAME: TargetSpec(
        _("last name"), ("name", "nachname", "familienname", "zuname", "lastname", "surname")
    ),
    Target.FIRST_NAME: TargetSpec(
        _("first name"), ("vorname", "vornamen", "rufname", "firstname", "givenname")
    ),
    Target.FULL_NAME: TargetSpec(
        # de: Name und Vorname in einer Spalte („Name, Vorname“)
        _('Last and first name in one column ("Name, Vorname")'),
        ("namevorname", "nachnamevorname", "vollstaendigername", "fullname"),
    ),
    Target.DATE_OF_BIRTH: TargetSpec(
        _("date of birth"),
        ("geburtsdatum", "gebdatum", "geboren", "gebam", "geburtstag", "dateofbirth", "dob"),
    ),
    Target.SEX: TargetSpec(_("sex"), ("geschlecht", "anrede", "sex", "gender")),
    Target.NATIONALITIES: TargetSpec(
        _("nationalities"),
        (
            "staatsangehoerigkeit",
            "staatsangehoerigkeiten",
            "nationalitaet",
            "staatsang",
            "nationality",
            "nationalities",
        ),
    ),
    Target.LANGUAGES: TargetSpec(
        _("languages"), ("sprache", "sprachen", "muttersprache", "herkunftssprache", "language")
    ),
    Target.INTERPRETER_NEEDED: TargetSpec(
        _("interpreter needed"), ("dolmetscher", "sprachmittler", "sprachmittlung", "interpreter")
    ),
    Target.MUNICIPALITY: TargetSpec(
        _("municipality of residence"),
        ("wohnort", "gemeinde", "kommune", "wohngemeinde", "stadt", "ort", "municipality"),
    ),
    Target.REGISTERED_ON: TargetSpec(
        _("date of registration (Anmeldung)"),
        (
            "datumzuzug",
            "zuzugsdatum",
            "zuzug",
            "anmeldung",
            "anmeldedatum",
            "datumanmeldung",
            "zuzugam",
            "angemeldetam",
            "registration",
        ),
    ),
    Target.TARGET_GROUP: TargetSpec(_("target group"), ("zielgruppe", "targetgroup")),
    Target.RESIDENCE_STATUS: TargetSpec(
        _("residence status"),
        ("aufenthaltsstatus", "aufenthaltstitel", "aufenthaltsrecht", "residencestatus", "status"),
    ),
    Target.STATUS_VALID_FROM: TargetSpec(
        # de: Aufenthaltsstatus gültig ab
        _("residence status valid from"),
        ("gueltigab", "erteiltam", "ausgestelltam", "statusseit", "validfrom"),
        # de: Ohne diese Spalte gilt das Datum der Anmeldung, sonst der Tag des Imports.
        _("Without this column the date of registration is used, otherwise the day of import."),
    ),
    Target.STATUS_VALID_UNTIL: TargetSpec(
        # de: Aufenthaltsstatus gültig bis
        _("residence status valid until"),
        ("gueltigbis", "befristetbis", "ablaufdatum", "gueltigkeit", "ablaufam", "validuntil"),
    ),
    Target.PROGRAMME: TargetSpec(
        _("programme"), ("programm", "projekt", "programmzuordnung", "programme")
    ),
    Target.CASE_OPENED_ON: TargetSpec(
        # de: Fallbeginn
        _("case opened on"),
        (
            "fallbeginn",
            "beginn",
            "fallstart",
            "aufnahmedatum",
            "aufnahme",
            "startdatum",
            "caseopenedon",
        ),
        # de: Nur mit Programm: dann wird ein Fall eröffnet, wenn es in dem Programm noch keinen gibt.
        _("Only with a programme: a case is opened if there is none in that programme yet."),
    ),
    Target.DISTINCT_REASON: TargetSpec(
        _("Different person: reason"),
        (
            "anderepersonbegruendung",
            "anderepersongrund",
            "andereperson",
            "keinedublette",
            "dublettebegruendung",
            "distinctreason",
        ),
        _(
            "Only for rows the dry run reports as likely already recorded: why it is a "
            "different person. Rows with a reason are imported as new persons."
        ),
    ),
}

DATE_TARGETS = frozenset(
    {
        Target.DATE_OF_BIRTH,
        Target.REGISTERED_ON,
        Target.STATUS_VALID_FROM,
        Target.STATUS_VALID_UNTIL,
        Target.CASE_OPENED_ON,
    }
)


def normalise_header(text: str) -> str:
    """ "Datum Zuzug/Anmeldung" → "datumzuzuganmeldung"; umlauts folded like German spelling."""
    text = text.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z0-9]", "", text.encode("ascii", "ignore").decode())


def suggest_mapping(headers: list[str]) -> dict[str, str]:
    """Target field → column name, from the column names alone."""
    candidates: list[tuple[int, int, int, Target, str]] = []
    target_order = list(TARGETS)
    for column_index, header in enumerate(headers):
        norm = normalise_header(header)
        if not norm:
            continue
        for target, spec in TARGETS.items():
            score = 0
            for synonym in spec.synonyms:
                if norm == synonym:
                    score = max(score, 1000)
                elif len(synonym) >= 5 and synonym in norm:
                    score = max(score, len(synonym))
            if score:
                candidates.append(
                    (-score, column_index, target_order.index(target), target, header)
                )
    mapping: dict[str, str] = {}
    used_columns: set[str] = set()
    for _score, _column, _order, target, header in sorted(candidates):
        if target.value in mapping or header in used_columns:
            continue
        mapping[target.value] = header
        used_columns.add(header)
    if Target.FULL_NAME.value in mapping and Target.LAST_NAME.value in mapping:
        del mapping[Target.FULL_NAME.value]
    return mapping


# ---------------------------------------------------------------------------------------------
# Cell values


class CellError(Exception):
    """A cell that cannot become a value; ``code`` is stable, the message is for people."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def cell_text(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d.%m.%Y %H:%M") if value.time() else value.strftime("%d.%m.%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return " ".join(str(value).split())


#: Excel counts days from 30.12.1899 (with the 1900 leap-year bug folded into that epoch).
EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_PATTERNS = (
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"), "dmy"),
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2})$"), "dmy2"),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), "ymd"),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), "dmy"),
)


def parse_date(value: CellValue, *, today: dt.date) -> dt.date:
    """German dates (17.05.1990, 17.5.90), ISO 8601 (1990-05-17) and Excel serial numbers."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise CellError("invalid_date")
    if isinstance(value, int | float):
        return _from_serial(value)
    text = str(value).strip()
    # "17.05.1990 00:00", "1990-05-17T00:00:00", "1990-05-17 00:00:00"
    text = re.split(r"[ T]", text, maxsplit=1)[0] if re.match(r"^\S+[ T]\d", text) else text
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        return _from_serial(float(text))
    for pattern, order in _DATE_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        a, b, c = (int(part) for part in match.groups())
        if order == "ymd":
            year, month, day = a, b, c
        else:
            day, month, year = a, b, c
            if order == "dmy2":
                year += 2000 if year <= today.year % 100 else 1900
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise CellError("invalid_date") from None
    raise CellError("invalid_date")


def _from_serial(number: float) -> dt.date:
    if not 1 <= number < 2_958_466:  # 01.01.1900 … 31.12.9999
        raise CellError("invalid_date")
    return EXCEL_EPOCH + dt.timedelta(days=int(number))


_SEX = {
    "w": Person.Sex.FEMALE,
    "weiblich": Person.Sex.FEMALE,
    "frau": Person.Sex.FEMALE,
    "f": Person.Sex.FEMALE,
    "female": Person.Sex.FEMALE,
    "m": Person.Sex.MALE,
    "maennlich": Person.Sex.MALE,
    "herr": Person.Sex.MALE,
    "male": Person.Sex.MALE,
    "d": Person.Sex.DIVERSE,
    "divers": Person.Sex.DIVERSE,
    "diverse": Person.Sex.DIVERSE,
    "x": Person.Sex.UNSPECIFIED,
    "k": Person.Sex.UNSPECIFIED,
    "keineangabe": Person.Sex.UNSPECIFIED,
    "ka": Person.Sex.UNSPECIFIED,
    "unbekannt": Person.Sex.UNSPECIFIED,
    "ohneangabe": Person.Sex.UNSPECIFIED,
    "nichtangegeben": Person.Sex.UNSPECIFIED,
    "notspecified": Person.Sex.UNSPECIFIED,
}


def parse_sex(value: CellValue) -> str:
    try:
        return _SEX[normalise_header(cell_text(value))]
    except KeyError:
        raise CellError("unknown_sex") from None


_YES = {"ja", "j", "x", "yes", "y", "1", "wahr", "true"}
_NO = {"nein", "n", "no", "0", "falsch", "false", "-"}


def parse_yes_no(value: CellValue) -> bool:
    if isinstance(value, bool):
        return value
    text = normalise_header(cell_text(value)) or cell_text(value)
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError("not_yes_no")


#: Nationality adjectives as German lists write them ("syrisch"), beside the country names.
_NATIONALITY_ADJECTIVES = {
    "afghanisch": "AF",
    "albanisch": "AL",
    "algerisch": "DZ",
    "armenisch": "AM",
    "aserbaidschanisch": "AZ",
    "bosnisch": "BA",
    "bulgarisch": "BG",
    "chinesisch": "CN",
    "deutsch": "DE",
    "eritreisch": "ER",
    "aethiopisch": "ET",
    "georgisch": "GE",
    "ghanaisch": "GH",
    "griechisch": "GR",
    "guineisch": "GN",
    "indisch": "IN",
    "irakisch": "IQ",
    "iranisch": "IR",
    "italienisch": "IT",
    "kosovarisch": "XK",
    "libanesisch": "LB",
    "marokkanisch": "MA",
    "moldauisch": "MD",
    "nigerianisch": "NG",
    "pakistanisch": "PK",
    "polnisch": "PL",
    "rumaenisch": "RO",
    "russisch": "RU",
    "serbisch": "RS",
    "somalisch": "SO",
    "sudanesisch": "SD",
    "syrisch": "SY",
    "tuerkisch": "TR",
    "tunesisch": "TN",
    "ukrainisch": "UA",
    "ungarisch": "HU",
    "staatenlos": "XX",
    "ungeklaert": "XU",
    "unbekannt": "XU",
}

#: Language names as lists write them that are not the catalogue's German names.
_LANGUAGE_ALIASES = {
    "farsi": "fa",
    "persisch": "fa",
    "kurdisch": "ku",
    "tigrinisch": "ti",
}


def _lookup_table(codes: Mapping[str, str], extra: dict[str, str]) -> dict[str, str]:
    table = dict(extra)
    with translation.override("de"):
        german = {code: str(name) for code, name in codes.items()}
    with translation.override("en"):
        english = {code: str(name) for code, name in codes.items()}
    for code in codes:
        table[normalise_header(code)] = code
        for name in (german[code], english[code]):
            table.setdefault(normalise_header(name), code)
            short = normalise_header(name.split("(")[0])
            table.setdefault(short, code)
    return table


_COUNTRY_TABLE: dict[str, str] | None = None
_LANGUAGE_TABLE: dict[str, str] | None = None


def _split_list(value: CellValue) -> list[str]:
    return [part.strip() for part in re.split(r"[,;/+]| und ", cell_text(value)) if part.strip()]


def parse_countries(value: CellValue) -> list[str]:
    global _COUNTRY_TABLE  # noqa: PLW0603 - built once, needs the translation catalogue loaded
    if _COUNTRY_TABLE is None:
        _COUNTRY_TABLE = _lookup_table(COUNTRIES, _NATIONALITY_ADJECTIVES)
    return _parse_codes(value, _COUNTRY_TABLE, "unknown_country")


def parse_languages(value: CellValue) -> list[str]:
    global _LANGUAGE_TABLE  # noqa: PLW0603
    if _LANGUAGE_TABLE is None:
        _LANGUAGE_TABLE = _lookup_table(LANGUAGES, _LANGUAGE_ALIASES)
    return _parse_codes(value, _LANGUAGE_TABLE, "unknown_language")


def _parse_codes(value: CellValue, table: dict[str, str], code: str) -> list[str]:
    result: list[str] = []
    for part in _split_list(value):
        try:
            found = table[normalise_header(part)]
        except KeyError:
            raise CellError(code) from None
        if found not in result:
            result.append(found)
    return result


def split_full_name(value: CellValue) -> tuple[str, str]:
    """ "Haddad, Amina" → ("Haddad", "Amina"); without a comma the last word is the last name."""
    text = cell_text(value)
    if "," in text:
        last, first = (part.strip() for part in text.split(",", 1))
    else:
        parts = text.rsplit(" ", 1)
        first, last = (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0])
    if not last or not first:
        raise CellError("name_not_split")
    return last, first
