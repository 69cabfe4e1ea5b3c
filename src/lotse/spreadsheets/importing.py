"""From rows of a caseload list to persons, residence statuses and cases.

Two passes over the same code: the *dry run* (:func:`check_rows`) parses every mapped cell,
resolves the region's configuration (municipality, target group, residence status, programme)
and compares each row with what Lotse already holds, without writing anything; the *run*
(:func:`import_row`) writes one checked row through the people and cases services, so every
change is validated, Träger-checked and audited exactly like a change made in the form.

Rules a case manager relies on:
- The stable key (external key) recognises a person again; re-importing a list creates no
  duplicates. Without a key column the key is derived from name and date of birth.
- Only mapped columns are applied. An empty cell means "no information" and never erases what
  the team recorded in Lotse.
- A row with an error is not imported at all (no half-imported person).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lotse.cases import selectors as case_selectors
from lotse.cases import services as case_services
from lotse.cases.models import Case
from lotse.core.access import Action
from lotse.core.dates import MESSAGES as DATE_MESSAGES
from lotse.core.dates import birth_date_problem, past_date_problem, period_problem
from lotse.core.locking import EditConflict
from lotse.directory.models import Municipality, Programme, ResidenceStatusType, TargetGroup
from lotse.people import selectors as person_selectors
from lotse.people import services as person_services
from lotse.people.duplicates import DuplicateCheck, Entry, LikelyDuplicate, likely_duplicates_many
from lotse.people.events import person_changes_collected
from lotse.people.models import Person, ResidenceStatusRecord
from lotse.people.names import clean_name, normalise_name
from lotse.spreadsheets.mapping import (
    DATE_TARGETS,
    CellError,
    Target,
    cell_text,
    normalise_header,
    parse_countries,
    parse_date,
    parse_languages,
    parse_sex,
    parse_yes_no,
    split_full_name,
)
from lotse.spreadsheets.reading import CellValue

#: The message for each issue code; ``params`` fill the placeholders.
ISSUE_MESSAGES: dict[str, Promise] = {
    "likely_duplicate": _(
        "This person is probably already recorded (person no. %(persons)s). The row is not "
        "imported; if it is a different person, give the reason in the column "
        "“Different person: reason”."
    ),
    "likely_duplicate_elsewhere": _(
        "A person with these details is already recorded in the Träger – please contact the "
        "Servicestelle. The row is not imported."
    ),
    # de: Pflichtangabe fehlt.
    "required": _("A required value is missing."),
    # de: Das Datum ist nicht lesbar (erlaubt z. B. 17.05.1990, 1990-05-17 oder ein Excel-Datum).
    "invalid_date": _(
        "The date cannot be read (allowed e.g. 17.05.1990, 1990-05-17 or an Excel date)."
    ),
    # The plausibility of dates: the same rules and codes as forms and API (date_in_future,
    # before_birth, birth_too_early, end_before_start, …).
    **DATE_MESSAGES,
    # de: Unbekannte Angabe zum Geschlecht (erlaubt: w, m, d, x oder ausgeschrieben).
    "unknown_sex": _("Unknown value for sex (allowed: w, m, d, x or written out)."),
    # de: Bitte „ja“ oder „nein“ angeben.
    "not_yes_no": _('Please state "ja" or "nein".'),
    # de: Unbekannte Staatsangehörigkeit.
    "unknown_country": _("Unknown nationality."),
    # de: Unbekannte Sprache.
    "unknown_language": _("Unknown language."),
    # de: Name und Vorname lassen sich nicht trennen (erwartet „Name, Vorname“).
    "name_not_split": _('Last and first name cannot be told apart (expected "Name, Vorname").'),
    # de: Die Gemeinde ist in Ihrer Region nicht eingerichtet.
    "unknown_municipality": _("This municipality is not configured in your region."),
    # de: Die Zielgruppe ist in Ihrer Region nicht eingerichtet.
    "unknown_target_group": _("This target group is not configured in your region."),
    # de: Der Aufenthaltsstatus ist in Ihrer Region nicht eingerichtet.
    "unknown_status": _("This residence status is not configured in your region."),
    # de: Das Programm ist in Ihrer Region nicht eingerichtet.
    "unknown_programme": _("This programme is not configured in your region."),
    # de: Derselbe Schlüssel steht schon in Zeile %(first_row)s.
    "duplicate_key": _("The same key already appears in row %(first_row)s."),
    # de: Dieser Schlüssel gehört zu einer Person, die Ihr Team nicht führt.
    "key_taken": _("This key belongs to a person your team does not keep."),
    # de: Der Wert ist zu lang (höchstens %(max)s Zeichen).
    "too_long": _("The value is too long (at most %(max)s characters)."),
    # de: Das Ende der Gültigkeit liegt vor ihrem Beginn. (Code of import jobs before issue 11.)
    "until_before_from": _("The end of validity lies before its start."),
    # de: Die Gültigkeit endet vor dem Beginn des Aufenthaltsstatus, der in Lotse aktuell ist.
    "until_before_current": _(
        "The validity ends before the start of the residence status currently recorded in Lotse."
    ),
    # de: Gültigkeitsdaten ohne Aufenthaltsstatus werden nicht übernommen.
    "needs_status": _("Validity dates without a residence status cannot be taken over."),
    # de: Ein Fallbeginn ohne Programm kann keinem Fall zugeordnet werden.
    "needs_programme": _("A case start without a programme cannot be assigned to a case."),
    # de: Die Person wurde inzwischen von jemand anderem geändert; die Zeile wurde nicht übernommen.
    "conflict": _("The person was changed by someone else in the meantime; the row was skipped."),
    # de: Die Zeile wurde abgelehnt: %(reason)s
    "rejected": _("The row was rejected: %(reason)s"),
}


@dataclass
class Issue:
    row: int
    column: str  # the column name as in the file; "" when the row as a whole is meant
    target: str  # the target field (see ``mapping.Target``)
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    value: str = ""  # the offending cell (kept only while the uploaded file is kept)

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "field": self.target,
            "code": self.code,
            "params": self.params,
            "value": self.value[:80],
        }


def issue_message(issue: dict[str, Any]) -> str:
    """The German sentence for a stored issue, e.g. „Zeile 7, Spalte „Geburtsdatum“: …“."""
    template = ISSUE_MESSAGES.get(issue["code"])
    text = str(template) % issue.get("params", {}) if template else issue["code"]
    if issue.get("column"):
        # de: Zeile %(row)s, Spalte „%(column)s“: %(message)s
        return gettext("Row %(row)s, column “%(column)s”: %(message)s") % {
            "row": issue["row"],
            "column": issue["column"],
            "message": text,
        }
    # de: Zeile %(row)s: %(message)s
    return gettext("Row %(row)s: %(message)s") % {"row": issue["row"], "message": text}


@dataclass
class RowPlan:
    """One row of the list, parsed: what it says, and what is wrong with it."""

    row: int
    key: str = ""
    person: dict[str, Any] = field(default_factory=dict)
    status: ResidenceStatusType | None = None
    status_from: dt.date | None = None
    status_until: dt.date | None = None
    programme: Programme | None = None
    case_opened_on: dt.date | None = None
    distinct_reason: str = ""
    issues: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues


@dataclass
class Changes:
    """What importing a row would change for an existing (or new) person."""

    person_fields: dict[str, Any]
    add_status: tuple[dt.date, dt.date | None] | None
    open_case: bool
    case_update: dict[str, Any]
    case: Case | None = None
    issues: list[str] = field(default_factory=list)  # codes found only against stored data

    @property
    def any(self) -> bool:
        return bool(self.person_fields or self.add_status or self.open_case or self.case_update)


# ---------------------------------------------------------------------------------------------
# Configuration lookups (by name, key or short name; spelling and case do not matter)


class Lookups:
    def __init__(self, traeger_id: int) -> None:
        self.municipalities = self._index(
            Municipality.objects.filter(traeger_id=traeger_id), ("name", "key", "official_key")
        )
        self.target_groups = self._index(
            TargetGroup.objects.filter(traeger_id=traeger_id), ("name", "key")
        )
        self.statuses = self._index(
            ResidenceStatusType.objects.filter(traeger_id=traeger_id), ("name", "key")
        )
        self.programmes = self._index(
            Programme.objects.filter(traeger_id=traeger_id), ("name", "short_name", "key")
        )

    @staticmethod
    def _index(objects: Iterable[Any], attributes: tuple[str, ...]) -> dict[str, Any]:
        index: dict[str, Any] = {}
        for obj in objects:
            for attribute in attributes:
                value = normalise_header(str(getattr(obj, attribute) or ""))
                if value:
                    index.setdefault(value, obj)
        return index

    @staticmethod
    def find(index: dict[str, Any], value: CellValue) -> Any:
        return index.get(normalise_header(cell_text(value)))


def derived_key(last_name: str, first_name: str, date_of_birth: dt.date) -> str:
    """A key that stays the same for the same person in the next list (spelling-tolerant)."""
    basis = f"{normalise_name(last_name, first_name)}|{date_of_birth.isoformat()}"
    return "n-" + hashlib.sha256(basis.encode()).hexdigest()[:20]


# ---------------------------------------------------------------------------------------------
# Parsing rows


def parse_row(
    number: int,
    cells: list[CellValue],
    *,
    headers: list[str],
    mapping: dict[str, str],
    key_rule: str,
    lookups: Lookups,
    today: dt.date,
) -> RowPlan:
    plan = RowPlan(row=number)
    column_of = {target: headers.index(header) for target, header in mapping.items()}

    def raw(target: Target) -> CellValue:
        index = column_of.get(target.value)
        return cells[index] if index is not None else None

    def add(target: Target, code: str, **params: Any) -> None:
        plan.issues.append(
            Issue(
                row=number,
                column=mapping.get(target.value, ""),
                target=target.value,
                code=code,
                params=params,
                value=cell_text(raw(target)),
            )
        )

    dates: dict[Target, dt.date] = {}
    for target in DATE_TARGETS:
        value = raw(target)
        if value is None or target.value not in mapping:
            continue
        try:
            dates[target] = parse_date(value, today=today)
        except CellError as error:
            add(target, error.code)

    # Names
    last = first = ""
    if Target.FULL_NAME.value in mapping and Target.LAST_NAME.value not in mapping:
        if raw(Target.FULL_NAME) is None:
            add(Target.FULL_NAME, "required")
        else:
            try:
                last, first = split_full_name(raw(Target.FULL_NAME))
            except CellError as error:
                add(Target.FULL_NAME, error.code)
    else:
        last = clean_name(cell_text(raw(Target.LAST_NAME)))
        first = clean_name(cell_text(raw(Target.FIRST_NAME)))
        for target, value in ((Target.LAST_NAME, last), (Target.FIRST_NAME, first)):
            if not value:
                add(target, "required")
            elif len(value) > 200:
                add(target, "too_long", max=200)
    if last and first:
        plan.person["last_name"] = last
        plan.person["first_name"] = first

    # The stable key
    if key_rule == "derived":
        birth = dates.get(Target.DATE_OF_BIRTH)
        if raw(Target.DATE_OF_BIRTH) is None:
            add(Target.DATE_OF_BIRTH, "required")
        if birth and last and first:
            plan.key = derived_key(last, first, birth)
    else:
        key = cell_text(raw(Target.EXTERNAL_KEY))
        if not key:
            add(Target.EXTERNAL_KEY, "required")
        elif len(key) > 100:
            add(Target.EXTERNAL_KEY, "too_long", max=100)
        else:
            plan.key = key

    # Plain person fields
    birth = dates.get(Target.DATE_OF_BIRTH)
    if birth:
        if problem := birth_date_problem(birth, on=today):
            add(Target.DATE_OF_BIRTH, problem)
        plan.person["date_of_birth"] = birth
    registered = dates.get(Target.REGISTERED_ON)
    if registered:
        if problem := past_date_problem(registered, born=birth, on=today):
            add(Target.REGISTERED_ON, problem)
        plan.person["registered_on"] = registered
    parsers = (
        (Target.SEX, "sex", parse_sex),
        (Target.NATIONALITIES, "nationalities", parse_countries),
        (Target.LANGUAGES, "languages", parse_languages),
        (Target.INTERPRETER_NEEDED, "interpreter_needed", parse_yes_no),
    )
    for target, name, parser in parsers:
        value = raw(target)
        if value is None:
            continue
        try:
            plan.person[name] = parser(value)
        except CellError as error:
            add(target, error.code)

    lookups_for = (
        (Target.MUNICIPALITY, "municipality", lookups.municipalities, "unknown_municipality"),
        (Target.TARGET_GROUP, "target_group", lookups.target_groups, "unknown_target_group"),
    )
    for target, name, index, code in lookups_for:
        value = raw(target)
        if value is None:
            continue
        found = lookups.find(index, value)
        if found is None:
            add(target, code)
        else:
            plan.person[name] = found

    # Residence status
    status_value = raw(Target.RESIDENCE_STATUS)
    if status_value is not None:
        plan.status = lookups.find(lookups.statuses, status_value)
        if plan.status is None:
            add(Target.RESIDENCE_STATUS, "unknown_status")
    plan.status_from = dates.get(Target.STATUS_VALID_FROM)
    plan.status_until = dates.get(Target.STATUS_VALID_UNTIL)
    if status_value is None:
        for target in (Target.STATUS_VALID_FROM, Target.STATUS_VALID_UNTIL):
            if target in dates:
                add(target, "needs_status")
    elif problem := period_problem(plan.status_from, plan.status_until):
        add(Target.STATUS_VALID_UNTIL, problem)

    # Programme and case
    programme_value = raw(Target.PROGRAMME)
    if programme_value is not None:
        plan.programme = lookups.find(lookups.programmes, programme_value)
        if plan.programme is None:
            add(Target.PROGRAMME, "unknown_programme")
    opened = dates.get(Target.CASE_OPENED_ON)
    if opened:
        if programme_value is None:
            add(Target.CASE_OPENED_ON, "needs_programme")
        elif problem := past_date_problem(opened, on=today):
            add(Target.CASE_OPENED_ON, problem)
        plan.case_opened_on = opened
    plan.distinct_reason = " ".join(cell_text(raw(Target.DISTINCT_REASON)).split())[:500]
    return plan


# ---------------------------------------------------------------------------------------------
# Comparing with what Lotse holds


def _same(person: Person, name: str, value: Any) -> bool:
    if name in ("municipality", "target_group"):
        return getattr(person, f"{name}_id") == (value.pk if value is not None else None)
    if name in ("nationalities", "languages"):
        return set(getattr(person, name) or []) == set(value)
    return bool(getattr(person, name) == value)


def changes_for(
    plan: RowPlan,
    person: Person | None,
    *,
    statuses: list[ResidenceStatusRecord],
    cases: list[Case],
    today: dt.date,
) -> Changes:
    """What the row changes; ``statuses`` newest first, ``cases`` the person's visible cases."""
    if person is None:
        fields = dict(plan.person)
    else:
        fields = {k: v for k, v in plan.person.items() if not _same(person, k, v)}
    changes = Changes(person_fields=fields, add_status=None, open_case=False, case_update={})

    if plan.status is not None:
        current = statuses[0] if statuses else None
        if plan.status_from is not None:
            exists = any(
                record.status_id == plan.status.pk
                and record.valid_from == plan.status_from
                and (plan.status_until is None or record.valid_until == plan.status_until)
                for record in statuses
            )
            if not exists:
                changes.add_status = (plan.status_from, plan.status_until)
        elif not (
            current is not None
            and current.status_id == plan.status.pk
            and (plan.status_until is None or current.valid_until == plan.status_until)
        ):
            registered = plan.person.get("registered_on") or (
                person.registered_on if person else None
            )
            start = today if current is not None else (registered or today)
            if current is not None and start < current.valid_from:
                start = current.valid_from
            if plan.status_until is not None and plan.status_until < start:
                start = plan.status_until
            if current is not None and start < current.valid_from:
                changes.issues.append("until_before_current")
            else:
                changes.add_status = (start, plan.status_until)

    if plan.programme is not None:
        case = next((c for c in cases if c.programme_id == plan.programme.pk), None)
        if case is None:
            changes.open_case = True
        elif (
            plan.case_opened_on is not None
            and case.opened_on != plan.case_opened_on
            and not case.is_closed
        ):
            changes.case = case
            changes.case_update = {"opened_on": plan.case_opened_on}
    return changes


