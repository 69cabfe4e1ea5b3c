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
