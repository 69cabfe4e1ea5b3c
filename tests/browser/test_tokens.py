"""The API token page in Chromium: create (shown once), error at the field, revoke; axe on each."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from lotse.api.models import ApiToken
from tests.browser.conftest import assert_accessible, login

pytestmark = pytest.mark.browser


def api_status(token: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client.get("/api/v1/persons/").status_code


def test_create_show_once_and_revoke_a_token(page, live_server, case_worker):
    login(page, live_server, case_worker.username, case_worker.raw_password)
    page.goto(f"{live_server.url}/konto/api-tokens/")
    assert page.locator("h1").count() == 1
    assert_accessible(page)

    # A validity beyond the maximum: the error is at the field, linked for screen readers.
    page.fill("#id_name", "Auswertung Statistikstelle")
    page.fill("#id_days", "9999")
    with page.expect_navigation():
        page.click("main form.lotse-form button[type=submit]")
    days = page.locator("#id_days")
    assert days.get_attribute("aria-invalid") == "true"
    assert days.get_attribute("aria-describedby")
    assert not ApiToken.objects.exists()
    assert_accessible(page)

    page.fill("#id_days", "30")
    with page.expect_navigation():
        page.click("main form.lotse-form button[type=submit]")
    secret = page.locator("[data-testid=new-token]").inner_text().strip()
    assert len(secret) >= 40
    assert api_status(secret) == 200
    assert_accessible(page)

    # Shown once: the list afterwards names the token only by its prefix.
    page.goto(f"{live_server.url}/konto/api-tokens/")
    assert secret not in page.content()
    assert secret[:8] in page.locator("table").inner_text()

    with page.expect_navigation():
        page.click("table form button[type=submit]")
    assert api_status(secret) == 401
    assert ApiToken.objects.get().revoked_at is not None
    assert page.locator("table form").count() == 0
    assert_accessible(page)


def test_login_page_with_the_municipal_account_button_is_accessible(page, live_server, settings):
    settings.LOTSE_OIDC_ISSUER = "https://login.kreis-lippe.example/realms/verwaltung"
    settings.LOTSE_OIDC_CLIENT_ID = "lotse"
    settings.LOTSE_OIDC_CLIENT_SECRET = "geheim"

    page.goto(f"{live_server.url}/anmelden/?next=/faelle/")

    button = page.locator("main a[href='/oidc/anmelden/?next=/faelle/']")
    assert button.count() == 1
    assert_accessible(page)
