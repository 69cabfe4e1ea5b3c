"""Hashed, expiring API tokens: authentication, the page to manage them, the DRF take-over."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from rest_framework.test import APIClient

from lotse.accounts import mfa
from lotse.api.models import ApiToken
from lotse.api.services import hash_secret
from lotse.audit.models import AuditEntry
from tests.tokens import token_for

pytestmark = pytest.mark.django_db
PERSONS = "/api/v1/persons/"


def get(header: str | None) -> tuple[int, dict, str]:
    client = APIClient()
    if header is not None:
        client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get(PERSONS)
    return response.status_code, response.json(), response.get("WWW-Authenticate", "")


def test_bearer_and_token_keywords_are_accepted(case_manager):
    secret = token_for(case_manager)

    assert get(f"Bearer {secret}")[0] == 200
    assert get(f"Token {secret}")[0] == 200


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"revoked_at": timezone.now()}, "This token has been revoked."),
        ({"expires_at": timezone.now() - dt.timedelta(seconds=1)}, "This token has expired."),
    ],
)
def test_revoked_and_expired_tokens_are_refused_with_a_reason(case_manager, change, message):
    secret = token_for(case_manager)
    ApiToken.objects.update(**change)

    status, body, challenge = get(f"Bearer {secret}")

    assert status == 401
    assert body["detail"] == gettext(message)
    assert challenge.startswith("Bearer")


def test_a_disabled_users_token_is_refused(case_manager):
    secret = token_for(case_manager)
    case_manager.is_active = False
    case_manager.save()

    assert get(f"Bearer {secret}")[0] == 401


def test_unknown_and_altered_tokens_are_refused(case_manager):
    secret = token_for(case_manager)
    altered = secret[:-1] + ("A" if secret[-1] != "A" else "B")

    assert get(f"Bearer {altered}")[0] == 401
    assert get("Bearer ")[0] in {401, 403}
    assert get(f"Bearer {secret} extra")[0] == 401
    assert get(None)[0] == 401


def test_a_shared_prefix_finds_the_right_token(case_manager, team_lead):
    secret = token_for(case_manager)
    twin = secret[:8] + "x" * 35
    ApiToken.objects.create(
        user=team_lead,
        name="Zwilling",
        prefix=twin[:8],
        token_hash=hash_secret(twin),
        expires_at=timezone.now() + dt.timedelta(days=1),
    )

    assert get(f"Bearer {twin}")[0] == 200
    assert ApiToken.objects.get(name="Zwilling").last_used_at is not None
    assert ApiToken.objects.get(name="Test").last_used_at is None
    assert get(f"Bearer {secret[:8]}{'y' * 35}")[0] == 401


def test_last_used_is_written_at_most_once_a_minute(case_manager):
    secret = token_for(case_manager)

    get(f"Bearer {secret}")
    first = ApiToken.objects.get().last_used_at
    get(f"Bearer {secret}")
    assert ApiToken.objects.get().last_used_at == first

    ApiToken.objects.update(last_used_at=timezone.now() - dt.timedelta(minutes=2))
    get(f"Bearer {secret}")
    assert ApiToken.objects.get().last_used_at > first - dt.timedelta(minutes=1)
    assert ApiToken.objects.get().last_used_at >= first


# The page where a user manages their own tokens.


def test_page_creates_shows_once_and_revokes(client, case_manager):
    client.force_login(case_manager)
    url = reverse("tokens:list")

    response = client.post(url, {"name": "Auswertung", "days": "30"})

    assert response.status_code == 200
    secret = response.context["issued"].secret
    assert secret in response.content.decode()
    assert get(f"Bearer {secret}")[0] == 200
    token = ApiToken.objects.get(user=case_manager)
    assert AuditEntry.objects.filter(object_type="api_token", object_id=str(token.pk)).exists()

    listing = client.get(url).content.decode()
    assert "Auswertung" in listing and token.prefix in listing and secret not in listing

    assert client.post(reverse("tokens:revoke", args=[token.pk])).status_code == 302
    assert get(f"Bearer {secret}")[0] == 401


def test_creating_a_token_needs_a_recent_sign_in(client, case_manager):
    client.force_login(case_manager)
    session = client.session
    session[mfa.SESSION_AUTH_AT] = int(time.time()) - 3600
    session.save()

    response = client.post(reverse("tokens:list"), {"name": "Alt", "days": "30"})

    assert not ApiToken.objects.exists()
    assert response.context is None or "issued" not in response.context


def test_page_refuses_too_long_validity_at_the_field(client, case_manager, settings):
    settings.LOTSE_API_TOKEN_MAX_DAYS = 30
    client.force_login(case_manager)

    response = client.post(reverse("tokens:list"), {"name": "Lang", "days": "31"})

    assert response.status_code == 422
    assert "days" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_another_users_token_cannot_be_revoked(client, case_manager, team_lead):
    token_for(team_lead)
    token = ApiToken.objects.get()
    client.force_login(case_manager)

    assert client.post(reverse("tokens:revoke", args=[token.pk])).status_code == 404
    assert ApiToken.objects.get().revoked_at is None
    assert token.prefix not in client.get(reverse("tokens:list")).content.decode()


def test_page_needs_a_sign_in(client):
    response = client.get(reverse("tokens:list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
