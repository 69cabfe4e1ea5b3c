from __future__ import annotations

import pytest

from lotse.sso.models import ExternalIdentity
from tests.browser.conftest import assert_accessible, login

pytestmark = pytest.mark.browser
ISSUER = "https://login.kreis-test.example"


def test_reauth_page_with_the_municipal_account_passes_axe(
    page, live_server, case_worker, settings
):
    settings.LOTSE_OIDC_ISSUER = ISSUER
    settings.LOTSE_OIDC_CLIENT_ID = "lotse"
    settings.LOTSE_OIDC_CLIENT_SECRET = "geheim"  # noqa: S105
    ExternalIdentity.objects.create(user=case_worker, issuer=ISSUER, subject="kommune-4711")
    login(page, live_server, case_worker.username, case_worker.raw_password)

    page.goto(f"{live_server.url}/anmelden/bestaetigen/?next=/faelle/")

    button = page.locator("form[action='/oidc/bestaetigen/'] button[type=submit]")
    assert button.count() == 1 and page.locator("#id_password").count() == 1
    button.focus()
    assert page.evaluate("document.activeElement.type") == "submit"
    assert_accessible(page)
