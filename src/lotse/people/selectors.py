"""Reading persons. Every read is scoped by the access policy (``lotse.core.access``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from lotse.core.access import Action, not_found, person_scope_branches, restrict
from lotse.core.filters import TEXT, FilterField, ListFilter
from lotse.core.pagination import KeysetPage, keyset_page, keyset_union_page
from lotse.people import guards
from lotse.people.models import Person, PersonNameVariant, ResidenceStatusRecord
from lotse.people.names import name_keys


def person_queryset_for_user(user: Any, action: Action = Action.VIEW) -> QuerySet[Person]:
    """The persons the user may act on; merged records (tombstones) are not persons any more."""
    queryset: QuerySet[Person] = restrict(Person.objects.filter(merged_into=None), user, action)
    if action != Action.VIEW:  # a restricted person is read-only (Art. 18 GDPR)
        queryset = guards.exclude_restricted(queryset, "pk")
    return queryset


PERSON_ORDER = ["last_name", "first_name", "id"]


@dataclass(frozen=True)
class PersonFilter:
    search: str = ""


#: The filters of the person list: the page, the XLSX export and ``/api/v1/persons/``.
PERSON_FILTERS = ListFilter(
    PersonFilter,
    [
        FilterField(
            "search",
            "q",
            _("Search by name (also other spellings)"),
            TEXT,
            api_param="q",
            # de: Name oder Namensvariante; Schreibweisen werden angeglichen.
            help_text=_("Name or name variant; spellings are matched loosely."),
        )
    ],
)


def person_list_filtered(user: Any, *, filters: PersonFilter) -> QuerySet[Person]:
    return person_list_for_user(user, search=filters.search)


def name_match(search: str, *, traeger_id: int, person: str = "") -> Q | None:
    """The condition "every word of ``search`` is a word of the person's name or a variant".

    Words compare by their transliteration key (``lotse.people.names.name_key``) as whole
    words, in any order: "Haddad, Mohamad", "Mohammed Haddad" and "hadad muhammad" find the
    same persons, "Mohamad" does not find "Mohamadi". ``person`` is the path from the queried
    model to the person ("" for persons, "person__" for cases). None without words.

    On PostgreSQL the keys are rows of ``people_name_token`` (migration ``people.0010``, kept
    by triggers): the persons having every key are one index-only range per key within the
    Träger, grouped — the cost follows the matches of the user's Träger, not of all Träger.
    A person matches when each word is a word of the name or of one of its variants. On SQLite
    ``name_key LIKE '% key %'`` (space-padded, so whole keys) over the Träger's persons and
    variants, per word.
    """
    keys = sorted(set(name_keys(search)))
    if not keys:
        return None
    if connections[Person.objects.db].vendor == "postgresql":
        condition = Q()
        for key in keys:
            tokens = RawSQL(  # noqa: S611 - a constant statement, the values are parameters
                "SELECT person_id FROM people_name_token WHERE traeger_id = %s AND key = %s",
                [traeger_id, key],
            )
            condition &= Q(**{f"{person}pk__in": tokens})
        return condition
    condition = Q()
    for key in keys:
        on_key = Q(name_key__contains=f" {key} ")
        by_name = Person.objects.filter(on_key, traeger_id=traeger_id).order_by().values("pk")
        by_variant = PersonNameVariant.objects.filter(on_key, traeger_id=traeger_id).values(
            "person_id"
        )
        condition &= Q(**{f"{person}pk__in": by_name.union(by_variant)})
    return condition


def person_list_for_user(user: Any, *, search: str = "") -> QuerySet[Person]:
    queryset = person_queryset_for_user(user).select_related("municipality", "target_group")
    condition = name_match(search, traeger_id=user.traeger_id)
    if condition is not None:
        queryset = queryset.filter(condition)
    return queryset


def person_page_for_user(
    user: Any, *, filters: PersonFilter, cursor: str | None, size: int = 25
) -> KeysetPage:
    """One page of the person list (page and API), in name order.

    Without a search, on PostgreSQL, the page is merged from the branches of the user's scope
    (``core.access.person_scope_branches``: one index range per post of the team, the persons
    of the team's cases, single persons), each cut after the cursor — a team lead's page no
    longer reads and sorts the whole team's persons (issue 14: 75–90 ms at NRW size). A search
    is bounded by its matches (``name_match``: one key range each) and filters by the scope's
    ``UNION``, as SQLite does for every page.
    """
    queryset = person_list_filtered(user, filters=filters)
    searched = bool(name_keys(filters.search))
    branches = None if searched else person_scope_branches(user)
    if branches is None or connections[queryset.db].vendor != "postgresql":
        return keyset_page(queryset, order=PERSON_ORDER, cursor=cursor, size=size)
    return keyset_union_page(
        [Person.objects.filter(branch, merged_into=None) for branch in branches],
        fetch=Person.objects.filter(traeger_id=user.traeger_id).select_related(
            "municipality", "target_group"
        ),
        order=PERSON_ORDER,
        cursor=cursor,
        size=size,
    )


def get_person_for_user(user: Any, pk: Any, action: Action = Action.VIEW) -> Person:
    """Load one person the user may act on; anything else (other Träger, other team) is a 404."""
    try:
        return (
            person_queryset_for_user(user, action)
            .select_related(
                "municipality",
                "municipality__sozialraum",
                "target_group",
                "household",
                "organisation",
            )
            .prefetch_related(
                "name_variants",
                Prefetch(
                    "residence_statuses",
                    queryset=ResidenceStatusRecord.objects.select_related("status").order_by(
                        "-valid_from", "-id"
                    ),
                ),
            )
            .get(pk=pk)
        )
    except Person.DoesNotExist:
        if action != Action.VIEW and person_queryset_for_user(user).filter(pk=pk).exists():
            guards.raise_if_restricted(pk)
        raise not_found() from None
    except (ValueError, TypeError):
        raise not_found() from None


def merged_person_id_for_user(user: Any, pk: Any) -> int | None:
    """The person a merged record of the user's Träger now lives in, if the user may see it.

    Lets old links and API ids of a merged duplicate resolve (redirect) instead of a 404.
    """
    try:
        chain = Person.objects.filter(
            pk=pk, traeger_id=user.traeger_id, merged_into__isnull=False
        ).values_list("merged_into_id", flat=True)
        target = chain.first()
    except (ValueError, TypeError):
        return None
    if target is None or not person_queryset_for_user(user).filter(pk=target).exists():
        return None
    return int(target)


def person_current_status(person: Person) -> ResidenceStatusRecord | None:
    statuses = list(person.residence_statuses.all())
    return statuses[0] if statuses else None


def household_members_for_user(user: Any, person: Person) -> list[Person]:
    """The person's household as far as the user may see it (no leak of other teams' persons)."""
    if person.household_id is None:
        return []
    return list(
        person_queryset_for_user(user)
        .filter(household_id=person.household_id)
        .exclude(pk=person.pk)
        .order_by("date_of_birth", "id")
    )
