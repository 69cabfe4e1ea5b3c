"""Schemathesis against the OpenAPI schema: no server error and no answer outside the schema.

Every operation of ``/api/v1/`` is called in-process through the WSGI application, with the
database of the test, as a case manager of Träger A of the access world (so there are persons,
cases, timeline entries, consents, referrals, tasks … to find). The path parameters are either
generated or — in about half of the examples — the ids of real objects of that world, so the
generated bodies reach the serializers and services instead of only the 404 branch.

Hypothesis runs deterministically with a small number of examples per operation and without
an example database (nothing is written into the repository). For a deeper run raise the
number: ``LOTSE_SCHEMATHESIS_EXAMPLES=100 pytest tests/api/test_schemathesis.py``.

Besides "no server error" and "answer as the schema says" every answer must have a documented
status code and content type, and the documented headers. File downloads are checked for all
of that except the body (a PDF is not JSON).
"""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.urls import NoReverseMatch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from lotse.wsgi import application
from tests.access.endpoints import ENDPOINTS
from tests.access.world import World, build_world

SCHEMA = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
FILE_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
]
CHECKS = [*FILE_CHECKS, response_schema_conformance]
MAX_EXAMPLES = int(os.environ.get("LOTSE_SCHEMATHESIS_EXAMPLES", "") or 12)

#: Operations whose answer is not JSON data the schema describes in full (files).
BINARY = re.compile(r"(attachment/|\.pdf)$")


def _template_regex(path: str) -> re.Pattern[str]:
    pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(path))
    return re.compile(f"^{pattern}$")


def real_path_parameters(world: World) -> dict[str, dict[str, str]]:
    """For each path template of the schema, the path parameters of real objects of Träger A.

    Taken from the URL classification of the access tests: every API endpoint there names an
    object of Träger A that the case manager may see.
    """
    concrete: list[str] = []
    for name, endpoint in ENDPOINTS.items():
        if not endpoint.api:
            continue
        try:
            concrete.append(endpoint.url(name, world))
        except NoReverseMatch:  # pragma: no cover - a classified URL always reverses
            continue
    found: dict[str, dict[str, str]] = {}
    for operation in OPERATIONS:
        regex = _template_regex(operation.path)
        for url in concrete:
            match = regex.match(url)
            if match:
                found[operation.path] = match.groupdict()
                break
    return found


@pytest.fixture(autouse=True)
def _connections_stay_open():
    """As Django's test client does: a request's end must not close the test's connection.

    The WSGI handler sends ``request_started``/``request_finished``, whose receiver
    ``close_old_connections`` would close the connection that holds the test's transaction
    (on PostgreSQL every later query then fails).
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def signed_in(db: None) -> tuple[World, dict[str, str], dict[str, str]]:
    world = build_world()
    client = Client()
    client.force_login(world.case_manager)
    csrf = _get_new_csrf_string()
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf}
    return world, cookies, {"X-CSRFToken": csrf}


@pytest.mark.parametrize("operation", OPERATIONS, ids=[op.label for op in OPERATIONS])
def test_operation_answers_within_its_schema(operation: Any, signed_in: Any) -> None:
    world, cookies, headers = signed_in
    real = real_path_parameters(world).get(operation.path, {})

    @given(case=operation.as_strategy(), use_real=st.booleans())
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any, use_real: bool) -> None:
        if use_real and real:
            case.path_parameters = {**(case.path_parameters or {}), **real}
        checks = FILE_CHECKS if BINARY.search(operation.path) else CHECKS
        case.call_and_validate(cookies=cookies, headers=headers, checks=checks)

    run()


@pytest.mark.django_db
def test_real_objects_exist_for_every_path_with_parameters() -> None:
    """The world reaches every operation's serializers, not only its 404 branch."""
    world = build_world()
    real = real_path_parameters(world)
    missing = sorted({op.path for op in OPERATIONS if "{" in op.path} - set(real))
    assert not missing, missing
