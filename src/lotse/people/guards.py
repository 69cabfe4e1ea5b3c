"""Write guards for persons: restriction of processing (Art. 18 GDPR, § 84 Abs. 3 SGB X).

An app that can restrict a person (``lotse.retention``) registers a source of restricted person
ids in its ``AppConfig.ready()``. The person and case selectors consult it whenever something
is loaded for a change (any action but VIEW): a restricted person and their cases stay readable
but cannot be changed, and the user gets a clear message instead of a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

RestrictedSource = Callable[[], QuerySet[Any]]
_sources: dict[str, RestrictedSource] = {}


class ProcessingRestricted(PermissionDenied):
    """A change to a person whose processing is restricted (shown to the user as is)."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Processing of this person's data is restricted (Art. 18 GDPR, § 84 (3) SGB X). "
                "The data can be viewed but not changed until a team lead lifts the restriction."
            )  # de: Die Verarbeitung der Daten dieser Person ist eingeschränkt (Art. 18 DSGVO, § 84 Abs. 3 SGB X). Die Daten können angesehen, aber nicht geändert werden, bis eine Teamleitung die Einschränkung aufhebt.
        )


def register_restriction_source(key: str, source: RestrictedSource) -> None:
    """``source()`` returns a query of the ids of restricted persons (``values("person_id")``)."""
    _sources[key] = source


def exclude_restricted(queryset: QuerySet[Any], person_field: str) -> QuerySet[Any]:
    for source in _sources.values():
        queryset = queryset.exclude(**{f"{person_field}__in": source()})
    return queryset


def is_restricted(person_id: Any) -> bool:
    return any(source().filter(person_id=person_id).exists() for source in _sources.values())


def raise_if_restricted(person_id: Any) -> None:
    if is_restricted(person_id):
        raise ProcessingRestricted
