"""Demo data for the case-work features: offers, budgets, deadlines, referrals and tasks.

Runs after the caseload (``demo_load``) and is idempotent like it: catalogue and budgets are
loaded by their own idempotent commands, and referrals and tasks are only created while the demo
case manager has none, so what users entered is kept.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from lotse.accounts.models import User
from lotse.assignments.models import Task
from lotse.assignments.services import task_create
from lotse.cases.models import Case, Phase
from lotse.consent.gate import check_transfer
from lotse.consent.models import Consent, InformationNotice, Purpose
from lotse.consent.services import consent_record, notice_record
from lotse.consent.texts import CONSENT_TEXT_VERSION
from lotse.deadlines.services import Milestone
from lotse.demo.conferences import demo_conferences
from lotse.demo.family import demo_family
from lotse.demo.governance import demo_governance
from lotse.demo.handover import demo_handover_candidate
from lotse.demo.states import consent_for_referral, demo_states
from lotse.directory.models import Organisation
from lotse.offers.models import Offer, Referral
from lotse.offers.services import referral_create

#: The configured purpose the Jobcenter consents name (``purposes:`` in config/kreis-lippe.yaml).
JOBCENTER_PURPOSE = "arbeitsmarktintegration"

OFFERS_FILE = Path(__file__).resolve().parents[3] / "config" / "kreis-lippe-angebote.yaml"


def demo_extras(*, traeger_slug: str = "kreis-lippe") -> list[str]:
    """Load the extras; returns German-ready lines for the command's report."""
    lines: list[str] = []
    out = io.StringIO()
    if OFFERS_FILE.exists():
        call_command("loadoffers", str(OFFERS_FILE), stdout=out)
    year = timezone.localdate().year
    call_command("seedbudgets", traeger=traeger_slug, years=[year - 1, year, year + 1], stdout=out)
    lines.extend(_consents_and_notices(traeger_slug))
    lines.extend(_referrals_and_tasks(traeger_slug))
    lines.extend(demo_handover_candidate(traeger_slug=traeger_slug))
    lines.extend(demo_family(traeger_slug=traeger_slug))
    lines.extend(demo_states(traeger_slug=traeger_slug))
    lines.extend(demo_conferences(traeger_slug=traeger_slug))
    lines.extend(demo_governance(traeger_slug=traeger_slug))
    call_command("refreshdeadlines", traeger=[traeger_slug], stdout=out)
    lines.append(out.getvalue().strip())
    lines.extend(_past_deadlines_mostly_met(traeger_slug))
    return [line for line in lines if line]


@transaction.atomic
def _referrals_and_tasks(traeger_slug: str) -> list[str]:
    manager = User.objects.filter(username="casemanager", traeger__slug=traeger_slug).first()
    if manager is None or manager.traeger_id is None:
        return []
    traeger_id: int = manager.traeger_id
    cases = list(
        Case.objects.filter(traeger_id=traeger_id, case_manager=manager)
        .filter(phase__in=[Phase.LINKING, Phase.MONITORING, Phase.SERVICE_PLANNING])
        .select_related("person")
        .order_by("id")[:6]
    )
    created_referrals = created_tasks = 0
    if cases and not Referral.objects.filter(case__case_manager=manager).exists():
        offers = list(Offer.objects.filter(traeger_id=traeger_id, active=True).order_by("id"))
        today = timezone.localdate()
        for index, case in enumerate(cases[:4]):
            if not offers:
                break
            offer = offers[index % len(offers)]
            consent_for_referral(manager, case, offer, today - dt.timedelta(days=25 - index))
            referral_create(
                actor=manager,
                case=case,
                offer=offer,
                requested_on=today - dt.timedelta(days=20 - index),
                follow_up_on=today - dt.timedelta(days=2)
                if index == 0
                else today + dt.timedelta(days=7),
                note="Demo",
                override_reason="Demo: Zugang im Einzelfall geklärt",
            )
            created_referrals += 1
    jobcenter = Organisation.objects.filter(traeger_id=traeger_id, key="jobcenter-lippe").first()
    if cases and jobcenter and not Task.objects.filter(owner_organisation=jobcenter).exists():
        today = timezone.localdate()
        # Tasks pass data on: only for clients whose consent names the Jobcenter (§ 67b SGB X).
        shared = ["identity", "education_work"]
        candidates = (
            Case.objects.filter(traeger_id=traeger_id, case_manager=manager)
            .exclude(phase=Phase.CLOSED)
            .filter(person__in=Consent.objects.filter(recipients=jobcenter).values("person"))
            .select_related("person")
            .order_by("id")
        )
        purpose = Purpose.objects.filter(traeger_id=traeger_id, key=JOBCENTER_PURPOSE).first()
        consented = [
            case
            for case in candidates
            if check_transfer(
                actor=manager,
                person=case.person,
                recipient=jobcenter,
                categories=shared,
                purpose=JOBCENTER_PURPOSE,
            ).allowed
        ]
        for case, title in zip(
            consented[:2],
            ["Beratungsangebot Arbeit machen (Ziel Arbeit I)", "Leistungsantrag SGB II prüfen"],
            strict=False,
        ):
            task_create(
                actor=manager,
                case=case,
                title=title,
                due_on=today + dt.timedelta(days=10),
                owner_organisation=jobcenter,
                shared_categories=shared,
                purpose=purpose,
            )
            created_tasks += 1
    lines = []
    if created_referrals:
        lines.append(f"Zusteuerungen: {created_referrals} neu")
    if created_tasks:
        lines.append(f"Aufgaben für das Jobcenter: {created_tasks} neu")
    return lines


