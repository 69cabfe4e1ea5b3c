from __future__ import annotations

import pytest
from django.urls import reverse

from lotse.accounts.models import Role
from lotse.audit.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_dpo_sees_who_read_a_case_but_never_values(
    client, case, case_manager, traeger, organisation
):
    client.force_login(case_manager)
    client.get(reverse("cases:detail", args=[case.pk]))
    dpo = UserFactory(
        username="dpo", traeger=traeger, organisation=organisation, roles=[Role.DATA_PROTECTION]
    )
    client.force_login(dpo)
    response = client.get(reverse("audit:log"), {"person": case.person_id})
    assert response.status_code == 200
    entries = response.context["page"].items
    assert [(e.username, e.action, e.object_type) for e in entries] == [("cm", "view", "case")]
    assert case.person.last_name not in response.content.decode()
    assert AuditEntry.objects.filter(user=dpo, object_type="audit_log").exists()


@pytest.mark.parametrize(
    "role",
    [Role.CASE_MANAGEMENT, Role.TEAM_LEAD, Role.COORDINATION, Role.PARTNER, Role.ADMINISTRATION],
)
def test_only_data_protection_reads_the_log(client, traeger, organisation, role):
    client.force_login(UserFactory(traeger=traeger, organisation=organisation, roles=[role]))
    assert client.get(reverse("audit:log")).status_code == 403


def test_dpo_never_sees_other_traeger_entries(client, case, case_manager):
    client.force_login(case_manager)
    client.get(reverse("cases:detail", args=[case.pk]))
    other_dpo = UserFactory(roles=[Role.DATA_PROTECTION])
    client.force_login(other_dpo)
    entries = client.get(reverse("audit:log")).context["page"].items
    assert all(e.traeger_id == other_dpo.traeger_id for e in entries)
    assert not [e for e in entries if e.username == "cm"]


def _entry_at(dpo, when, detail):
    """An access-log entry of ``dpo``'s Träger written at ``when`` (through the chain)."""
    from lotse.audit.services import audit_append_prepared, audit_entry

    entry = audit_entry(user=dpo, action="view", object_type="case", detail=detail)
    entry.occurred_at = when
    audit_append_prepared([entry])


def test_date_range_counts_local_days_of_berlin(client, traeger, organisation):
    """23:30 UTC on 31 May is 1 June in Berlin; 22:30 UTC on 2 June is already 3 June."""
    import datetime as dt

    dpo = UserFactory(
        username="dpo", traeger=traeger, organisation=organisation, roles=[Role.DATA_PROTECTION]
    )
    utc = dt.UTC
    _entry_at(dpo, dt.datetime(2026, 5, 31, 21, 30, tzinfo=utc), "before")  # 23:30 on 31 May
    _entry_at(dpo, dt.datetime(2026, 5, 31, 22, 30, tzinfo=utc), "first")  # 00:30 on 1 June
    _entry_at(dpo, dt.datetime(2026, 6, 2, 21, 30, tzinfo=utc), "last")  # 23:30 on 2 June
    _entry_at(dpo, dt.datetime(2026, 6, 2, 22, 30, tzinfo=utc), "after")  # 00:30 on 3 June
    client.force_login(dpo)
    response = client.get(
        reverse("audit:log"), {"von": "2026-06-01", "bis": "2026-06-02", "aktion": "view"}
    )
    found = [e.detail for e in response.context["page"].items if e.object_type == "case"]
    assert found == ["last", "first"]


def test_date_range_is_a_time_range_not_a_date_per_entry(traeger, organisation):
    """The filter compares ``occurred_at`` itself, so the (traeger, occurred_at) index serves
    it; converting every entry's time to a date (``__date``) cannot use an index."""
    import datetime as dt

    from lotse.audit.selectors import AuditFilter, audit_entries_for_user

    dpo = UserFactory(traeger=traeger, organisation=organisation, roles=[Role.DATA_PROTECTION])
    filters = AuditFilter(date_from=dt.date(2026, 6, 1), date_to=dt.date(2026, 6, 2))
    sql = str(audit_entries_for_user(dpo, filters=filters).query).lower()
    assert '"occurred_at" >=' in sql
    assert '"occurred_at" <' in sql
    assert "cast_date" not in sql and "time zone" not in sql


def test_log_page_queries_do_not_grow_with_entries(
    client, traeger, organisation, django_assert_max_num_queries
):
    dpo = UserFactory(traeger=traeger, organisation=organisation, roles=[Role.DATA_PROTECTION])
    client.force_login(dpo)
    client.get(reverse("audit:log"))
    for _ in range(60):
        client.get(reverse("audit:log"))  # each search is itself an entry
    with django_assert_max_num_queries(12):
        response = client.get(reverse("audit:log"), {"benutzer": dpo.username})
    assert len(response.context["page"].items) == 50
