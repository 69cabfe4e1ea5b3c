from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client, case_manager):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_pages_with_personal_data_are_not_stored(client, case_manager, case):
    client.force_login(case_manager)
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response["Cache-Control"] == "no-store"


def test_production_settings_send_hsts(monkeypatch, _field_keys, _audit_signing_key):
    import importlib

    import lotse.settings as settings_module

    monkeypatch.setenv("LOTSE_TESTING", "0")
    monkeypatch.setenv("LOTSE_FIELD_KEYS_FILE", str(_field_keys))
    monkeypatch.setenv("LOTSE_AUDIT_SIGNING_KEY_FILE", str(_audit_signing_key))
    monkeypatch.setenv("LOTSE_SECRET_KEY", "x" * 60)
    monkeypatch.setenv("LOTSE_ALLOWED_HOSTS", "lotse.example")
    try:
        production = importlib.reload(settings_module)
        assert production.SECURE_HSTS_SECONDS >= 31536000
        assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
    finally:
        monkeypatch.undo()
        importlib.reload(settings_module)


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import lotse.settings as settings_module

    monkeypatch.setenv("LOTSE_TESTING", "0")
    monkeypatch.delenv("LOTSE_SECRET_KEY", raising=False)
    monkeypatch.delenv("LOTSE_DEBUG", raising=False)
    monkeypatch.delenv("LOTSE_DEMO", raising=False)
    try:
        with pytest.raises(ImproperlyConfigured):
            importlib.reload(settings_module)
    finally:
        monkeypatch.undo()
        importlib.reload(settings_module)
