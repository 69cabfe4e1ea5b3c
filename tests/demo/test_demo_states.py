"""The demo holds agreements, referrals and consents in every state (issue 11)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from lotse.accounts.models import User
from lotse.agreements.models import Agreement
from lotse.consent.models import Consent, ConsentStatus
from lotse.offers.models import Referral, ReferralState

pytestmark = pytest.mark.django_db


def test_every_state_has_demo_content_and_a_second_load_adds_nothing(client):
    call_command("loaddemo", size=8, stdout=StringIO())
    manager = User.objects.get(username="casemanager")

    agreements = Agreement.objects.filter(case__case_manager=manager)
    assert set(agreements.values_list("status", flat=True)) == set(Agreement.Status.values)
    referrals = Referral.objects.filter(case__case_manager=manager)
    assert set(referrals.values_list("state", flat=True)) == set(ReferralState.values)
    consents = Consent.objects.filter(recorded_by=manager)
    assert {consent.status() for consent in consents} == set(ConsentStatus.values)
    assert all(c.is_signed and c.purposes.exists() for c in consents)

    counts = (agreements.count(), referrals.count(), consents.count())
    call_command("loaddemo", size=8, stdout=StringIO())
    assert (agreements.count(), referrals.count(), consents.count()) == counts

    # The pages show them: the agreement of the case with two versions, the withdrawn consent.
    superseded = agreements.get(status=Agreement.Status.SUPERSEDED)
    client.force_login(manager)
    page = client.get(reverse("agreements:detail", args=[superseded.case_id]))
    assert page.status_code == 200
    assert "Berufsabschluss anerkennen lassen" in page.content.decode()
    withdrawn = consents.get(withdrawn_at__isnull=False)
    page = client.get(reverse("consent:person", args=[withdrawn.person_id])).content.decode()
    assert "widerrufen" in page
