from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible, login

pytestmark = pytest.mark.browser


def test_login_page_is_accessible(page, live_server):
    page.goto(f"{live_server.url}/anmelden/")

    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator("h1").count() == 1
    assert_accessible(page)


def test_login_by_keyboard_alone_lands_on_the_start_page(page, live_server, case_worker):
    from tests.auth import fresh_code, totp_device

    device = totp_device(case_worker)
    page.goto(f"{live_server.url}/anmelden/")
    page.evaluate("() => document.activeElement && document.activeElement.blur()")

    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "id_username":
            break
    else:
        pytest.fail("the user name field cannot be reached with the Tab key")
    page.keyboard.type(case_worker.username)
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "id_password"
    page.keyboard.type(case_worker.raw_password)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # Second step: the code field has the focus (autofocus).
    assert page.evaluate("() => document.activeElement.id") == "id_code"
    page.keyboard.type(fresh_code(device))
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.url.rstrip("/").endswith("/start")
    header = page.locator("header.lotse-header")
    assert "Kim Muster" in header.inner_text()
    assert "Servicestelle Einwanderungsmanagement" in header.inner_text()
    assert "Kreis Lippe" in header.inner_text()
    assert page.locator("form[action='/abmelden/'] button[type=submit]").count() == 1


def test_wrong_password_shows_a_german_error_at_the_form(page, live_server, case_worker):
    page.goto(f"{live_server.url}/anmelden/")
    page.fill("#id_username", case_worker.username)
    page.fill("#id_password", "falsch")
    with page.expect_navigation():
        page.press("#id_password", "Enter")

    assert page.url.endswith("/anmelden/")
    summary = page.locator("form [data-lotse-error-summary]")
    assert summary.count() == 1
    assert summary.get_attribute("role") == "alert"
    # Django's own German catalogue provides this message.
    assert "Benutzername" in summary.inner_text()
    assert "Passwort" in summary.inner_text()
    # The summary takes focus so that keyboard and screen reader users hear it first.
    page.wait_for_function("() => document.activeElement.hasAttribute('data-lotse-error-summary')")
    assert_accessible(page)


def test_logout_ends_the_session(page, live_server, case_worker):
    login(page, live_server, case_worker.username, case_worker.raw_password)
    assert page.url.rstrip("/").endswith("/start")

    with page.expect_navigation():
        page.click("form[action='/abmelden/'] button[type=submit]")

    assert page.url.endswith("/anmelden/")
    page.goto(f"{live_server.url}/faelle/")
    assert "/anmelden/" in page.url
