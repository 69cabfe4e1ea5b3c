"""Tokens of ``rest_framework.authtoken`` are taken over, hashed, by the api migration 0002."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from lotse.api.models import ApiToken


@pytest.mark.django_db(transaction=True)  # SQLite's schema editor needs autocommit
def test_drf_tokens_are_taken_over_hashed_and_the_old_table_dropped(case_manager):
    migration = importlib.import_module("lotse.api.migrations.0002_drf_tokens_to_api_tokens")
    key = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp, "
            "user_id bigint)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token VALUES (%s, %s, %s)",
            [key, "2026-01-02 03:04:05", case_manager.pk],
        )
    with connection.schema_editor() as editor:
        migration.take_over_drf_tokens(apps, editor)

    token = ApiToken.objects.get()
    assert token.user == case_manager and token.prefix == key[:8]
    assert token.token_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.expires_at > timezone.now() + dt.timedelta(days=89)
    assert "authtoken_token" not in connection.introspection.table_names()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/persons/").status_code == 200
