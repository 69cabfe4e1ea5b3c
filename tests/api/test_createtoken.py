from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("createtoken", *args, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def test_prints_a_working_token_and_the_same_one_again():
    user = UserFactory(username="cm-lippe")

    first = run("cm-lippe")
    second = run("cm-lippe")

    assert first == second == Token.objects.get(user=user).key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert client.get("/api/v1/persons/").status_code == 200


def test_rotate_replaces_the_token():
    UserFactory(username="cm-lippe")
    old = run("cm-lippe")

    new = run("cm-lippe", "--rotate")

    assert new != old
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {old}")
    assert client.get("/api/v1/persons/").status_code == 401


def test_unknown_user_fails_with_a_message_naming_the_user():
    with pytest.raises(CommandError, match="niemand"):
        run("niemand")
    assert not Token.objects.exists()
