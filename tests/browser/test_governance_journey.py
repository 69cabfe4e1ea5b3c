"""From need to decision to measure in the browser (issue 13), on the demo data.

The coordinator (Servicestelle) triages the two needs of the demo conference "abgeschlossen"
and assigns them to the AK Arbeit (proposed as the working circle of their field of action),
drafts a Beschlussvorlage from them, puts it on the circle's meeting, records the consultation
result, submits it to the Steuerungsgremium, records the adoption with the vote and creates the
measure under "Arbeit I". Once published (set here until the meetings' minutes approval exists),
the Jobcenter (partner role) reads the decision in the portal. Every page axe-clean; the draft
is sent with the keyboard.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.utils import timezone

from lotse.conferences.models import OptimisationNeed
from lotse.directory.models import Goal, Measure
from lotse.governance.models import Decision, Paper
from tests.browser.conftest import assert_accessible, login, tab_to

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db, settings):
    from django.core.management import call_command

    settings.DEMO = True
    call_command("loaddemo", size=6, stdout=StringIO())


def _submit(page, form: str) -> None:
    with page.expect_navigation():
        page.locator(f"form#{form} button[type=submit]").click()


def test_need_to_decision_to_measure_and_the_portal(demo, page, live_server):
    base = live_server.url
    needs = list(
        OptimisationNeed.objects.filter(
            conference__isnull=False, status=OptimisationNeed.Status.OPEN
        ).order_by("id")[:2]
    )
    assert len(needs) == 2
    login(page, live_server, "coordinator", "demo")

    for need in needs:
        page.goto(f"{base}/optimierungsbedarfe/{need.pk}/")
        page.locator("form#status [name=status]").select_option("triaged")
        _submit(page, "status")
        page.locator("form#status [name=status]").select_option("assigned")
        body_label = page.locator("form#status [name=body] option:checked").inner_text()
        assert "Arbeit" in body_label  # proposed: the working circle of the field of action
        assert_accessible(page)
        _submit(page, "status")
        need.refresh_from_db()
        assert need.status == "assigned" and need.body.key == "ak-arbeit"

    page.goto(f"{base}/optimierungsbedarfe/?gremium={needs[0].body_id}")
    assert_accessible(page)

    page.goto(f"{base}/gremienarbeit/vorlagen/neu/?bedarf={needs[0].pk}")
    assert_accessible(page)
    form = page.locator("form#vorlage")
    form.locator(f"[name=needs][value='{needs[1].pk}']").check()
    goal = Goal.objects.get(key="arbeit-i", traeger=needs[0].traeger)
    form.locator("[name=goal]").select_option(str(goal.pk))
    form.locator("[name=title]").fill("Sprachkurse mit Kinderbetreuung")
    form.locator("[name=problem]").fill("Kurse werden mangels Kinderbetreuung abgebrochen.")
    form.locator("[name=proposal]").fill("Kursbegleitende Kinderbetreuung an zwei Standorten.")
    form.locator("[name=responsible]").fill("Jobcenter Lippe mit den Kursträgern")
    tab_to(page, "form#vorlage button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    paper = Paper.objects.get(title="Sprachkurse mit Kinderbetreuung")
    assert set(paper.needs.all()) == set(needs)
    assert_accessible(page)

    page.locator("form#beratung [name=beratung-meeting]").select_option(index=1)
    _submit(page, "beratung")
    consultation = paper.consultations.get()
    page.locator(f"form#ergebnis-{consultation.pk} [name=ergebnis-result]").fill(
        "Einvernehmlich befürwortet."
    )
    _submit(page, f"ergebnis-{consultation.pk}")
    page.locator("form#vorlegen [name=vorlage-meeting]").select_option(index=1)
    _submit(page, "vorlegen")
    assert_accessible(page)

    decision_form = page.locator("form#beschluss")
    decision_form.locator("[name=beschluss-outcome]").select_option("adopted")
    decision_form.locator("[name=beschluss-votes_yes]").fill("10")
    decision_form.locator("[name=beschluss-votes_no]").fill("1")
    decision_form.locator("[name=beschluss-votes_abstain]").fill("0")
    decision_form.locator("[name=beschluss-decided_on]").fill(timezone.localdate().isoformat())
    _submit(page, "beschluss")
    assert page.locator("#paper-state").inner_text().strip() == "entschieden"
    assert_accessible(page)

    page.locator("form#massnahme [name=massnahme-review_on]").fill(
        (timezone.localdate() + dt.timedelta(days=90)).isoformat()
    )
    _submit(page, "massnahme")
    measure = Measure.objects.get(origin="decision", changes__decision__paper=paper)
    assert measure.goal == goal

    page.goto(f"{base}/gremienarbeit/massnahmen/")
    assert "Kursbegleitende Kinderbetreuung" in page.content()
    assert_accessible(page)
    page.goto(f"{base}/gremienarbeit/massnahmen/{measure.pk}/")
    assert "Sprachkurse mit Kinderbetreuung" in page.content()
    assert_accessible(page)

    # The steering committee's meeting is held and its minutes approved: that publishes the
    # decision to the region and, being a public meeting, through OParl.
    decision = Decision.objects.get(paper=paper)
    page.goto(f"{base}/gremienarbeit/sitzungen/{decision.item.meeting_id}/")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Sitzung als stattgefunden erfassen").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Protokoll genehmigen").click()
    decision.refresh_from_db()
    assert decision.published_at is not None and decision.public
    page.context.clear_cookies()
    login(page, live_server, "jobcenter", "demo")
    page.goto(f"{base}/zusammenarbeit/beschluesse/")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name=f"{paper.reference} {paper.title}").click()
    text = page.content()
    assert "10 Ja, 1 Nein, 0 Enthaltungen" in text
    assert "Fallkonferenz vom" in text
    assert needs[0].conference.case.reference not in text
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Kursbegleitende Kinderbetreuung", exact=False).first.click()
    assert "Arbeit I" in page.content()
    assert_accessible(page)

    # The partner downloads the contact directory as vCard.
    page.goto(f"{base}/zusammenarbeit/kontakte/")
    assert_accessible(page)
    with page.expect_download() as download:
        page.locator("#vcard-all").click()
    cards = download.value.path().read_text(encoding="utf-8")
    assert cards.startswith("BEGIN:VCARD") and cards.count("BEGIN:VCARD") > 3

    # OParl serves the meeting, the paper and the decision (vote as a prefixed extension).
    oparl = f"{base}/oparl/v1/body/{paper.traeger.slug}"
    papers_json = page.request.get(f"{oparl}/paper/").json()
    (listed,) = [p for p in papers_json["data"] if p.get("reference") == paper.reference]
    assert page.request.get(listed["id"]).json()["name"] == paper.title
    meeting_json = page.request.get(f"{oparl}/meeting/{decision.item.meeting_id}/").json()
    (item_json,) = [i for i in meeting_json["agendaItem"] if i.get("lotse:votes")]
    assert item_json["lotse:votes"]["yes"] == 10
