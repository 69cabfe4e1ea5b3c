from __future__ import annotations

import time

import pytest
from django.urls import reverse

from lotse.accounts.models import LoginFailure
from lotse.accounts.security import SESSION_LAST_SEEN, SESSION_STARTED
from tests.auth import code_for, totp_device

pytestmark = pytest.mark.django_db
PASSWORD = "demo-password-123"


def _sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_lockout_after_repeated_failures_even_with_the_right_password(
    client, case_manager, settings
):
    settings.LOTSE_LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        assert _sign_in(client, "cm", "falsch").status_code == 200
    response = _sign_in(client, "cm", PASSWORD)
    assert response.status_code == 200
    assert any(
        e.code == "locked_out" for e in response.context["form"].non_field_errors().as_data()
    )
    assert "_auth_user_id" not in client.session


def test_success_clears_failures(client, case_manager, settings):
    settings.LOTSE_LOGIN_MAX_FAILURES = 3
    _sign_in(client, "cm", "falsch")
    assert _sign_in(client, "cm", PASSWORD).status_code == 302
    assert not LoginFailure.objects.filter(username="cm").exists()


def test_failures_expire_after_the_window(client, case_manager, settings):
    settings.LOTSE_LOGIN_MAX_FAILURES = 2
    _sign_in(client, "cm", "falsch")
    _sign_in(client, "cm", "falsch")
    LoginFailure.objects.update(occurred_at="2020-01-01T00:00:00Z")
    assert _sign_in(client, "cm", PASSWORD).status_code == 302


def test_idle_session_ends(client, case_manager, settings):
    assert _sign_in(client, "cm", PASSWORD).status_code == 302
    session = client.session
    session[SESSION_LAST_SEEN] = int(time.time()) - settings.LOTSE_IDLE_TIMEOUT_MINUTES * 60 - 5
    session.save()
    response = client.get(reverse("cases:my_cases"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(reverse("cases:my_cases")).status_code == 302


def test_absolute_lifetime_ends_an_active_session(client, case_manager, settings):
    assert _sign_in(client, "cm", PASSWORD).status_code == 302
    session = client.session
    session[SESSION_STARTED] = int(time.time()) - settings.SESSION_COOKIE_AGE - 5
    session.save()
    assert client.get(reverse("cases:my_cases")).status_code == 302


def test_disabled_account_loses_its_session(client, case_manager):
    device = totp_device(case_manager)
    assert _sign_in(client, "cm", PASSWORD).status_code == 302
    assert client.post(reverse("mfa_verify"), {"code": code_for(device)}).status_code == 302
    assert client.get(reverse("cases:my_cases")).status_code == 200
    case_manager.is_active = False
    case_manager.save()
    assert client.get(reverse("cases:my_cases")).status_code == 302
