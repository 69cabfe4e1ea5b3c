"""The exported lists: the caseload ("Meine Fälle", same filters) and the person list.

Rows come from the same scoped selectors as the pages, so an export never holds more than the
user may see there. The person list uses column names the import recognises, so a list exported
from Lotse can be edited and imported again (matched by the external key).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Mapping
from itertools import islice
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import QuerySet, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lotse.cases import selectors as case_selectors
from lotse.cases.models import Case, Phase
from lotse.core.reference import country_name, language_name
from lotse.people import selectors as person_selectors
from lotse.people.models import Person, ResidenceStatusRecord
from lotse.spreadsheets.exporting import Column

#: Rows fetched per round trip: the export streams through the list in flat memory.
CHUNK_SIZE = 2000

#: The columns the case export reads, and nothing else: the encrypted case summary and
#: health notes are never read, let alone decrypted, for a list that does not show them.
#: Rows are named tuples (``values_list``), not model instances with their related objects.
CASE_EXPORT_FIELDS = (
    "reference",
    "phase",
    "opened_on",
    "participation_agreed_on",
    "closed_on",
    "person__last_name",
    "person__first_name",
    "person__date_of_birth",
    "person__external_key",
    "person__municipality__name",
    "programme__name",
    "programme__short_name",
    "case_manager__username",
    "case_manager__first_name",
    "case_manager__last_name",
)
PERSON_EXPORT_FIELDS = (
    "id",
    "external_key",
    "last_name",
    "first_name",
    "date_of_birth",
    "sex",
    "nationalities",
    "languages",
    "interpreter_needed",
    "registered_on",
    "municipality__name",
    "target_group__name",
)

#: The person rows: the two code lists as the stored JSON text, decoded and named once per
#: distinct list and export instead of once per row (``json.loads`` was a third of the fetch).
PERSON_ROW_FIELDS = tuple(
    {"nationalities": "nationalities_json", "languages": "languages_json"}.get(field, field)
    for field in PERSON_EXPORT_FIELDS
)


class PersonExportRow(NamedTuple):
    """A person's exported columns with the current residence status (newest ``valid_from``)."""

    person: Any  # the named row of PERSON_ROW_FIELDS
    status_name: str | None
    status_valid_from: dt.date | None
    status_valid_until: dt.date | None


def case_filter_from_query(query: Mapping[str, str]) -> case_selectors.CaseFilter:
    """The filters of "Meine Fälle" from the same query string: the one definition of the list."""
    return case_selectors.CASE_FILTERS.parse(query).values


def cases_for_export(user: Any, query: Mapping[str, str]) -> QuerySet[Case]:
    return (
        case_selectors.case_list_for_user(user, filters=case_filter_from_query(query))
        .only(*CASE_EXPORT_FIELDS)
        .order_by(*case_selectors.CASE_LIST_ORDER)
    )


def case_export_rows(user: Any, query: Mapping[str, str]) -> Iterator[Any]:
    """The case rows as named tuples of ``CASE_EXPORT_FIELDS``, fetched in chunks."""
    return (
        cases_for_export(user, query)
        .values_list(*CASE_EXPORT_FIELDS, named=True)
        .iterator(chunk_size=CHUNK_SIZE)
    )


def _name_list(lookup: Callable[[str], str]) -> Callable[[str | None], str]:
    """Stored JSON list of codes → "Name, Name", worked out once per distinct list and export."""
    found: dict[str | None, str] = {None: ""}

    def names(stored: str | None) -> str:
        try:
            return found[stored]
        except KeyError:
            found[stored] = ", ".join(lookup(code) for code in json.loads(str(stored)) or ())
            return found[stored]

    return names


def _full_name(first_name: str | None, last_name: str | None, username: str | None) -> str:
    """``User.display_name()`` from the row's columns; "" without a case manager."""
    return f"{first_name or ''} {last_name or ''}".strip() or username or ""


def case_columns() -> list[Column]:
    # Translated once per export, not once per row (``get_phase_display`` hashes the lazy
    # choices on every call: a third of the export's time).
    phases = {value: str(label) for value, label in Phase.choices}
    return [
        # de: Aktenzeichen
        Column(pgettext("spreadsheet column", "Case number"), lambda c: c.reference, 14),
        # de: Nachname
        Column(pgettext("spreadsheet column", "Last name"), lambda c: c.person__last_name, 20),
        # de: Vorname
        Column(pgettext("spreadsheet column", "First name"), lambda c: c.person__first_name, 18),
        # de: Geburtsdatum
        Column(
            pgettext("spreadsheet column", "Date of birth"), lambda c: c.person__date_of_birth, 14
        ),
        # de: Wohnort
        Column(
            pgettext("spreadsheet column", "Municipality"),
            lambda c: c.person__municipality__name,
            20,
        ),
        # de: Programm (``str(programme)``: the short name, else the name)
        Column(
            pgettext("spreadsheet column", "Programme"),
            lambda c: c.programme__short_name or c.programme__name,
            28,
        ),
        # de: Phase
        Column(pgettext("spreadsheet column", "Phase"), lambda c: phases.get(c.phase, c.phase), 16),
        # de: Fallverantwortung
        Column(
            pgettext("spreadsheet column", "Case manager"),
            lambda c: _full_name(
                c.case_manager__first_name, c.case_manager__last_name, c.case_manager__username
            ),
            22,
        ),
        # de: Fallbeginn
        Column(pgettext("spreadsheet column", "Case opened on"), lambda c: c.opened_on, 14),
        # de: Teilnahme vereinbart am
        Column(
            pgettext("spreadsheet column", "Participation agreed on"),
            lambda c: c.participation_agreed_on,
            16,
        ),
        # de: Abgeschlossen am
        Column(pgettext("spreadsheet column", "Closed on"), lambda c: c.closed_on, 14),
        # de: Externe Kennung
        Column(
            pgettext("spreadsheet column", "External key"), lambda c: c.person__external_key, 18
        ),
    ]


