"""Refused attempts are counted per user, kind and hour; the officer sees them in aggregate."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from lotse.accounts.models import Role
from lotse.audit.denials import HINT_THRESHOLD, denial_record
from lotse.audit.models import DenialTally
from tests.factories import CaseFactory, UserFactory
from tests.tokens import bearer_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def foreign_cases(db):
    """Thirty cases of another Träger: their ids are what a prober would try."""
    return [CaseFactory() for _ in range(30)]


@pytest.fixture
def officer(traeger, organisation):
    return UserFactory(
        username="dsb", traeger=traeger, organisation=organisation, roles=[Role.DATA_PROTECTION]
    )


def test_probing_thirty_foreign_cases_is_one_row_with_count_30(
    client, case_manager, officer, foreign_cases
):
    client.force_login(case_manager)
    for case in foreign_cases:
        assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404

    client.force_login(officer)
    response = client.get(reverse("audit:denials"))

    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(r.username, r.kind, r.status, r.count) for r in rows] == [
        ("cm", "cases:detail", 404, 30)
    ]
    assert rows[0].notable and response.context["notable"] == 1
    assert "auffällig" in response.content.decode()
    assert rows[0].first_at <= rows[0].last_at


def test_api_probes_and_role_refusals_are_counted(client, case_manager, foreign_cases):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=bearer_for(case_manager))
    for case in foreign_cases[:3]:
        assert api.get(reverse("api:case-detail", args=[case.pk])).status_code == 404
    client.force_login(case_manager)
    assert client.get(reverse("audit:log")).status_code == 403

    counted = {(t.kind, t.status): t.count for t in DenialTally.objects.filter(username="cm")}
    assert counted == {("api:case-detail", 404): 3, ("audit:log", 403): 1}
    assert DenialTally.objects.get(kind="audit:log").traeger_id == case_manager.traeger_id


def test_unknown_addresses_and_anonymous_requests_are_not_counted(client, case_manager, case):
    client.get(reverse("cases:detail", args=[case.pk]))  # anonymous: a redirect to sign in
    client.force_login(case_manager)
    client.get("/gibt-es-nicht/")
    client.get(reverse("cases:detail", args=[case.pk]))  # allowed
    assert not DenialTally.objects.exists()


def test_a_stale_session_asked_to_confirm_is_not_probing(case_manager):
    import time

    from lotse.accounts.mfa import SESSION_AUTH_AT

    api = APIClient()
    api.force_login(case_manager)
    session = api.session
    session[SESSION_AUTH_AT] = int(time.time()) - 3600
    session.save()
    assert api.get(reverse("api:person-list")).status_code == 403
    assert not DenialTally.objects.exists()


def test_counts_add_up_in_one_row_per_hour(case_manager):
    start = timezone.now().replace(minute=5, second=0, microsecond=0)
    for minutes in (0, 10, 50):
        denial_record(
            user=case_manager,
            kind="cases:detail",
            status=404,
            at=start + dt.timedelta(minutes=minutes),
        )
    denial_record(
        user=case_manager, kind="cases:detail", status=404, at=start + dt.timedelta(hours=1)
    )
    rows = DenialTally.objects.order_by("hour")
    assert [(r.count, r.first_at.minute, r.last_at.minute) for r in rows] == [(3, 5, 55), (1, 5, 5)]


def test_officer_sees_only_the_own_traeger_sorted_by_count(
    client, case_manager, officer, traeger, organisation
):
    colleague = UserFactory(
        username="tl", traeger=traeger, organisation=organisation, roles=[Role.TEAM_LEAD]
    )
    stranger = UserFactory(username="fremd", roles=[Role.CASE_MANAGEMENT])
    for _ in range(2):
        denial_record(user=case_manager, kind="cases:detail", status=404)
    for _ in range(5):
        denial_record(user=colleague, kind="people:detail", status=404)
    denial_record(user=stranger, kind="cases:detail", status=404)

    client.force_login(officer)
    response = client.get(reverse("audit:denials"))

    assert [(r.username, r.count) for r in response.context["rows"]] == [("tl", 5), ("cm", 2)]
    assert response.context["notable"] == 0 and HINT_THRESHOLD > 5
    assert "fremd" not in response.content.decode()


def test_the_period_limits_the_rows(client, case_manager, officer):
    denial_record(
        user=case_manager,
        kind="cases:detail",
        status=404,
        at=timezone.now() - dt.timedelta(days=60),
    )
    client.force_login(officer)
    assert client.get(reverse("audit:denials")).context["rows"] == []
    old = (timezone.localdate() - dt.timedelta(days=61)).isoformat()
    rows = client.get(reverse("audit:denials"), {"von": old}).context["rows"]
    assert [r.count for r in rows] == [1]


def test_the_access_log_links_the_denied_attempts(client, officer):
    client.force_login(officer)
    assert reverse("audit:denials") in client.get(reverse("audit:log")).content.decode()
