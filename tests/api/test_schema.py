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


def _schema() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def test_every_operation_documents_its_errors_as_json():
    operations = [
        (path, method, operation)
        for path, item in _schema()["paths"].items()
        for method, operation in item.items()
    ]
    assert len(operations) > 50
    for path, method, operation in operations:
        expected = {"400", "401", "403", "404"}
        if method in {"post", "put", "patch"}:
            expected.add("413")
        assert expected <= set(operation["responses"]), (method, path)
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                assert list(response["content"]) == ["application/json"], (method, path, status)


def test_the_pdf_answers_are_documented_as_binary():
    operation = _schema()["paths"]["/api/v1/cases/{id}/agreement.pdf"]["get"]
    assert operation["responses"]["200"]["content"] == {
        "application/pdf": {"schema": {"type": "string", "format": "binary"}}
    }
    assert operation["responses"]["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