@transaction.atomic
def _consents_and_notices(traeger_slug: str) -> list[str]:
    """Consents naming the Jobcenter (so the demo partner sees shared persons), Art. 13 notices."""
    manager = User.objects.filter(username="casemanager", traeger__slug=traeger_slug).first()
    if manager is None or manager.traeger_id is None:
        return []
    jobcenter = Organisation.objects.filter(
        traeger_id=manager.traeger_id, key="jobcenter-lippe"
    ).first()
    if jobcenter is None or Consent.objects.filter(recorded_by=manager).exists():
        return []
    cases = list(
        Case.objects.filter(traeger_id=manager.traeger_id, case_manager=manager)
        .exclude(phase=Phase.CLOSED)
        .select_related("person")
        .order_by("id")[:3]
    )
    today = timezone.localdate()
    created = 0
    for index, case in enumerate(cases):
        person = case.person
        if index == 0 and not person.health_notes:
            # Art. 9 data: visible to the case team and, with a consent for "health", the partner.
            person.health_notes = (
                "Diabetes Typ 2, Insulin; Nachweis für Maßnahmen mit Schichtarbeit"
            )
            person.save(update_fields=["health_notes"])
        categories = ["identity", "education_work"] + (["health"] if index == 0 else [])
        consent_record(
            actor=manager,
            person=person,
            recipients=[jobcenter],
            categories=categories,
            purpose=(
                "Abstimmung der Vermittlung in Ausbildung und Arbeit mit dem Jobcenter Lippe "
                "(Eingliederungsvereinbarung, Sprachkurs, Maßnahmen)"
            ),
            form=Consent.Form.WRITTEN,
            purposes=list(
                Purpose.objects.filter(traeger_id=manager.traeger_id, key=JOBCENTER_PURPOSE)
            ),
            attest_signed_paper=True,
            valid_from=today - dt.timedelta(days=30 - index),
            valid_until=today + dt.timedelta(days=335),
            text_version=CONSENT_TEXT_VERSION,
            language="ar" if index == 1 else "de",
            interpreter="Sprachmittlung Lippe (Demo)" if index == 1 else "",
        )
        if not InformationNotice.objects.filter(person=person).exists():
            notice_record(
                actor=manager,
                person=person,
                language="ar" if index == 1 else "de",
                handed_out_on=today - dt.timedelta(days=30 - index),
            )
        created += 1
    return [f"Einwilligungen für das Jobcenter: {created} neu"] if created else []


#: Deadlines overdue by more than this were met in the demo's story; the office's worklist starts
#: with what became overdue in the last weeks, never with items years old (issue #10).
RECENTLY_OVERDUE_DAYS = 21

#: How the work met each goal (the goal's ``milestone`` in the configuration), as evidence.
DEMO_EVIDENCE = {
    Milestone.ARRIVAL_CONVERSATION: "Erstgespräch geführt (Ankommensgespräch über alle Handlungsfelder)",
    Milestone.LANGUAGE_TEST: "Sprachstandstest beim Netzwerk Lippe",
    Milestone.WORK_COUNSELLING: "Beratungsangebot Jobcenter Lippe / Agentur für Arbeit",
    Milestone.SCHOOL_ENROLMENT: "Schulplatz nach Seiteneinstiegsberatung",
    Milestone.CHILDCARE_OFFER: "Betreuungsangebot des Jugendamts",
    Milestone.LANGUAGE_A2: "Zertifikat Deutsch A2 (DTZ)",
}


@transaction.atomic
def _past_deadlines_mostly_met(traeger_slug: str) -> list[str]:
    """A realistic picture: past deadlines of the demo clients were met by the work, and of
    those that fell due in the last three weeks every fifth is still overdue.

    Only deadlines nobody has decided on yet are touched (still ``automatic``); marking them
    makes them a decision that recomputing keeps, so a second run and users' entries stay.
    """
    from django.db.models import DateField, ExpressionWrapper, F

    from lotse.deadlines.models import DeadlineStatus, PersonGoalDeadline

    today = timezone.localdate()
    past = PersonGoalDeadline.objects.filter(
        traeger__slug=traeger_slug,
        person__external_key__startswith="demo-",
        status=DeadlineStatus.OPEN,
        automatic=True,
        due_on__lt=today,
    )
    recent = past.filter(due_on__gte=today - dt.timedelta(days=RECENTLY_OVERDUE_DAYS))
    # Deterministic: every fifth recent deadline (by id) stays overdue.
    missed = recent.annotate(rest=F("id") % 5).filter(rest=0).values("id")
    by_evidence: dict[str, list[int]] = {}
    for pk, rule in past.exclude(id__in=missed).values_list("id", "goal__deadline_rule"):
        milestone = rule.get("milestone") if isinstance(rule, dict) else None
        text = DEMO_EVIDENCE.get(str(milestone), "Demo: rechtzeitig erledigt")
        by_evidence.setdefault(text, []).append(pk)
    count = 0
    for evidence, ids in by_evidence.items():
        count += PersonGoalDeadline.objects.filter(id__in=ids).update(
            status=DeadlineStatus.MET,
            met_on=ExpressionWrapper(F("due_on") - dt.timedelta(days=3), output_field=DateField()),
            evidence=evidence,
            automatic=False,
            decided_at=timezone.now(),
        )
    return [f"Vergangene Fristen als erfüllt markiert: {count}"] if count else []