# ---------------------------------------------------------------------------------------------
# The dry run


@dataclass
class CheckResult:
    plans: list[RowPlan]
    would_create: int = 0
    would_update: int = 0
    would_keep: int = 0

    @property
    def issues(self) -> list[Issue]:
        return [issue for plan in self.plans for issue in plan.issues]

    @property
    def valid_rows(self) -> int:
        return sum(1 for plan in self.plans if plan.ok)


#: How often the dry run reports its progress (rows).
CHECK_PROGRESS_EVERY = 200


def check_rows(
    *,
    actor: Any,
    headers: list[str],
    rows: list[tuple[int, list[CellValue]]],
    mapping: dict[str, str],
    key_rule: str,
    progress: Callable[[int], object] | None = None,
) -> CheckResult:
    """Parse and compare every row; nothing is written. ``progress(rows_done)`` is called
    every ``CHECK_PROGRESS_EVERY`` rows (the background dry run shows how far it is)."""
    today = timezone.localdate()
    lookups = Lookups(actor.traeger_id)
    plans = []
    for done, (number, cells) in enumerate(rows, start=1):
        plans.append(
            parse_row(
                number,
                cells,
                headers=headers,
                mapping=mapping,
                key_rule=key_rule,
                lookups=lookups,
                today=today,
            )
        )
        if progress is not None and done % CHECK_PROGRESS_EVERY == 0:
            progress(done)
    key_field = Target.DATE_OF_BIRTH if key_rule == "derived" else Target.EXTERNAL_KEY
    key_column = mapping.get(key_field.value, "")
    first_row: dict[str, int] = {}
    for plan in plans:
        if not plan.key:
            continue
        if plan.key in first_row:
            plan.issues.append(
                Issue(
                    row=plan.row,
                    column=key_column,
                    target=key_field.value,
                    code="duplicate_key",
                    params={"first_row": first_row[plan.key]},
                    value=plan.key if key_rule != "derived" else "",
                )
            )
        else:
            first_row[plan.key] = plan.row

    keys = list(first_row)
    own = {
        person.external_key: person
        for person in person_selectors.person_queryset_for_user(actor, Action.CHANGE)
        .filter(external_key__in=keys)
        .prefetch_related("residence_statuses")
    }
    # Keys taken by persons of other teams of the Träger: only the keys are read, no data.
    taken = set(
        Person.objects.filter(traeger_id=actor.traeger_id, external_key__in=keys)
        .exclude(pk__in=[person.pk for person in own.values()])
        .values_list("external_key", flat=True)
    )
    cases_by_person: dict[int, list[Case]] = {}
    for case in case_selectors.case_queryset_for_user(actor).filter(
        person_id__in=[person.pk for person in own.values()]
    ):
        cases_by_person.setdefault(case.person_id, []).append(case)

    result = CheckResult(plans=plans)
    new: list[RowPlan] = []  # rows that create a person, checked for duplicates together
    for plan in plans:
        if plan.key in taken:
            plan.issues.append(
                Issue(
                    row=plan.row,
                    column=key_column,
                    target=key_field.value,
                    code="key_taken",
                    value=plan.key if key_rule != "derived" else "",
                )
            )
        if not plan.ok:
            continue
        person = own.get(plan.key)
        statuses = (
            sorted(
                person.residence_statuses.all(), key=lambda r: (r.valid_from, r.id), reverse=True
            )
            if person
            else []
        )
        changes = changes_for(
            plan,
            person,
            statuses=statuses,
            cases=cases_by_person.get(person.pk, []) if person else [],
            today=today,
        )
        for code in changes.issues:
            plan.issues.append(
                Issue(
                    row=plan.row,
                    column=mapping.get(Target.STATUS_VALID_UNTIL.value, ""),
                    target=Target.STATUS_VALID_UNTIL.value,
                    code=code,
                )
            )
        if not plan.ok:
            continue
        if person is None:
            new.append(plan)
        elif changes.any:
            result.would_update += 1
        else:
            result.would_keep += 1
    for start in range(0, len(new), DUPLICATE_CHUNK):
        _check_duplicates(actor, new[start : start + DUPLICATE_CHUNK], mapping)
    result.would_create = sum(1 for plan in new if plan.ok)
    return result


