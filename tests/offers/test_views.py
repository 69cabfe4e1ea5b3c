"""The HTML pages: catalogue maintenance, the case section, referral forms, the worklist."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lotse.accounts.models import Role
from lotse.audit.models import AuditEntry
from lotse.cases.sections import case_section_links
from lotse.offers.models import AccessPath, Offer, Referral, ReferralState
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_coordination_maintains_the_catalogue_in_the_ui(client, coordinator, detmold, gestattung):
    client.force_login(coordinator)
    response = client.post(
        reverse("offers:create"),
        {
            "kind": "integration_course",
            "title": "Integrationskurs Detmold",
            "capacity": "20",
            "min_age": "16",
            "municipalities": [detmold.pk],
            "active": "on",
        },
    )
    offer = Offer.objects.get(title="Integrationskurs Detmold")
    assert response.status_code == 302 and response["Location"] == reverse(
        "offers:detail", args=[offer.pk]
    )
    assert offer.key == "integrationskurs-detmold" and list(offer.municipalities.all()) == [detmold]

    response = client.post(
        reverse("offers:access_path_add", args=[offer.pk]),
        {"label": "Hauptherkunftsland", "statuses": [gestattung.pk], "nationalities": "sy, IQ ir"},
    )
    assert response.status_code == 302
    path = AccessPath.objects.get(offer=offer)
    assert path.nationalities == ["IQ", "IR", "SY"] and list(path.statuses.all()) == [gestattung]

    response = client.post(
        reverse("offers:edit", args=[offer.pk]),
        {
            "kind": "integration_course",
            "title": "Integrationskurs Detmold",
            "capacity": "25",
            "version": "1",
            "active": "on",
        },
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.capacity, offer.version) == (25, 2)

    stale = client.post(
        reverse("offers:edit", args=[offer.pk]),
        {"kind": "integration_course", "title": "Alt", "version": "1", "active": "on"},
    )
    assert stale.status_code == 409
    assert Offer.objects.get(pk=offer.pk).title == "Integrationskurs Detmold"


def test_invalid_offer_form_is_422(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("offers:create"), {"kind": "other", "title": "X", "min_age": "30", "max_age": "20"}
    )
    assert response.status_code == 422
    assert "max_age" in response.context["form"].errors
    assert not Offer.objects.exists()


def test_case_team_reads_but_does_not_maintain(client, case_manager, open_offer):
    client.force_login(case_manager)
    assert client.get(reverse("offers:list")).status_code == 200
    assert client.get(reverse("offers:detail", args=[open_offer.pk])).status_code == 200
    assert client.get(reverse("offers:create")).status_code == 403
    assert client.get(reverse("offers:edit", args=[open_offer.pk])).status_code == 403


def test_the_case_page_links_the_offers_section(case):
    links = dict(case_section_links(case.pk))
    assert reverse("offers:case_referrals", args=[case.pk]) in links.values()


def test_referral_form_shows_failed_conditions_and_needs_a_reason(
    client, case_manager, case, integration_course
):
    client.force_login(case_manager)
    url = reverse("offers:referral_create", args=[case.pk])

    page = client.get(url, {"angebot": integration_course.pk})
    assert page.status_code == 200
    assert not page.context["result"].eligible
    assert {f.code for f in page.context["result"].failures} == {"status"}

    refused = client.post(url, {"offer": integration_course.pk})
    assert refused.status_code == 422
    assert "override_reason" in refused.context["form"].errors
    assert not Referral.objects.exists()

    accepted = client.post(
        url, {"offer": integration_course.pk, "override_reason": "Sonderkurs des Trägers"}
    )
    referral = Referral.objects.get()
    assert accepted.status_code == 302
    assert accepted["Location"] == reverse("offers:referral", args=[referral.pk])
    assert referral.override_reason == "Sonderkurs des Trägers"


def test_case_section_lists_referrals_and_is_audited(client, case_manager, case, open_offer):
    Referral.objects.create(
        traeger=case.traeger,
        case=case,
        offer=open_offer,
        requested_on=TODAY(),
        follow_up_on=TODAY() - dt.timedelta(days=1),
    )
    client.force_login(case_manager)

    response = client.get(reverse("offers:case_referrals", args=[case.pk]))

    assert response.status_code == 200
    assert [r.offer for r in response.context["referrals"]] == [open_offer]
    assert AuditEntry.objects.filter(
        object_type="case", object_id=str(case.pk), person_id=case.person_id, action="list"
    ).exists()


def test_transition_through_the_ui_reports_the_waiting_list(client, case_manager, case, open_offer):
    open_offer.capacity = 0
    open_offer.save()
    referral = Referral.objects.create(
        traeger=case.traeger, case=case, offer=open_offer, requested_on=TODAY()
    )
    client.force_login(case_manager)

    response = client.post(
        reverse("offers:referral_transition", args=[referral.pk]),
        {"to_state": "accepted", "version": "1"},
    )

    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.state == ReferralState.WAITING

    not_allowed = client.post(
        reverse("offers:referral_transition", args=[referral.pk]),
        {"to_state": "completed", "version": "2"},
    )
    assert not_allowed.status_code == 422


def test_worklist_overdue_filter(client, traeger, organisation, case_manager, open_offer):
    late = TODAY() - dt.timedelta(days=3)
    cases = [
        CaseFactory(traeger=traeger, organisation=organisation, case_manager=case_manager)
        for _ in range(2)
    ]
    overdue = Referral.objects.create(
        traeger=traeger, case=cases[0], offer=open_offer, requested_on=late, follow_up_on=late
    )
    Referral.objects.create(
        traeger=traeger,
        case=cases[1],
        offer=open_offer,
        requested_on=late,
        follow_up_on=TODAY() + dt.timedelta(days=3),
    )
    client.force_login(case_manager)

    every = client.get(reverse("offers:worklist"))
    only_overdue = client.get(reverse("offers:worklist"), {"ueberfaellig": "1"})

    assert len(every.context["page"].items) == 2
    assert only_overdue.context["page"].items == [overdue]


def _add_rows(traeger, organisation, case_manager, start: int, count: int) -> None:
    for number in range(start, start + count):
        offer = Offer.objects.create(
            traeger=traeger, key=f"o{number}", kind="other", title=f"O{number}", capacity=3
        )
        case = CaseFactory(traeger=traeger, organisation=organisation, case_manager=case_manager)
        Referral.objects.create(
            traeger=traeger,
            case=case,
            offer=offer,
            requested_on=TODAY(),
            follow_up_on=TODAY() - dt.timedelta(days=1),
        )


def _queries(client, url: str, **params: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    ("url_name", "params"),
    [("offers:list", {}), ("offers:worklist", {"ueberfaellig": "1"}), ("offers:worklist", {})],
)
def test_list_pages_do_not_grow_with_rows(
    client, traeger, organisation, case_manager, url_name, params
):
    client.force_login(case_manager)
    url = reverse(url_name)
    _add_rows(traeger, organisation, case_manager, 0, 2)
    _queries(client, url, **params)  # warm up: the first audit entry starts the audit chain
    few = _queries(client, url, **params)
    _add_rows(traeger, organisation, case_manager, 2, 10)
    many = _queries(client, url, **params)

    assert many == few
    assert few <= 20


def test_partner_gets_no_offers_pages(client, traeger, organisation, case, open_offer):
    partner = UserFactory(traeger=traeger, organisation=organisation, roles=[Role.PARTNER])
    client.force_login(partner)
    assert client.get(reverse("offers:list")).status_code == 403
    assert client.get(reverse("offers:case_referrals", args=[case.pk])).status_code == 403


def test_worklist_shows_overdue_follow_ups_first_across_pages(
    client, traeger, organisation, case_manager, open_offer
):
    today = TODAY()
    late = []
    for index, requested in enumerate((5, 1, 3)):
        case = CaseFactory(traeger=traeger, organisation=organisation, case_manager=case_manager)
        Referral.objects.create(
            traeger=traeger,
            case=case,
            offer=open_offer,
            requested_on=today - dt.timedelta(days=requested),
            follow_up_on=None if index else today + dt.timedelta(days=2),
        )
        overdue = Referral.objects.create(
            traeger=traeger,
            case=case,
            offer=open_offer,
            requested_on=today - dt.timedelta(days=40),
            follow_up_on=today - dt.timedelta(days=10 + index),
        )
        late.append(overdue)
    client.force_login(case_manager)

    seen = []
    cursor = None
    while True:
        params = {"nach": cursor} if cursor else {}
        page = client.get(reverse("offers:worklist"), params).context["page"]
        seen += page.items
        cursor = page.next_cursor
        if not cursor:
            break
        assert len(page.items) == 25

    # The longest overdue first, then the others newest first.
    assert seen[:3] == sorted(late, key=lambda r: r.follow_up_on)
    assert [r.requested_on for r in seen[3:]] == sorted(
        (r.requested_on for r in seen[3:]), reverse=True
    )
    assert len(seen) == 6


def test_worklist_keyset_pages_keep_overdue_first(
    client, traeger, organisation, case_manager, open_offer
):
    from lotse.offers.selectors import ReferralFilter, referral_worklist_page

    today = TODAY()
    case = CaseFactory(traeger=traeger, organisation=organisation, case_manager=case_manager)
    for day in range(4):
        Referral.objects.create(
            traeger=traeger,
            case=case,
            offer=open_offer,
            requested_on=today - dt.timedelta(days=day),
            follow_up_on=today - dt.timedelta(days=day) if day % 2 else None,
        )
    filters = ReferralFilter(mine=True)
    first = referral_worklist_page(case_manager, filters=filters, cursor=None, size=1, today=today)
    rows = list(first.items)
    cursor = first.next_cursor
    while cursor:
        page = referral_worklist_page(
            case_manager, filters=filters, cursor=cursor, size=1, today=today
        )
        rows += page.items
        cursor = page.next_cursor
    assert [r.follow_up_on is not None for r in rows] == [True, True, False, False]
    assert rows[0].follow_up_on < rows[1].follow_up_on
    assert len({r.pk for r in rows}) == 4
