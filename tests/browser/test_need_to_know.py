"""Need-to-know in the browser, as new users meet it in the demo (issue 9).

The Detmold case manager and the case manager of another Sozialraum of the same Kreis see
different clients; the Detmold case manager hands the Durchstarten candidate (18–27, Duldung)
to Netzwerk Lippe's Teilhabemanagement without retyping, and Netzwerk Lippe's coach sees the
case at once while Detmold no longer does; the team lead reviews an emergency access.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest

from lotse.accounts.models import User
from lotse.cases.models import Case
from lotse.demo.handover import durchstarten_candidate
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

RESULTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture
def demo(transactional_db, settings):
    from django.core.management import call_command

    settings.DEMO = True  # demo accounts skip the second factor only in demo mode
    call_command("loaddemo", size=8, stdout=StringIO())


def _sign_in(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/anmelden/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    with page.expect_navigation():
        page.press("#id_password", "Enter")


def _shot(page, name: str) -> None:
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / f"need-to-know-{name}.png"), full_page=True)


def test_handover_of_the_durchstarten_candidate_to_netzwerk_lippe(page, live_server, demo):
    detmold = User.objects.get(username="casemanager")
    coach = User.objects.get(username="teilhabe2")  # holds Netzwerk Lippe's post
    case = durchstarten_candidate(detmold.traeger_id, detmold)
    assert case is not None

    _sign_in(page, live_server, "casemanager")
    page.goto(f"{live_server.url}/faelle/{case.pk}/")
    page.get_by_role("link", name="Fallteam").first.click()
    assert page.locator("main h1").inner_text().startswith("Fallteam")
    assert_accessible(page)
    page.get_by_role("link", name="Fall übergeben").click()
    page.select_option(
        "#id_to_post", label="Teilhabemanagement Netzwerk Lippe (Detmold, Bad Salzuflen, Lage)"
    )
    page.fill("#id_reason", "Teilnahme an Durchstarten in Ausbildung und Arbeit")
    # Without the purpose the handover is refused at the field, the input kept.
    page.click("main form[method=post] button[type=submit]")
    assert "Wählen Sie den Zweck" in page.content()
    assert page.input_value("#id_reason") == "Teilnahme an Durchstarten in Ausbildung und Arbeit"
    assert_accessible(page)
    page.select_option("#id_purpose", value="teilhabemanagement")
    _shot(page, "handover-form")
    with page.expect_navigation():
        page.click("main form[method=post] button[type=submit]")
    _shot(page, "handover-done")
    assert "wurde an Teilhabemanagement Netzwerk Lippe" in page.content()

    case.refresh_from_db()
    assert case.case_manager == coach and case.organisation.key == "netzwerk-lippe"
    # Detmold no longer sees the case file …
    assert page.goto(f"{live_server.url}/faelle/{case.pk}/").status == 404
    # … Netzwerk Lippe's coach does, with its history and the handover on the team page.
    _sign_in(page, live_server, "teilhabe2")
    assert page.goto(f"{live_server.url}/faelle/{case.pk}/").status == 200
    page.goto(f"{live_server.url}/faelle/{case.pk}/team/")
    assert "Wer den Fall wann hatte" in page.content()
    assert "Stadt Detmold" in page.content() and "Einwilligung" in page.content()
    _shot(page, "handover-received")
    assert_accessible(page)


def test_two_sozialraeume_and_an_emergency_access(page, live_server, demo):
    other = User.objects.get(username="casemanager4")
    detmold_case = Case.objects.filter(case_manager__username="casemanager").order_by("id").first()
    assert detmold_case is not None

    _sign_in(page, live_server, "casemanager4")
    assert page.goto(f"{live_server.url}/faelle/{detmold_case.pk}/").status == 404
    page.goto(f"{live_server.url}/faelle/?alle=1")
    assert detmold_case.reference not in page.content()

    # Urgent cover without a substitution: break the glass with a reason.
    page.goto(f"{live_server.url}/notfallzugriff/")
    page.fill("#id_reference", detmold_case.reference)
    page.fill("#id_reason", "Klient wartet, Kollegin in Detmold erkrankt, keine Vertretung")
    assert_accessible(page)
    with page.expect_navigation():
        page.click("main form[method=post] button[type=submit]")
    assert page.url.endswith(f"/faelle/{detmold_case.pk}/")
    assert "Notfallzugriff" in page.content()

    # The team lead of the Detmold post sees it for review, and arranges substitutions.
    _sign_in(page, live_server, "teamlead")
    page.goto(f"{live_server.url}/vertretungen/")
    assert page.locator("main h1").inner_text() == "Vertretungen"
    assert_accessible(page)
    page.goto(f"{live_server.url}/notfallzugriffe/")
    assert detmold_case.reference in page.content()
    assert other.display_name() in page.content()
    _shot(page, "emergency-review")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name=f"Als geprüft markieren {detmold_case.reference}").click()
    assert "als geprüft markiert" in page.content()
