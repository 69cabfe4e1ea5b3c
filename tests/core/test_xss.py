"""Script payloads typed into text fields come back escaped on every page that shows them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lotse.cases.models import TimelineEntry
from lotse.people.services import name_variant_add

PAYLOADS = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
]


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_are_escaped_in_lists_and_details(client, case, case_manager, payload):
    person = case.person
    person.first_name = payload
    person.save()
    name_variant_add(actor=case_manager, person=person, last_name=payload, first_name=payload)
    case.summary = payload
    case.save()
    TimelineEntry.objects.create(
        traeger=case.traeger,
        case=case,
        kind="note",
        title=payload,
        text=payload,
        occurred_at=case.created_at,
    )
    client.force_login(case_manager)
    pages = [
        reverse("cases:my_cases"),
        reverse("cases:detail", args=[case.pk]),
        reverse("people:list"),
        reverse("people:detail", args=[person.pk]),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert payload not in body, f"unescaped payload on {url}"
    # JSON carries the text as data; it is never rendered as HTML by the browser.
    api = client.get(reverse("api:case-detail", kwargs={"pk": case.pk}))
    assert api["Content-Type"].startswith("application/json")
    assert api["X-Content-Type-Options"] == "nosniff"
    assert api.json()["summary"] == payload
