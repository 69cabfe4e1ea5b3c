"""The classification of every URL of the project: how to call it with fixture objects.

A URL that is not in :data:`ENDPOINTS` makes ``test_every_url_is_classified`` fail: whoever
adds a view must say here what it exposes, and add its row to the permission matrix.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access.world import World

Payload = Callable[[World], dict[str, Any]]


class Scope(StrEnum):
    PUBLIC = "public"  # no data of any Träger (login, health, legal pages)
    TRAEGER = "traeger"  # lists and pages of the user's own Träger, no object in the URL
    OBJECT = "object"  # the URL names an object of Träger A


@dataclass(frozen=True)
class Endpoint:
    scope: Scope
    api: bool
    methods: dict[str, Payload | None]
    kwargs: Callable[[World], dict[str, int]] = field(default=lambda world: {})

    def url(self, name: str, world: World, *, missing: bool = False) -> str:
        kwargs = self.kwargs(world)
        if missing:  # the same URL for an object that does not exist at all
            kwargs = {key: value + 1_000_000 for key, value in kwargs.items()}
        return reverse(name, kwargs=kwargs)


def _person(world: World) -> dict[str, int]:
    return {"pk": world.person.pk}


def _case(world: World) -> dict[str, int]:
    return {"pk": world.case.pk}


def _entry(world: World) -> dict[str, int]:
    return {"pk": world.case.pk, "entry_pk": world.entry.pk}


def _person_form(world: World) -> dict[str, Any]:
    return {
        "last_name": "Neumann",
        "first_name": "Nora",
        "sex": "female",
        "municipality": world.municipality.pk,
    }


def _case_form(world: World) -> dict[str, Any]:
    return {
        "programme": world.programme.pk,
        "opened_on": "2026-11-02",
        "case_manager": world.case_manager.pk,
    }


ENDPOINTS: dict[str, Endpoint] = {
    # Public pages.
    "home": Endpoint(Scope.PUBLIC, api=False, methods={"GET": None}),
    "healthz": Endpoint(Scope.PUBLIC, api=False, methods={"GET": None}),
    "accessibility": Endpoint(Scope.PUBLIC, api=False, methods={"GET": None}),
    "brand_css": Endpoint(
        Scope.PUBLIC, api=False, methods={"GET": None}, kwargs=lambda world: {"colour": 105010}
    ),
    # Start pages: the own work (case management) and the team (team lead) show case data.
    "start": Endpoint(Scope.TRAEGER, api=False, methods={"GET": None}),
    "start_team": Endpoint(Scope.TRAEGER, api=False, methods={"GET": None}),
    "login": Endpoint(Scope.PUBLIC, api=False, methods={"GET": None}),
    "logout": Endpoint(Scope.PUBLIC, api=False, methods={"POST": lambda w: {}}),
    # Region overview: configuration of the user's Träger.
    "directory:structure": Endpoint(Scope.TRAEGER, api=False, methods={"GET": None}),
    "directory:organisations": Endpoint(Scope.TRAEGER, api=False, methods={"GET": None}),
    "directory:goals": Endpoint(Scope.TRAEGER, api=False, methods={"GET": None}),
    "directory:bodies": Endpoint(Scope.TRAEGER, api=False, methods={"GET": None}),
    # Access log.
    "audit:log": Endpoint(Scope.TRAEGER, api=False, methods={"GET": None}),
    # Persons (HTML).
    "people:list": Endpoint(Scope.TRAEGER, api=False, methods={"GET": None}),
    "people:create": Endpoint(
        Scope.TRAEGER, api=False, methods={"GET": None, "POST": _person_form}
    ),
    "people:detail": Endpoint(Scope.OBJECT, api=False, methods={"GET": None}, kwargs=_person),
    "people:edit": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_person,
        methods={"GET": None, "POST": lambda w: {**_person_form(w), "version": 1}},
    ),
    "people:residence_status_add": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_person,
        methods={
            "GET": None,
            "POST": lambda w: {"status": w.status_type.pk, "valid_from": "2026-01-01"},
        },
    ),
    "people:name_variant_add": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_person,
        methods={"GET": None, "POST": lambda w: {"last_name": "Sebrowski", "kind": "alias"}},
    ),
    "people:family_member_add": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_person,
        methods={
            "GET": None,
            "POST": lambda w: {
                "member_role": "child",
                "last_name": "Zebrowski",
                "first_name": "Lina",
                "sex": "female",
                "date_of_birth": "2018-03-01",
            },
        },
    ),
    # Cases (HTML).
    "cases:my_cases": Endpoint(Scope.TRAEGER, api=False, methods={"GET": None}),
    "cases:create": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=lambda w: {"person_pk": w.person.pk},
        methods={"GET": None, "POST": _case_form},
    ),
    "cases:detail": Endpoint(Scope.OBJECT, api=False, kwargs=_case, methods={"GET": None}),
    "cases:edit": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_case,
        methods={
            "GET": None,
            "POST": lambda w: {
                **_case_form(w),
                "opened_on": "2026-10-05",
                "summary": "geändert",
                "version": 1,
            },
        },
    ),
    "cases:phase": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_case,
        methods={"POST": lambda w: {"to_phase": "assessment", "version": 1}},
    ),
    "cases:field_process": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_case,
        methods={
            "POST": lambda w: {"field_of_action": w.field_of_action.pk, "stage": "integration"}
        },
    ),
    "cases:timeline_add": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_case,
        methods={"GET": None, "POST": lambda w: {"kind": "note", "title": "Notiz"}},
    ),
    "cases:attachment": Endpoint(
        Scope.OBJECT,
        api=False,
        methods={"GET": None},
        kwargs=lambda w: {"pk": w.case.pk, "entry_pk": w.entry.pk},
    ),
    # JSON API v1.
    "api:person-list": Endpoint(
        Scope.TRAEGER,
        api=True,
        methods={
            "GET": None,
            "POST": lambda w: {
                "last_name": "Neumann",
                "first_name": "Nora",
                "municipality": w.municipality.pk,
            },
        },
    ),
    "api:person-detail": Endpoint(
        Scope.OBJECT,
        api=True,
        kwargs=_person,
        methods={"GET": None, "PATCH": lambda w: {"first_name": "Geändert", "version": 1}},
    ),
    "api:person-residence-statuses": Endpoint(
        Scope.OBJECT,
        api=True,
        kwargs=_person,
        methods={
            "GET": None,
            "POST": lambda w: {"status": w.status_type.pk, "valid_from": "2026-01-01"},
        },
    ),
    "api:case-list": Endpoint(
        Scope.TRAEGER,
        api=True,
        methods={
            "GET": None,
            "POST": lambda w: {"person": w.person.pk, "programme": w.programme.pk},
        },
    ),
    "api:case-detail": Endpoint(
        Scope.OBJECT,
        api=True,
        kwargs=_case,
        methods={"GET": None, "PATCH": lambda w: {"summary": "geändert", "version": 1}},
    ),
    "api:case-phase": Endpoint(
        Scope.OBJECT,
        api=True,
        kwargs=_case,
        methods={"POST": lambda w: {"to_phase": "assessment", "version": 1}},
    ),
    "api:case-timeline": Endpoint(
        Scope.OBJECT,
        api=True,
        kwargs=_case,
        methods={"GET": None, "POST": lambda w: {"kind": "note", "title": "Notiz"}},
    ),
    "api:timeline-entry-detail": Endpoint(
        Scope.OBJECT, api=True, kwargs=_entry, methods={"GET": None}
    ),
    "api:timeline-entry-attachment": Endpoint(
        Scope.OBJECT, api=True, kwargs=_entry, methods={"GET": None}
    ),
    "api:schema": Endpoint(Scope.PUBLIC, api=True, methods={"GET": None}),
}


def _merge_app_tables() -> None:
    from tests.access.apps import app_tables

    for module in app_tables():
        overlap = set(ENDPOINTS) & set(module.ENDPOINTS)
        assert not overlap, f"{module.__name__} classifies {overlap} again"
        ENDPOINTS.update(module.ENDPOINTS)


_merge_app_tables()


#: Left out of the tenant walk: Django's admin (its own permission system), static files and
#: the API schema (no data).
SKIPPED_NAMESPACES = ("admin",)
SKIPPED_NAMES = ("api:schema",)


@dataclass(frozen=True)
class Route:
    name: str | None
    route: str
    namespace: str


def walk(patterns: list[Any] | None = None, prefix: str = "", namespace: str = "") -> list[Route]:
    """Every URL pattern of the project, with its namespaced name."""
    found: list[Route] = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            found.extend(walk(pattern.url_patterns, prefix + str(pattern.pattern), inner))
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            found.append(Route(name=name, route=prefix + str(pattern.pattern), namespace=namespace))
    return found


def is_skipped(route: Route) -> bool:
    if route.name in SKIPPED_NAMES:
        return True
    if route.namespace.split(":")[0] in SKIPPED_NAMESPACES:
        return True
    static_prefixes = tuple(
        re.escape(url.lstrip("/")) for url in (settings.STATIC_URL, settings.MEDIA_URL) if url
    )
    return (
        bool(static_prefixes)
        and re.match(rf"^\^?({'|'.join(static_prefixes)})", route.route) is not None
    )


def project_routes() -> list[Route]:
    return [route for route in walk() if not is_skipped(route)]


def cells() -> list[tuple[str, str]]:
    """Every (URL name, method) the tests exercise."""
    return [(name, method) for name, endpoint in ENDPOINTS.items() for method in endpoint.methods]
