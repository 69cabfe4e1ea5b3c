from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_schema_generates_without_warnings(tmp_path: Path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    for path in (
        "/api/v1/persons/{id}/residence-statuses/",
        "/api/v1/cases/{id}/phase/",
        "/api/v1/cases/{id}/timeline/{entry_pk}/",
    ):
        assert path in text


def test_schema_is_served_to_logged_in_users(client, case_manager):
    client.force_login(case_manager)
    response = client.get(reverse("api:schema"))
    assert response.status_code == 200
    assert b"Lotse API" in response.content
