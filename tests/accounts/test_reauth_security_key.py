"""Confirming a sign-in before a sensitive action with password and security key (instead of
password and code)."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from lotse.accounts.mfa import SESSION_AUTH_AT
from lotse.accounts.models import LoginFailure
from lotse.audit.models import AuditEntry
from tests.accounts.test_webauthn import SoftAuthenticator, _key_for
from tests.auth import totp_device
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "demo-password-123"


@pytest.fixture
def user(case_manager):
    totp_device(case_manager)
    return case_manager


def _stale(client) -> None:
    session = client.session
    session[SESSION_AUTH_AT] = int(time.time()) - 3600
    session.save()


def _options(client) -> dict:
    response = client.post(reverse("reauth_security_key_options"))
    assert response.status_code == 200, response.content
    return response.json()


def test_the_confirmation_page_offers_the_key_to_users_with_one(client, user):
    client.force_login(user)
    assert b"data-security-key-root" not in client.get(reverse("reauth")).content
    _key_for(user, SoftAuthenticator())
    page = client.get(reverse("reauth")).content.decode()
    assert 'data-form="reauth-form"' in page and "Mit Sicherheitsschlüssel bestätigen" in page


def test_password_and_key_confirm_the_sign_in(client, user):
    authenticator = SoftAuthenticator()
    key = _key_for(user, authenticator)
    count_before = key.sign_count
    client.force_login(user)
    _stale(client)
    credential = authenticator.get(_options(client))

    response = client.post(
        reverse("reauth"), {"password": PASSWORD, "credential": credential, "next": "/personen/"}
    )

    assert response.status_code == 302 and response["Location"] == "/personen/"
    assert int(time.time()) - client.session[SESSION_AUTH_AT] < 5
    key.refresh_from_db()
    assert key.sign_count > count_before
    assert AuditEntry.objects.filter(
        user=user, action="login", detail="Anmeldung bestätigt (Passwort und zweiter Faktor)"
    ).exists()


def test_a_wrong_password_with_a_valid_key_is_refused(client, user):
    authenticator = SoftAuthenticator()
    _key_for(user, authenticator)
    client.force_login(user)
    _stale(client)
    credential = authenticator.get(_options(client))

    response = client.post(reverse("reauth"), {"password": "falsch", "credential": credential})

    assert response.status_code == 422
    assert "password" in response.context["form"].errors
    assert int(time.time()) - client.session[SESSION_AUTH_AT] > 3000


def test_a_replayed_or_foreign_assertion_is_refused_and_counted(client, user):
    authenticator = SoftAuthenticator()
    _key_for(user, authenticator)
    client.force_login(user)
    credential = authenticator.get(_options(client))
    assert (
        client.post(reverse("reauth"), {"password": PASSWORD, "credential": credential}).status_code
        == 302
    )
    _stale(client)

    replayed = client.post(reverse("reauth"), {"password": PASSWORD, "credential": credential})

    assert replayed.status_code == 422
    assert "Sicherheitsschlüssel" in " ".join(replayed.context["form"].non_field_errors())
    assert LoginFailure.objects.filter(username=user.username).count() == 1
    assert int(time.time()) - client.session[SESSION_AUTH_AT] > 3000
    assert AuditEntry.objects.filter(
        user=user, action="login_failed", detail="zweiter Faktor: Sicherheitsschlüssel (falsch)"
    ).exists()

    other = UserFactory(traeger=user.traeger, organisation=user.organisation)
    totp_device(other)
    foreign = SoftAuthenticator()
    _key_for(other, foreign)
    options = _options(client)
    response = client.post(
        reverse("reauth"), {"password": PASSWORD, "credential": foreign.get(options)}
    )
    assert response.status_code == 422


def test_options_need_a_key(client, case_manager):
    totp_device(case_manager)
    client.force_login(case_manager)
    assert client.post(reverse("reauth_security_key_options")).status_code == 400
