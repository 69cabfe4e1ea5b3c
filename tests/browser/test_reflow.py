"""Reflow at 320 CSS px (WCAG 2.1 SC 1.4.10, issue 11): no horizontal scrolling on the main pages.

At a 320×640 viewport the document is no wider than the viewport; wide tables scroll inside
their own labelled region (``.lotse-table-scroll``), which is allowed by the criterion. The
main navigation collapses behind a disclosure button that works by keyboard.
"""

from __future__ import annotations

from io import StringIO

import pytest

from lotse.accounts.models import User
from lotse.agreements.services import agreement_start
from lotse.cases.models import Phase
from lotse.cases.selectors import case_queryset_for_user
from tests.browser.conftest import assert_accessible, tab_to

pytestmark = pytest.mark.browser

WIDTH = 320

# The elements sticking out to the right, outside any scroll container: the failure message.
OVERFLOWING = """(width) => Array.from(document.querySelectorAll("body *"))
    .filter((element) => !element.closest(".lotse-table-scroll"))
    .filter((element) => element.getBoundingClientRect().right > width + 0.5)
    .slice(0, 8)
    .map((element) => element.tagName.toLowerCase()
        + (element.id ? "#" + element.id : "")
        + (element.className && typeof element.className === "string"
            ? "." + element.className.trim().split(/\\s+/).join(".") : "")
        + " right=" + Math.round(element.getBoundingClientRect().right))"""


@pytest.fixture
def demo(transactional_db, settings):
    from django.core.management import call_command

    settings.DEMO = True  # demo accounts skip the second factor only in demo mode
    call_command("loaddemo", size=4, stdout=StringIO())


@pytest.fixture
def narrow_page(page):
    page.set_viewport_size({"width": WIDTH, "height": 640})
    page.set_default_timeout(60_000)  # a busy CI machine; no assertion on time
    return page


def _sign_in(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/anmelden/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    with page.expect_navigation():
        page.press("#id_password", "Enter")


def _overflow(page, url: str) -> str | None:
    """Why ``url`` scrolls sideways at 320 px, or None if it reflows."""
    response = page.goto(url)
    assert response.status == 200, url
    width = page.evaluate("() => document.documentElement.scrollWidth")
    if width <= WIDTH:
        return None
    return f"{url} needs {width} px: {page.evaluate(OVERFLOWING, WIDTH)}"


def test_main_pages_reflow_at_320_px(narrow_page, live_server, demo):
    page, base = narrow_page, live_server.url
    user = User.objects.get(username="casemanager")
    case = case_queryset_for_user(user).exclude(phase=Phase.CLOSED).order_by("pk").first()
    agreement_start(actor=user, case=case)  # the demo has no agreements yet
    person = case.person

    _sign_in(page, base, "casemanager")
    problems = []
    for path in (
        "/start/",
        "/personen/",
        f"/personen/{person.pk}/",
        f"/faelle/{case.pk}/",
        f"/faelle/{case.pk}/vereinbarung/",
        "/fristen/",
        "/angebote/",
        "/region/ziele/",
        "/region/",
    ):
        if problem := _overflow(page, f"{base}{path}"):
            problems.append(problem)
    assert not problems, "\n".join(problems)


def test_navigation_collapses_and_opens_by_keyboard(narrow_page, live_server, demo):
    page, base = narrow_page, live_server.url
    _sign_in(page, base, "casemanager")
    page.goto(f"{base}/personen/")
    toggle = page.locator(".lotse-nav__toggle")
    first_link = page.locator(".lotse-nav__link").first

    assert toggle.get_attribute("aria-expanded") == "false"
    assert not first_link.is_visible()

    tab_to(page, ".lotse-nav__toggle")
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert first_link.is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('lotse-nav__link')")
    assert_accessible(page)

    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not first_link.is_visible()
    assert page.evaluate("() => document.activeElement.classList.contains('lotse-nav__toggle')")


def test_navigation_is_open_on_wide_screens(page, live_server, demo):
    _sign_in(page, live_server.url, "casemanager")
    page.goto(f"{live_server.url}/personen/")

    assert not page.locator(".lotse-nav__toggle").is_visible()
    assert page.locator(".lotse-nav__link").first.is_visible()
