"""Bulk reads and the Art. 15 export through the API need a recent confirmation in a session.

A browser session whose last sign-in is 20 minutes old once got every person of the team
through ``/api/v1/persons/``; the XLSX export and the Art. 15 download in the web interface
already asked for the password again. API tokens are governed by the token.
"""

from __future__ import annotations

import time

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from lotse.accounts.mfa import SESSION_AUTH_AT
from tests.factories import CaseFactory, PersonFactory
from tests.tokens import bearer_for

pytestmark = pytest.mark.django_db

BULK = [
    lambda person: reverse("api:person-list"),
    lambda person: reverse("api:case-list"),
    lambda person: reverse("api:person-export", kwargs={"pk": person.pk}),
    lambda person: reverse("api:person-export-pdf", kwargs={"pk": person.pk}),
]


def _session(user: object, *, confirmed_minutes_ago: int) -> APIClient:
    client = APIClient()
    client.force_login(user)  # type: ignore[arg-type]
    session = client.session
    session[SESSION_AUTH_AT] = int(time.time()) - confirmed_minutes_ago * 60
    session.save()
    return client


@pytest.fixture
def person(traeger, organisation, case_manager):
    person = PersonFactory(traeger=traeger, organisation=organisation, last_name="Haddad")
    CaseFactory(
        traeger=traeger, organisation=organisation, person=person, case_manager=case_manager
    )
    return person


@pytest.mark.parametrize("url", BULK, ids=["persons", "cases", "export", "export-pdf"])
def test_stale_session_is_refused_with_a_german_hint_where_to_confirm(url, case_manager, person):
    client = _session(case_manager, confirmed_minutes_ago=20)

    response = client.get(url(person))

    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "reauth_required"
    assert "bestätigen" in body["detail"]
    assert body["confirm_url"].startswith(reverse("reauth") + "?next=")
    assert "results" not in body and "sections" not in body


@pytest.mark.parametrize("url", BULK[:3], ids=["persons", "cases", "export"])
def test_recently_confirmed_session_and_token_pass(url, case_manager, person):
    fresh = _session(case_manager, confirmed_minutes_ago=5)
    assert fresh.get(url(person)).status_code == 200

    token = APIClient()
    token.credentials(HTTP_AUTHORIZATION=bearer_for(case_manager))
    assert token.get(url(person)).status_code == 200


def test_single_reads_and_writes_of_a_stale_session_are_not_bulk(case_manager, person):
    client = _session(case_manager, confirmed_minutes_ago=20)

    assert client.get(reverse("api:person-detail", kwargs={"pk": person.pk})).status_code == 200
    assert (
        client.get(reverse("api:case-detail", kwargs={"pk": person.cases.get().pk})).status_code
        == 200
    )


def test_confirming_then_repeating_the_request_works(case_manager, person):
    client = _session(case_manager, confirmed_minutes_ago=20)
    refused = client.get(reverse("api:person-list")).json()

    session = client.session
    session[SESSION_AUTH_AT] = int(time.time())  # what the confirmation page records
    session.save()

    assert refused["confirm_url"].endswith("%2Fapi%2Fv1%2Fpersons%2F")
    assert client.get(reverse("api:person-list")).status_code == 200