def persons_for_export(user: Any, query: Mapping[str, str]) -> QuerySet[Person]:
    filters = person_selectors.PERSON_FILTERS.parse(query).values
    return (
        person_selectors.person_list_filtered(user, filters=filters)
        .only(*PERSON_EXPORT_FIELDS)
        .order_by(*person_selectors.PERSON_ORDER)
    )


def _current_statuses(person_ids: list[int]) -> dict[int, tuple[str, dt.date, dt.date | None]]:
    """Each person's current residence status (newest ``valid_from``, then newest record)."""
    current: dict[int, tuple[str, dt.date, dt.date | None]] = {}
    chunk: Any = person_ids
    if connection.vendor == "postgresql":
        # One array parameter instead of a placeholder per id: psycopg and Django spend more
        # time on 2,000 placeholders than PostgreSQL on the query.
        chunk = RawSQL("SELECT unnest(%s::bigint[])", (person_ids,))
    records = (
        ResidenceStatusRecord.objects.filter(person_id__in=chunk)
        .order_by("person_id", "-valid_from", "-id")
        .values_list("person_id", "status__name", "valid_from", "valid_until")
    )
    for person_id, name, valid_from, valid_until in records:
        current.setdefault(person_id, (name, valid_from, valid_until))
    return current


def person_export_rows(user: Any, query: Mapping[str, str]) -> Iterator[PersonExportRow]:
    """The person rows with their current residence status: one status query per chunk."""
    persons = (
        persons_for_export(user, query)
        .annotate(
            nationalities_json=Cast("nationalities", TextField()),
            languages_json=Cast("languages", TextField()),
        )
        .values_list(*PERSON_ROW_FIELDS, named=True)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    no_status = (None, None, None)
    while chunk := list(islice(persons, CHUNK_SIZE)):
        statuses = _current_statuses([person.id for person in chunk])
        for person in chunk:
            yield PersonExportRow(person, *statuses.get(person.id, no_status))


def person_columns() -> list[Column]:
    sexes = {value: str(label) for value, label in Person.Sex.choices}
    yes, no = _("yes"), _("no")
    nationalities = _name_list(country_name)
    languages = _name_list(language_name)
    return [
        # de: Externe Kennung
        Column(pgettext("spreadsheet column", "External key"), lambda r: r.person.external_key, 18),
        # de: Nachname
        Column(pgettext("spreadsheet column", "Last name"), lambda r: r.person.last_name, 20),
        # de: Vorname
        Column(pgettext("spreadsheet column", "First name"), lambda r: r.person.first_name, 18),
        # de: Geburtsdatum
        Column(
            pgettext("spreadsheet column", "Date of birth"), lambda r: r.person.date_of_birth, 14
        ),
        # de: Geschlecht
        Column(
            pgettext("spreadsheet column", "Sex"),
            lambda r: sexes.get(r.person.sex, r.person.sex),
            14,
        ),
        # de: Staatsangehörigkeit
        Column(
            pgettext("spreadsheet column", "Nationalities"),
            lambda r: nationalities(r.person.nationalities_json),
            20,
        ),
        # de: Sprachen
        Column(
            pgettext("spreadsheet column", "Languages"),
            lambda r: languages(r.person.languages_json),
            20,
        ),
        # de: Dolmetscher benötigt
        Column(
            pgettext("spreadsheet column", "Interpreter needed"),
            lambda r: yes if r.person.interpreter_needed else no,
            12,
        ),
        # de: Wohnort
        Column(
            pgettext("spreadsheet column", "Municipality"),
            lambda r: r.person.municipality__name,
            20,
        ),
        # de: Datum der Anmeldung
        Column(
            pgettext("spreadsheet column", "Date of registration"),
            lambda r: r.person.registered_on,
            14,
        ),
        # de: Zielgruppe
        Column(
            pgettext("spreadsheet column", "Target group"),
            lambda r: r.person.target_group__name,
            20,
        ),
        # de: Aufenthaltsstatus
        Column(pgettext("spreadsheet column", "Residence status"), lambda r: r.status_name, 26),
        # de: gültig ab
        Column(pgettext("spreadsheet column", "Valid from"), lambda r: r.status_valid_from, 14),
        # de: gültig bis
        Column(pgettext("spreadsheet column", "Valid until"), lambda r: r.status_valid_until, 14),
    ]
