"""The contact directory: search (case- and accent-insensitive), filter by kind, paging."""

from __future__ import annotations

from django.urls import reverse

from lotse.directory.models import ContactPerson, Organisation
from tests.portal.conftest import client_as


def _names(response) -> list[str]:
    return [org.name for org in response.context["page"].items]


def test_search_ignores_case_and_accents(region):
    client = client_as(region.partner)
    url = reverse("portal:contacts")
    assert _names(client.get(url, {"q": "KATHE OZDEMIR"})) == ["Jobcenter Lippe"]
    assert _names(client.get(url, {"q": "detmold"})) == ["Jobcenter Lippe"]
    assert _names(client.get(url, {"q": "markt & soziales"})) == ["Jobcenter Lippe"]
    assert _names(client.get(url, {"q": "servicestelle"})) == ["Servicestelle"]
    assert _names(client.get(url, {"q": "nirgendwo"})) == []


def test_filter_by_kind(region):
    client = client_as(region.partner)
    url = reverse("portal:contacts")
    assert _names(client.get(url, {"kind": "service_centre"})) == ["Servicestelle"]
    assert _names(client.get(url, {"kind": "authority", "q": "lippe"})) == ["Jobcenter Lippe"]


def test_only_the_own_traeger(region):
    Organisation.objects.create(traeger=region.other, key="fremd", name="Fremdes Amt")
    response = client_as(region.partner).get(reverse("portal:contacts"))
    assert "Fremdes Amt" not in _names(response)


def test_query_count_constant_and_paging(region, django_assert_max_num_queries):
    for n in range(30):
        org = Organisation.objects.create(
            traeger=region.traeger, key=f"o{n}", name=f"Verein {n:02}"
        )
        for m in range(2):
            ContactPerson.objects.create(
                traeger=region.traeger, organisation=org, key=f"p{n}-{m}", name=f"Person {m}"
            )
    client = client_as(region.partner)
    client.get(reverse("portal:contacts"))  # warm the session and user caches
    with django_assert_max_num_queries(12):
        first = client.get(reverse("portal:contacts"), {"q": "verein"})
    assert len(first.context["page"].items) == 25
    cursor = first.context["page"].next_cursor
    assert cursor
    second = client.get(reverse("portal:contacts"), {"q": "verein", "nach": cursor})
    assert len(second.context["page"].items) == 5
    assert b"Person 1" in second.content
