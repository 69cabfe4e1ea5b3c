"""The exported lists: the caseload ("Meine Fälle", same filters) and the person list.

Rows come from the same scoped selectors as the pages, so an export never holds more than the
user may see there. The person list uses column names the import recognises, so a list exported
from Lotse can be edited and imported again (matched by the external key).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.db.models import Prefetch, QuerySet
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

#: The columns the case export writes, and nothing else: the encrypted case summary and
#: health notes are never read, let alone decrypted, for a list that does not show them.
CASE_EXPORT_FIELDS = (
    "id",
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


def case_filter_from_query(query: Mapping[str, str]) -> case_selectors.CaseFilter:
    """The filters of "Meine Fälle" from the same query string: the one definition of the list."""
    return case_selectors.CASE_FILTERS.parse(query).values


def cases_for_export(user: Any, query: Mapping[str, str]) -> QuerySet[Case]:
    return (
        case_selectors.case_list_for_user(user, filters=case_filter_from_query(query))
        .only(*CASE_EXPORT_FIELDS)
        .order_by(*case_selectors.CASE_LIST_ORDER)
    )


def export_rows(queryset: QuerySet[Any]) -> Iterator[Any]:
    """The rows of an export, fetched in chunks (prefetches per chunk), never all at once."""
    return queryset.iterator(chunk_size=CHUNK_SIZE)


def case_columns() -> list[Column]:
    # Translated once per export, not once per row (``get_phase_display`` hashes the lazy
    # choices on every call: a third of the export's time).
    phases = {value: str(label) for value, label in Phase.choices}
    return [
        # de: Aktenzeichen
        Column(pgettext("spreadsheet column", "Case number"), lambda c: c.reference, 14),
        # de: Nachname
        Column(pgettext("spreadsheet column", "Last name"), lambda c: c.person.last_name, 20),
        # de: Vorname
        Column(pgettext("spreadsheet column", "First name"), lambda c: c.person.first_name, 18),
        # de: Geburtsdatum
        Column(
            pgettext("spreadsheet column", "Date of birth"), lambda c: c.person.date_of_birth, 14
        ),
        # de: Wohnort
        Column(
            pgettext("spreadsheet column", "Municipality"),
            lambda c: c.person.municipality.name if c.person.municipality else "",
            20,
        ),
        # de: Programm
        Column(pgettext("spreadsheet column", "Programme"), lambda c: str(c.programme), 28),
        # de: Phase
        Column(pgettext("spreadsheet column", "Phase"), lambda c: phases.get(c.phase, c.phase), 16),
        # de: Fallverantwortung
        Column(
            pgettext("spreadsheet column", "Case manager"),
            lambda c: c.case_manager.display_name() if c.case_manager else "",
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
        Column(pgettext("spreadsheet column", "External key"), lambda c: c.person.external_key, 18),
    ]


def persons_for_export(user: Any, query: Mapping[str, str]) -> QuerySet[Person]:
    statuses = ResidenceStatusRecord.objects.select_related("status").order_by("-valid_from", "-id")
    filters = person_selectors.PERSON_FILTERS.parse(query).values
    return (
        person_selectors.person_list_filtered(user, filters=filters)
        .only(*PERSON_EXPORT_FIELDS)
        .prefetch_related(Prefetch("residence_statuses", queryset=statuses))
        .order_by(*person_selectors.PERSON_ORDER)
    )


def _current_status(person: Person) -> ResidenceStatusRecord | None:
    return person_selectors.person_current_status(person)


def person_columns() -> list[Column]:
    def status_attr(attribute: str) -> Any:
        def read(person: Person) -> Any:
            record = _current_status(person)
            if record is None:
                return None
            return record.status.name if attribute == "name" else getattr(record, attribute)

        return read

    return [
        # de: Externe Kennung
        Column(pgettext("spreadsheet column", "External key"), lambda p: p.external_key, 18),
        # de: Nachname
        Column(pgettext("spreadsheet column", "Last name"), lambda p: p.last_name, 20),
        # de: Vorname
        Column(pgettext("spreadsheet column", "First name"), lambda p: p.first_name, 18),
        # de: Geburtsdatum
        Column(pgettext("spreadsheet column", "Date of birth"), lambda p: p.date_of_birth, 14),
        # de: Geschlecht
        Column(pgettext("spreadsheet column", "Sex"), lambda p: p.get_sex_display(), 14),
        # de: Staatsangehörigkeit
        Column(
            pgettext("spreadsheet column", "Nationalities"),
            lambda p: ", ".join(country_name(code) for code in p.nationalities or []),
            20,
        ),
        # de: Sprachen
        Column(
            pgettext("spreadsheet column", "Languages"),
            lambda p: ", ".join(language_name(code) for code in p.languages or []),
            20,
        ),
        # de: Dolmetscher benötigt
        Column(
            pgettext("spreadsheet column", "Interpreter needed"),
            lambda p: _("yes") if p.interpreter_needed else _("no"),
            12,
        ),
        # de: Wohnort
        Column(
            pgettext("spreadsheet column", "Municipality"),
            lambda p: p.municipality.name if p.municipality else "",
            20,
        ),
        # de: Datum der Anmeldung
        Column(
            pgettext("spreadsheet column", "Date of registration"), lambda p: p.registered_on, 14
        ),
        # de: Zielgruppe
        Column(
            pgettext("spreadsheet column", "Target group"),
            lambda p: p.target_group.name if p.target_group else "",
            20,
        ),
        # de: Aufenthaltsstatus
        Column(pgettext("spreadsheet column", "Residence status"), status_attr("name"), 26),
        # de: gültig ab
        Column(pgettext("spreadsheet column", "Valid from"), status_attr("valid_from"), 14),
        # de: gültig bis
        Column(pgettext("spreadsheet column", "Valid until"), status_attr("valid_until"), 14),
    ]
