"""A script payload in every text field comes back escaped on every page, for every role.

The fields are found from the model metadata, not listed by hand: every ``CharField`` and
``TextField`` of every model of the Lotse apps that a user can edit (no choices, keys, slugs,
codes, hashes or identifiers). The access world (``tests/access``) has objects of every kind;
the URL classification creates the objects its URLs need. The payload is written into every
such field of every object, then every classified page with GET is loaded as each role of
Träger A. In HTML the raw payload must never appear; in JSON it is data (JSON content type,
``nosniff``), not markup.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from rest_framework.test import APIClient

from lotse.accounts.models import Role
from tests.access.endpoints import ENDPOINTS
from tests.access.world import World, build_world

PAYLOAD = """<script>alert("x")</script><img src=x onerror=alert(1)>"'"""
#: For short fields: still markup with an event handler and both quotes.
SHORT_PAYLOAD = """<b onclick=x>"'"""
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
RAW_MARKERS = ("<script>alert(", "<img src=x onerror", "<b onclick=x>")

#: Apps whose rows are not edited by users (the access log is append-only).
SKIPPED_APPS = {"audit"}
#: Field names that hold codes, keys or machine values, not free text.
SKIPPED_NAMES = {
    "key",
    "slug",
    "password",
    "username",
    "reference",
    "search_name",
    "document_id",
    "text_version",
    "language",
    "interpreter_language",
    "attachment_type",
    "token",
    "digest",
    "hash",
}
SKIPPED_SUFFIXES = ("_key", "_hash", "_code", "_id", "_token", "_type", "_digest")


def text_fields() -> list[tuple[type[models.Model], list[models.Field]]]:
    """(model, its user-editable free-text fields) for every model of the Lotse apps."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("lotse.") or config.label in SKIPPED_APPS:
            continue
        for model in config.get_models():
            if model._meta.proxy or not model._meta.managed:
                continue
            fields = [
                field
                for field in model._meta.concrete_fields
                if isinstance(field, models.CharField | models.TextField)
                and field.editable
                and not field.choices
                and not field.primary_key
                and not field.unique
                and field.name not in SKIPPED_NAMES
                and not field.name.endswith(SKIPPED_SUFFIXES)
                and (field.max_length is None or field.max_length >= len(SHORT_PAYLOAD))
            ]
            if fields:
                found.append((model, fields))
    return found


def _payload_for(field: models.Field) -> str:
    if field.max_length is not None and field.max_length < len(PAYLOAD):
        return SHORT_PAYLOAD
    return PAYLOAD


def poison(world: World) -> int:
    """Write the payload into every free-text field of every row; returns the cells written."""
    for name, endpoint in ENDPOINTS.items():  # the app tables create their objects lazily
        endpoint.url(name, world)
    written = 0
    for model, fields in text_fields():
        rows = model._base_manager.all()
        count = rows.count()
        if count:
            rows.update(**{field.name: _payload_for(field) for field in fields})
            written += count * len(fields)
    return written


def test_the_sweep_finds_the_free_text_fields() -> None:
    """The metadata walk sees the fields the older hand-written test named (and more)."""
    names = {
        f"{model._meta.label}.{field.name}" for model, fields in text_fields() for field in fields
    }
    expected = {
        "people.Person.first_name",
        "people.Person.last_name",
        "people.PersonNameVariant.last_name",
        "cases.Case.summary",
        "cases.TimelineEntry.title",
        "cases.TimelineEntry.text",
        "directory.Organisation.name",
    }
    assert expected <= names, expected - names
    assert not any(name.endswith((".key", ".slug", ".password")) for name in names)


@pytest.mark.slow
@pytest.mark.sweep
@pytest.mark.django_db
def test_every_page_escapes_the_payload_for_every_role() -> None:
    world = build_world()
    assert poison(world) > 50
    leaks: list[str] = []
    pages_with_escaped_payload: set[str] = set()
    json_with_payload: set[str] = set()
    roles = [role.value for role in Role]
    for role in roles:
        user = world.users[role]
        client = Client()
        client.force_login(user)
        api = APIClient()
        api.force_login(user)
        for name, endpoint in ENDPOINTS.items():
            if "GET" not in endpoint.methods:
                continue
            response = (api if endpoint.api else client).get(endpoint.url(name, world))
            content_type = response.get("Content-Type", "")
            if response.status_code >= 500:
                leaks.append(f"{role} {name}: {response.status_code}")
                continue
            if getattr(response, "streaming", False) or response.status_code != 200:
                continue
            body = response.content.decode(errors="replace")
            if content_type.startswith("text/html"):
                for marker in RAW_MARKERS:
                    if marker in body:
                        at = body.find(marker)
                        leaks.append(f"{role} {name}: …{body[max(0, at - 120) : at + 80]}…")
                if ESCAPED in body:
                    pages_with_escaped_payload.add(name)
            elif content_type.startswith("application/json"):
                assert response["X-Content-Type-Options"] == "nosniff", name
                if _contains_value(json.loads(body), PAYLOAD):
                    json_with_payload.add(name)
            else:  # PDFs, spreadsheets, plain text: never served as a page
                assert not content_type.startswith(("text/html", "application/xhtml")), name
    assert not leaks, "\n".join(leaks)
    # The payload really reached the pages and the API (the sweep can fail).
    assert {"people:detail", "cases:detail", "cases:my_cases"} <= pages_with_escaped_payload
    assert {"api:person-detail", "api:case-detail", "api:case-timeline"} <= json_with_payload


def _contains_value(data: Any, value: str) -> bool:
    if isinstance(data, str):
        return data == value
    if isinstance(data, dict):
        return any(_contains_value(item, value) for item in data.values())
    if isinstance(data, list):
        return any(_contains_value(item, value) for item in data)
    return False