#: New persons whose likely duplicates are looked up together (two queries per chunk).
DUPLICATE_CHUNK = 200


def _check_duplicates(actor: Any, plans: list[RowPlan], mapping: dict[str, str]) -> None:
    """New persons that are likely recorded already: an issue at the row, unless it says why not."""
    plans = [plan for plan in plans if not plan.distinct_reason]
    checks = likely_duplicates_many(
        actor,
        [
            Entry(
                first_name=plan.person.get("first_name", ""),
                last_name=plan.person.get("last_name", ""),
                date_of_birth=plan.person.get("date_of_birth"),
            )
            for plan in plans
        ],
    )
    for plan, check in zip(plans, checks, strict=True):
        _add_duplicate_issue(plan, check, mapping)


def _add_duplicate_issue(plan: RowPlan, check: DuplicateCheck, mapping: dict[str, str]) -> None:
    name_target = Target.LAST_NAME if Target.LAST_NAME.value in mapping else Target.FULL_NAME
    column = mapping.get(name_target.value, "")
    if check.visible:
        persons = ", ".join(str(candidate.pk) for candidate in check.visible)
        plan.issues.append(
            Issue(
                row=plan.row,
                column=column,
                target=name_target.value,
                code="likely_duplicate",
                params={"persons": persons},
            )
        )
    elif check.elsewhere:
        plan.issues.append(
            Issue(
                row=plan.row,
                column=column,
                target=name_target.value,
                code="likely_duplicate_elsewhere",
            )
        )


