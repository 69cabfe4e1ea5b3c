"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live_server.

Never run ``playwright install``: the browser is the system Chromium at CHROMIUM_PATH.
Without it the tests are skipped, except under CI=true where a missing browser is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# ORM calls from the test body ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_PATH = os.environ.get("LOTSE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
CSP_LISTENER = """document.addEventListener("securitypolicyviolation", (event) => {
    if (event.sourceFile) {
        window.lotseReportCspViolation(`Content Security Policy (${event.violatedDirective})`
            + ` violated at ${event.sourceFile}:${event.lineNumber}: ${event.sample}`);
    }
});"""


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not (Path(CHROMIUM_PATH).exists() or shutil.which(CHROMIUM_PATH)):
        _unavailable(f"Chromium not found at {CHROMIUM_PATH} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        _unavailable("Python package playwright is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:
    """A fresh browser context per test (own cookies) that fails on any third-party request."""
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    external: list[str] = []

    def guard(route) -> None:
        host = urlsplit(route.request.url).hostname or ""
        if urlsplit(route.request.url).scheme in {"http", "https"} and host not in LOCAL_HOSTS:
            external.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", guard)
    page_errors: list[str] = []
    # CSP violations of the page's own markup and scripts. Those without a source file come
    # from code this harness evaluates (axe-core adds <style> elements on some pages).
    context.expose_binding(
        "lotseReportCspViolation", lambda _source, report: page_errors.append(report)
    )
    context.add_init_script(CSP_LISTENER)
    browser_page = context.new_page()
    browser_page.on("pageerror", lambda error: page_errors.append(str(error)))
    yield browser_page
    context.close()
    assert not external, f"the page tried to load third-party resources: {external}"
    assert not page_errors, f"JavaScript errors on the page: {page_errors}"


def login(page, live_server, username: str, password: str) -> None:
    """Sign in through the login form, like a person would, second factor included.

    A user without an authenticator app sets one up on the enrollment page (the key shown
    there is typed into "the app", here pyotp) and continues past the recovery codes; a user
    with one enters its current code.
    """
    page.goto(f"{live_server.url}/anmelden/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("form.lotse-form button[type=submit]")
    complete_second_factor(page, username)


def password_step(page, base_url: str, user) -> None:
    """Only the first sign-in step (user name and password, submitted with Enter)."""
    page.goto(f"{base_url}/anmelden/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", user.raw_password)
    with page.expect_navigation():
        page.press("#id_password", "Enter")


def tab_to(page, selector: str) -> None:
    """Move the focus with the Tab key until ``selector`` has it (fails if it never does)."""
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"{selector} cannot be reached with the Tab key")


def complete_second_factor(page, username: str) -> None:
    import pyotp

    from lotse.accounts.models import TotpDevice
    from tests.auth import fresh_code

    path = urlsplit(page.url).path
    if path == "/anmelden/zweiter-faktor/":
        secret = "".join(page.locator("[data-totp-secret]").inner_text().split())
        page.fill("#id_code", pyotp.TOTP(secret).now())
        with page.expect_navigation():
            page.click("main form.lotse-form button[type=submit]")
        assert urlsplit(page.url).path == "/anmelden/wiederherstellungscodes/", page.url
        with page.expect_navigation():
            page.click("main a.kern-btn--primary")
    elif path == "/anmelden/code/":
        device = TotpDevice.objects.get(user__username=username)
        page.fill("#id_code", fresh_code(device))
        with page.expect_navigation():
            page.click("main form.lotse-form button[type=submit]")


def axe_violations(page) -> list[str]:
    """Run axe-core (WCAG 2.0/2.1 A and AA) on the current page; one text block per violation."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, so the page's strict CSP (no inline script)
        # stays in force for the page itself.
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    results = page.evaluate(
        """async (tags) => await window.axe.run(document, {
               runOnly: {type: "tag", values: tags},
               resultTypes: ["violations"],
           })""",
        AXE_TAGS,
    )
    lines = []
    for violation in results["violations"]:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"][:10]:
            lines.append(f"    at {json.dumps(node['target'])}: {node['failureSummary']}")
    return lines


def assert_accessible(page) -> None:
    """Fail listing every axe-core violation on the current page."""
    lines = axe_violations(page)
    if lines:
        count = sum(1 for line in lines if line.startswith("- "))
        pytest.fail(
            "\n".join([f"{count} accessibility violation(s) on {page.url}:", *lines]),
            pytrace=False,
        )


@pytest.fixture
def case_worker(transactional_db):
    """A case manager with Träger and organisation, created with the ORM."""
    from lotse.accounts.models import RoleAssignment, User
    from lotse.directory.models import Organisation
    from lotse.tenancy.models import Traeger
    from tests.factories import join_default_team

    traeger = Traeger.objects.create(slug="kreis-lippe", name="Kreis Lippe")
    organisation = Organisation.objects.create(
        traeger=traeger, key="servicestelle", name="Servicestelle Einwanderungsmanagement"
    )
    user = User.objects.create_user(
        username="kim.muster",
        password="Sehr-geheimes-Passwort-1",
        first_name="Kim",
        last_name="Muster",
        traeger=traeger,
        organisation=organisation,
    )
    RoleAssignment.objects.create(user=user, role="case_management")
    user.__dict__.pop("_role_cache", None)
    join_default_team(user)  # holds the organisation's post: its persons and cases are hers
    user.raw_password = "Sehr-geheimes-Passwort-1"
    return user
