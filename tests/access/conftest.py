from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import Client, override_settings
from rest_framework.test import APIClient

from lotse.accounts.models import User
from tests.access.endpoints import ENDPOINTS
from tests.access.world import World, build_world
from tests.tokens import bearer_for

T = TypeVar("T")


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
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=access_media):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build()
        finally:
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
    if user is not None:
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