# ---------------------------------------------------------------------------------------------
# The run: one row, one transaction, through the services

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"

#: Service field names → the import target whose column they came from.
_SERVICE_FIELD_TARGET = {
    "last_name": Target.LAST_NAME,
    "first_name": Target.FIRST_NAME,
    "date_of_birth": Target.DATE_OF_BIRTH,
    "registered_on": Target.REGISTERED_ON,
    "municipality": Target.MUNICIPALITY,
    "target_group": Target.TARGET_GROUP,
    "sex": Target.SEX,
    "nationalities": Target.NATIONALITIES,
    "languages": Target.LANGUAGES,
    "status": Target.RESIDENCE_STATUS,
    "valid_from": Target.STATUS_VALID_FROM,
    "valid_until": Target.STATUS_VALID_UNTIL,
    "programme": Target.PROGRAMME,
    "opened_on": Target.CASE_OPENED_ON,
    "external_key": Target.EXTERNAL_KEY,
}


def issues_from_validation_error(
    row: int, error: ValidationError, mapping: dict[str, str]
) -> list[Issue]:
    found: list[Issue] = []
    items = error.message_dict.items() if hasattr(error, "error_dict") else [("", error.messages)]
    for name, messages in items:
        target = _SERVICE_FIELD_TARGET.get(name) if name != NON_FIELD_ERRORS else None
        column = mapping.get(target.value, "") if target else ""
        found.extend(
            Issue(
                row=row,
                column=column,
                target=target.value if target else "",
                code="rejected",
                params={"reason": message},
            )
            for message in messages
        )
    return found


