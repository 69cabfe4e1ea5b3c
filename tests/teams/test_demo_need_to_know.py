"""In the demo (real Kreis Lippe configuration), two case managers of two Sozialräume see
disjoint case sets on every list, search and API endpoint; a substitute only in the period.
"""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from lotse.accounts.models import User
from lotse.cases.models import Case
from lotse.cases.selectors import case_queryset_for_user
from lotse.people.models import Person
from lotse.people.selectors import person_queryset_for_user
from tests.tokens import bearer_for

pytestmark = pytest.mark.django_db

REFERENCE = re.compile(r"\b20\d\d-\d{6}\b")


@pytest.fixture
def demo():
    call_command("loaddemo", size=8, stdout=StringIO())
    return {u.username: u for u in User.objects.filter(email__endswith="@demo.lotse.invalid")}


def _references(client: Client, path: str) -> set[str]:
    seen: set[str] = set()
    url: str | None = path
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        seen |= set(REFERENCE.findall(text))
        following = re.search(r'href="([^"]*nach=[^"]+)"', text)
        url = following.group(1).replace("&amp;", "&") if following else None
    return seen


def test_two_sozialraeume_see_disjoint_cases_everywhere(demo):
    detmold, other = demo["casemanager"], demo["casemanager4"]
    mine = set(case_queryset_for_user(detmold).values_list("reference", flat=True))
    theirs = set(case_queryset_for_user(other).values_list("reference", flat=True))
    assert mine and theirs
    assert not mine & theirs
    assert not set(person_queryset_for_user(detmold).values_list("pk", flat=True)) & set(
        person_queryset_for_user(other).values_list("pk", flat=True)
    )
    # Every Detmold case is kept at the Detmold post; the other case manager has none of them.
    assert (
        set(Case.objects.filter(post__holder=detmold).values_list("reference", flat=True)) <= mine
    )

    for user, own, foreign in ((detmold, mine, theirs), (other, theirs, mine)):
        client = Client()
        client.force_login(user)
        listed = _references(client, "/faelle/?alle=1&abgeschlossen=1")
        assert listed and listed <= own
        assert not listed & foreign
        some_foreign = Case.objects.filter(reference__in=sorted(foreign)[:3]).select_related(
            "person"
        )
        for case in some_foreign:
            assert client.get(f"/faelle/{case.pk}/").status_code == 404
            found = client.get("/personen/", {"q": case.person.last_name}).content.decode()
            assert f"/personen/{case.person_id}/" not in found
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=bearer_for(user))
        response = api.get("/api/v1/cases/?limit=200")
        assert response.status_code == 200
        api_refs = {row["reference"] for row in response.json()["results"]}
        assert api_refs and api_refs <= own


def test_the_demo_substitute_sees_the_covered_post_only_now(demo):
    substitute = demo["casemanager2"]
    covered = Case.objects.filter(post__holder=demo["casemanager3"]).values_list("pk", flat=True)
    visible = set(case_queryset_for_user(substitute).values_list("pk", flat=True))
    assert set(covered) <= visible
    assert (
        not Person.objects.filter(post__holder=demo["casemanager"])
        .filter(pk__in=person_queryset_for_user(substitute).values("pk"))
        .exists()
    )
