"""Second factor in the browser: enrollment and code step with axe and by keyboard alone."""

from __future__ import annotations

import pyotp
import pytest

from tests.auth import code_for, fresh_code, totp_device
from tests.browser.conftest import assert_accessible, password_step, tab_to

pytestmark = pytest.mark.browser


def test_enrollment_by_keyboard_passes_axe(page, live_server, case_worker):
    password_step(page, live_server.url, case_worker)
    assert page.url.split("?")[0].endswith("/anmelden/zweiter-faktor/")
    assert page.locator("h1").count() == 1
    assert page.locator(".lotse-qr-box svg[role=img][aria-label]").count() == 1
    assert_accessible(page)

    # A typo: the error is at the field and the page stays accessible.
    page.fill("#id_code", "12345")
    with page.expect_navigation():
        page.press("#id_code", "Enter")
    assert page.locator("#id_code[aria-invalid=true]").count() == 1
    assert_accessible(page)

    secret = "".join(page.locator("[data-totp-secret]").inner_text().split())
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    tab_to(page, "#id_code")
    page.keyboard.press("Control+A")
    page.keyboard.type(pyotp.TOTP(secret).now())
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.url.endswith("/anmelden/wiederherstellungscodes/")
    assert page.locator("[data-recovery-codes] li").count() == 10
    assert_accessible(page)
    tab_to(page, "main a.kern-btn--primary")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.rstrip("/").endswith("/start")


def test_code_step_by_keyboard_passes_axe(page, live_server, case_worker):
    device = totp_device(case_worker)
    password_step(page, live_server.url, case_worker)
    assert page.url.split("?")[0].endswith("/anmelden/code/")
    assert_accessible(page)

    wrong = str((int(code_for(device)) + 500_000) % 1_000_000).zfill(6)
    page.fill("#id_code", wrong)
    with page.expect_navigation():
        page.press("#id_code", "Enter")
    assert page.locator("#id_code[aria-invalid=true]").count() == 1
    assert_accessible(page)

    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    tab_to(page, "#id_code")
    page.keyboard.press("Control+A")
    page.keyboard.type(fresh_code(device))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.rstrip("/").endswith("/start")


def test_reauth_and_password_pages_pass_axe(page, live_server, case_worker):
    from tests.browser.conftest import login

    login(page, live_server, case_worker.username, case_worker.raw_password)
    page.goto(f"{live_server.url}/anmelden/bestaetigen/?next=/faelle/")
    assert page.locator("#id_code").count() == 1  # enrolled during login
    assert_accessible(page)
    page.goto(f"{live_server.url}/konto/passwort/")
    assert page.locator("h1").count() == 1
    assert_accessible(page)