def import_row(*, actor: Any, plan: RowPlan, request: Any = None) -> str:
    """Write one checked row; returns created, updated or unchanged.

    Raises ``ValidationError`` or ``EditConflict`` from the services; the caller records the row
    as failed. The transaction makes the row all-or-nothing (person, status and case).
    """
    today = timezone.localdate()
    # The deadlines of the person (and household) are recomputed once, after the last write.
    with transaction.atomic(), person_changes_collected():
        # Only the key is read first: a new person (the usual row) costs one query here.
        found = (
            Person.objects.filter(traeger_id=actor.traeger_id, external_key=plan.key)
            .values_list("pk", flat=True)
            .first()
        )
        person = None
        if found is not None:
            person = (
                person_selectors.person_queryset_for_user(actor, Action.CHANGE)
                .select_for_update()
                .filter(pk=found)
                .first()
            )
            if person is None:
                raise ValidationError({"external_key": str(ISSUE_MESSAGES["key_taken"])})
        statuses = (
            list(
                ResidenceStatusRecord.objects.filter(
                    traeger_id=actor.traeger_id, person=person
                ).order_by("-valid_from", "-id")
            )
            if person
            else []
        )
        cases = case_selectors.cases_of_person_for_user(actor, person) if person else []
        changes = changes_for(plan, person, statuses=statuses, cases=cases, today=today)
        if changes.issues:
            raise ValidationError(
                {"valid_until": [str(ISSUE_MESSAGES[code]) for code in changes.issues]}
            )
        if person is None:
            try:
                person = person_services.person_create(
                    actor=actor,
                    request=request,
                    external_key=plan.key,
                    distinct_reason=plan.distinct_reason,
                    **changes.person_fields,
                )
            except LikelyDuplicate as duplicate:
                code = (
                    "likely_duplicate" if duplicate.check.visible else "likely_duplicate_elsewhere"
                )
                persons = ", ".join(str(candidate.pk) for candidate in duplicate.check.visible)
                raise ValidationError(
                    {"last_name": str(ISSUE_MESSAGES[code]) % {"persons": persons}}
                ) from None
            outcome = CREATED
        elif changes.any:
            if changes.person_fields:
                person = person_services.person_update(
                    actor=actor,
                    person=person,
                    expected_version=person.version,
                    request=request,
                    **changes.person_fields,
                )
            outcome = UPDATED
        else:
            return UNCHANGED
        if changes.add_status is not None and plan.status is not None:
            valid_from, valid_until = changes.add_status
            person_services.residence_status_add(
                actor=actor,
                person=person,
                status=plan.status,
                valid_from=valid_from,
                valid_until=valid_until,
                request=request,
            )
        if changes.open_case and plan.programme is not None:
            case_services.case_open(
                actor=actor,
                person=person,
                programme=plan.programme,
                opened_on=plan.case_opened_on,
                case_manager=actor,
                request=request,
            )
        if changes.case is not None and changes.case_update:
            case_services.case_update(
                actor=actor,
                case=changes.case,
                expected_version=changes.case.version,
                request=request,
                **changes.case_update,
            )
    return outcome


__all__ = [
    "CREATED",
    "UNCHANGED",
    "UPDATED",
    "CheckResult",
    "EditConflict",
    "Issue",
    "RowPlan",
    "check_rows",
    "import_row",
    "issue_message",
]
