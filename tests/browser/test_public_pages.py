from __future__ import annotations

import pytest
from django.conf import settings

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


def test_accessibility_statement_is_accessible_and_names_the_feedback_contact(page, live_server):
    response = page.goto(f"{live_server.url}/barrierefreiheit/")

    assert response.status == 200
    contact = page.locator(f"a[href='mailto:{settings.LOTSE_ACCESSIBILITY_CONTACT}']")
    assert contact.count() == 1
    assert "Ombudsstelle für barrierefreie Informationstechnik des Landes NRW" in page.content()
    assert page.locator("h2").count() >= 4
    assert_accessible(page)


def test_footer_links_to_the_accessibility_statement(page, live_server):
    page.goto(f"{live_server.url}/anmelden/")

    with page.expect_navigation():
        page.click("footer a[href='/barrierefreiheit/']")
    assert page.url.endswith("/barrierefreiheit/")


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_content(page, live_server):
    page.goto(f"{live_server.url}/barrierefreiheit/")

    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == "#inhalt"
    assert page.locator(".lotse-skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "inhalt"


def test_404_page_is_accessible(page, live_server):
    response = page.goto(f"{live_server.url}/gibt-es-nicht/")

    assert response.status == 404
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator("h1").count() == 1
    assert_accessible(page)


def test_assert_accessible_reports_violations(page):
    page.set_content(
        '<html><head><title>x</title></head><body><main><img src="data:,">'
        '<input type="text"></main></body></html>'
    )

    with pytest.raises(pytest.fail.Exception) as failure:
        assert_accessible(page)

    message = str(failure.value)
    assert "image-alt" in message
    assert "html-has-lang" in message
