"""Generated proof of tenant isolation: a user of Träger B can neither see, change nor learn
of the existence of Träger A's data — over every classified URL and API endpoint.

The endpoints come from ``endpoints.ENDPOINTS``, which ``test_urls_classified`` keeps in step
with the project's URL patterns, so a new URL is covered (or the suite fails) automatically.
"""

from __future__ import annotations

import re

import pytest
from django.http import HttpResponse

from lotse.accounts.models import Role
from tests.access.conftest import call
from tests.access.endpoints import ENDPOINTS, Scope, cells
from tests.access.test_permission_matrix import MATRIX
from tests.access.world import A_MARKERS, ACTORS, World, snapshot_of

#: Long: scheduled first (spread over both workers: one group would leave a worker with
#: most of the PostgreSQL pass).
pytestmark = pytest.mark.slow


B_ROLES = [role.value for role in Role]
CASE_TEAM = {Role.CASE_MANAGEMENT.value, Role.TEAM_LEAD.value}

OBJECT_CELLS = [(name, method) for name, method in cells() if ENDPOINTS[name].scope == Scope.OBJECT]
OTHER_CELLS = [(name, method) for name, method in cells() if ENDPOINTS[name].scope != Scope.OBJECT]

#: Lists where Träger B's case team must find its own person (so "no A names" is not vacuous).
OWN_DATA_LISTS = {"people:list", "cases:my_cases", "api:person-list", "api:case-list"}


def body(response: HttpResponse) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")  # type: ignore[attr-defined]
    return response.content.decode(errors="replace")


def normalised(response: HttpResponse) -> tuple[int, str]:
    """Status and body without per-request noise (CSRF tokens, request ids)."""
    text = re.sub(r"[A-Za-z0-9]{32,}", "<token>", body(response))
    return response.status_code, text


def assert_no_a_data(text: str) -> None:
    leaked = [marker for marker in A_MARKERS if marker in text]
    assert not leaked, f"Träger B saw data of Träger A: {leaked}"


def ids(cells_: list[tuple[str, str]]) -> list[str]:
    return [f"{name}-{method}-{role}" for name, method in cells_ for role in B_ROLES]


def params(cells_: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    return [(name, method, role) for name, method in cells_ for role in B_ROLES]


@pytest.mark.parametrize(("name", "method", "role"), params(OBJECT_CELLS), ids=ids(OBJECT_CELLS))
def test_objects_of_another_traeger_do_not_exist(world: World, name: str, method: str, role: str):
    user = world.b_users[role]
    before = snapshot_of(world.traeger_a)

    foreign = call(world, user, name, method)
    after = snapshot_of(world.traeger_a)
    missing = call(world, user, name, method, missing=True)

    # A role that may use the endpoint in its own Träger (per the matrix) gets 404 for Träger
    # A's object; a role refused before any lookup gets 403 — the same for a missing id.
    own_traeger = MATRIX[name, method][ACTORS.index(role)]
    expected = 403 if own_traeger == 403 else 404
    assert foreign.status_code == expected, f"{method} {name}: {foreign.status_code}"
    assert normalised(foreign) == normalised(missing), "the answer reveals that the object exists"
    assert after == before, f"{method} {name} by Träger B changed Träger A's data"
    assert_no_a_data(body(foreign))


@pytest.mark.parametrize(("name", "method", "role"), params(OTHER_CELLS), ids=ids(OTHER_CELLS))
def test_lists_and_pages_of_another_traeger_show_nothing_of_a(
    world: World, name: str, method: str, role: str
):
    user = world.b_users[role]
    before = snapshot_of(world.traeger_a)

    response = call(world, user, name, method)

    assert snapshot_of(world.traeger_a) == before, f"{method} {name} by Träger B changed Träger A"
    assert response.status_code < 500
    # A form may show back what the user typed (e.g. a case number that does not exist here).
    payload = ENDPOINTS[name].methods[method]
    typed = " ".join(str(v) for v in (payload(world) if payload else {}).values())
    text = body(response)
    for marker in A_MARKERS:
        if marker in typed:
            text = text.replace(marker, "")
    assert_no_a_data(text)
    if method == "GET" and name in OWN_DATA_LISTS and role == Role.CASE_MANAGEMENT:
        assert response.status_code == 200
        assert "Betamann" in body(response), "B's own list is empty, so the proof is vacuous"


@pytest.mark.parametrize("query", ["Zebrowski", "Zebrovskij", "2026-777777", "quirina"])
@pytest.mark.parametrize("name", sorted(OWN_DATA_LISTS))
def test_searching_for_a_names_finds_nothing(world: World, name: str, query: str):
    from django.test import Client
    from django.urls import reverse
    from rest_framework.test import APIClient

    user = world.b_users[Role.CASE_MANAGEMENT.value]
    client = APIClient() if name.startswith("api:") else Client()
    client.force_login(user)
    params_ = {"q": query, "alle": "1", "abgeschlossen": "1", "include_closed": "true"}

    response = client.get(reverse(name), params_)

    assert response.status_code == 200
    # The page echoes the query into the search field; every other A name must be absent, and
    # a hit would show them (first name, case number, name) next to the searched one.
    assert_no_a_data(body(response).replace(query, "<query>"))


@pytest.mark.parametrize("name", sorted(OWN_DATA_LISTS))
def test_the_search_proof_can_fail(world: World, name: str):
    """Control: the same search by Träger A's case manager does show A's names."""
    from django.test import Client
    from django.urls import reverse
    from rest_framework.test import APIClient

    client = APIClient() if name.startswith("api:") else Client()
    client.force_login(world.case_manager)

    response = client.get(reverse(name), {"q": "Zebrowski", "include_closed": "true"})

    assert "Quirina" in body(response)
