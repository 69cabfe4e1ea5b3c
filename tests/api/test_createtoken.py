from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from lotse.api.models import ApiToken
from lotse.api.services import hash_secret
from lotse.audit.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def run(command: str, *args: str) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def status_with(token: str, keyword: str = "Bearer") -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {token}")
    return client.get("/api/v1/persons/").status_code


def test_prints_a_working_token_once_and_stores_only_its_hash():
    user = UserFactory(username="cm-lippe")

    first = run("createtoken", "cm-lippe", "--name", "Statistik", "--days", "10")
    second = run("createtoken", "cm-lippe")

    assert first != second
    stored = ApiToken.objects.get(prefix=first[:8])
    assert stored.user == user and stored.name == "Statistik"
    assert stored.token_hash == hash_secret(first)
    assert first not in {stored.token_hash, stored.prefix, stored.name}
    expected = timezone.now() + dt.timedelta(days=10)
    assert abs(stored.expires_at - expected) < dt.timedelta(minutes=1)
    assert status_with(first) == 200
    assert status_with(second, "Token") == 200
    created = AuditEntry.objects.get(object_type="api_token", object_id=str(stored.pk))
    assert (created.action, created.channel, created.user) == ("create", "cli", user)


def test_days_beyond_the_maximum_are_refused(settings):
    settings.LOTSE_API_TOKEN_MAX_DAYS = 30
    UserFactory(username="cm-lippe")

    with pytest.raises(CommandError, match="30"):
        run("createtoken", "cm-lippe", "--days", "31")
    assert not ApiToken.objects.exists()


def test_revoketoken_by_prefix_and_by_user():
    UserFactory(username="cm-lippe")
    one = run("createtoken", "cm-lippe")
    two = run("createtoken", "cm-lippe")
    other = run("createtoken", UserFactory(username="tl").username)

    run("revoketoken", one[:8])
    assert status_with(one) == 401
    assert status_with(two) == 200

    run("revoketoken", "--user", "cm-lippe")
    assert status_with(two) == 401
    assert status_with(other) == 200


def test_revoketoken_without_a_match_fails():
    with pytest.raises(CommandError):
        run("revoketoken", "abcdefgh")


def test_unknown_user_fails_with_a_message_naming_the_user():
    with pytest.raises(CommandError, match="niemand"):
        run("createtoken", "niemand")
    assert not ApiToken.objects.exists()
