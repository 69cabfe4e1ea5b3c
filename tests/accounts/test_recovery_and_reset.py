"""A user renews their own recovery codes; the administration's reset of the second factor ends
every session of the account (a lost or stolen device opens nothing any more)."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse

from lotse.accounts import mfa
from lotse.accounts.mfa import SESSION_AUTH_AT
from lotse.accounts.models import RecoveryCode, User
from lotse.audit.models import AuditEntry
from tests.auth import totp_device
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_user_renews_the_recovery_codes_and_sees_them_once(client, case_manager):
    totp_device(case_manager)
    old = mfa.new_recovery_codes(case_manager)
    client.force_login(case_manager)
    page = client.get(reverse("security_keys")).content.decode()
    assert "10 von 10 Wiederherstellungscodes sind unbenutzt" in page

    response = client.post(reverse("recovery_codes_renew"))

    assert response.status_code == 302 and response["Location"] == reverse("mfa_recovery_codes")
    shown = client.get(reverse("mfa_recovery_codes"))
    codes = shown.context["codes"]
    assert len(codes) == 10 and not set(codes) & set(old)
    assert shown.context["next"] == reverse("security_keys")
    assert client.get(reverse("mfa_recovery_codes")).status_code == 302  # only once
    assert not mfa.use_recovery_code(case_manager, old[0])  # the old ones stop working
    assert mfa.use_recovery_code(case_manager, codes[0])
    assert AuditEntry.objects.filter(
        user=case_manager, object_type="user", detail="Wiederherstellungscodes erneuert"
    ).exists()


def test_renewing_needs_a_recent_sign_in(client, case_manager):
    totp_device(case_manager)
    mfa.new_recovery_codes(case_manager)
    before = set(RecoveryCode.objects.values_list("code_hash", flat=True))
    client.force_login(case_manager)
    session = client.session
    session[SESSION_AUTH_AT] = int(time.time()) - 3600
    session.save()

    response = client.post(reverse("recovery_codes_renew"))

    assert response.status_code == 403  # the confirmation page, nothing renewed
    assert set(RecoveryCode.objects.values_list("code_hash", flat=True)) == before


def test_renewing_without_an_app_is_refused(client, case_manager):
    client.force_login(case_manager)
    response = client.post(reverse("recovery_codes_renew"), follow=True)
    assert "Richten Sie zuerst die Authenticator-App ein." in response.content.decode()
    assert not RecoveryCode.objects.filter(user=case_manager).exists()


def test_renewing_is_a_post(client, case_manager):
    client.force_login(case_manager)
    assert client.get(reverse("recovery_codes_renew")).status_code == 405


def test_the_reset_ends_every_session_of_the_account(client, case_manager, traeger):
    totp_device(case_manager)
    laptop, phone = Client(), Client()
    laptop.force_login(case_manager)
    phone.force_login(case_manager)
    assert laptop.get(reverse("cases:my_cases")).status_code == 200

    admin = UserFactory(username="root", traeger=traeger, is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [case_manager.pk]},
    )

    assert response.status_code == 302
    for device in (laptop, phone):
        assert device.get(reverse("cases:my_cases")).status_code == 302  # to the sign-in
        assert "_auth_user_id" not in device.session
    assert User.objects.get(pk=case_manager.pk).session_epoch == 1
    assert AuditEntry.objects.filter(
        user=admin, object_type="user", object_id=str(case_manager.pk), action="update"
    ).exists()
    # The administration's own session stays.
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    # Signing in again works and is bound to the new epoch.
    fresh = Client()
    fresh.force_login(User.objects.get(pk=case_manager.pk))
    assert fresh.get(reverse("cases:my_cases")).status_code == 200


def test_at_epoch_zero_the_session_hash_is_djangos_own(case_manager):
    from django.contrib.auth.base_user import AbstractBaseUser

    assert case_manager.get_session_auth_hash() == AbstractBaseUser.get_session_auth_hash(
        case_manager
    )
    case_manager.session_epoch = 2
    assert case_manager.get_session_auth_hash() != AbstractBaseUser.get_session_auth_hash(
        case_manager
    )
