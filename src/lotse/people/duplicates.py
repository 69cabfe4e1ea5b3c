"""Likely duplicates of a person about to be entered.

A candidate is a person of the same Träger whose name keys (``lotse.people.names``) equal the
new name's — first and last name as entered or swapped, or all words in any order — and whose
date of birth is the same, has day and month swapped, lies in the same year, or is unknown.
All conditions are equalities on the B-tree indexes ``person_key_idx`` and
``person_name_key_idx``.

The user learns about candidates in their visible scope (the case team, ``core.access``) by
name; about candidates outside it only that one exists, never who or where — the Servicestelle
clears it up. Other Träger are never searched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lotse.people.models import Person
from lotse.people.names import person_name_fields

#: Shown for candidates outside the user's scope; deliberately without any personal data.
ELSEWHERE_HINT = _(
    "A person with these details is already recorded in the Träger – please contact the "
    "Servicestelle."
)
MAX_CANDIDATES = 10


@dataclass(frozen=True)
class DuplicateCheck:
    visible: list[Person] = field(default_factory=list)
    elsewhere: bool = False
    #: Every candidate's id (also those the user cannot see) — stored, never shown.
    all_ids: list[int] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.visible) or self.elsewhere


class LikelyDuplicate(Exception):
    """Raised by ``person_create`` when candidates exist and no reason confirms a new person."""

    def __init__(self, check: DuplicateCheck) -> None:
        super().__init__(str(ELSEWHERE_HINT))
        self.check = check


def _swapped(date: dt.date) -> dt.date | None:
    if date.day == date.month or date.day > 12:
        return None
    try:
        return date.replace(month=date.day, day=date.month)
    except ValueError:
        return None


def _name_condition(first_name: str, last_name: str) -> Q | None:
    keys = person_name_fields(first_name, last_name)
    if not keys["first_key"] or not keys["last_key"]:
        return None
    return (
        Q(first_key=keys["first_key"], last_key=keys["last_key"])
        | Q(first_key=keys["last_key"], last_key=keys["first_key"])
        | Q(name_key=keys["name_key"])
    )


def _date_condition(date_of_birth: dt.date | None) -> Q:
    if date_of_birth is None:
        return Q()
    same_year = Q(
        date_of_birth__gte=dt.date(date_of_birth.year, 1, 1),
        date_of_birth__lte=dt.date(date_of_birth.year, 12, 31),
    )
    condition = same_year | Q(date_of_birth__isnull=True)
    swapped = _swapped(date_of_birth)
    if swapped is not None:
        condition |= Q(date_of_birth=swapped)
    return condition


def likely_duplicates(
    user: Any,
    *,
    first_name: str,
    last_name: str,
    date_of_birth: dt.date | None,
    exclude_pk: int | None = None,
) -> DuplicateCheck:
    """Candidates for the person about to be entered (two queries, bounded)."""
    from lotse.people.selectors import person_queryset_for_user

    names = _name_condition(first_name, last_name)
    if names is None:
        return DuplicateCheck()
    candidates = Person.objects.filter(
        names, _date_condition(date_of_birth), traeger_id=user.traeger_id, merged_into=None
    )
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    ids = list(candidates.order_by("id").values_list("id", flat=True)[: MAX_CANDIDATES * 5])
    if not ids:
        return DuplicateCheck()
    visible = list(
        person_queryset_for_user(user)
        .filter(pk__in=ids)
        .select_related("municipality")
        .order_by("last_name", "first_name", "id")[:MAX_CANDIDATES]
    )
    shown = {person.pk for person in visible}
    return DuplicateCheck(
        visible=visible, elsewhere=any(pk not in shown for pk in ids), all_ids=ids
    )


@dataclass(frozen=True)
class Entry:
    """A person about to be entered, as :func:`likely_duplicates` takes it."""

    first_name: str
    last_name: str
    date_of_birth: dt.date | None


def _date_matches(candidate: dt.date | None, date_of_birth: dt.date | None) -> bool:
    """:func:`_date_condition` for one candidate."""
    if date_of_birth is None or candidate is None:
        return True
    return candidate.year == date_of_birth.year or candidate == _swapped(date_of_birth)


def likely_duplicates_many(user: Any, entries: Sequence[Entry]) -> list[DuplicateCheck]:
    """:func:`likely_duplicates` for many entries (e.g. the rows of an import) in two queries.

    The candidates of all entries are read at once and assigned to the entries with the same
    rules (name keys, date of birth) in Python; the visible ones are read in one query.
    """
    from lotse.people.selectors import person_queryset_for_user

    keys = [person_name_fields(e.first_name, e.last_name) for e in entries]
    conditions = [
        (names, _date_condition(entry.date_of_birth))
        for entry in entries
        if (names := _name_condition(entry.first_name, entry.last_name)) is not None
    ]
    if not conditions:
        return [DuplicateCheck() for _ in entries]
    combined = Q(pk__in=[])
    for names, dates in conditions:
        combined |= names & dates
    rows = list(
        Person.objects.filter(combined, traeger_id=user.traeger_id, merged_into=None)
        .order_by("id")
        .values_list("id", "first_key", "last_key", "name_key", "date_of_birth")
    )
    ids_of: list[list[int]] = []
    for entry, key in zip(entries, keys, strict=True):
        if not key["first_key"] or not key["last_key"]:
            ids_of.append([])
            continue
        first, last = key["first_key"], key["last_key"]
        ids_of.append(
            [
                pk
                for pk, first_key, last_key, name_key, born in rows
                if (
                    (first_key == first and last_key == last)
                    or (first_key == last and last_key == first)
                    or name_key == key["name_key"]
                )
                and _date_matches(born, entry.date_of_birth)
            ][: MAX_CANDIDATES * 5]
        )
    wanted = sorted({pk for ids in ids_of for pk in ids})
    visible_all = (
        list(
            person_queryset_for_user(user)
            .filter(pk__in=wanted)
            .select_related("municipality")
            .order_by("last_name", "first_name", "id")
        )
        if wanted
        else []
    )
    checks = []
    for ids in ids_of:
        if not ids:
            checks.append(DuplicateCheck())
            continue
        members = set(ids)
        visible = [person for person in visible_all if person.pk in members][:MAX_CANDIDATES]
        shown = {person.pk for person in visible}
        checks.append(
            DuplicateCheck(
                visible=visible, elsewhere=any(pk not in shown for pk in ids), all_ids=ids
            )
        )
    return checks
