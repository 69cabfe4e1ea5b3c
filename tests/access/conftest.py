from __future__ import annotations

import copy
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.http import HttpResponse
from django.test import Client, override_settings
from rest_framework.test import APIClient

from lotse.accounts.models import User
from tests.access.endpoints import ENDPOINTS
from tests.access.world import World, build_world
from tests.tokens import bearer_for

T = TypeVar("T")

#: Sessions signed in when the module's world was built (user pk → session key), and when. A
#: matrix cell reuses its user's session instead of signing in again (a login writes the
#: session, the user's last login and an access-log entry: a tenth of a cell). Each cell's
#: changes to its session are rolled back with the cell. Users a cell creates itself sign in
#: as before; so does every cell once the sessions are older than ``_SESSIONS_FRESH`` seconds,
#: well inside the idle timeout, however slow the machine.
_sessions: dict[int, str] = {}
_sessions_at = 0.0
_SESSIONS_FRESH = 600


def _sign_in_everyone() -> dict[int, str]:
    signed_in = {}
    for user in User.objects.filter(is_active=True):
        client = Client()
        client.force_login(user)
        signed_in[user.pk] = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return signed_in


@pytest.fixture(scope="module")
def access_media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One media folder per module: the shared world's uploads must outlive a single test."""
    return tmp_path_factory.mktemp("access-media")


@pytest.fixture(autouse=True)
def _media_root(settings: Any, access_media: Path) -> None:
    # Overrides the suite's per-test media folder for the access tests (see shared_world).
    settings.MEDIA_ROOT = access_media


def shared_world(build: Callable[[], T], django_db_blocker: Any, access_media: Path) -> Iterator[T]:
    """Build a world once per module (and xdist worker) inside a transaction that is rolled
    back when the module ends. Each test's ``db`` fixture then runs in a savepoint within it
    and is rolled back to the built world; a test gets a deep copy, so objects a test creates
    lazily and caches on the world (see ``tests/access/apps``) never reach the next test.

    Thousands of matrix cells used to build the world for every cell (more than half of the
    suite's time, issue 14's CI budget)."""
    global _sessions, _sessions_at
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=access_media):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build()
            _sessions, _sessions_at = _sign_in_everyone(), time.monotonic()
            yield built
        finally:
            _sessions, _sessions_at = {}, 0.0
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def _module_world(
    django_db_setup: None, django_db_blocker: Any, access_media: Path
) -> Iterator[World]:
    yield from shared_world(build_world, django_db_blocker, access_media)


@pytest.fixture
def world(_module_world: World, db: None) -> World:
    return copy.deepcopy(_module_world)


def client_for(user: User | None, *, api: bool) -> Client:
    """HTML requests log in by session, API requests by token (the API tests cover both)."""
    if api:
        client: Client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=bearer_for(user))  # type: ignore[attr-defined]
        return client
    client = Client()
    if user is None:
        return client
    session = _sessions.get(user.pk)
    if session and time.monotonic() - _sessions_at < _SESSIONS_FRESH:
        client.cookies[django_settings.SESSION_COOKIE_NAME] = session
    else:
        client.force_login(user)
    return client


def call(
    world: World, user: User | None, name: str, method: str, *, missing: bool = False
) -> HttpResponse:
    endpoint = ENDPOINTS[name]
    url = endpoint.url(name, world, missing=missing)
    payload = endpoint.methods[method]
    data: Any = payload(world) if payload else None
    client = client_for(user, api=endpoint.api)
    send = getattr(client, method.lower())
    if endpoint.api and method != "GET":
        return send(url, data, format="json")
    return send(url, data) if data is not None else send(url)
