"""The JSON API of offers and referrals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lotse.offers.models import Offer, Referral
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client_for, case_manager):
    return client_for(case_manager)


def test_offer_list_and_detail(api, integration_course, open_offer):
    listed = api.get(reverse("api:offer-list"))
    assert listed.status_code == 200
    assert [o["key"] for o in listed.json()["results"]] == ["integrationskurs", "sprachcafe"]
    first = listed.json()["results"][0]
    assert (first["capacity"], first["occupied"], first["waiting"]) == (2, 0, 0)

    detail = api.get(reverse("api:offer-detail", args=[integration_course.pk])).json()
    paths = {p["label"]: p for p in detail["access_paths"]}
    assert paths["Hauptherkunftsland"]["nationalities"] == ["SY", "IQ", "IR", "ER", "SO"]
    assert paths["Hauptherkunftsland"]["statuses"] == ["aufenthaltsgestattung"]


def test_referral_create_reports_failures_and_accepts_a_reason(api, case, integration_course):
    url = reverse("api:case-referrals", args=[case.pk])

    refused = api.post(url, {"offer": integration_course.pk}, format="json")
    assert refused.status_code == 400
    body = refused.json()
    assert "override_reason" in body
    assert {f["code"] for f in body["eligibility_failures"]} == {"status"}

    created = api.post(
        url, {"offer": integration_course.pk, "override_reason": "Ausnahme"}, format="json"
    )
    assert created.status_code == 201
    assert created.json()["state"] == "requested"
    assert created.json()["allowed_states"] == ["accepted", "waiting", "declined", "dropped"]
    assert [r["id"] for r in api.get(url).json()] == [created.json()["id"]]


def test_transition_capacity_and_conflict(api, traeger, organisation, case_manager, open_offer):
    open_offer.capacity = 1
    open_offer.save()
    ids = []
    for _ in range(2):
        case = CaseFactory(traeger=traeger, organisation=organisation, case_manager=case_manager)
        ids.append(
            api.post(
                reverse("api:case-referrals", args=[case.pk]),
                {"offer": open_offer.pk},
                format="json",
            ).json()["id"]
        )

    states = [
        api.post(
            reverse("api:referral-transition", args=[pk]),
            {"to_state": "accepted", "version": 1},
            format="json",
        ).json()["state"]
        for pk in ids
    ]
    assert states == ["accepted", "waiting"]

    stale = api.post(
        reverse("api:referral-transition", args=[ids[0]]),
        {"to_state": "started", "version": 1},
        format="json",
    )
    assert stale.status_code == 409
    bad = api.post(
        reverse("api:referral-transition", args=[ids[0]]),
        {"to_state": "requested", "version": 2},
        format="json",
    )
    assert bad.status_code == 400 and "to_state" in bad.json()


def test_follow_up_patch_and_overdue_list(api, case, open_offer):
    referral = Referral.objects.create(
        traeger=case.traeger,
        case=case,
        offer=open_offer,
        requested_on=timezone.localdate() - dt.timedelta(days=10),
    )
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    patched = api.patch(
        reverse("api:referral-detail", args=[referral.pk]),
        {"follow_up_on": yesterday.isoformat(), "feedback": "nachfragen", "version": 1},
        format="json",
    )
    assert patched.status_code == 200 and patched.json()["version"] == 2

    overdue = api.get(reverse("api:referral-list"), {"overdue": "true"}).json()["results"]
    assert [r["id"] for r in overdue] == [referral.pk]


def test_offer_of_another_traeger_is_404(api):
    other = Offer.objects.create(
        traeger=CaseFactory().traeger, key="x", kind="other", title="Fremdes Angebot"
    )
    assert api.get(reverse("api:offer-detail", args=[other.pk])).status_code == 404


def test_offer_list_queries_do_not_grow(api, traeger, django_assert_max_num_queries):
    for number in range(15):
        Offer.objects.create(traeger=traeger, key=f"o{number}", kind="other", title=f"O{number}")
    with django_assert_max_num_queries(10):
        assert api.get(reverse("api:offer-list")).status_code == 200
