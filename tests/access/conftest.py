from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from rest_framework.test import APIClient

from lotse.accounts.models import User
from tests.access.endpoints import ENDPOINTS
from tests.access.world import World, build_world
from tests.tokens import bearer_for


@pytest.fixture
def world(db: None) -> World:
    return build_world()


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
