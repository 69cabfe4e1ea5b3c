"""Issue 3, "Done means": a case manager takes a client from the Erstgespräch to Evaluation.

One journey through the HTML pages (Django test client) with the shipped Kreis Lippe
configuration and offers catalogue: Erstgespräch → Assessment/Serviceplanung →
Integrationsvereinbarung (PDF in German and Arabic) → referral (Linking) → one deadline met and
one missed → Monitoring → Evaluation → closed and read-only, with audit entries for every step.
Dates are relative to ``timezone.localdate()``, so the test does not age.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from lotse.accounts.models import Role
from lotse.agreements.models import Agreement
from lotse.audit.models import AuditEntry
from lotse.cases.models import Case, CaseEvaluation, Phase, PhaseTransition, TimelineEntry
from lotse.deadlines.models import DeadlineStatus, DisplayStatus, PersonGoalDeadline
from lotse.deadlines.services import deadlines_refresh_for_person
from lotse.directory.config import config_load
from lotse.directory.models import FieldOfAction, Municipality, Organisation, Programme
from lotse.intake.models import InitialInterview
from lotse.offers.models import Offer, Referral, ReferralState
from lotse.tenancy.models import Traeger
from tests.factories import PersonFactory, UserFactory, grant_consent

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
#: The client registered in Detmold eight weeks ago: the two-week Ankommensgespräch (Leitziel
#: III) and the six-week language test (Sprache III) are both due in the past.
REGISTERED_DAYS_AGO = 56


def _answer(question: Any, registered_on: dt.date) -> str:
    """A valid answer of the question's type, as the browser would send it."""
    kind = question.answer_type
    if kind == "yes_no":
        return "yes"
    if kind == "choice":
        return question.options[0]
    if kind == "date":
        return registered_on.isoformat()
    if kind == "number":
        return "1"
    return "Angabe im Erstgespräch"


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def _change_phase(client: Client, case: Case, to_phase: str) -> Case:
    case.refresh_from_db()
    response = client.post(
        reverse("cases:phase", args=[case.pk]), {"to_phase": to_phase, "version": case.version}
    )
    assert response.status_code == 302, response.context and response.context["phase_form"].errors
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    case.refresh_from_db()
    assert case.phase == to_phase
    return case


@pytest.fixture
def lippe() -> Traeger:
    config_load(path=ROOT / "config" / "kreis-lippe.yaml")
    call_command("loadoffers", str(ROOT / "config" / "kreis-lippe-angebote.yaml"))
    return Traeger.objects.get(slug="kreis-lippe")


