"""Security keys in the browser: Chromium's virtual authenticator (DevTools protocol).

The pages are opened as http://localhost:PORT: WebAuthn needs a host name as the RP ID (an
IP address is refused by the browser), and localhost counts as a secure context.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from lotse.accounts.models import WebAuthnCredential
from tests.browser.conftest import assert_accessible, complete_second_factor, password_step, tab_to

pytestmark = pytest.mark.browser


def _base(live_server) -> str:
    parts = urlsplit(live_server.url)
    return f"{parts.scheme}://localhost:{parts.port}"


def _virtual_authenticator(page) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": False,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )


def test_register_a_key_by_keyboard_then_sign_in_with_it(page, live_server, case_worker):
    base = _base(live_server)
    _virtual_authenticator(page)
    password_step(page, base, case_worker)
    complete_second_factor(page, case_worker.username)  # sets up the authenticator app
    assert urlsplit(page.url).path == "/start/"

    # The header links the key page.
    with page.expect_navigation():
        page.click("header a[href='/konto/sicherheitsschluessel/']")
    assert page.locator("h1").count() == 1
    assert page.locator("[data-security-key-root]").is_visible()
    assert not page.locator("[data-security-key-unsupported]").is_visible()
    assert_accessible(page)

    # By keyboard: the name field, then Enter starts the ceremony; the key answers at once.
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    tab_to(page, "#id_name")
    page.keyboard.type("YubiKey Büro")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert urlsplit(page.url).path == "/konto/sicherheitsschluessel/"
    assert page.locator("[data-security-key-list] th[scope=row]").all_inner_texts() == [
        "YubiKey Büro"
    ]
    key = WebAuthnCredential.objects.get(user=case_worker)
    assert key.name == "YubiKey Büro"
    assert_accessible(page)
    tab_to(page, "[data-security-key-list] button[type=submit]")

    # Sign out, sign in again: password, then the key instead of the code.
    with page.expect_navigation():
        page.click("header form button[type=submit]")
    password_step(page, base, case_worker)
    assert urlsplit(page.url).path == "/anmelden/code/"
    button = page.locator("[data-security-key-button]")
    assert button.is_visible()
    assert_accessible(page)
    with page.expect_navigation():
        button.click()

    assert urlsplit(page.url).path == "/start/"
    key.refresh_from_db()
    assert key.last_used_at is not None
    assert page.locator("header .lotse-user").count() == 1

    # Before a sensitive action: password, then the key instead of the code.
    page.goto(f"{base}/anmelden/bestaetigen/?next=/faelle/")
    key_button = page.locator("[data-security-key-button]")
    assert key_button.is_visible()
    assert_accessible(page)
    key_button.click()  # without the password: a hint, nothing sent
    status = page.locator("[data-security-key-status]")
    status.wait_for(state="visible")
    assert "Passwort" in status.inner_text()
    assert page.evaluate("() => document.activeElement.id") == "id_password"
    page.keyboard.type(case_worker.raw_password)
    with page.expect_navigation():
        key_button.click()
    assert urlsplit(page.url).path == "/faelle/"  # back to where the confirmation was asked


def test_the_code_step_works_without_webauthn(page, live_server, case_worker):
    """A browser without WebAuthn sees an explanation instead of the key button."""
    from tests.auth import fresh_code, totp_device

    device = totp_device(case_worker)
    WebAuthnCredential.objects.create(
        user=case_worker, credential_id="a" * 43, public_key=b"\xa5", name="YubiKey"
    )
    page.add_init_script("delete window.PublicKeyCredential;")
    base = _base(live_server)
    password_step(page, base, case_worker)

    assert urlsplit(page.url).path == "/anmelden/code/"
    assert not page.locator("[data-security-key-button]").is_visible()
    assert page.locator("[data-security-key-unsupported]").is_visible()
    assert_accessible(page)
    page.fill("#id_code", fresh_code(device))
    with page.expect_navigation():
        page.press("#id_code", "Enter")
    assert urlsplit(page.url).path == "/start/"