def test_case_manager_takes_a_client_from_erstgespraech_to_evaluation(lippe, client):
    today = timezone.localdate()
    servicestelle = Organisation.objects.get(traeger=lippe, key="servicestelle")
    manager = UserFactory(
        username="cm-lippe",
        traeger=lippe,
        organisation=servicestelle,
        roles=[Role.CASE_MANAGEMENT],
    )
    person = PersonFactory(
        traeger=lippe,
        organisation=servicestelle,
        municipality=Municipality.objects.get(traeger=lippe, key="detmold"),
        registered_on=today - dt.timedelta(days=REGISTERED_DAYS_AGO),
        date_of_birth=dt.date(today.year - 35, 3, 1),
    )
    client.force_login(manager)

    # -- the case, with voluntary participation agreed (cases:create page) ---------------------
    programme = Programme.objects.get(traeger=lippe, key="kim-case-management")
    response = client.post(
        reverse("cases:create", args=[person.pk]),
        {
            "programme": programme.pk,
            "case_manager": manager.pk,
            "opened_on": (today - dt.timedelta(days=50)).isoformat(),
            "participation_offered_on": (today - dt.timedelta(days=50)).isoformat(),
            "participation_agreed_on": (today - dt.timedelta(days=45)).isoformat(),
            "summary": "Erstkontakt über die Kommune Detmold",
        },
    )
    case = Case.objects.get(person=person)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert (case.phase, case.case_manager, case.organisation) == (
        Phase.INTAKE,
        manager,
        servicestelle,
    )
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200

    # -- 1. Erstgespräch, driven by the Träger's Gesprächsleitfaden ----------------------------
    interview_url = reverse("intake:interview", args=[case.pk])
    page = client.get(interview_url)
    assert page.status_code == 200
    form = page.context["form"]
    questions = [q for section in form.sections for q in section.questions]
    required = [q for q in questions if q.required]
    assert required, "the Kreis Lippe guide has required questions"
    meta = {
        "version": 0,
        "held_at": timezone.localtime().replace(second=0, microsecond=0).strftime("%Y-%m-%dT%H:%M"),
        "location": "Regionalbüro Detmold",
        "participants": "Klientin\nCase Managerin",
        "interpreter_language": "ar",
        "interpreter_kind": "professional",
    }
    # Completing without the required answers is refused at the fields, nothing is stored.
    refused = client.post(interview_url, {**meta, "action": "complete"})
    assert refused.status_code == 422
    assert {q.field_name for q in required} <= set(refused.context["form"].errors)
    assert not InitialInterview.objects.filter(case=case).exists()

    answers = {q.field_name: _answer(q, person.registered_on) for q in required}
    response = client.post(interview_url, {**meta, **answers, "action": "complete"})
    assert response.status_code == 302
    assert response["Location"] == interview_url
    interview = InitialInterview.objects.get(case=case)
    assert interview.status == InitialInterview.Status.COMPLETED
    assert interview.guide_key == "erstgespraech" and interview.guide_version
    for question in required:
        assert question.key in interview.answers[question.section_key]
    assert interview.timeline_entry is not None
    assert interview.interpreter_use.language == "ar"
    # A completed Erstgespräch is shown read-only.
    assert client.get(interview_url).context["read_only"] is True

    # -- 2. Assessment, then Serviceplanung (phase form) ----------------------------------------
    _change_phase(client, case, Phase.ASSESSMENT)
    _change_phase(client, case, Phase.SERVICE_PLANNING)

    # -- 3. Integrationsvereinbarung with a SMART goal, agreed, PDF in German and Arabic -------
    response = client.post(reverse("agreements:start", args=[case.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("agreements:edit", args=[case.pk])
    draft = Agreement.objects.get(case=case)
    assert draft.status == Agreement.Status.DRAFT
    language_field = FieldOfAction.objects.get(traeger=lippe, key="sprache")
    goal = {
        "field_of_action": language_field.pk,
        "what": "Deutschkenntnisse auf Niveau A2 erreichen",
        "indicator": "Zertifikat Deutsch-Test für Zuwanderer A2 liegt vor",
        "responsible": "client",
        "due_on": (today + dt.timedelta(days=300)).isoformat(),
        "measures": "Anmeldung Integrationskurs\nRegelmäßige Teilnahme",
        "review_on": (today + dt.timedelta(days=90)).isoformat(),
    }
    response = client.post(
        reverse("agreements:edit", args=[case.pk]),
        {
            "version": draft.version,
            "language": "ar",
            "next_review_on": (today + dt.timedelta(days=90)).isoformat(),
            "notes": "Termine mit Dolmetscherin",
            "goals-TOTAL_FORMS": 2,
            "goals-INITIAL_FORMS": 0,
            "goals-MIN_NUM_FORMS": 0,
            "goals-MAX_NUM_FORMS": 30,
            **{f"goals-0-{key}": value for key, value in goal.items()},
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("agreements:detail", args=[case.pk])
    draft.refresh_from_db()
    assert [g.what for g in draft.goals.all()] == [goal["what"]]
    response = client.post(
        reverse("agreements:agree", args=[case.pk]),
        {"version": draft.version, "agreed_on": today.isoformat(), "signed_by_client": "on"},
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get(case=case)
    assert (agreement.status, agreement.agreed_on, agreement.signed_by_client) == (
        Agreement.Status.AGREED,
        today,
        True,
    )
    detail = client.get(reverse("agreements:detail", args=[case.pk]))
    assert detail.status_code == 200
    pdf_urls = [link["url"] for link in detail.context["pdf_links"]]
    assert any("language=ar" in url for url in pdf_urls)

    pdf_url = reverse("api:case-agreement-pdf", args=[case.pk])
    german = client.get(pdf_url, {"language": "de"})
    arabic = client.get(pdf_url, {"language": "ar"})
    for pdf in (german, arabic):
        assert pdf.status_code == 200
        assert pdf["Content-Type"].startswith("application/pdf")
        assert pdf.content.startswith(b"%PDF")
    assert "A2" in _pdf_text(german.content)
    assert not ARABIC_LETTER.search(_pdf_text(german.content))
    assert ARABIC_LETTER.search(_pdf_text(arabic.content))

    # -- 4. Linking: refer the case to an offer of the catalogue --------------------------------
    case = _change_phase(client, case, Phase.LINKING)
    offer = Offer.objects.get(traeger=lippe, key="mbe-awo-lippe")
    # The referral passes the name to the provider (AGFW): only with a signed consent naming it
    # for "Zusteuerung in Angebote" (the gate, issue 9).
    grant_consent(case.person, offer.provider, ["identity"], purposes=["zusteuerung-angebote"])
    referral_url = reverse("offers:referral_create", args=[case.pk])
    page = client.get(referral_url, {"angebot": offer.pk})
    assert page.status_code == 200
    assert page.context["result"].eligible  # MBE: adults from 27; the client is about 35
    response = client.post(
        referral_url,
        {
            "offer": offer.pk,
            "requested_on": today.isoformat(),
            "follow_up_on": (today + dt.timedelta(days=14)).isoformat(),
            "note": "Erstberatung MBE Detmold",
        },
    )
    referral = Referral.objects.get(case=case)
    assert response.status_code == 302
    assert response["Location"] == reverse("offers:referral", args=[referral.pk])
    assert (referral.offer, referral.state) == (offer, ReferralState.REQUESTED)
    response = client.post(
        reverse("offers:referral_transition", args=[referral.pk]),
        {"to_state": ReferralState.ACCEPTED, "version": referral.version},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.state, referral.accepted_on) == (ReferralState.ACCEPTED, today)
    listed = client.get(reverse("offers:case_referrals", args=[case.pk]))
    assert [r.pk for r in listed.context["referrals"]] == [referral.pk]

    # -- 5. Deadlines: one met through the Fristen form, one missed -----------------------------
    deadlines_refresh_for_person(person)
    ankommen = PersonGoalDeadline.objects.get(person=person, goal__key="leitziel-iii")
    sprachtest = PersonGoalDeadline.objects.get(person=person, goal__key="sprache-iii")
    assert ankommen.due_on == person.registered_on + dt.timedelta(weeks=2) < today
    assert sprachtest.due_on == person.registered_on + dt.timedelta(weeks=6) < today
    met_on = person.registered_on + dt.timedelta(days=30)
    response = client.post(
        reverse("deadlines:mark_met", args=[person.pk, sprachtest.pk]),
        {
            "version": sprachtest.version,
            "met_on": met_on.isoformat(),
            "evidence": "Einstufungstest bei der VHS Detmold: A1",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("deadlines:person", args=[person.pk])
    page = client.get(reverse("deadlines:person", args=[person.pk]))
    assert page.status_code == 200
    statuses = {row.deadline.goal.key: row.status for row in page.context["applicable"]}
    assert statuses["sprache-iii"] == DisplayStatus.MET
    # The completed Erstgespräch met the arrival conversation (milestone, issue 10).
    assert statuses["leitziel-iii"] == DisplayStatus.MET
    sprachtest.refresh_from_db()
    ankommen.refresh_from_db()
    assert (sprachtest.status, sprachtest.met_on) == (DeadlineStatus.MET, met_on)
    assert ankommen.status == DeadlineStatus.MET and "Erstgespräch" in ankommen.evidence
    # A recomputation keeps the decision.
    deadlines_refresh_for_person(person)
    sprachtest.refresh_from_db()
    assert (sprachtest.status, sprachtest.met_on) == (DeadlineStatus.MET, met_on)

    # -- 6. Monitoring → Evaluation → closed ----------------------------------------------------
    _change_phase(client, case, Phase.MONITORING)
    case = _change_phase(client, case, Phase.EVALUATION)
    evaluation_url = reverse("cases:evaluation", args=[case.pk])
    smart_goal = draft.goals.get()
    page = client.get(evaluation_url)
    assert page.status_code == 200
    assert goal["what"] in page.content.decode()  # the agreement's SMART goal is rated
    response = client.post(
        evaluation_url,
        {
            "ending_reason": "goals_reached",
            "effort_hours": "14,5",
            "assessment": "Ziele der Vereinbarung erreicht",
            f"goal_{smart_goal.pk}_level": "reached",
            f"goal_{smart_goal.pk}_note": "Zertifikat A2 liegt vor",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    evaluation = CaseEvaluation.objects.get(case=case)
    assert evaluation.ending_reason == "goals_reached"
    assert [
        (a.agreement_goal, a.field_of_action, a.level) for a in evaluation.attainments.all()
    ] == [(smart_goal, language_field, "reached")]

    case = _change_phase(client, case, Phase.CLOSED)
    assert case.closed_on == today
    assert [t.to_phase for t in PhaseTransition.objects.filter(case=case).order_by("pk")] == [
        Phase.ASSESSMENT,
        Phase.SERVICE_PLANNING,
        Phase.LINKING,
        Phase.MONITORING,
        Phase.EVALUATION,
        Phase.CLOSED,
    ]

    # The closed case is read-only.
    entries = TimelineEntry.objects.filter(case=case).count()
    response = client.post(
        reverse("cases:timeline_add", args=[case.pk]), {"kind": "note", "title": "Nachtrag"}
    )
    assert response.status_code == 422
    assert TimelineEntry.objects.filter(case=case).count() == entries
    response = client.post(
        reverse("cases:phase", args=[case.pk]),
        {"to_phase": Phase.MONITORING, "version": case.version, "reason": "Rückfrage"},
    )
    assert response.status_code == 422
    case.refresh_from_db()
    assert case.phase == Phase.CLOSED

    # Every step left an audit entry for the client.
    audited = AuditEntry.objects.filter(person_id=person.pk, user=manager)
    assert audited.filter(object_type="case", action="create").exists()
    assert audited.filter(object_type="initial_interview").exists()
    assert audited.filter(object_type="agreement").count() >= 3  # start, draft, agreed
    assert audited.filter(object_type="referral", action="create").exists()
    assert audited.filter(object_type="referral", detail="state:requested->accepted").exists()
    assert audited.filter(
        object_type="deadline", action="update", object_id=str(sprachtest.pk)
    ).exists()
    assert audited.filter(object_type="case", detail="evaluation").exists()
    steps = list(PhaseTransition.objects.filter(case=case).order_by("pk"))
    assert {
        entry.detail for entry in audited.filter(object_type="case", detail__startswith="phase:")
    } == {f"phase:{step.from_phase}->{step.to_phase}" for step in steps}
